"""The descriptions of a resource's own parameters, in either language.

The sentence is the schema's own when the schema came with its descriptions (a download or a local bicep-types-az
checkout; the shipped bundle carries none). Otherwise the generator writes one from the property's name and kind:
`tenantId` -> `The tenant ID of the key vault.`; a switch reads as a question of yes or no:
`enablePurgeProtection` -> `Whether to enable purge protection for the key vault.`,
`isHnsEnabled` -> `Whether HNS is enabled for the storage account.`.

Every description starts with its category, `Required.`, `Optional.` or `Conditional.` (AVM's parameter
description rule), and a conditional one ends with the condition: `Required if kind is "StorageV2".`.
"""

from __future__ import annotations

import re

from generator.azure_types.members import Condition
from generator.naming import split_words

# Words written as acronyms in generated descriptions.
ACRONYMS = {
    "id": "ID",
    "ids": "IDs",
    "ip": "IP",
    "ips": "IPs",
    "sku": "SKU",
    "uri": "URI",
    "url": "URL",
    "dns": "DNS",
    "fqdn": "FQDN",
    "tls": "TLS",
    "ssl": "SSL",
    "http": "HTTP",
    "https": "HTTPS",
    "hns": "HNS",
    "vm": "VM",
    "api": "API",
    "sql": "SQL",
    "ttl": "TTL",
    "cpu": "CPU",
    "gb": "GB",
    "sas": "SAS",
    "nfs": "NFS",
    "sftp": "SFTP",
    "rbac": "RBAC",
    "cors": "CORS",
}
# A switch whose name starts with one of these verbs reads `Whether to <verb> ...`.
IMPERATIVE_VERBS = frozenset({"enable", "disable", "allow", "use", "require", "restrict", "skip", "keep", "auto"})
# A switch whose name starts with one of these reads `Whether the <thing> <verb> ...`.
THIRD_PERSON_VERBS = frozenset({"supports", "allows", "requires", "uses", "has"})
# A switch whose name starts or ends with one of these states reads `Whether ... is <state>`.
STATES = frozenset({"enabled", "disabled", "allowed", "required", "public", "locked"})
_SENTENCE_END = re.compile(r"[.!?]$")


def words_of(name: str) -> list[str]:
    """The name's words, lower case but for acronyms: `enableRbacAuthorization` -> [enable, RBAC, authorization]."""
    return [ACRONYMS.get(w.lower(), w if w.isupper() and len(w) > 1 else w.lower()) for w in split_words(name)]


def describe_name(name: str) -> str:
    """`tenantId` -> `The tenant ID`; `sku` -> `The SKU`."""
    return "The " + " ".join(words_of(name))


def generated_sentence(name: str, kind: str, thing: str) -> str:
    """A sentence for a property the schema describes not: what it is, of `thing` (`key vault`)."""
    words = words_of(name)
    if kind == "bool" and len(words) > 1:
        first, last = words[0], words[-1]
        if first in IMPERATIVE_VERBS:
            return f"Whether to {' '.join(words)} for the {thing}."
        if first in THIRD_PERSON_VERBS:
            return f"Whether the {thing} {' '.join(words)}."
        if first == "is" and len(words) > 2 and last in STATES:
            return f"Whether {' '.join(words[1:-1])} is {last} for the {thing}."
        if first in STATES:
            return f"Whether the {thing} is {' '.join(words)}."
        if last in STATES:
            return f"Whether {' '.join(words[:-1])} is {last} for the {thing}."
    return f"{describe_name(name)} of the {thing}."


def description_sentence(schema_sentence: str | None, name: str, kind: str, thing: str) -> str:
    """The schema's description of the property (whitespace collapsed, upper-case first letter, ending with a
    full stop), else the generated sentence."""
    sentence = " ".join((schema_sentence or "").split()) or generated_sentence(name, kind, thing)
    if not _SENTENCE_END.search(sentence):
        sentence += "."
    return sentence[0].upper() + sentence[1:]


def condition_text(conditions: tuple[Condition, ...]) -> str:
    """`kind is "StorageV2"`, `kind is "A" or "B"`, joined by `and` for several discriminators."""
    parts = []
    for condition in conditions:
        values = " or ".join(f'"{value}"' for value in condition.values)
        parts.append(f"{condition.discriminator.rsplit('.', 1)[-1]} is {values}")
    return " and ".join(parts)


def parameter_description(
    category: str,
    name: str,
    kind: str,
    thing: str,
    schema_sentence: str | None = None,
    conditions: tuple[Condition, ...] = (),
) -> str:
    """`<Category>. <sentence>` and, for a conditional parameter, `Required if <condition>.`."""
    sentence = description_sentence(schema_sentence, name, kind, thing)
    if category == "Conditional" and conditions:
        sentence += f" Required if {condition_text(conditions)}."
    return f"{category}. {sentence}"
