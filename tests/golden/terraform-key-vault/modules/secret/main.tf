resource "azapi_resource" "this" {
  name      = var.name
  parent_id = var.parent_id
  type      = var.resource_types.keyvault_vaults_secrets
  body = {
    properties = {}
  }
  ignore_body_changes    = length(var.ignore_body_changes.keyvault_vaults_secrets) > 0 ? var.ignore_body_changes.keyvault_vaults_secrets : null
  response_export_values = []
  retry                  = var.retry
  tags                   = var.tags

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
