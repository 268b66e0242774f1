variable "location" {
  type        = string
  description = "The Azure region where the key vault is deployed."
  nullable    = false
}

variable "name" {
  type        = string
  description = "The name of the key vault."
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9]([A-Za-z0-9._-]{0,78}[A-Za-z0-9_])?$", var.name))
    error_message = "The name must be 1 to 80 characters long, start with a letter or a number, end with a letter, a number or an underscore, and contain only letters, numbers, periods, underscores and hyphens."
  }
}

variable "parent_id" {
  type        = string
  description = "The resource ID of the resource group in which to create the key vault, e.g. `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/example`."
  nullable    = false

  validation {
    condition     = can(provider::azapi::parse_resource_id("Microsoft.Resources/resourceGroups", var.parent_id))
    error_message = "The parent_id must be the resource ID of a Microsoft.Resources/resourceGroups resource."
  }
}

variable "sku" {
  type = object({
    family = string
    name   = string
  })
  description = <<DESCRIPTION
The SKU of the key vault.

- `family` - (Required) The family of the sku.
- `name` - (Required) The name of the sku. Possible values are `standard` and `premium`.
DESCRIPTION
  nullable    = false

  validation {
    condition     = try(var.sku.name, null) == null ? true : contains(["standard", "premium"], var.sku.name)
    error_message = "sku.name must be one of: `standard`, `premium`."
  }
}

variable "access_policies" {
  type = list(object({
    tenant_id      = string
    object_id      = string
    application_id = optional(string)
    permissions = object({
      keys         = optional(list(string))
      secrets      = optional(list(string))
      certificates = optional(list(string))
      storage      = optional(list(string))
    })
  }))
  default     = []
  description = <<DESCRIPTION
The access policies of the key vault. An empty list is not sent.

- `tenant_id` - (Required) The tenant ID of the access policies.
- `object_id` - (Required) The object ID of the access policies.
- `application_id` - (Optional) The application ID of the access policies.
- `permissions` - (Required) The permissions of the access policies.
  - `keys` - (Optional) The keys of the permissions.
  - `secrets` - (Optional) The secrets of the permissions.
  - `certificates` - (Optional) The certificates of the permissions.
  - `storage` - (Optional) The storage of the permissions.
DESCRIPTION
  nullable    = false

  validation {
    condition     = alltrue([for v in var.access_policies : try(v.tenant_id, null) == null ? true : length(v.tenant_id) >= 36 && length(v.tenant_id) <= 36])
    error_message = "access_policies[*].tenant_id must be 36 characters long."
  }
  validation {
    condition     = alltrue([for v in var.access_policies : try(v.tenant_id, null) == null ? true : can(regex("^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$", v.tenant_id))])
    error_message = "access_policies[*].tenant_id must match ^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$."
  }
  validation {
    condition     = alltrue([for v in var.access_policies : try(v.application_id, null) == null ? true : length(v.application_id) >= 36 && length(v.application_id) <= 36])
    error_message = "access_policies[*].application_id must be 36 characters long."
  }
  validation {
    condition     = alltrue([for v in var.access_policies : try(v.application_id, null) == null ? true : can(regex("^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$", v.application_id))])
    error_message = "access_policies[*].application_id must match ^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$."
  }
}

variable "create_mode" {
  type        = string
  default     = null
  description = "The create mode of the key vault. Possible values are `recover` and `default`."

  validation {
    condition     = var.create_mode == null ? true : contains(["recover", "default"], var.create_mode)
    error_message = "create_mode must be one of: `recover`, `default`."
  }
}

variable "diagnostic_settings" {
  type = map(object({
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
    log_analytics_destination_type           = optional(string, "Dedicated")
    workspace_resource_id                    = optional(string, null)
    storage_account_resource_id              = optional(string, null)
    event_hub_authorization_rule_resource_id = optional(string, null)
    event_hub_name                           = optional(string, null)
    marketplace_partner_resource_id          = optional(string, null)
  }))
  default     = {}
  description = <<DESCRIPTION
A map of diagnostic settings to create on this resource. The map key is deliberately arbitrary to avoid issues where map keys maybe unknown at plan time.

- `name` - (Optional) The name of the diagnostic setting. One will be generated if not set, however this will not be unique if you want to create multiple diagnostic setting resources.
- `logs` - (Optional) The logs to send, a set of entries. Defaults to `[]` (no logs). Each entry names either one log category or one category group:
  - `category` - (Optional) A log category of the resource. Set either this or `category_group`.
  - `category_group` - (Optional) A log category group, e.g. `allLogs` or `audit`. Set either this or `category`.
  - `enabled` - (Optional) Whether the entry is sent. Defaults to `true`.
  - `retention_policy` - (Optional) The retention of the entry: `days` (defaults to `0`) and `enabled` (defaults to `false`). Azure has retired retention in diagnostic settings: leave the defaults.
- `metrics` - (Optional) The metrics to send, a set of entries. Defaults to `[]` (no metrics). Each entry has:
  - `category` - (Optional) A metric category of the resource, e.g. `AllMetrics`.
  - `enabled` - (Optional) Whether the entry is sent. Defaults to `true`.
  - `retention_policy` - (Optional) As for `logs`.
- `log_analytics_destination_type` - (Optional) The destination type for the diagnostic setting. Possible values are `Dedicated` and `AzureDiagnostics`. Defaults to `Dedicated`.
- `workspace_resource_id` - (Optional) The resource ID of the log analytics workspace to send logs and metrics to.
- `storage_account_resource_id` - (Optional) The resource ID of the storage account to send logs and metrics to.
- `event_hub_authorization_rule_resource_id` - (Optional) The resource ID of the event hub authorization rule to send logs and metrics to.
- `event_hub_name` - (Optional) The name of the event hub. If none is specified, the default event hub will be selected.
- `marketplace_partner_resource_id` - (Optional) The full ARM resource ID of the Marketplace resource to which you would like to send Diagnostic Logs.
DESCRIPTION
  nullable    = false

  validation {
    condition = alltrue([
      for _, v in var.diagnostic_settings :
      contains(["Dedicated", "AzureDiagnostics"], v.log_analytics_destination_type)
    ])
    error_message = "Log analytics destination type must be one of: 'Dedicated', 'AzureDiagnostics'."
  }
  validation {
    condition = alltrue(flatten([
      for _, v in var.diagnostic_settings : [
        for log in v.logs : (log.category == null) != (log.category_group == null)
      ]
    ]))
    error_message = "Each entry of `logs` sets either `category` or `category_group`, not both."
  }
  validation {
    condition = alltrue([
      for _, v in var.diagnostic_settings :
      v.workspace_resource_id != null || v.storage_account_resource_id != null || v.event_hub_authorization_rule_resource_id != null || v.marketplace_partner_resource_id != null
    ])
    error_message = "At least one of `workspace_resource_id`, `storage_account_resource_id`, `marketplace_partner_resource_id`, or `event_hub_authorization_rule_resource_id`, must be set."
  }
  validation {
    condition = alltrue([
      for _, v in var.diagnostic_settings :
      v.workspace_resource_id == null || can(provider::azapi::parse_resource_id("Microsoft.OperationalInsights/workspaces", v.workspace_resource_id))
    ])
    error_message = "Each `workspace_resource_id` must be the resource ID of a Log Analytics workspace."
  }
  validation {
    condition = alltrue([
      for _, v in var.diagnostic_settings :
      v.storage_account_resource_id == null || can(provider::azapi::parse_resource_id("Microsoft.Storage/storageAccounts", v.storage_account_resource_id))
    ])
    error_message = "Each `storage_account_resource_id` must be the resource ID of a storage account."
  }
  validation {
    condition = alltrue([
      for _, v in var.diagnostic_settings :
      v.event_hub_authorization_rule_resource_id == null || can(provider::azapi::parse_resource_id("Microsoft.EventHub/namespaces/authorizationRules", v.event_hub_authorization_rule_resource_id))
    ])
    error_message = "Each `event_hub_authorization_rule_resource_id` must be the resource ID of an Event Hubs namespace authorization rule."
  }
}

variable "enable_purge_protection" {
  type        = bool
  default     = null
  description = "Whether to enable purge protection for the key vault."
}

variable "enable_rbac_authorization" {
  type        = bool
  default     = null
  description = "Whether to enable RBAC authorization for the key vault."
}

variable "enable_soft_delete" {
  type        = bool
  default     = null
  description = "Whether to enable soft delete for the key vault."
}

variable "enable_telemetry" {
  type        = bool
  default     = true
  description = <<DESCRIPTION
This variable controls whether or not telemetry is enabled for the module.
For more information see <https://aka.ms/avm/telemetryinfo>.
If it is set to false, then no telemetry will be collected.
DESCRIPTION
  nullable    = false
}

variable "enabled_for_deployment" {
  type        = bool
  default     = null
  description = "Whether the key vault is enabled for deployment."
}

variable "enabled_for_disk_encryption" {
  type        = bool
  default     = null
  description = "Whether the key vault is enabled for disk encryption."
}

variable "enabled_for_template_deployment" {
  type        = bool
  default     = null
  description = "Whether the key vault is enabled for template deployment."
}

variable "ignore_body_changes" {
  type = object({
    keyvault_vaults                                   = optional(list(string), [])
    authorization_locks                               = optional(list(string), [])
    authorization_role_assignments                    = optional(list(string), [])
    insights_diagnostic_settings                      = optional(list(string), [])
    network_private_endpoints                         = optional(list(string), [])
    network_private_endpoints_private_dns_zone_groups = optional(list(string), [])
    keyvault_vaults_keys = optional(object({
      keyvault_vaults_keys = optional(list(string), [])
    }), {})
    keyvault_vaults_secrets = optional(object({
      keyvault_vaults_secrets = optional(list(string), [])
    }), {})
  })
  default     = {}
  description = <<DESCRIPTION
Body paths of each AzAPI resource whose changes are ignored, keyed like `resource_types`. Paths use dot notation relative to the resource body, e.g. `properties.publicNetworkAccess`; list items cannot be targeted. A change of this variable takes effect only after an apply, and a non-empty list needs Terraform 1.11 or later.

- `keyvault_vaults` - (Optional) Paths of the key vault.
- `authorization_locks` - (Optional) Paths of the resource locks.
- `authorization_role_assignments` - (Optional) Paths of the role assignments.
- `insights_diagnostic_settings` - (Optional) Paths of the diagnostic settings.
- `network_private_endpoints` - (Optional) Paths of the private endpoints.
- `network_private_endpoints_private_dns_zone_groups` - (Optional) Paths of the private DNS zone groups of the private endpoints.
- `keyvault_vaults_keys` - (Optional) Paths of the `key` submodule; see its `ignore_body_changes` variable.
- `keyvault_vaults_secrets` - (Optional) Paths of the `secret` submodule; see its `ignore_body_changes` variable.
DESCRIPTION
  nullable    = false
}

variable "keys" {
  type = map(object({
    name = string
    tags = optional(map(string), null)
    attributes = optional(object({
      enabled    = optional(bool)
      nbf        = optional(number)
      exp        = optional(number)
      exportable = optional(bool)
    }))
    kty        = optional(string)
    key_ops    = optional(list(string), [])
    key_size   = optional(number)
    curve_name = optional(string)
    rotation_policy = optional(object({
      attributes = optional(object({
        expiry_time = optional(string)
      }))
      lifetime_actions = optional(list(object({
        trigger = optional(object({
          time_after_create  = optional(string)
          time_before_expiry = optional(string)
        }))
        action = optional(object({
          type = optional(string)
        }))
      })))
    }))
    release_policy = optional(object({
      content_type = optional(string)
      data         = optional(string)
    }))
  }))
  default     = {}
  description = <<DESCRIPTION
A map of keys to create in the key vault. The map key is deliberately arbitrary to avoid issues where map keys maybe unknown at plan time.

- `name` - The name of the key.
- `tags` - (Optional) Tags of the key. Defaults to the tags of the key vault.
- `attributes` - (Optional) The attributes of the key.
  - `enabled` - (Optional) The enabled of the attributes.
  - `nbf` - (Optional) The nbf of the attributes.
  - `exp` - (Optional) The exp of the attributes.
  - `exportable` - (Optional) The exportable of the attributes.
- `kty` - (Optional) The kty of the key.
- `key_ops` - (Required) The key ops of the key. An empty list is not sent.
- `key_size` - (Optional) The key size of the key.
- `curve_name` - (Optional) The curve name of the key.
- `rotation_policy` - (Optional) The rotation policy of the key.
  - `attributes` - (Optional) The attributes of the rotation policy.
    - `expiry_time` - (Optional) The expiry time of the attributes.
  - `lifetime_actions` - (Optional) The lifetime actions of the rotation policy.
    - `trigger` - (Optional) The trigger of the lifetime actions.
      - `time_after_create` - (Optional) The time after create of the trigger.
      - `time_before_expiry` - (Optional) The time before expiry of the trigger.
    - `action` - (Optional) The action of the lifetime actions.
      - `type` - (Optional) The type of the action. Possible values are `rotate` and `notify`.
- `release_policy` - (Optional) The release policy of the key.
  - `content_type` - (Optional) The content type of the release policy.
  - `data` - (Optional) The data of the release policy.
DESCRIPTION
  nullable    = false
}

variable "lock" {
  type = object({
    kind  = string
    name  = optional(string, null)
    notes = optional(string, null)
  })
  default     = null
  description = <<DESCRIPTION
Controls the resource lock configuration for this resource. The following properties can be specified:

- `kind` - (Required) The type of lock. Possible values are `CanNotDelete` and `ReadOnly`.
- `name` - (Optional) The name of the lock. If not specified, a name will be generated based on the `kind` value. Changing this forces the creation of a new resource.
- `notes` - (Optional) Notes about the lock. This value maps to `Microsoft.Authorization/locks.properties.notes`.
DESCRIPTION

  validation {
    condition     = var.lock != null ? contains(["CanNotDelete", "ReadOnly"], var.lock.kind) : true
    error_message = "Lock kind must be either `CanNotDelete` or `ReadOnly`."
  }
}

variable "network_acls" {
  type = object({
    bypass         = optional(string)
    default_action = optional(string)
    ip_rules = optional(list(object({
      value = string
    })))
    virtual_network_rules = optional(list(object({
      id                                   = string
      ignore_missing_vnet_service_endpoint = optional(bool)
    })))
  })
  default     = null
  description = <<DESCRIPTION
The network acls of the key vault.

- `bypass` - (Optional) The bypass of the network acls.
- `default_action` - (Optional) The default action of the network acls.
- `ip_rules` - (Optional) The IP rules of the network acls.
  - `value` - (Required) The value of the IP rules.
- `virtual_network_rules` - (Optional) The virtual network rules of the network acls.
  - `id` - (Required) The ID of the virtual network rules.
  - `ignore_missing_vnet_service_endpoint` - (Optional) The ignore missing vnet service endpoint of the virtual network rules.
DESCRIPTION
}

variable "private_endpoints" {
  type = map(object({
    name = optional(string, null)
    role_assignments = optional(map(object({
      name                                   = optional(string, null)
      role_definition_id_or_name             = string
      principal_id                           = string
      description                            = optional(string, null)
      skip_service_principal_aad_check       = optional(bool, false)
      condition                              = optional(string, null)
      condition_version                      = optional(string, null)
      delegated_managed_identity_resource_id = optional(string, null)
      principal_type                         = optional(string, null)
    })), {})
    lock = optional(object({
      kind  = string
      name  = optional(string, null)
      notes = optional(string, null)
    }), null)
    tags                                    = optional(map(string), null)
    subnet_resource_id                      = string
    subresource_name                        = optional(string, null)
    private_dns_zone_group_name             = optional(string, "default")
    private_dns_zone_resource_ids           = optional(set(string), [])
    application_security_group_associations = optional(map(string), {})
    private_service_connection_name         = optional(string, null)
    network_interface_name                  = optional(string, null)
    location                                = optional(string, null)
    resource_group_name                     = optional(string, null)
    ip_configurations = optional(map(object({
      name               = string
      private_ip_address = string
      member_name        = optional(string)
    })), {})
  }))
  default     = {}
  description = <<DESCRIPTION
A map of private endpoints to create on this resource. The map key is deliberately arbitrary to avoid issues where map keys maybe unknown at plan time.

- `name` - (Optional) The name of the private endpoint. One will be generated if not set.
- `role_assignments` - (Optional) A map of role assignments to create on the private endpoint. The map key is deliberately arbitrary to avoid issues where map keys maybe unknown at plan time. See `var.role_assignments` for more information.
  - `name` - (Optional) The name of the role assignment, a GUID. If not set, a random UUID will be generated.
  - `role_definition_id_or_name` - The ID or name of the role definition to assign.
  - `principal_id` - The ID of the principal to assign the role to.
  - `description` - (Optional) A description of the role assignment.
  - `skip_service_principal_aad_check` - (Optional) No effect when using AzAPI.
  - `condition` - (Optional) The condition under which the role assignment is active.
  - `condition_version` - (Optional) The version of the condition.
  - `delegated_managed_identity_resource_id` - (Optional) The resource ID of the delegated managed identity.
  - `principal_type` - (Optional) The type of the principal. Possible values are `User`, `Group` and `ServicePrincipal`.
- `lock` - (Optional) The lock level to apply to the private endpoint.
  - `kind` - (Required) The type of lock. Possible values are `CanNotDelete` and `ReadOnly`.
  - `name` - (Optional) The name of the lock. If not specified, a name will be generated based on the `kind` value.
  - `notes` - (Optional) Notes about the lock.
- `tags` - (Optional) A mapping of tags to assign to the private endpoint.
- `subnet_resource_id` - The resource ID of the subnet to deploy the private endpoint in.
- `subresource_name` - (Optional) The name of the sub resource (group ID) for the private endpoint. Defaults to `vault`.
- `private_dns_zone_group_name` - (Optional) The name of the private DNS zone group. Defaults to `default`.
- `private_dns_zone_resource_ids` - (Optional) A set of resource IDs of private DNS zones to associate with the private endpoint. If not set, no zone groups will be created and the private endpoint will not be associated with any private DNS zones. DNS records must be managed external to this module.
- `application_security_group_associations` - (Optional) A map of resource IDs of application security groups to associate with the private endpoint. The map key is deliberately arbitrary to avoid issues where map keys maybe unknown at plan time.
- `private_service_connection_name` - (Optional) The name of the private service connection. One will be generated if not set.
- `network_interface_name` - (Optional) The name of the network interface. One will be generated if not set.
- `location` - (Optional) The Azure location where the private endpoint will be deployed. Defaults to the location of this resource.
- `resource_group_name` - (Optional) The name of the resource group, in the subscription of `parent_id`, where the private endpoint will be deployed. Defaults to the resource group of this resource.
- `ip_configurations` - (Optional) A map of IP configurations to create on the private endpoint. If not specified the platform will create one. The map key is deliberately arbitrary to avoid issues where map keys maybe unknown at plan time.
  - `name` - The name of the IP configuration.
  - `private_ip_address` - The private IP address of the IP configuration.
  - `member_name` - (Optional) The member name of the IP configuration. Defaults to `default`.
DESCRIPTION
  nullable    = false

  validation {
    condition = alltrue([
      for _, v in var.private_endpoints :
      can(provider::azapi::parse_resource_id("Microsoft.Network/virtualNetworks/subnets", v.subnet_resource_id))
    ])
    error_message = "Each `subnet_resource_id` must be the resource ID of a subnet."
  }
}

variable "private_endpoints_manage_dns_zone_group" {
  type        = bool
  default     = true
  description = "Whether to manage private DNS zone groups with this module. If set to false, you must manage private DNS zone groups externally, e.g. using Azure Policy."
  nullable    = false
}

variable "public_network_access_enabled" {
  type        = bool
  default     = null
  description = "Whether the key vault accepts traffic from public networks. When `null` (the default), public network access is disabled if private endpoints are defined, and otherwise left to the service default."
}

variable "resource_types" {
  type = object({
    keyvault_vaults                                   = optional(string, "Microsoft.KeyVault/vaults@2026-02-01")
    authorization_locks                               = optional(string, "Microsoft.Authorization/locks@2020-05-01")
    authorization_role_assignments                    = optional(string, "Microsoft.Authorization/roleAssignments@2022-04-01")
    insights_diagnostic_settings                      = optional(string, "Microsoft.Insights/diagnosticSettings@2021-05-01-preview")
    network_private_endpoints                         = optional(string, "Microsoft.Network/privateEndpoints@2024-05-01")
    network_private_endpoints_private_dns_zone_groups = optional(string, "Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-05-01")
    keyvault_vaults_keys = optional(object({
      keyvault_vaults_keys = optional(string)
    }), {})
    keyvault_vaults_secrets = optional(object({
      keyvault_vaults_secrets = optional(string)
    }), {})
  })
  default     = {}
  description = <<DESCRIPTION
The AzAPI resource types (`<provider>/<type>@<api-version>`) of the resources the module deploys, keyed by ARM type. Override a key only to use another API version, e.g. in a sovereign cloud.

- `keyvault_vaults` - (Optional) The key vault. Defaults to `Microsoft.KeyVault/vaults@2026-02-01`.
- `authorization_locks` - (Optional) The resource locks. Defaults to `Microsoft.Authorization/locks@2020-05-01`.
- `authorization_role_assignments` - (Optional) The role assignments. Defaults to `Microsoft.Authorization/roleAssignments@2022-04-01`.
- `insights_diagnostic_settings` - (Optional) The diagnostic settings. Defaults to `Microsoft.Insights/diagnosticSettings@2021-05-01-preview`.
- `network_private_endpoints` - (Optional) The private endpoints. Defaults to `Microsoft.Network/privateEndpoints@2024-05-01`.
- `network_private_endpoints_private_dns_zone_groups` - (Optional) The private DNS zone groups of the private endpoints. Defaults to `Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-05-01`.
- `keyvault_vaults_keys` - (Optional) The resource types of the `key` submodule; see its `resource_types` variable.
- `keyvault_vaults_secrets` - (Optional) The resource types of the `secret` submodule; see its `resource_types` variable.
DESCRIPTION
  nullable    = false
}

variable "retry" {
  type = object({
    error_message_regex  = optional(list(string))
    interval_seconds     = optional(number)
    max_interval_seconds = optional(number)
  })
  default     = null
  description = <<DESCRIPTION
Retry configuration applied to every AzAPI resource of the module. Leave `null` for the provider's default behaviour.

- `error_message_regex` - (Optional) A list of regular expressions matched against the error message to decide whether to retry.
- `interval_seconds` - (Optional) The base number of seconds to wait between retries.
- `max_interval_seconds` - (Optional) The maximum number of seconds to wait between retries.
DESCRIPTION
}

variable "role_assignment_definition_lookup_enabled" {
  type        = bool
  default     = true
  description = "Whether role definitions given by name in `role_definition_id_or_name` are looked up by the `avm_interfaces` module. Set it to `false` to supply role definition resource IDs only."
  nullable    = false
}

variable "role_assignments" {
  type = map(object({
    name                                   = optional(string, null)
    role_definition_id_or_name             = string
    principal_id                           = string
    description                            = optional(string, null)
    skip_service_principal_aad_check       = optional(bool, false)
    condition                              = optional(string, null)
    condition_version                      = optional(string, null)
    delegated_managed_identity_resource_id = optional(string, null)
    principal_type                         = optional(string, null)
  }))
  default     = {}
  description = <<DESCRIPTION
A map of role assignments to create on this resource. The map key is deliberately arbitrary to avoid issues where map keys maybe unknown at plan time.

- `name` - (Optional) The name of the role assignment, a GUID. If not set, a random UUID will be generated. Changing this forces the creation of a new resource.
- `role_definition_id_or_name` - The ID or name of the role definition to assign to the principal.
- `principal_id` - The ID of the principal to assign the role to.
- `description` - (Optional) The description of the role assignment.
- `skip_service_principal_aad_check` - (Optional) No effect when using AzAPI.
- `condition` - (Optional) The condition which will be used to scope the role assignment.
- `condition_version` - (Optional) The version of the condition syntax. Leave as `null` if you are not using a condition, if you are then valid values are '2.0'.
- `delegated_managed_identity_resource_id` - (Optional) The delegated Azure Resource Id which contains a Managed Identity. Changing this forces a new resource to be created. This field is only used in cross-tenant scenario.
- `principal_type` - (Optional) The type of the `principal_id`. Possible values are `User`, `Group` and `ServicePrincipal`. It is necessary to explicitly set this attribute when creating role assignments if the principal creating the assignment is constrained by ABAC rules that filters on the PrincipalType attribute.
DESCRIPTION
  nullable    = false

  validation {
    condition = alltrue([
      for ra in var.role_assignments :
      ra.name == null || can(regex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", ra.name))
    ])
    error_message = "Each role_assignments `name`, when supplied, must be a valid lowercase GUID (e.g. 11111111-1111-1111-1111-111111111111)."
  }
}

variable "secrets" {
  type = map(object({
    name         = string
    tags         = optional(map(string), null)
    value        = optional(string)
    content_type = optional(string)
    attributes = optional(object({
      enabled = optional(bool)
      nbf     = optional(number)
      exp     = optional(number)
    }))
    value_version = optional(string)
  }))
  default     = {}
  description = <<DESCRIPTION
A map of secrets to create in the key vault. The map key is deliberately arbitrary to avoid issues where map keys maybe unknown at plan time.

- `name` - The name of the secret.
- `tags` - (Optional) Tags of the secret. Defaults to the tags of the key vault.
- `value` - (Optional) The value of the secret. Sent in `sensitive_body`, never stored in the state; give null to leave it out.
- `content_type` - (Optional) The content type of the secret.
- `attributes` - (Optional) The attributes of the secret.
  - `enabled` - (Optional) The enabled of the attributes.
  - `nbf` - (Optional) The nbf of the attributes.
  - `exp` - (Optional) The exp of the attributes.
- `value_version` - (Optional) The version of `value`.
DESCRIPTION
  nullable    = false
}

variable "soft_delete_retention_in_days" {
  type        = number
  default     = null
  description = "The soft delete retention in days of the key vault."
}

variable "tags" {
  type        = map(string)
  default     = null
  description = "(Optional) Tags of the resource."
}

variable "tenant_id" {
  type        = string
  default     = null
  description = "The tenant ID of the key vault. Defaults to the tenant of the Azure client Terraform runs as."

  validation {
    condition     = var.tenant_id == null ? true : length(var.tenant_id) >= 36 && length(var.tenant_id) <= 36
    error_message = "tenant_id must be 36 characters long."
  }
  validation {
    condition     = var.tenant_id == null ? true : can(regex("^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$", var.tenant_id))
    error_message = "tenant_id must match ^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$."
  }
}

variable "timeouts" {
  type = object({
    create = optional(string)
    read   = optional(string)
    update = optional(string)
    delete = optional(string)
  })
  default     = null
  description = <<DESCRIPTION
Timeouts applied to every AzAPI resource of the module. Leave `null` for the provider's defaults. Each value is a duration such as `30m` or `1h`.

- `create` - (Optional) The timeout for create operations.
- `read` - (Optional) The timeout for read operations.
- `update` - (Optional) The timeout for update operations.
- `delete` - (Optional) The timeout for delete operations.
DESCRIPTION
}
