"""`avm release` classifies the change between two versions of a module: a table of before/after pairs, Bicep and
Terraform, one for every rule (removed, renamed, newly required, narrowed type or allowed set, new optional input,
new output, description only, ...)."""

from __future__ import annotations

import pytest

from generator.module_release.bump import Version, bumped, required_bump
from generator.module_release.classify import BREAKING, FEATURE, FIX, NONE, classify
from generator.module_release.interface import Interface, InterfaceError, read_interface

BICEP = """\
@description('Required. The name.')
param name string

@description('Optional. The mode.')
@allowed([
  'a'
  'b'
])
param mode string = 'a'

@description('Optional. The size.')
@minLength(3)
@maxLength(24)
param size string = 'small'

@description('Optional. The settings.')
param settings settingsType?

@description('Optional. The tags.')
param tags object?

@description('The resource ID.')
output resourceId string = 'id'

@description('The endpoint.')
output endpoint string = 'https://x'

type settingsType = {
  @description('Required. The kind.')
  kind: 'Basic' | 'Premium'

  @description('Optional. The count.')
  count: int?
}
"""

TERRAFORM = """\
variable "name" {
  type        = string
  description = "The name."
  nullable    = false
}

variable "lock" {
  type = object({
    kind = string
    name = optional(string, null)
  })
  default     = null
  description = "The lock."
  validation {
    condition     = var.lock != null ? contains(["CanNotDelete", "ReadOnly"], var.lock.kind) : true
    error_message = "Lock kind must be either `CanNotDelete` or `ReadOnly`."
  }
}

variable "sku" {
  type        = string
  default     = "standard"
  description = "The SKU."
}

variable "tags" {
  type        = map(string)
  default     = null
  description = "Tags."
}

variable "settings" {
  type = object({
    size = optional(string, "small")
  })
  default     = {}
  description = "Settings."
  nullable    = false
}

variable "retention_days" {
  type        = number
  default     = 7
  description = "Days to keep."
  validation {
    condition     = var.retention_days >= 7 && var.retention_days <= 90
    error_message = "7 to 90 days."
  }
}

output "resource_id" {
  value       = "id"
  description = "The resource ID."
}
"""


def edited(source: str, *replacements: tuple[str, str]) -> str:
    for old, new in replacements:
        assert old in source, old
        source = source.replace(old, new, 1)
    return source


NEW_BICEP_PARAM = "@description('Optional. The tags.')"
NEW_TF = 'output "resource_id" {'

# (id, language, after, level, kind of the decisive change)
CASES = [
    # Bicep
    ("bicep-unchanged", "bicep", BICEP, NONE, None),
    (
        "bicep-param-removed",
        "bicep",
        edited(BICEP, ("@description('Optional. The tags.')\nparam tags object?\n", "")),
        BREAKING,
        "removed",
    ),
    (
        "bicep-param-renamed",
        "bicep",
        edited(BICEP, ("param tags object?", "param labels object?")),
        BREAKING,
        "renamed",
    ),
    (
        "bicep-new-required-param",
        "bicep",
        edited(BICEP, (NEW_BICEP_PARAM, "param sku string\n\n" + NEW_BICEP_PARAM)),
        BREAKING,
        "added (required)",
    ),
    (
        "bicep-newly-required",
        "bicep",
        edited(BICEP, ("param tags object?", "param tags object")),
        BREAKING,
        "newly required",
    ),
    ("bicep-allowed-value-removed", "bicep", edited(BICEP, ("  'b'\n", "")), BREAKING, "type narrowed"),
    (
        "bicep-string-now-enum",
        "bicep",
        edited(BICEP, ("param size string", "@allowed([\n  'small'\n  'large'\n])\nparam size string")),
        BREAKING,
        "type narrowed",
    ),
    ("bicep-min-raised", "bicep", edited(BICEP, ("@minLength(3)", "@minLength(5)")), BREAKING, "type narrowed"),
    ("bicep-max-lowered", "bicep", edited(BICEP, ("@maxLength(24)", "@maxLength(12)")), BREAKING, "type narrowed"),
    (
        "bicep-udt-attribute-now-required",
        "bicep",
        edited(BICEP, ("count: int?", "count: int")),
        BREAKING,
        "type narrowed",
    ),
    (
        "bicep-udt-literal-removed",
        "bicep",
        edited(BICEP, ("kind: 'Basic' | 'Premium'", "kind: 'Premium'")),
        BREAKING,
        "type narrowed",
    ),
    (
        "bicep-udt-required-attribute-added",
        "bicep",
        edited(BICEP, ("count: int?", "count: int?\n  zone: string")),
        BREAKING,
        "added required attribute",
    ),
    (
        "bicep-type-changed",
        "bicep",
        edited(BICEP, ("param tags object?", "param tags string?")),
        BREAKING,
        "type changed",
    ),
    (
        "bicep-output-removed",
        "bicep",
        edited(BICEP, ("@description('The endpoint.')\noutput endpoint string = 'https://x'\n", "")),
        BREAKING,
        "removed",
    ),
    (
        "bicep-output-now-nullable",
        "bicep",
        edited(BICEP, ("output endpoint string", "output endpoint string?")),
        BREAKING,
        "type widened",
    ),
    (
        "bicep-new-optional-param",
        "bicep",
        edited(
            BICEP,
            (NEW_BICEP_PARAM, "@description('Optional. The SKU.')\nparam sku string = 'S1'\n\n" + NEW_BICEP_PARAM),
        ),
        FEATURE,
        "added (optional)",
    ),
    ("bicep-new-output", "bicep", BICEP + "\n@description('The name.')\noutput name string = name\n", FEATURE, "added"),
    ("bicep-allowed-value-added", "bicep", edited(BICEP, ("  'b'\n", "  'b'\n  'c'\n")), FEATURE, "type widened"),
    (
        "bicep-udt-optional-attribute-added",
        "bicep",
        edited(BICEP, ("count: int?", "count: int?\n  zone: string?")),
        FEATURE,
        "added optional attribute",
    ),
    (
        "bicep-no-longer-required",
        "bicep",
        edited(BICEP, ("param name string", "param name string = 'x'")),
        FEATURE,
        "no longer required",
    ),
    ("bicep-max-raised", "bicep", edited(BICEP, ("@maxLength(24)", "@maxLength(64)")), FEATURE, "type widened"),
    (
        "bicep-description-only",
        "bicep",
        edited(BICEP, ("Required. The name.", "Required. The name of the thing.")),
        FIX,
        "description changed",
    ),
    (
        "bicep-default-changed",
        "bicep",
        edited(BICEP, ("param mode string = 'a'", "param mode string = 'b'")),
        FIX,
        "default changed",
    ),
    ("bicep-output-value-changed", "bicep", edited(BICEP, ("= 'https://x'", "= 'https://y'")), FIX, "value changed"),
    # Terraform
    ("tf-unchanged", "terraform", TERRAFORM, NONE, None),
    (
        "tf-variable-removed",
        "terraform",
        edited(
            TERRAFORM,
            ('variable "tags" {\n  type        = map(string)\n  default     = null\n  description = "Tags."\n}\n', ""),
        ),
        BREAKING,
        "removed",
    ),
    (
        "tf-variable-renamed",
        "terraform",
        edited(TERRAFORM, ('variable "tags"', 'variable "labels"')),
        BREAKING,
        "renamed",
    ),
    (
        "tf-newly-required",
        "terraform",
        edited(TERRAFORM, ('  default     = "standard"\n', "")),
        BREAKING,
        "newly required",
    ),
    (
        "tf-new-required-variable",
        "terraform",
        TERRAFORM + 'variable "zone" {\n  type        = string\n  description = "Zone."\n}\n',
        BREAKING,
        "added (required)",
    ),
    (
        "tf-allowed-value-removed",
        "terraform",
        edited(TERRAFORM, ('["CanNotDelete", "ReadOnly"]', '["CanNotDelete"]')),
        BREAKING,
        "type narrowed",
    ),
    (
        "tf-string-now-enum",
        "terraform",
        edited(
            TERRAFORM,
            (
                '  description = "The SKU."\n',
                '  description = "The SKU."\n  validation {\n    condition     = contains(["standard", "premium"], var.sku)\n    error_message = "One of standard, premium."\n  }\n',
            ),
        ),
        BREAKING,
        "type narrowed",
    ),
    (
        "tf-optional-attribute-now-required",
        "terraform",
        edited(TERRAFORM, ("name = optional(string, null)", "name = string")),
        BREAKING,
        "type narrowed",
    ),
    (
        "tf-map-to-list",
        "terraform",
        edited(TERRAFORM, ("type        = map(string)", "type        = list(string)")),
        BREAKING,
        "type changed",
    ),
    (
        "tf-type-now-any",
        "terraform",
        edited(TERRAFORM, ("type        = map(string)", "type        = any")),
        FEATURE,
        "type widened",
    ),
    (
        "tf-no-longer-nullable",
        "terraform",
        edited(TERRAFORM, ('  description = "Tags."\n', '  description = "Tags."\n  nullable    = false\n')),
        BREAKING,
        "null",
    ),
    (
        "tf-length-max-lowered",
        "terraform",
        edited(
            TERRAFORM,
            (
                '  description = "The SKU."\n',
                '  description = "The SKU."\n  validation {\n    condition     = length(var.sku) <= 10\n    error_message = "At most 10."\n  }\n',
            ),
        ),
        BREAKING,
        "type narrowed",
    ),
    (
        "tf-value-min-raised",
        "terraform",
        edited(TERRAFORM, ("var.retention_days >= 7", "var.retention_days >= 10")),
        BREAKING,
        "type narrowed",
    ),
    (
        "tf-value-max-raised",
        "terraform",
        edited(TERRAFORM, ("var.retention_days <= 90", "var.retention_days <= 365")),
        FEATURE,
        "type widened",
    ),
    (
        "tf-condition-rest-changed",
        "terraform",
        edited(
            TERRAFORM,
            (
                "var.retention_days >= 7 &&",
                "var.retention_days >= 7 && floor(var.retention_days) == var.retention_days &&",
            ),
        ),
        BREAKING,
        "validation added",
    ),
    (
        "tf-new-validation",
        "terraform",
        edited(
            TERRAFORM,
            (
                '  description = "The SKU."\n',
                '  description = "The SKU."\n  validation {\n    condition     = can(regex("^[a-z]+$", var.sku))\n    error_message = "Lower case."\n  }\n',
            ),
        ),
        BREAKING,
        "validation added",
    ),
    (
        "tf-output-removed",
        "terraform",
        edited(
            TERRAFORM, ('output "resource_id" {\n  value       = "id"\n  description = "The resource ID."\n}\n', "")
        ),
        BREAKING,
        "removed",
    ),
    (
        "tf-output-now-sensitive",
        "terraform",
        edited(TERRAFORM, ('  value       = "id"\n', '  value       = "id"\n  sensitive   = true\n')),
        BREAKING,
        "sensitivity changed",
    ),
    (
        "tf-new-optional-variable",
        "terraform",
        TERRAFORM + 'variable "zone" {\n  type        = string\n  default     = null\n  description = "Zone."\n}\n',
        FEATURE,
        "added (optional)",
    ),
    (
        "tf-new-output",
        "terraform",
        TERRAFORM + 'output "name" {\n  value       = "n"\n  description = "The name."\n}\n',
        FEATURE,
        "added",
    ),
    (
        "tf-allowed-value-added",
        "terraform",
        edited(TERRAFORM, ('["CanNotDelete", "ReadOnly"]', '["CanNotDelete", "ReadOnly", "None"]')),
        FEATURE,
        "type widened",
    ),
    (
        "tf-optional-attribute-added",
        "terraform",
        edited(
            TERRAFORM,
            ('size = optional(string, "small")', 'size = optional(string, "small")\n    zone = optional(string)'),
        ),
        FEATURE,
        "added optional attribute",
    ),
    (
        "tf-description-only",
        "terraform",
        edited(TERRAFORM, ('description = "Tags."', 'description = "Tags of the resource."')),
        FIX,
        "description changed",
    ),
    (
        "tf-attribute-default-changed",
        "terraform",
        edited(TERRAFORM, ('optional(string, "small")', 'optional(string, "large")')),
        FIX,
        "default changed",
    ),
]


def interface(language: str, source: str) -> Interface:
    return read_interface(language, {"main.bicep" if language == "bicep" else "variables.tf": source})


@pytest.mark.parametrize(("language", "after", "level", "kind"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_classification(language: str, after: str, level: str, kind: str | None) -> None:
    before = BICEP if language == "bicep" else TERRAFORM
    result = classify(interface(language, before), interface(language, after), [])
    assert result.level == level, result.changes
    if kind is not None:
        assert kind in [c.kind for c in result.changes if c.level == level], result.changes


def test_the_table_covers_both_languages_and_every_level() -> None:
    for language in ("bicep", "terraform"):
        pairs = [c for c in CASES if c[1] == language]
        assert len(pairs) >= 10
        assert {c[3] for c in pairs} == {NONE, FIX, FEATURE, BREAKING}


def test_a_changed_file_alone_is_a_fix() -> None:
    result = classify(interface("bicep", BICEP), interface("bicep", BICEP), ["README.md"])
    assert (result.level, result.changes[0].detail) == (FIX, "README.md")


def test_terraform_submodules_are_part_of_the_interface() -> None:
    files = {"variables.tf": TERRAFORM, "modules/child/outputs.tf": 'output "id" {\n  value = "x"\n}\n'}
    before = read_interface("terraform", files)
    after = read_interface("terraform", {"variables.tf": TERRAFORM, "modules/child/outputs.tf": ""})
    result = classify(before, after, [])
    assert (result.level, result.changes[0].subject) == (BREAKING, "modules/child: output id")


def test_a_registry_type_at_a_new_version_is_a_feature() -> None:
    source = "import { lockType } from 'br/public:avm/utl/types/avm-common-types:0.6.1'\nparam lock lockType?\n"
    after = source.replace("0.6.1", "0.7.0")
    result = classify(interface("bicep", source), interface("bicep", after), [])
    assert (result.level, result.changes[0].kind) == (FEATURE, "type version changed")


@pytest.mark.parametrize(
    ("language", "source"),
    [("bicep", "param name string\nthis is not bicep\n"), ("bicep", "param x {\n"), ("terraform", 'variable "x" {\n')],
)
def test_a_module_that_does_not_parse_is_refused(language: str, source: str) -> None:
    with pytest.raises(InterfaceError, match="does not parse"):
        interface(language, source)


@pytest.mark.parametrize(
    ("level", "current", "bump"),
    [
        (BREAKING, "0.4.2", "minor"),  # below 1.0 a breaking change bumps the minor version (SNFR17)
        (FEATURE, "0.4.2", "minor"),
        (FIX, "0.4.2", "patch"),
        (BREAKING, "1.2.3", "major"),
        (FEATURE, "1.2.3", "minor"),
        (NONE, "1.2.3", None),
    ],
)
def test_the_bump_a_change_needs(level: str, current: str, bump: str | None) -> None:
    assert required_bump(level, Version.parse(current)) == bump


def test_bumped_versions() -> None:
    version = Version(0, 4, 2)
    assert [str(bumped(version, b)) for b in ("patch", "minor", "major")] == ["0.4.3", "0.5.0", "1.0.0"]
