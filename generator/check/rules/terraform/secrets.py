"""Terraform secrets: a variable passed as it is into a body property that holds a secret, or into
`sensitive_body`, is `sensitive = true` (or `ephemeral = true`).

A secret is what `property_rules.is_secret` says, in the schema of the resource's type at its declared version
(see `rules.terraform.schema`).
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.check.body import Field, references, secret_inputs
from generator.check.core import Hit, Module
from generator.check.rules.schema import Sent
from generator.check.rules.terraform.common import var_rule, variables_of
from generator.check.rules.terraform.schema import sent_resources


def _secret_fields(sent: Sent) -> Iterator[tuple[Field, str]]:
    """Each field passing a variable into a secret, with what makes it one."""
    for placed in secret_inputs(sent.schema, sent.body):
        yield placed.field, f"{sent.named}'s {placed.path}, a secret"
    for item in references(sent.unseen) if sent.unseen is not None else ():
        yield item, f"the sensitive_body of {sent.named}"


@var_rule(
    "AVMT105",
    "",
    "error",
    "A variable passed straight into a resource property that holds a secret (a password, a key, a connection "
    "string, a property the schema marks secure), or into `sensitive_body`, is `sensitive = true`.",
    "Add `sensitive = true` to the variable (or `ephemeral = true`), so that plans and logs never show its value.",
    example=(
        'variable "administrator_password" {\n'
        "  type        = string\n"
        '  description = "The administrator password."\n'
        "  sensitive   = true\n"
        "}"
    ),
)
def sensitive_secret_variables(module: Module) -> Iterator[Hit]:
    variables = variables_of(module)
    reported: set[str] = set()
    for sent in sent_resources(module):
        for item, where in _secret_fields(sent):
            file, variable = variables.get(item.reference or "", ("", None))
            if variable is None or variable.name in reported:
                continue
            if variable.body.get("sensitive") is True or variable.body.get("ephemeral") is True:
                continue
            reported.add(variable.name)
            yield Hit(f'variable "{variable.name}" is passed to {where}, without sensitive = true', file, variable.line)
