"""The `parent_id` of a module root by its deployment scope (`generator.scopes`): what the variable says and
validates, what the examples and the unit test pass, and the target an extension-scope example creates.

AzAPI deploys a resource where `parent_id` points: a resource group, a subscription (`/subscriptions/<id>`), a
management group (`/providers/Microsoft.Management/managementGroups/<id>`), the tenant (`/`), or, for an
extension resource, the resource it extends.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator import scopes
from generator.terraform.hcl import listing, obj, quote

SAMPLE_SUBSCRIPTION = "/subscriptions/00000000-0000-0000-0000-000000000000"
CURRENT_SUBSCRIPTION = '"/subscriptions/${data.azapi_client_config.current.subscription_id}"'
ROOT_MANAGEMENT_GROUP = (
    '"/providers/Microsoft.Management/managementGroups/${data.azapi_client_config.current.tenant_id}"'
)


@dataclass(frozen=True)
class ParentRule:
    """What `parent_id` is at one scope."""

    what: str  # `the resource group`: what the variable takes
    example: str  # an ID it takes, for its description and the unit test
    condition: str  # the validation's condition
    invalid: str  # an ID it refuses, for the unit test


RULES = {
    scopes.RESOURCE_GROUP: ParentRule(
        "the resource group",
        f"{SAMPLE_SUBSCRIPTION}/resourceGroups/example",
        'can(provider::azapi::parse_resource_id("Microsoft.Resources/resourceGroups", var.parent_id))',
        SAMPLE_SUBSCRIPTION,
    ),
    scopes.SUBSCRIPTION: ParentRule(
        "the subscription",
        SAMPLE_SUBSCRIPTION,
        'can(provider::azapi::parse_resource_id("Microsoft.Resources/subscriptions", var.parent_id))',
        f"{SAMPLE_SUBSCRIPTION}/resourceGroups/example",
    ),
    scopes.MANAGEMENT_GROUP: ParentRule(
        "the management group",
        "/providers/Microsoft.Management/managementGroups/example",
        'can(provider::azapi::parse_resource_id("Microsoft.Management/managementGroups", var.parent_id))',
        SAMPLE_SUBSCRIPTION,
    ),
    scopes.TENANT: ParentRule("the tenant", "/", 'var.parent_id == "/"', SAMPLE_SUBSCRIPTION),
    scopes.EXTENSION: ParentRule(
        "the resource",
        f"{SAMPLE_SUBSCRIPTION}/resourceGroups/example/providers/Microsoft.Example/things/example",
        'startswith(var.parent_id, "/subscriptions/") && strcontains(var.parent_id, "/providers/")',
        f"{SAMPLE_SUBSCRIPTION}/resourceGroups/example",
    ),
}
ERRORS = {
    scopes.RESOURCE_GROUP: "The parent_id must be the resource ID of a Microsoft.Resources/resourceGroups resource.",
    scopes.SUBSCRIPTION: "The parent_id must be the resource ID of a subscription, /subscriptions/<subscription id>.",
    scopes.MANAGEMENT_GROUP: "The parent_id must be the resource ID of a management group.",
    scopes.TENANT: 'The parent_id must be "/", the tenant.',
    scopes.EXTENSION: "The parent_id must be the resource ID of the resource to extend (not a resource group).",
}


def root_description(scope: str, thing: str, target: scopes.ExtensionTarget | None) -> str:
    rule = RULES[scope]
    if target is not None:
        example = f"{SAMPLE_SUBSCRIPTION}/resourceGroups/example/providers/{target.full_type}/example"
        return f"The resource ID of the resource (`{target.full_type}`) the {thing} extends, e.g. `{example}`."
    if scope == scopes.EXTENSION:
        return f"The resource ID of the resource the {thing} extends, e.g. `{rule.example}`."
    return f"The resource ID of {rule.what} in which to create the {thing}, e.g. `{rule.example}`."


def root_validation(scope: str) -> tuple[str, str]:
    return RULES[scope].condition, ERRORS[scope]


def unit_test_ids(scope: str, target: scopes.ExtensionTarget | None) -> tuple[str, str]:
    """A `parent_id` the root takes and one it refuses."""
    rule = RULES[scope]
    if target is not None:
        return f"{SAMPLE_SUBSCRIPTION}/resourceGroups/rg-unit-test/providers/{target.full_type}/unit", rule.invalid
    if scope == scopes.RESOURCE_GROUP:
        return f"{SAMPLE_SUBSCRIPTION}/resourceGroups/rg-unit-test", rule.invalid
    return rule.example, rule.invalid


def example_parent(scope: str, resource_group: str, target_label: str) -> str:
    """What an example passes as `parent_id`: the resource group it creates, the current subscription, the root
    management group or the tenant, or the target resource it creates."""
    return {
        scopes.RESOURCE_GROUP: f"{resource_group}.id",
        scopes.SUBSCRIPTION: CURRENT_SUBSCRIPTION,
        scopes.MANAGEMENT_GROUP: ROOT_MANAGEMENT_GROUP,
        scopes.TENANT: '"/"',
        scopes.EXTENSION: f"azapi_resource.{target_label}.id",
    }[scope]


def hcl_value(value: Any) -> str:
    """A YAML value (`data/extension_targets.yaml`) as HCL."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dict):
        return obj([(key, hcl_value(item)) for key, item in value.items()])
    if isinstance(value, list):
        return listing([hcl_value(item) for item in value])
    return quote(str(value))
