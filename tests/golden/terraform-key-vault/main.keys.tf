module "key" {
  source   = "./modules/key"
  for_each = var.keys

  name                = each.value.name
  parent_id           = azapi_resource.this.id
  ignore_body_changes = var.ignore_body_changes.keyvault_vaults_keys
  resource_types      = var.resource_types.keyvault_vaults_keys
  retry               = var.retry
  tags                = each.value.tags != null ? each.value.tags : var.tags
  timeouts            = var.timeouts
}
