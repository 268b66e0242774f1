"""The AVM standard interfaces as data (`data/interfaces.yaml`): one source for templates and checks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.paths import read_data


@dataclass(frozen=True)
class Interface:
    key: str
    bicep: dict[str, Any]


def _load() -> dict[str, Any]:
    return read_data("interfaces.yaml")


_DATA = _load()
INTERFACES: dict[str, Interface] = {k: Interface(k, v["bicep"]) for k, v in _DATA["interfaces"].items()}
INTERFACE_KEYS: tuple[str, ...] = tuple(INTERFACES)  # canonical order
COMMON_TYPES_REF = f"{_DATA['common_types']['module']}:{_DATA['common_types']['version']}"
PRIVATE_ENDPOINT_MODULE_REF = (
    f"{_DATA['private_endpoint_module']['module']}:{_DATA['private_endpoint_module']['version']}"
)
MANDATORY_ROLES: dict[str, str] = dict(_DATA["mandatory_roles"])
E2E_API_VERSIONS: dict[str, str] = dict(_DATA["e2e_api_versions"])
DEPLOYMENT_SCRIPT: dict[str, str] = dict(_DATA["deployment_script"])
TELEMETRY_DESCRIPTION: str = _DATA["telemetry"]["description"]
TELEMETRY_NOTICE: str = _DATA["telemetry"]["notice"]


def common_type_import(type_name: str) -> str:
    """The one-line import of a common type, placed directly above the parameter using it."""
    return f"import {{ {type_name} }} from '{COMMON_TYPES_REF}'"
