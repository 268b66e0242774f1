"""The Terraform facts of `data/terraform.yaml`: pinned versions, constants and interface variables."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from generator.paths import read_data


@dataclass(frozen=True)
class Pin:
    source: str
    version: str


@dataclass(frozen=True)
class InterfaceVariable:
    name: str
    type: str
    default: str
    nullable: bool | None
    description: str
    validations: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class TerraformFacts:
    required_version: str
    providers: dict[str, Pin]
    submodule_providers: tuple[str, ...]
    provider_docs: str
    modules: dict[str, Pin]
    interface_resource_types: dict[str, str]
    interface_replace_triggers: dict[str, tuple[str, ...]]
    example_resource_types: dict[str, str]
    key_vault_crypto_service_encryption_user: str
    external_files: tuple[str, ...]
    interfaces: dict[str, tuple[InterfaceVariable, ...]]
    retry: dict[str, str]
    timeouts: dict[str, str]
    enable_telemetry_description: str
    footer: str


def _variables(raw: list[dict[str, Any]]) -> tuple[InterfaceVariable, ...]:
    return tuple(
        InterfaceVariable(
            name=v["name"],
            type=v["type"],
            default=v["default"],
            nullable=v.get("nullable"),
            description=v["description"],
            validations=tuple((c["condition"], c["error_message"]) for c in v.get("validations") or ()),
        )
        for v in raw
    )


@lru_cache(maxsize=1)
def load() -> TerraformFacts:
    data = read_data("terraform.yaml")
    return TerraformFacts(
        required_version=data["required_version"],
        providers={k: Pin(**v) for k, v in data["providers"].items()},
        submodule_providers=tuple(data["submodule_providers"]),
        provider_docs=data["provider_docs"],
        modules={k: Pin(**v) for k, v in data["modules"].items()},
        interface_resource_types=dict(data["interface_resource_types"]),
        interface_replace_triggers={k: tuple(v) for k, v in data["interface_replace_triggers"].items()},
        example_resource_types=dict(data["example_resource_types"]),
        key_vault_crypto_service_encryption_user=data["key_vault_crypto_service_encryption_user"],
        external_files=tuple(data["external_files"]),
        interfaces={k: _variables(v["variables"]) for k, v in data["interfaces"].items()},
        retry=dict(data["retry"]),
        timeouts=dict(data["timeouts"]),
        enable_telemetry_description=data["enable_telemetry"]["description"],
        footer=data["footer"],
    )
