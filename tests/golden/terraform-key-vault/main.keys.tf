module "key" {
  source   = "./modules/key"
  for_each = var.keys

  name                = each.value.name
  parent_id           = azapi_resource.this.id
  attributes          = each.value.attributes
  curve_name          = each.value.curve_name
  ignore_body_changes = var.ignore_body_changes.keyvault_vaults_keys
  key_ops             = each.value.key_ops
  key_size            = each.value.key_size
  kty                 = each.value.kty
  release_policy      = each.value.release_policy
  resource_types      = var.resource_types.keyvault_vaults_keys
  retry               = var.retry
  rotation_policy     = each.value.rotation_policy
  tags                = each.value.tags != null ? each.value.tags : var.tags
  timeouts            = var.timeouts
}
