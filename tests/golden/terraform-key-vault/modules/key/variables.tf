variable "name" {
  type        = string
  description = "The name of the key."
  nullable    = false

  validation {
    condition     = can(regex("^[a-zA-Z0-9-]{1,127}$", var.name))
    error_message = "The name must match ^[a-zA-Z0-9-]{1,127}$."
  }
}

variable "parent_id" {
  type        = string
  description = "The resource ID of the key vault (`Microsoft.KeyVault/vaults`) in which to create the key."
  nullable    = false

  validation {
    condition     = can(provider::azapi::parse_resource_id("Microsoft.KeyVault/vaults", var.parent_id))
    error_message = "The parent_id must be the resource ID of a Microsoft.KeyVault/vaults resource."
  }
}

variable "attributes" {
  type = object({
    enabled    = optional(bool)
    nbf        = optional(number)
    exp        = optional(number)
    exportable = optional(bool)
  })
  default     = null
  description = <<DESCRIPTION
The attributes of the key.

- `enabled` - (Optional) The enabled of the attributes.
- `nbf` - (Optional) The nbf of the attributes.
- `exp` - (Optional) The exp of the attributes.
- `exportable` - (Optional) The exportable of the attributes.
DESCRIPTION
}

variable "curve_name" {
  type        = string
  default     = null
  description = "The curve name of the key."
}

variable "ignore_body_changes" {
  type = object({
    keyvault_vaults_keys = optional(list(string), [])
  })
  default     = {}
  description = <<DESCRIPTION
Body paths of each AzAPI resource whose changes are ignored, keyed like `resource_types`. Paths use dot notation relative to the resource body, e.g. `properties.publicNetworkAccess`; list items cannot be targeted. A change of this variable takes effect only after an apply, and a non-empty list needs Terraform 1.11 or later.

- `keyvault_vaults_keys` - (Optional) Paths of the key.
DESCRIPTION
  nullable    = false
}

variable "key_ops" {
  type        = list(string)
  default     = []
  description = "The key ops of the key. An empty list is not sent."
  nullable    = false
}

variable "key_size" {
  type        = number
  default     = null
  description = "The key size of the key."
}

variable "kty" {
  type        = string
  default     = null
  description = "The kty of the key."
}

variable "release_policy" {
  type = object({
    content_type = optional(string)
    data         = optional(string)
  })
  default     = null
  description = <<DESCRIPTION
The release policy of the key.

- `content_type` - (Optional) The content type of the release policy.
- `data` - (Optional) The data of the release policy.
DESCRIPTION
}

variable "resource_types" {
  type = object({
    keyvault_vaults_keys = optional(string, "Microsoft.KeyVault/vaults/keys@2026-02-01")
  })
  default     = {}
  description = <<DESCRIPTION
The AzAPI resource types (`<provider>/<type>@<api-version>`) of the resources the module deploys, keyed by ARM type. Override a key only to use another API version, e.g. in a sovereign cloud.

- `keyvault_vaults_keys` - (Optional) The key. Defaults to `Microsoft.KeyVault/vaults/keys@2026-02-01`.
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

variable "rotation_policy" {
  type = object({
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
  })
  default     = null
  description = <<DESCRIPTION
The rotation policy of the key.

- `attributes` - (Optional) The attributes of the rotation policy.
  - `expiry_time` - (Optional) The expiry time of the attributes.
- `lifetime_actions` - (Optional) The lifetime actions of the rotation policy.
  - `trigger` - (Optional) The trigger of the lifetime actions.
    - `time_after_create` - (Optional) The time after create of the trigger.
    - `time_before_expiry` - (Optional) The time before expiry of the trigger.
  - `action` - (Optional) The action of the lifetime actions.
    - `type` - (Optional) The type of the action. Possible values are `rotate` and `notify`.
DESCRIPTION

  validation {
    condition     = try(var.rotation_policy.lifetime_actions, null) == null ? true : alltrue([for v in var.rotation_policy.lifetime_actions : try(v.action.type, null) == null ? true : contains(["rotate", "notify"], v.action.type)])
    error_message = "rotation_policy.lifetime_actions[*].action.type must be one of: `rotate`, `notify`."
  }
}

variable "tags" {
  type        = map(string)
  default     = null
  description = "(Optional) Tags of the key."
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
