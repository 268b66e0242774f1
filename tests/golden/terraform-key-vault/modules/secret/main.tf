resource "azapi_resource" "this" {
  name      = var.name
  parent_id = var.parent_id
  type      = var.resource_types.keyvault_vaults_secrets
  body = {
    properties = {
      contentType = var.content_type
      attributes  = var.attributes
    }
  }
  ignore_body_changes  = length(var.ignore_body_changes.keyvault_vaults_secrets) > 0 ? var.ignore_body_changes.keyvault_vaults_secrets : null
  ignore_null_property = true
  response_export_values = [
    "properties.secretUri",
    "properties.secretUriWithVersion",
  ]
  retry = var.retry
  sensitive_body = {
    properties = var.value == null ? {} : {
      value = var.value
    }
  }
  sensitive_body_version = { for path, version in {
    "properties.value" = var.value_version
  } : path => version if version != null }
  tags = var.tags

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
