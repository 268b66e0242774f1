data "azapi_client_config" "current" {}

resource "azapi_resource" "this" {
  location  = var.location
  name      = var.name
  parent_id = var.parent_id
  type      = var.resource_types.keyvault_vaults
  body = {
    properties = merge(
      {
        tenantId = coalesce(var.tenant_id, data.azapi_client_config.current.tenant_id)
        sku      = var.sku
        accessPolicies = length(var.access_policies) == 0 ? null : [for item in var.access_policies : {
          tenantId      = item.tenant_id
          objectId      = item.object_id
          applicationId = item.application_id
          permissions   = item.permissions
        }]
        enabledForDeployment         = var.enabled_for_deployment
        enabledForDiskEncryption     = var.enabled_for_disk_encryption
        enabledForTemplateDeployment = var.enabled_for_template_deployment
        enableSoftDelete             = var.enable_soft_delete
        softDeleteRetentionInDays    = var.soft_delete_retention_in_days
        enableRbacAuthorization      = var.enable_rbac_authorization
        createMode                   = var.create_mode
        enablePurgeProtection        = var.enable_purge_protection
        networkAcls = var.network_acls == null ? null : {
          bypass        = var.network_acls.bypass
          defaultAction = var.network_acls.default_action
          ipRules       = var.network_acls.ip_rules
          virtualNetworkRules = var.network_acls.virtual_network_rules == null ? null : [for item in var.network_acls.virtual_network_rules : {
            id                               = item.id
            ignoreMissingVnetServiceEndpoint = item.ignore_missing_vnet_service_endpoint
          }]
        }
      },
      local.public_network_access == null ? {} : { publicNetworkAccess = local.public_network_access },
    )
  }
  create_headers       = var.enable_telemetry ? { "User-Agent" : local.avm_azapi_header } : null
  delete_headers       = var.enable_telemetry ? { "User-Agent" : local.avm_azapi_header } : null
  ignore_body_changes  = length(var.ignore_body_changes.keyvault_vaults) > 0 ? var.ignore_body_changes.keyvault_vaults : null
  ignore_null_property = true
  read_headers         = var.enable_telemetry ? { "User-Agent" : local.avm_azapi_header } : null
  response_export_values = [
    "properties.vaultUri",
  ]
  retry          = var.retry
  tags           = var.tags
  update_headers = var.enable_telemetry ? { "User-Agent" : local.avm_azapi_header } : null

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
