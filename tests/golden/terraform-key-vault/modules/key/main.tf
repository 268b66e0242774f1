resource "azapi_resource" "this" {
  name      = var.name
  parent_id = var.parent_id
  type      = var.resource_types.keyvault_vaults_keys
  body = {
    properties = {
      attributes = var.attributes
      kty        = var.kty
      keyOps     = length(var.key_ops) == 0 ? null : var.key_ops
      keySize    = var.key_size
      curveName  = var.curve_name
      rotationPolicy = var.rotation_policy == null ? null : {
        attributes = var.rotation_policy.attributes == null ? null : {
          expiryTime = var.rotation_policy.attributes.expiry_time
        }
        lifetimeActions = var.rotation_policy.lifetime_actions == null ? null : [for item in var.rotation_policy.lifetime_actions : {
          trigger = item.trigger == null ? null : {
            timeAfterCreate  = item.trigger.time_after_create
            timeBeforeExpiry = item.trigger.time_before_expiry
          }
          action = item.action
        }]
      }
      release_policy = var.release_policy == null ? null : {
        contentType = var.release_policy.content_type
        data        = var.release_policy.data
      }
    }
  }
  ignore_body_changes  = length(var.ignore_body_changes.keyvault_vaults_keys) > 0 ? var.ignore_body_changes.keyvault_vaults_keys : null
  ignore_null_property = true
  response_export_values = [
    "properties.keyUri",
    "properties.keyUriWithVersion",
  ]
  retry = var.retry
  tags  = var.tags

  dynamic "timeouts" {
    for_each = var.timeouts == null ? [] : [var.timeouts]

    content {
      create = timeouts.value.create
      delete = timeouts.value.delete
      read   = timeouts.value.read
      update = timeouts.value.update
    }
  }
}
