"""The Terraform interface variable types as the AVM docs' canonical includes write them
(`docs/static/includes/interfaces/tf/int.*.schema.tf` in Azure/Azure-Verified-Modules, Terraform v1 specs).

Each text is the type byte for byte as an include indents it inside its `variable` block: the first line
follows `type = `, the others carry the block's two-space indentation. Types nested in another interface
(a private endpoint's role assignments and lock) are the same texts indented one level deeper. The private
endpoints type leaves out the include's trailing comment on `subresource_name`; `customer_managed_key` is
the form of `int.cmk.schema1.tf` (key vault and key name).
"""

from __future__ import annotations


def nested(type_text: str) -> str:
    """A type as it reads one object level deeper."""
    return type_text.replace("\n", "\n  ")


LOCK = """object({
    kind  = string
    name  = optional(string, null)
    notes = optional(string, null)
  })"""

ROLE_ASSIGNMENTS = """map(object({
    name                                   = optional(string, null)
    role_definition_id_or_name             = string
    principal_id                           = string
    description                            = optional(string, null)
    skip_service_principal_aad_check       = optional(bool, false)
    condition                              = optional(string, null)
    condition_version                      = optional(string, null)
    delegated_managed_identity_resource_id = optional(string, null)
    principal_type                         = optional(string, null)
  }))"""

# The destinations of a diagnostic setting, the same in both shapes.
DIAGNOSTIC_DESTINATIONS = """    log_analytics_destination_type           = optional(string, "Dedicated")
    workspace_resource_id                    = optional(string, null)
    storage_account_resource_id              = optional(string, null)
    event_hub_authorization_rule_resource_id = optional(string, null)
    event_hub_name                           = optional(string, null)
    marketplace_partner_resource_id          = optional(string, null)
  }))"""

DIAGNOSTIC_SETTINGS = (
    """map(object({
    name = optional(string, null)
    logs = optional(set(object({
      category       = optional(string, null)
      category_group = optional(string, null)
      enabled        = optional(bool, true)
      retention_policy = optional(object({
        days    = optional(number, 0)
        enabled = optional(bool, false)
      }), {})
    })), [])
    metrics = optional(set(object({
      category = optional(string, null)
      enabled  = optional(bool, true)
      retention_policy = optional(object({
        days    = optional(number, 0)
        enabled = optional(bool, false)
      }), {})
    })), [])
"""
    + DIAGNOSTIC_DESTINATIONS
)

# The v1 diagnostic settings (avm-utl-interfaces' `diagnostic_settings` input), no longer generated.
DIAGNOSTIC_SETTINGS_V1 = (
    """map(object({
    name                                     = optional(string, null)
    log_categories                           = optional(set(string), [])
    log_groups                               = optional(set(string), ["allLogs"])
    metric_categories                        = optional(set(string), ["AllMetrics"])
"""
    + DIAGNOSTIC_DESTINATIONS
)

PRIVATE_ENDPOINTS = f"""map(object({{
    name = optional(string, null)
    role_assignments = optional({nested(ROLE_ASSIGNMENTS)}, {{}})
    lock = optional({nested(LOCK)}, null)
    tags                                    = optional(map(string), null)
    subnet_resource_id                      = string
    subresource_name                        = optional(string, null)
    private_dns_zone_group_name             = optional(string, "default")
    private_dns_zone_resource_ids           = optional(set(string), [])
    application_security_group_associations = optional(map(string), {{}})
    private_service_connection_name         = optional(string, null)
    network_interface_name                  = optional(string, null)
    location                                = optional(string, null)
    resource_group_name                     = optional(string, null)
    ip_configurations = optional(map(object({{
      name               = string
      private_ip_address = string
      member_name        = optional(string)
    }})), {{}})
  }}))"""

MANAGED_IDENTITIES = """object({
    system_assigned            = optional(bool, false)
    user_assigned_resource_ids = optional(set(string), [])
  })"""

CUSTOMER_MANAGED_KEY = """object({
    key_vault_resource_id = string
    key_name              = string
    key_version           = optional(string, null)
    user_assigned_identity = optional(object({
      resource_id = string
    }), null)
  })"""
