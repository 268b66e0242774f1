module "secret" {
  source   = "./modules/secret"
  for_each = var.secrets

  name                = each.value.name
  parent_id           = azapi_resource.this.id
  value               = each.value.value
  attributes          = each.value.attributes
  content_type        = each.value.content_type
  ignore_body_changes = var.ignore_body_changes.keyvault_vaults_secrets
  resource_types      = var.resource_types.keyvault_vaults_secrets
  retry               = var.retry
  tags                = each.value.tags != null ? each.value.tags : var.tags
  timeouts            = var.timeouts
  value_version       = each.value.value_version
}
