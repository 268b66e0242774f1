"""The JSON Schema of an avm answers file (`.copier-answers.yml`, and the `--data-file` answers), `avm schema`."""

from __future__ import annotations

from typing import Any

from generator import property_selection
from generator.interfaces import INTERFACE_KEYS
from generator.scopes import SCOPES
from generator.spec import (
    API_VERSION_RE,
    COMPOSITE_KEYS,
    IDENTITY_KINDS,
    LANGUAGES,
    MODULE_CLASSES,
    MODULE_NAME_RE,
    NAMESPACE_RE,
    RESOURCE_KEYS,
    TYPE_SEGMENT_RE,
    VERSION_RE,
)

SCHEMA_ID = "https://avm-generator.invalid/schemas/answers.json"
TEXT = {"type": "string", "maxLength": 300}


def _pattern(regex: Any) -> dict[str, str]:
    return {"type": "string", "pattern": regex.pattern}


def _properties() -> dict[str, Any]:
    child_path = {"type": "string", "pattern": r"^[A-Za-z][A-Za-z0-9]*(/[A-Za-z][A-Za-z0-9]*)*$"}
    return {
        "_src_path": {"type": "string", "description": "The template's canonical address (written by avm)."},
        "_commit": {"type": "string", "pattern": r"^v\d", "description": "The template version (written by avm)."},
        "module_class": {"enum": list(MODULE_CLASSES), "description": "resource, pattern or utility."},
        "language": {"enum": list(LANGUAGES)},
        "provider_namespace": {**_pattern(NAMESPACE_RE), "description": "e.g. Microsoft.KeyVault"},
        "resource_type": {**_pattern(TYPE_SEGMENT_RE), "description": "The top-level type, e.g. vaults."},
        "api_version": _pattern(API_VERSION_RE),
        "interfaces": {
            "description": "Interface keys, or all, or none (a list or a comma-separated string).",
            "anyOf": [
                {"type": "array", "items": {"enum": list(INTERFACE_KEYS)}, "uniqueItems": True},
                {"type": "string"},
            ],
        },
        "children": {
            "description": "Child type paths relative to the resource; an answers file records objects.",
            "type": "array",
            "items": {
                "anyOf": [
                    child_path,
                    {
                        "type": "object",
                        "required": ["type", "api_version", "tags", "folder"],
                        "properties": {
                            "type": child_path,
                            "api_version": _pattern(API_VERSION_RE),
                            "tags": {"type": "boolean"},
                            "folder": {"type": "string", "pattern": r"^[a-z0-9-]+(/[a-z0-9-]+)*$"},
                            "published": {"type": "boolean"},
                            "telemetry_id_prefix": {"type": "string"},
                        },
                        "additionalProperties": False,
                    },
                ]
            },
        },
        "published_children": {"type": "array", "items": child_path},
        "module_name": {**_pattern(MODULE_NAME_RE), "description": "Pattern and utility: CATEGORY/NAME."},
        "uses": {
            "description": "Pattern: MODULE@VERSION strings; an answers file records objects.",
            "type": "array",
            "items": {
                "anyOf": [
                    {"type": "string", "pattern": r"^.+@\d+\.\d+\.\d+$"},
                    {
                        "type": "object",
                        "required": ["module", "version", "source", "display_name", "symbol", "location"],
                        "properties": {
                            "module": {"type": "string"},
                            "version": _pattern(VERSION_RE),
                            "source": {"type": "string"},
                            "display_name": TEXT,
                            "symbol": {"type": "string"},
                            "location": {
                                "description": "Resource: true (a regional location, an input of the module), global, or false (none).",
                                "oneOf": [{"type": "boolean"}, {"enum": ["global", "regional", "none"]}],
                            },
                            "scope": {
                                "description": "Resource: where the module deploys (default: the first the type is writable at).",
                                "enum": list(SCOPES),
                            },
                            "extends": {
                                "type": "string",
                                "description": "Resource: the resource type an extension-scope module deploys onto (written by avm).",
                            },
                        },
                        "additionalProperties": False,
                    },
                ]
            },
        },
        "deploys": {"type": "boolean", "description": "Utility: it deploys a deployment script."},
        "display_name": {**TEXT, "maxLength": 100},
        "description": TEXT,
        "owner": {"type": "string", "pattern": r"^@?[A-Za-z0-9-]{0,39}$"},
        "location": {
            "description": "Resource: true (a regional location, an input of the module), global, or false (none).",
            "oneOf": [{"type": "boolean"}, {"enum": ["global", "regional", "none"]}],
        },
        "scope": {
            "description": "Resource: where the module deploys (default: the first the type is writable at).",
            "enum": list(SCOPES),
        },
        "extends": {
            "type": "string",
            "description": "Resource: the resource type an extension-scope module deploys onto (written by avm).",
        },
        "private_endpoint_service": {"type": "string"},
        "private_dns_zone": {"type": "string"},
        "private_endpoint_multi_service": {"type": "boolean"},
        "identity_kinds": {"type": "array", "items": {"enum": list(IDENTITY_KINDS)}},
        "roles": {"type": "object", "additionalProperties": {"type": "string"}},
        "properties": {
            "description": "Resource: which of the resource's own properties become parameters.",
            "oneOf": [
                {"enum": list(property_selection.WORDS)},
                {"type": "array", "items": {"type": "string", "minLength": 1}, "uniqueItems": True},
            ],
        },
        "resource_schema": {
            "type": "object",
            "description": "Resource: the Azure type definition the parameters came from (written by avm).",
            "properties": {
                "type": {"type": "string", "pattern": r"^[A-Za-z0-9.]+/.+@\d{4}-\d{2}-\d{2}"},
                "source": {"enum": ["cache", "checkout", "bundle", "download"]},
                "revision": {"type": "string"},
            },
            "additionalProperties": False,
        },
        "bicep_path": {"type": "string", "pattern": r"^avm/(res|ptn|utl)/"},
        "telemetry_id_prefix": {"type": "string", "pattern": r"^46d3xbcp\.(res|ptn|utl)\."},
        "service_short": {"type": "string"},
        "owners_team": {"type": "string"},
        "terraform_module": {"type": "string", "pattern": r"^avm-(res|ptn|utl)-"},
        "terraform_repo": {"type": "string"},
        "terraform_registry": {"type": "string"},
    }


def answers_schema() -> dict[str, Any]:
    """Answers as `avm new --data-file` takes them and `.copier-answers.yml` records them."""

    def only(module_class: str, required: list[str], barred: tuple[str, ...]) -> dict[str, Any]:
        return {
            "if": {"properties": {"module_class": {"const": module_class}}, "required": ["module_class"]},
            "then": {"required": required, "not": {"anyOf": [{"required": [k]} for k in barred]}},
        }

    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "avm answers",
        "description": "The answers of an Azure Verified Module made by avm (.copier-answers.yml, --data-file).",
        "type": "object",
        "properties": _properties(),
        "additionalProperties": False,
        "allOf": [
            only("resource", ["provider_namespace", "resource_type"], COMPOSITE_KEYS),
            only("pattern", ["module_name"], (*RESOURCE_KEYS, "deploys")),
            only("utility", ["module_name"], (*RESOURCE_KEYS, "uses")),
        ],
    }
