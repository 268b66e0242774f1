variable "name" {
  type        = string
  description = "The name of the secret."
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9]([A-Za-z0-9._-]{0,78}[A-Za-z0-9_])?$", var.name))
    error_message = "The name must be 1 to 80 characters long, start with a letter or a number, end with a letter, a number or an underscore, and contain only letters, numbers, periods, underscores and hyphens."
  }
}

variable "parent_id" {
  type        = string
  description = "The resource ID of the key vault (`Microsoft.KeyVault/vaults`) in which to create the secret."
  nullable    = false

  validation {
    condition     = can(provider::azapi::parse_resource_id("Microsoft.KeyVault/vaults", var.parent_id))
    error_message = "The parent_id must be the resource ID of a Microsoft.KeyVault/vaults resource."
  }
}

variable "value" {
  type        = string
  description = "The value of the secret. Sent in `sensitive_body`, never stored in the state; give null to leave it out."
  sensitive   = true
}

variable "attributes" {
  type = object({
    enabled = optional(bool)
    nbf     = optional(number)
    exp     = optional(number)
  })
  default     = null
  description = <<DESCRIPTION
The attributes of the secret.

- `enabled` - (Optional) The enabled of the attributes.
- `nbf` - (Optional) The nbf of the attributes.
- `exp` - (Optional) The exp of the attributes.
DESCRIPTION
}

variable "content_type" {
  type        = string
  default     = null
  description = "The content type of the secret."
}

variable "ignore_body_changes" {
  type = object({
    keyvault_vaults_secrets = optional(list(string), [])
  })
  default     = {}
  description = <<DESCRIPTION
Body paths of each AzAPI resource whose changes are ignored, keyed like `resource_types`. Paths use dot notation relative to the resource body, e.g. `properties.publicNetworkAccess`; list items cannot be targeted. A change of this variable takes effect only after an apply, and a non-empty list needs Terraform 1.11 or later.

- `keyvault_vaults_secrets` - (Optional) Paths of the secret.
DESCRIPTION
  nullable    = false
}

variable "resource_types" {
  type = object({
    keyvault_vaults_secrets = optional(string, "Microsoft.KeyVault/vaults/secrets@2026-02-01")
  })
  default     = {}
  description = <<DESCRIPTION
The AzAPI resource types (`<provider>/<type>@<api-version>`) of the resources the module deploys, keyed by ARM type. Override a key only to use another API version, e.g. in a sovereign cloud.

- `keyvault_vaults_secrets` - (Optional) The secret. Defaults to `Microsoft.KeyVault/vaults/secrets@2026-02-01`.
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

variable "tags" {
  type        = map(string)
  default     = null
  description = "(Optional) Tags of the secret."
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

variable "value_version" {
  type        = string
  default     = null
  description = "The version of `value`: as `value` is never stored in the state, a change of it is sent only when this changes too. When null, it is sent with every create and update."
}
