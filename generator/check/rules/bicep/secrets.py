"""Bicep secrets: a parameter passed as it is into a property that holds a secret is `@secure()`.

A secret is what `property_rules.is_secret` says, in the schema of the resource's type at its declared version
(see `rules.bicep.schema`); a parameter is checked when it is a plain `string` or `object`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.check.body import secret_inputs
from generator.check.core import Hit, Module, rule
from generator.check.rules import BOTH
from generator.check.rules.bicep.common import B, main
from generator.check.rules.bicep.schema import sent_resources, suppressed

PLAIN_TYPE_RE = re.compile(r"(?:string|object)\??")


@rule(
    "AVMB105",
    spec="",
    language=B,
    severity="error",
    scopes=BOTH,
    title="A parameter passed straight into a resource property that holds a secret (a password, a key, a "
    "connection string, a property the schema marks secure) is declared `@secure()`.",
    fix="Add `@secure()` above the parameter, so that its value stays out of the deployment history and logs.",
    example=(
        "@description('Optional. The value of the secret.')\n"
        "@secure()\n"
        "param value string?\n"
        "...\n"
        "  properties: {\n"
        "    value: value\n"
        "  }"
    ),
)
def secure_secret_parameters(module: Module) -> Iterator[Hit]:
    bicep = main(module)
    if bicep is None:
        return
    reported: set[str] = set()
    for sent in sent_resources(module):
        for placed in secret_inputs(sent.schema, sent.body):
            param = bicep.params.get(placed.field.reference or "")
            if param is None or param.name in reported or param.decorator("secure") is not None:
                continue
            if not PLAIN_TYPE_RE.fullmatch(param.type.replace(" ", "")):
                continue
            if suppressed(bicep, placed.field.line, ("use-secure-value-for-secure-inputs",)) or suppressed(
                bicep, param.line, ("secure-secrets-in-params",)
            ):
                continue
            reported.add(param.name)
            yield Hit(
                f"parameter {param.name} is passed to {sent.named}'s {placed.path}, a secret, without @secure()",
                line=param.line,
            )
