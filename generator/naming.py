"""Names of AVM modules derived from Azure resource types. Pure functions, no I/O.

The approved name of a module lives in the official module index (see `generator.index`); these functions
are the fallback that derives it the way the index does for most rows:

* `Microsoft.KeyVault` + `vaults`          -> Bicep `avm/res/key-vault/vault`
* the same                                 -> Terraform `avm-res-keyvault-vault`
* Bicep path `avm/res/key-vault/vault`     -> telemetry prefix `46d3xbcp.res.keyvault-vault`,
                                              owners team `avm-res-keyvault-vault-module-owners-bicep`,
                                              e2e serviceShort `kvv`

Words are found by general rules (camelCase and PascalCase humps, acronym runs, `x2y` abbreviations such as
`p2s`), the last word of a type is made singular by English rules, and words are joined with `-`.
All-lowercase ARM type names (`trafficmanagerprofiles`) stay one word. The few words those rules cannot
get right are listed in the small tables below; there is no table of module names.
"""

from __future__ import annotations

import re

__all__ = [
    "bicep_module_path",
    "camel_symbol",
    "child_folder",
    "display_name",
    "indefinite_article",
    "owners_team",
    "pascal",
    "plural",
    "plural_display_name",
    "provider_slug",
    "resource_types_key",
    "service_short",
    "singular",
    "snake",
    "split_words",
    "telemetry_id_prefix",
    "terraform_module_name",
    "terraform_registry_source",
    "terraform_repo_name",
    "type_slug",
]

TELEMETRY_PREFIX = "46d3xbcp"
"""The fixed first part of every Bicep AVM telemetry deployment name (SFR3)."""

MODULE_CLASSES = ("res", "ptn", "utl")

# ---------------------------------------------------------------------------------------------------------------------
# Irregular words: the only exceptions to the general rules.
# ---------------------------------------------------------------------------------------------------------------------

_MIXED_CASE_WORDS: tuple[str, ...] = ("IoT",)
"""Acronyms written in mixed case that form one word (`IoTOperations` -> `iot-operations`)."""

_CONNECTOR_WORDS: tuple[str, ...] = ("for", "and", "of")
"""Short lowercase words glued to a preceding acronym (`DBforPostgreSQL` -> `DB`, `for`, ...)."""

_COMPOUND_WORDS: dict[str, tuple[str, ...]] = {
    "autoscalesetting": ("autoscale", "setting"),
    "backupconfig": ("backup", "config"),
    "linkedservice": ("linked", "service"),
    "streamingjob": ("streaming", "job"),
    "volumegroup": ("volume", "group"),
}
"""All-lowercase compounds that the index splits although most lowercase ARM types stay joined (singular form;
the plural `...s` is recognised too)."""

_INVARIANT_WORDS: tuple[str, ...] = ("series", "species", "news", "diagnostics", "analytics", "redis", "kubernetes")
"""Words whose singular and plural are the same (lower case)."""

_IRREGULAR_PLURALS: dict[str, str] = {
    "caches": "cache",
    "children": "child",
    "people": "person",
    "indices": "index",
    "analyses": "analysis",
}
"""Plurals that the suffix rules of `singular` would get wrong (lower case)."""

_SCOPE_SEGMENTS: tuple[str, ...] = ("mg-scope", "sub-scope", "rg-scope", "tenant-scope")
"""Scope children of multi-scope Bicep modules (BCPRMNFR4); their telemetry id joins them with `_`."""

_VOWEL_SOUND_LETTERS = "AEFHILMNORSX"
"""Letters whose spoken name starts with a vowel sound (`an HSM`, `an SQL ...`)."""

_SPOKEN_ACRONYMS = ("SQL",)
"""Acronyms said as a word that starts with a consonant sound (`a SQL Server`)."""

_CONSONANT_SOUND_PREFIXES = ("uni", "use", "user", "usa", "uti", "eu", "one", "once", "ubi", "uri")
_VOWEL_SOUND_PREFIXES = ("hour", "honest", "honor", "heir")

# ---------------------------------------------------------------------------------------------------------------------
# Words
# ---------------------------------------------------------------------------------------------------------------------

_SEPARATORS = re.compile(r"[^A-Za-z0-9]+")
_X2Y = re.compile(r"[a-z]\d[a-z]")


def split_words(identifier: str) -> list[str]:
    """Split an identifier into words, keeping the case of each word.

    `KeyVault` -> [Key, Vault]; `DBforPostgreSQL` -> [DB, for, Postgre, SQL]; `publicIPAddresses` ->
    [public, IP, Addresses]; `managedHSMs` -> [managed, HSMs]; `p2svpnGateways` -> [p2s, vpn, Gateways];
    `storage-account`, `storage_account` -> [storage, account]. All-lowercase runs stay one word.
    """
    words: list[str] = []
    for chunk in _SEPARATORS.split(identifier):
        if chunk:
            for word in _split_humps(chunk):
                words.extend(_split_lowercase(word))
    return words


def _split_humps(chunk: str) -> list[str]:
    """Split one separator-free chunk at case changes."""
    words: list[str] = []
    i, n = 0, len(chunk)
    while i < n:
        mixed = next((w for w in _MIXED_CASE_WORDS if chunk.startswith(w, i) and _ends_word(chunk, i + len(w))), None)
        if mixed:
            words.append(mixed)
            i += len(mixed)
            continue
        if chunk[i].isupper():
            j = i
            while j < n and chunk[j].isupper():
                j += 1
            k = j
            while k < n and not chunk[k].isupper():
                k += 1
            run, tail = chunk[i:j], chunk[j:k]
            if not tail:  # an acronym at the end or before digits: `SQL`, `A`
                words.append(run)
                i = j
            elif len(run) == 1 or not tail[0].isalpha():  # `Vault`, `V2`, `SQL2019`
                words.append(run + tail)
                i = k
            elif tail == "s" or tail in _CONNECTOR_WORDS:  # `HSMs`; `DB` + `for`
                words.append(run + tail if tail == "s" else run)
                if tail != "s":
                    words.append(tail)
                i = k
            else:  # `IPAddresses`: the last capital starts the next word
                words.append(run[:-1])
                i = j - 1
        else:
            k = i
            while k < n and not chunk[k].isupper():
                k += 1
            words.append(chunk[i:k])
            i = k
    return words


def _ends_word(chunk: str, end: int) -> bool:
    return end >= len(chunk) or not chunk[end].islower()


def _split_lowercase(word: str) -> list[str]:
    """Split `x2y` abbreviations (`p2svpn` -> p2s, vpn) and the listed lowercase compounds."""
    match = _X2Y.search(word)
    if match and match.group() != word:
        before, after = word[: match.start()], word[match.end() :]
        return [
            *(_split_lowercase(before) if before else []),
            match.group(),
            *(_split_lowercase(after) if after else []),
        ]
    lower = word.lower()
    for compound, parts in _COMPOUND_WORDS.items():
        if lower in (compound, compound + "s"):
            pieces: list[str] = []
            offset = 0
            for part in parts:
                pieces.append(word[offset : offset + len(part)])
                offset += len(part)
            pieces[-1] += word[offset:]
            return pieces
    return [word]


def _is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _match_case(replacement: str, original: str) -> str:
    """Give `replacement` the case style of `original` (lower, Title or UPPER)."""
    if original.isupper():
        return replacement.upper()
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def singular(word: str) -> str:
    """The singular of an English plural resource-type word; the case of `word` is kept.

    `policies` -> `policy`, `addresses` -> `address`, `statuses` -> `status`, `aliases` -> `alias`,
    `indexes` -> `index`, `HSMs` -> `HSM`; `Redis`, `series`, `access`, `DNS` stay.
    """
    lower = word.lower()
    if not lower or lower in _INVARIANT_WORDS:
        return word
    if lower in _IRREGULAR_PLURALS:
        return _match_case(_IRREGULAR_PLURALS[lower], word)
    if _is_acronym(word):
        return word
    if len(word) > 2 and word[-1] == "s" and _is_acronym(word[:-1]):
        return word[:-1]
    if lower.endswith(("ss", "us", "sis", "xis", "ias")) or not lower.endswith("s") or len(lower) < 3:
        return word
    if lower.endswith("ies") and len(lower) > 4:
        return word[:-3] + _match_case("y", word[-3:])
    if lower.endswith(("sses", "shes", "ches", "xes", "zzes", "iases", "atuses", "iruses", "buses")):
        return word[:-2]
    return word[:-1]


def plural(word: str) -> str:
    """The English plural of a singular word; the case of `word` is kept (`Policy` -> `Policies`, `HSM` -> `HSMs`)."""
    lower = word.lower()
    if not lower or lower in _INVARIANT_WORDS:
        return word
    irregular = {v: k for k, v in _IRREGULAR_PLURALS.items()}
    if lower in irregular and lower != "index":
        return _match_case(irregular[lower], word)
    if _is_acronym(word):
        return word if word.endswith("S") else word + "s"
    if lower.endswith("y") and len(lower) > 1 and lower[-2] not in "aeiou":
        return word[:-1] + _match_case("ies", word[-1])
    if lower.endswith(("sis", "xis")):
        return word[:-2] + _match_case("es", word[-2:])
    if lower.endswith(("s", "sh", "ch", "x", "z")):
        return word + _match_case("es", word[-1])
    return word + _match_case("s", word[-1])


def _kebab(words: list[str]) -> str:
    return "-".join(w.lower() for w in words if w)


# ---------------------------------------------------------------------------------------------------------------------
# Slugs and paths
# ---------------------------------------------------------------------------------------------------------------------


def provider_slug(namespace: str) -> str:
    """The Bicep provider segment: `Microsoft.KeyVault` -> `key-vault`, `Microsoft.DBforPostgreSQL` ->
    `db-for-postgre-sql`. Other vendors keep the vendor, one lowercase token: `Oracle.Database` -> `oracledatabase`.
    """
    parts = [p for p in namespace.strip().split(".") if p]
    if not parts:
        return ""
    if parts[0].lower() == "microsoft" and len(parts) > 1:
        return _kebab(split_words(".".join(parts[1:])))
    return "".join(p.lower() for p in parts)


def type_slug(type_segment: str) -> str:
    """One ARM type segment as a kebab-case singular folder name: `storageAccounts` -> `storage-account`."""
    words = split_words(type_segment.strip().strip("/"))
    if not words:
        return ""
    words[-1] = singular(words[-1])
    return _kebab(words)


def child_folder(child_type_path: str) -> str:
    """A relative child type path as nested folders: `blobServices/containers` -> `blob-service/container`."""
    return "/".join(type_slug(s) for s in child_type_path.split("/") if s.strip())


def _type_segments(resource_type: str) -> list[str]:
    return [s for s in resource_type.strip().split("/") if s.strip()]


def bicep_module_path(namespace: str, resource_type: str) -> str:
    """`Microsoft.KeyVault`, `vaults` -> `avm/res/key-vault/vault`; a nested type `vaults/secrets` adds the child
    folders (`avm/res/key-vault/vault/secret`)."""
    segments = _type_segments(resource_type)
    return "/".join(["avm", "res", provider_slug(namespace), *(type_slug(s) for s in segments)])


def _squash(segment: str) -> str:
    return segment.replace("-", "")


def terraform_module_name(namespace: str, resource_type: str) -> str:
    """`Microsoft.KeyVault`, `vaults` -> `avm-res-keyvault-vault`: the Bicep segments without inner hyphens."""
    segments = bicep_module_path(namespace, resource_type).split("/")[1:]
    return "avm-" + "-".join(_squash(s) for s in segments)


def terraform_repo_name(namespace: str, resource_type: str) -> str:
    """The GitHub repository of a new Terraform module: `terraform-azure-avm-res-keyvault-vault`."""
    return "terraform-azure-" + terraform_module_name(namespace, resource_type)


def terraform_registry_source(namespace: str, resource_type: str) -> str:
    """The Terraform registry source of a new module: `Azure/avm-res-keyvault-vault/azure`."""
    return f"Azure/{terraform_module_name(namespace, resource_type)}/azure"


def _path_parts(bicep_path: str) -> tuple[str, list[str]]:
    """Split `avm/<class>/<segments...>` (the `avm/` is optional) into class and segments."""
    parts = [p for p in bicep_path.strip().strip("/").split("/") if p]
    if parts and parts[0] == "avm":
        parts = parts[1:]
    if not parts:
        return "res", []
    if parts[0] in MODULE_CLASSES:
        return parts[0], parts[1:]
    return "res", parts


def telemetry_id_prefix(bicep_path: str) -> str:
    """`avm/res/key-vault/vault` -> `46d3xbcp.res.keyvault-vault`; children add segments
    (`46d3xbcp.res.keyvault-vault-secret`); multi-scope children use `_` (`..._mgscope`)."""
    module_class, segments = _path_parts(bicep_path)
    name = ""
    for segment in segments:
        joiner = "_" if segment in _SCOPE_SEGMENTS else "-"
        name = _squash(segment) if not name else f"{name}{joiner}{_squash(segment)}"
    return f"{TELEMETRY_PREFIX}.{module_class}.{name}"


def service_short(bicep_path: str) -> str:
    """Initials of the path segments after `avm/<class>/` split on `/` and `-`: `avm/res/key-vault/vault` -> `kvv`."""
    _, segments = _path_parts(bicep_path)
    return "".join(w[0] for s in segments for w in s.split("-") if w).lower()


def owners_team(bicep_path: str) -> str:
    """The GitHub team of a Bicep module's owners: `avm/res/key-vault/vault` ->
    `avm-res-keyvault-vault-module-owners-bicep`."""
    module_class, segments = _path_parts(bicep_path)
    return "-".join(["avm", module_class, *(_squash(s) for s in segments)]) + "-module-owners-bicep"


# ---------------------------------------------------------------------------------------------------------------------
# Display names
# ---------------------------------------------------------------------------------------------------------------------


def _title(word: str) -> str:
    if _is_acronym(word):
        return word
    if any(c.isdigit() for c in word):  # `p2s` -> `P2S`
        return word.upper()
    if word.lower() in _CONNECTOR_WORDS:
        return word.lower()
    return word[:1].upper() + word[1:]


def display_name(resource_type: str) -> str:
    """Title-cased singular words of the last type segment: `storageAccounts` -> `Storage Account`,
    `vaults` -> `Vault`, `managedHSMs` -> `Managed HSM`."""
    segments = _type_segments(resource_type)
    if not segments:
        return ""
    words = split_words(segments[-1])
    if not words:
        return ""
    words[-1] = singular(words[-1])
    titled = [_title(w) for w in words]
    titled[0] = titled[0][:1].upper() + titled[0][1:]
    return " ".join(titled)


def plural_display_name(display: str) -> str:
    """The plural of a display name (its last word): `Key Vault` -> `Key Vaults`, `Policy` -> `Policies`,
    `Redis` -> `Redis`. Used for the Bicep `metadata name`."""
    head, sep, last = display.rstrip().rpartition(" ")
    return f"{head}{sep}{plural(last)}" if last else display


def indefinite_article(phrase: str) -> str:
    """`a` or `an` for a phrase, by the sound of its first word (`an API ...`, `a User ...`, `an HSM`)."""
    words = phrase.split()
    if not words:
        return "a"
    first = words[0]
    letters = "".join(c for c in first if c.isalnum())
    if not letters:
        return "a"
    if len(letters) > 1 and _is_acronym(letters) and not letters.isdigit():
        if letters in _SPOKEN_ACRONYMS or (
            len(letters) == 3 and letters[1] in "AEIOU" and letters[0] not in "AEIOU" and letters[2] not in "AEIOU"
        ):  # said as a word: `a NAT Gateway`, `a WAF Policy`
            return "a"
        return "an" if letters[0] in _VOWEL_SOUND_LETTERS else "a"
    lower = letters.lower()
    if lower.startswith(_VOWEL_SOUND_PREFIXES):
        return "an"
    if lower.startswith(_CONSONANT_SOUND_PREFIXES):
        return "a"
    if len(lower) == 1:
        return "an" if lower.upper() in _VOWEL_SOUND_LETTERS else "a"
    return "an" if lower[0] in "aeiou" else "a"


# ---------------------------------------------------------------------------------------------------------------------
# Code symbols
# ---------------------------------------------------------------------------------------------------------------------


def resource_types_key(full_type: str) -> str:
    """A key for a full ARM type: `Microsoft.KeyVault/vaults/secrets` -> `keyvault_vaults_secrets`,
    `Microsoft.Network/virtualNetworks/subnets` -> `network_virtual_networks_subnets`."""
    namespace, _, path = full_type.strip().partition("/")
    parts = [p for p in namespace.split(".") if p]
    if len(parts) > 1 and parts[0].lower() == "microsoft":
        parts = parts[1:]
    token = "".join(p.lower() for p in parts)
    return "_".join([token, *(snake(s) for s in _type_segments(path))])


def camel_symbol(slug: str) -> str:
    """kebab (or any identifier) -> lowerCamel: `storage-account` -> `storageAccount`."""
    words = [w.lower() for w in split_words(slug)]
    if not words:
        return ""
    return words[0] + "".join(w[:1].upper() + w[1:] for w in words[1:])


def pascal(slug: str) -> str:
    """kebab (or any identifier) -> PascalCase: `storage-account` -> `StorageAccount`."""
    return "".join(w[:1].upper() + w[1:] for w in (w.lower() for w in split_words(slug)))


def snake(slug_or_camel: str) -> str:
    """kebab or camelCase -> snake_case: `storage-account`, `storageAccount` -> `storage_account`."""
    return "_".join(w.lower() for w in split_words(slug_or_camel))


_SHORT_WORDS = frozenset(
    [
        "add",
        "all",
        "and",
        "app",
        "for",
        "get",
        "hub",
        "job",
        "key",
        "log",
        "max",
        "min",
        "new",
        "one",
        "per",
        "run",
        "set",
        "the",
        "two",
        "use",
        "via",
        "web",
    ]
)


def pascal_words(slug: str) -> str:
    """kebab -> title-cased words, other short words read as acronyms: `azd` -> `AZD`, `get-environment` ->
    `Get Environment`."""
    words = [w for w in slug.split("-") if w]
    return " ".join(
        w.upper() if len(w) <= 3 and w.isalpha() and w not in _SHORT_WORDS else w[:1].upper() + w[1:] for w in words
    )


def title_words(text: str) -> str:
    """`resource-name` -> `ResourceName`: each alphanumeric word capitalised, the rest dropped (how BRM's README
    script titles a pattern or utility module's path segments)."""
    return "".join(word[:1].upper() + word[1:].lower() for word in re.split(r"[^0-9A-Za-z]+", text) if word)
