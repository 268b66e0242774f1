"""The official AVM module index: the CSV files that hold every approved module name.

The index comes in six kinds (Bicep or Terraform, times Resource, Pattern or Utility modules), each one CSV
file published under `OFFICIAL_INDEX_URLS`. `load_index` reads one file or URL given with `--index`, or the
copies kept in the user cache (`cache_dir()/index/<Kind>.csv`), which every file or URL read is stored into.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from generator.errors import EnvironmentProblemError, InvalidInputError, unreadable
from generator.paths import cache_dir

__all__ = [
    "DOWNLOAD_TIMEOUT",
    "INDEX_KINDS",
    "OFFICIAL_INDEX_URLS",
    "IndexEntry",
    "ModuleIndex",
    "index_cache_dir",
    "load_index",
    "parse_index",
]

OPTION = "--index"
DOWNLOAD_TIMEOUT = 15.0
"""Seconds to wait for the index server."""

_MAX_DOWNLOAD = 32 * 1024 * 1024

_CLASS_WORDS = {"res": "Resource", "ptn": "Pattern", "utl": "Utility"}
_LANGUAGE_WORDS = {"bicep": "Bicep", "terraform": "Terraform"}

INDEX_KINDS: tuple[str, ...] = tuple(
    f"{_LANGUAGE_WORDS[lang]}{_CLASS_WORDS[cls]}Modules" for lang in ("bicep", "terraform") for cls in _CLASS_WORDS
)
"""`BicepResourceModules`, `BicepPatternModules`, ..., `TerraformUtilityModules`."""

OFFICIAL_INDEX_URLS: dict[str, str] = {
    f"{_LANGUAGE_WORDS[lang]}{_CLASS_WORDS[cls]}Modules": f"https://aka.ms/avm/index/{short}/{cls}/csv"
    for lang, short in (("bicep", "bicep"), ("terraform", "tf"))
    for cls in _CLASS_WORDS
}
"""Where the AVM team publishes each kind of index CSV."""

_REQUIRED_COLUMNS = ("ModuleName", "ModuleDisplayName", "ModuleStatus")
_MODULE_NAME = re.compile(r"^avm[/-](res|ptn|utl)[/-]", re.IGNORECASE)
_NO_PARENT = ("", "n/a", "na", "none", "-")
_SAME_AS_PARENT = "same as parent"
_TEAM = re.compile(r"^[a-z0-9][a-z0-9._-]*$", re.IGNORECASE)


@dataclass(frozen=True)
class IndexEntry:
    """One row of an index CSV."""

    module_name: str
    display_name: str
    telemetry_id_prefix: str | None
    """Bicep only; None for Terraform rows and empty cells."""
    status: str
    owners_team: str | None
    """Bicep `ModuleOwnersGHTeam` without `@Azure/`; a child's `same as parent` is the parent's team."""
    provider_namespace: str | None
    """Resource modules only."""
    resource_type: str | None
    """Resource modules only; a child module has a nested type (`vaults/secrets`)."""
    parent_module: str | None
    language: str
    """`bicep` or `terraform`."""
    module_class: str
    """`res`, `ptn` or `utl`."""
    registry_source: str | None = None
    """Terraform only: the registry source (`Azure/avm-res-keyvault-vault/azurerm`), from PublicRegistryReference
    or RepoURL."""

    @property
    def kind(self) -> str:
        """The index file this row belongs to, e.g. `BicepResourceModules`."""
        return f"{_LANGUAGE_WORDS[self.language]}{_CLASS_WORDS[self.module_class]}Modules"


def _fold(value: str | None) -> str:
    return (value or "").strip().strip("/").casefold()


def _language(language: str) -> str:
    lang = language.strip().lower()
    return "terraform" if lang in ("tf", "terraform") else lang


class ModuleIndex:
    """The rows of one or more index CSVs, searchable by resource type and by module name."""

    def __init__(self, entries: Iterable[IndexEntry] = ()) -> None:
        unique: dict[tuple[str, str], IndexEntry] = {}
        for entry in entries:
            unique.setdefault((entry.language, entry.module_name.casefold()), entry)
        self._entries = tuple(unique.values())

    @property
    def entries(self) -> tuple[IndexEntry, ...]:
        return self._entries

    def lookup(self, language: str, provider_namespace: str, resource_type: str) -> IndexEntry | None:
        """The resource module of a type. A top-level type (`vaults`) matches top-level rows only (not the
        `mg-scope`-style children that share it); a nested type (`vaults/secrets`) matches child rows too."""
        lang, namespace, rtype = _language(language), _fold(provider_namespace), _fold(resource_type)
        nested = "/" in rtype
        for entry in self._entries:
            if entry.language != lang or entry.module_class != "res":
                continue
            if _fold(entry.provider_namespace) != namespace or _fold(entry.resource_type) != rtype:
                continue
            if nested or entry.parent_module is None:
                return entry
        return None

    def by_name(self, module_name: str, language: str | None = None) -> IndexEntry | None:
        """The row with this `ModuleName` (case-insensitive), e.g. `avm/res/key-vault/vault`. With a language,
        hyphens are ignored too, so that `avm-ptn-ai-ml-ai-foundry` finds `avm-ptn-aiml-ai-foundry`."""
        wanted = _fold(module_name)
        exact = next((e for e in self._entries if e.module_name.casefold() == wanted), None)
        if exact is not None or language is None:
            return exact
        lang, loose = _language(language), wanted.replace("-", "")
        return next(
            (e for e in self._entries if e.language == lang and e.module_name.casefold().replace("-", "") == loose),
            None,
        )

    def __repr__(self) -> str:
        return f"ModuleIndex({len(self._entries)} entries)"


# ---------------------------------------------------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------------------------------------------------


def _not_an_index(origin: str, reason: str) -> InvalidInputError:
    return InvalidInputError.single(OPTION, f"{origin} is not an AVM module index CSV ({reason})")


def parse_index(data: bytes | str, origin: str = "the index") -> tuple[str, list[IndexEntry]]:
    """Parse one index CSV (BOM or not). Returns its kind (`BicepResourceModules`, ...) and its rows.

    Raises InvalidInputError (field `--index`) when `data` is not a module index CSV.
    """
    if isinstance(data, bytes):
        if b"\x00" in data[:4096]:
            raise _not_an_index(origin, "binary data")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError as exc:
                raise _not_an_index(origin, "not UTF-8 text") from exc
    else:
        text = data.removeprefix("\ufeff")
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        columns = [(c or "").strip().lstrip("\ufeff") for c in (reader.fieldnames or [])]
        missing = [c for c in _REQUIRED_COLUMNS if c not in columns]
        if missing:
            raise _not_an_index(origin, "no " + ", ".join(missing) + " column")
        reader.fieldnames = columns
        rows = [{k: (v or "").strip() for k, v in row.items() if isinstance(k, str)} for row in reader]
    except csv.Error as exc:
        raise _not_an_index(origin, f"unreadable CSV: {exc}") from exc

    language = "bicep" if "TelemetryIdPrefix" in columns else "terraform"
    is_resource_file = "ProviderNamespace" in columns and "ResourceType" in columns
    entries: list[IndexEntry] = []
    for row in rows:
        name = row.get("ModuleName", "")
        match = _MODULE_NAME.match(name)
        if not match:
            continue
        module_class = match.group(1).lower()
        resource = module_class == "res" and is_resource_file
        parent = row.get("ParentModule", "")
        team = row.get("ModuleOwnersGHTeam", "") if language == "bicep" else ""
        entries.append(
            IndexEntry(
                module_name=name,
                display_name=row.get("ModuleDisplayName", ""),
                telemetry_id_prefix=(row.get("TelemetryIdPrefix") or None) if language == "bicep" else None,
                status=row.get("ModuleStatus", ""),
                owners_team=team,  # resolved below
                provider_namespace=(row.get("ProviderNamespace") or None) if resource else None,
                resource_type=(row.get("ResourceType") or None) if resource else None,
                parent_module=None if parent.casefold() in _NO_PARENT else parent,
                language=language,
                module_class=module_class,
                registry_source=_registry_source(name, row) if language == "terraform" else None,
            )
        )
    if not entries:
        raise _not_an_index(origin, "no rows with an AVM ModuleName")
    entries = _resolve_teams(entries)
    classes = [e.module_class for e in entries]
    module_class = max(_CLASS_WORDS, key=classes.count)
    return f"{_LANGUAGE_WORDS[language]}{_CLASS_WORDS[module_class]}Modules", entries


_REGISTRY_REFERENCE = re.compile(r"/modules/([^/]+/[^/]+/[^/]+)", re.IGNORECASE)
_REPO_PROVIDER = re.compile(r"/terraform-([a-z0-9]+)-avm-", re.IGNORECASE)


def _registry_source(name: str, row: dict[str, str]) -> str:
    """`Azure/<name>/<provider>`: from the registry address, else the repository name, else the new `azure`."""
    match = _REGISTRY_REFERENCE.search(row.get("PublicRegistryReference", ""))
    if match:
        return match.group(1)
    match = _REPO_PROVIDER.search(row.get("RepoURL", ""))
    return f"Azure/{name}/{match.group(1).lower() if match else 'azure'}"


def _clean_team(team: str | None) -> str | None:
    team = (team or "").strip()
    team = re.sub(r"^@?azure/", "", team, flags=re.IGNORECASE)
    return team if _TEAM.match(team) else None


def _resolve_teams(entries: list[IndexEntry]) -> list[IndexEntry]:
    """Strip `@Azure/`, drop malformed teams and give `same as parent` rows their parent's team."""
    own = {e.module_name.casefold(): _clean_team(e.owners_team) for e in entries if e.language == "bicep"}
    resolved: list[IndexEntry] = []
    for entry in entries:
        team: str | None = None
        if entry.language == "bicep":
            if (entry.owners_team or "").strip().casefold() == _SAME_AS_PARENT:
                team = own.get((entry.parent_module or "").casefold())
            else:
                team = own.get(entry.module_name.casefold())
        resolved.append(replace(entry, owners_team=team))
    return resolved


# ---------------------------------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------------------------------


def index_cache_dir() -> Path:
    """Where copies of index CSVs are kept between runs."""
    return cache_dir() / "index"


def _store(kind: str, data: bytes) -> None:
    """Keep a copy in the cache; a cache that cannot be written is not an error."""
    folder = index_cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{kind}.csv.tmp"
        tmp.write_bytes(data)
        tmp.replace(folder / f"{kind}.csv")
    except OSError:
        return


def _download(url: str) -> bytes:
    import http.client
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, headers={"User-Agent": "avm-generator", "Accept": "text/csv, */*"})
    try:
        with urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT) as response:
            data = response.read(_MAX_DOWNLOAD + 1)
    except urllib.error.HTTPError as exc:
        raise EnvironmentProblemError(f"{OPTION}: cannot download {url}: HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        raise EnvironmentProblemError(f"{OPTION}: cannot download {url}: {exc.reason}") from exc
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise EnvironmentProblemError(f"{OPTION}: cannot download {url}: {exc or type(exc).__name__}") from exc
    if len(data) > _MAX_DOWNLOAD:
        raise InvalidInputError.single(OPTION, f"{url} is larger than {_MAX_DOWNLOAD // (1024 * 1024)} MB")
    return data


def _load_cached() -> ModuleIndex:
    folder = index_cache_dir()
    entries: list[IndexEntry] = []
    try:
        files = sorted(folder.glob("*.csv"))
    except OSError:
        return ModuleIndex()
    for path in files:
        try:
            _, rows = parse_index(path.read_bytes(), str(path))
        except (OSError, InvalidInputError):
            continue  # a damaged cache copy is ignored; the next --index replaces it
        entries.extend(rows)
    return ModuleIndex(entries)


def load_index(source: str | None) -> ModuleIndex:
    """Load the module index from `source`: a CSV file path, an http(s) URL, `none` (an empty index), or None
    (the copies in the user cache, else an empty index). A file or URL is also stored into the cache.

    Raises InvalidInputError (field `--index`) when the file does not exist or is not a module index CSV, and
    EnvironmentProblemError when the file cannot be read or the URL downloaded.
    """
    if source is None or not source.strip():
        return _load_cached()
    source = source.strip()
    if source.lower() == "none":
        return ModuleIndex()
    if re.match(r"^https?://", source, re.IGNORECASE):
        data = _download(source)
        origin = source
    else:
        path = Path(source).expanduser()
        try:
            data = path.read_bytes()
        except OSError as exc:  # missing or a folder: exit 2; unreadable: exit 3
            raise unreadable(OPTION, source, exc) from exc
        origin = source
    kind, entries = parse_index(data, origin)
    _store(kind, data)
    return ModuleIndex(entries)
