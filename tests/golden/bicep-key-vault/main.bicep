metadata name = 'Key Vaults'
metadata description = 'This module deploys a Key Vault.'

// ================ //
// Parameters       //
// ================ //

@description('Required. The name of the key vault.')
param name string

@description('Required. The SKU of the key vault.')
param sku resourceInput<'Microsoft.KeyVault/vaults@2026-02-01'>.properties.sku

@description('Optional. Location for all resources.')
param location string = resourceGroup().location

@description('Optional. The tenant ID of the key vault.')
@minLength(36)
@maxLength(36)
param tenantId string = tenant().tenantId

@description('Optional. The access policies of the key vault.')
param accessPolicies resourceInput<'Microsoft.KeyVault/vaults@2026-02-01'>.properties.accessPolicies?

@description('Optional. Whether the key vault is enabled for deployment.')
param enabledForDeployment bool?

@description('Optional. Whether the key vault is enabled for disk encryption.')
param enabledForDiskEncryption bool?

@description('Optional. Whether the key vault is enabled for template deployment.')
param enabledForTemplateDeployment bool?

@description('Optional. Whether to enable soft delete for the key vault.')
param enableSoftDelete bool?

@description('Optional. The soft delete retention in days of the key vault.')
param softDeleteRetentionInDays int?

@description('Optional. Whether to enable RBAC authorization for the key vault.')
param enableRbacAuthorization bool?

@description('Optional. The create mode of the key vault.')
@allowed([
  'recover'
  'default'
])
param createMode string?

@description('Optional. Whether to enable purge protection for the key vault.')
param enablePurgeProtection bool?

@description('Optional. The network acls of the key vault.')
param networkAcls resourceInput<'Microsoft.KeyVault/vaults@2026-02-01'>.properties.networkAcls?

@description('Optional. The keys to create.')
param keys keyType[]?

@description('Optional. The secrets to create.')
param secrets secretType[]?

@description('Optional. Whether or not public network access is allowed for this resource. For security reasons it should be disabled. If not specified, it will be disabled by default if private endpoints are set.')
@allowed([
  'Enabled'
  'Disabled'
])
param publicNetworkAccess string?

import { lockType } from 'br/public:avm/utl/types/avm-common-types:0.7.0'
@description('Optional. The lock settings of the service.')
param lock lockType?

import { roleAssignmentType } from 'br/public:avm/utl/types/avm-common-types:0.7.0'
@description('Optional. Array of role assignments to create.')
param roleAssignments roleAssignmentType[]?

import { diagnosticSettingFullType } from 'br/public:avm/utl/types/avm-common-types:0.7.0'
@description('Optional. The diagnostic settings of the service. If neither metrics nor logs are specified, all metrics & logs are configured by default. If only one of them is specified, the other one will not be configured.')
param diagnosticSettings diagnosticSettingFullType[]?

import { privateEndpointSingleServiceType } from 'br/public:avm/utl/types/avm-common-types:0.7.0'
@description('Optional. Configuration details for private endpoints. For security reasons, it is recommended to use private endpoints whenever possible.')
param privateEndpoints privateEndpointSingleServiceType[]?

@description('Optional. Tags of the resource.')
param tags resourceInput<'Microsoft.KeyVault/vaults@2026-02-01'>.tags?

@description('Optional. Enable/Disable usage telemetry for module.')
param enableTelemetry bool = true

// ============= //
// Variables     //
// ============= //

var enableReferencedModulesTelemetry = false

var builtInRoleNames = {
  Contributor: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b24988ac-6180-42a0-ab88-20f7382dd24c')
  'Key Vault Administrator': subscriptionResourceId(
    'Microsoft.Authorization/roleDefinitions',
    '00482a5a-887f-4fb3-b363-3b7fe8e74483'
  )
  'Key Vault Certificate User': subscriptionResourceId(
    'Microsoft.Authorization/roleDefinitions',
    'db79e9a7-68ee-4b58-9aeb-b90e7c24fcba'
  )
  'Key Vault Certificates Officer': subscriptionResourceId(
    'Microsoft.Authorization/roleDefinitions',
    'a4417e6f-fecd-4de8-b567-7b0420556985'
  )
  'Key Vault Contributor': subscriptionResourceId(
    'Microsoft.Authorization/roleDefinitions',
    'f25e0fa2-a7c8-4377-a976-54943a77a395'
  )
  'Key Vault Crypto Officer': subscriptionResourceId(
    'Microsoft.Authorization/roleDefinitions',
    '14b46e9e-c2b7-41b4-b07b-48a6ebf60603'
  )
  'Key Vault Crypto Service Encryption User': subscriptionResourceId(
    'Microsoft.Authorization/roleDefinitions',
    'e147488a-f6f5-4113-8e2d-b22465e65bf6'
  )
  'Key Vault Crypto Service Release User': subscriptionResourceId(
    'Microsoft.Authorization/roleDefinitions',
    '08bbd89e-9f13-488c-ac41-acfcb10c90ab'
  )
  'Key Vault Crypto User': subscriptionResourceId(
    'Microsoft.Authorization/roleDefinitions',
    '12338af0-0e69-4776-bea7-57ae8d297424'
  )
  'Key Vault Data Access Administrator': subscriptionResourceId(
    'Microsoft.Authorization/roleDefinitions',
    '8b54135c-b56d-4d72-a534-26097cfdc8d8'
  )
  'Key Vault Reader': subscriptionResourceId(
    'Microsoft.Authorization/roleDefinitions',
    '21090545-7ca7-4776-b22c-e363652d74d2'
  )
  'Key Vault Secrets Officer': subscriptionResourceId(
    'Microsoft.Authorization/roleDefinitions',
    'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
  )
  'Key Vault Secrets User': subscriptionResourceId(
    'Microsoft.Authorization/roleDefinitions',
    '4633458b-17de-408a-b874-0445c86b69e6'
  )
  'Operator Nexus Key Vault Writer Service Role (Preview)': subscriptionResourceId(
    'Microsoft.Authorization/roleDefinitions',
    '44f0a1a8-6fea-4b35-980a-8ff50c487c97'
  )
  Owner: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '8e3af657-a8ff-443c-a75c-2fe8c4bcb635')
  Reader: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'acdd72a7-3385-48ef-bd42-f606fba81ae7')
  'Role Based Access Control Administrator': subscriptionResourceId(
    'Microsoft.Authorization/roleDefinitions',
    'f58310d9-a9f6-439a-9e8d-f62e7b41a168'
  )
  'User Access Administrator': subscriptionResourceId(
    'Microsoft.Authorization/roleDefinitions',
    '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9'
  )
}

var formattedRoleAssignments = [
  for (roleAssignment, index) in (roleAssignments ?? []): union(roleAssignment, {
    roleDefinitionId: builtInRoleNames[?roleAssignment.roleDefinitionIdOrName] ?? (contains(
        roleAssignment.roleDefinitionIdOrName,
        '/providers/Microsoft.Authorization/roleDefinitions/'
      )
      ? roleAssignment.roleDefinitionIdOrName
      : subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleAssignment.roleDefinitionIdOrName))
  })
]

// ============= //
// Resources     //
// ============= //

#disable-next-line no-deployments-resources
resource avmTelemetry 'Microsoft.Resources/deployments@2025-04-01' = if (enableTelemetry) {
  name: take(
    '46d3xbcp.res.keyvault-vault.${replace('-..--..-', '.', '-')}.${substring(uniqueString(deployment().name, location), 0, 4)}',
    64
  )
  properties: {
    mode: 'Incremental'
    template: {
      '$schema': 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#'
      contentVersion: '1.0.0.0'
      resources: []
      outputs: {
        telemetry: {
          type: 'String'
          value: 'For more information, see https://aka.ms/avm/TelemetryInfo'
        }
      }
    }
  }
}

resource keyVault 'Microsoft.KeyVault/vaults@2026-02-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    sku: sku
    tenantId: tenantId
    accessPolicies: accessPolicies
    enabledForDeployment: enabledForDeployment
    enabledForDiskEncryption: enabledForDiskEncryption
    enabledForTemplateDeployment: enabledForTemplateDeployment
    enableSoftDelete: enableSoftDelete
    softDeleteRetentionInDays: softDeleteRetentionInDays
    enableRbacAuthorization: enableRbacAuthorization
    createMode: createMode
    enablePurgeProtection: enablePurgeProtection
    networkAcls: networkAcls
    publicNetworkAccess: publicNetworkAccess ?? (!empty(privateEndpoints ?? []) ? 'Disabled' : null)
  }
}

resource keyVault_lock 'Microsoft.Authorization/locks@2020-05-01' = if (!empty(lock ?? {}) && lock.?kind != 'None') {
  name: lock.?name ?? 'lock-${name}'
  properties: {
    level: lock.?kind ?? ''
    notes: lock.?notes ?? (lock.?kind == 'CanNotDelete'
      ? 'Cannot delete resource or child resources.'
      : 'Cannot delete or modify the resource or child resources.')
  }
  scope: keyVault
}

resource keyVault_diagnosticSettings 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = [
  for (diagnosticSetting, index) in (diagnosticSettings ?? []): {
    name: diagnosticSetting.?name ?? '${name}-diagnosticSettings'
    properties: {
      storageAccountId: diagnosticSetting.?storageAccountResourceId
      workspaceId: diagnosticSetting.?workspaceResourceId
      eventHubAuthorizationRuleId: diagnosticSetting.?eventHubAuthorizationRuleResourceId
      eventHubName: diagnosticSetting.?eventHubName
      metrics: [
        for group in (diagnosticSetting.?metricCategories ?? (empty(diagnosticSetting.?logCategoriesAndGroups)
          ? [{ category: 'AllMetrics' }]
          : [])): {
          category: group.category
          enabled: group.?enabled ?? true
          timeGrain: null
        }
      ]
      logs: [
        for group in (diagnosticSetting.?logCategoriesAndGroups ?? (empty(diagnosticSetting.?metricCategories)
          ? [{ categoryGroup: 'allLogs' }]
          : [])): {
          categoryGroup: group.?categoryGroup
          category: group.?category
          enabled: group.?enabled ?? true
        }
      ]
      marketplacePartnerId: diagnosticSetting.?marketplacePartnerResourceId
      logAnalyticsDestinationType: diagnosticSetting.?logAnalyticsDestinationType
    }
    scope: keyVault
  }
]

resource keyVault_roleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (roleAssignment, index) in (formattedRoleAssignments ?? []): {
    name: roleAssignment.?name ?? guid(keyVault.id, roleAssignment.principalId, roleAssignment.roleDefinitionId)
    properties: {
      roleDefinitionId: roleAssignment.roleDefinitionId
      principalId: roleAssignment.principalId
      description: roleAssignment.?description
      principalType: roleAssignment.?principalType
      condition: roleAssignment.?condition
      conditionVersion: !empty(roleAssignment.?condition) ? (roleAssignment.?conditionVersion ?? '2.0') : null
      delegatedManagedIdentityResourceId: roleAssignment.?delegatedManagedIdentityResourceId
    }
    scope: keyVault
  }
]

module keyVault_privateEndpoints 'br/public:avm/res/network/private-endpoint:0.12.1' = [
  for (privateEndpoint, index) in (privateEndpoints ?? []): {
    name: '${uniqueString(keyVault.id, location)}-KeyVault-PrivateEndpoint-${index}'
    scope: resourceGroup(
      split(privateEndpoint.?resourceGroupResourceId ?? resourceGroup().id, '/')[2],
      split(privateEndpoint.?resourceGroupResourceId ?? resourceGroup().id, '/')[4]
    )
    params: {
      name: privateEndpoint.?name ?? 'pep-${last(split(keyVault.id, '/'))}-${privateEndpoint.?service ?? 'vault'}-${index}'
      privateLinkServiceConnections: privateEndpoint.?isManualConnection != true
        ? [
            {
              name: privateEndpoint.?privateLinkServiceConnectionName ?? '${last(split(keyVault.id, '/'))}-${privateEndpoint.?service ?? 'vault'}-${index}'
              properties: {
                privateLinkServiceId: keyVault.id
                groupIds: [
                  privateEndpoint.?service ?? 'vault'
                ]
              }
            }
          ]
        : null
      manualPrivateLinkServiceConnections: privateEndpoint.?isManualConnection == true
        ? [
            {
              name: privateEndpoint.?privateLinkServiceConnectionName ?? '${last(split(keyVault.id, '/'))}-${privateEndpoint.?service ?? 'vault'}-${index}'
              properties: {
                privateLinkServiceId: keyVault.id
                groupIds: [
                  privateEndpoint.?service ?? 'vault'
                ]
                requestMessage: privateEndpoint.?manualConnectionRequestMessage ?? 'Manual approval required.'
              }
            }
          ]
        : null
      subnetResourceId: privateEndpoint.subnetResourceId
      enableTelemetry: enableReferencedModulesTelemetry
      location: privateEndpoint.?location ?? reference(
        split(privateEndpoint.subnetResourceId, '/subnets/')[0],
        '2020-06-01',
        'Full'
      ).location
      lock: privateEndpoint.?lock ?? lock
      privateDnsZoneGroup: privateEndpoint.?privateDnsZoneGroup
      roleAssignments: privateEndpoint.?roleAssignments
      tags: privateEndpoint.?tags ?? tags
      customDnsConfigs: privateEndpoint.?customDnsConfigs
      ipConfigurations: privateEndpoint.?ipConfigurations
      applicationSecurityGroupResourceIds: privateEndpoint.?applicationSecurityGroupResourceIds
      customNetworkInterfaceName: privateEndpoint.?customNetworkInterfaceName
    }
  }
]

module keyVault_keys 'key/main.bicep' = [
  for (key, index) in (keys ?? []): {
    name: '${uniqueString(keyVault.id, location)}-KeyVault-Key-${index}'
    params: {
      keyVaultName: keyVault.name
      name: key.name
      attributes: key.?attributes
      kty: key.?kty
      keyOps: key.?keyOps
      keySize: key.?keySize
      curveName: key.?curveName
      rotationPolicy: key.?rotationPolicy
      releasePolicy: key.?releasePolicy
      tags: key.?tags ?? tags
    }
  }
]

module keyVault_secrets 'secret/main.bicep' = [
  for (secret, index) in (secrets ?? []): {
    name: '${uniqueString(keyVault.id, location)}-KeyVault-Secret-${index}'
    params: {
      keyVaultName: keyVault.name
      name: secret.name
      value: secret.?value
      contentType: secret.?contentType
      attributes: secret.?attributes
      tags: secret.?tags ?? tags
    }
  }
]

// ============= //
// Outputs       //
// ============= //

@description('The resource ID of the key vault.')
output resourceId string = keyVault.id

@description('The name of the key vault.')
output name string = keyVault.name

@description('The name of the resource group the key vault was created in.')
output resourceGroupName string = resourceGroup().name

@description('The location the resource was deployed into.')
output location string = keyVault.location

@description('The URI of the key vault.')
output uri string = keyVault.properties.vaultUri

@description('The private endpoints of the key vault.')
output privateEndpoints privateEndpointOutputType[] = [
  for (item, index) in (privateEndpoints ?? []): {
    name: keyVault_privateEndpoints[index].outputs.name
    resourceId: keyVault_privateEndpoints[index].outputs.resourceId
    groupId: keyVault_privateEndpoints[index].outputs.?groupId!
    customDnsConfigs: keyVault_privateEndpoints[index].outputs.customDnsConfigs
    networkInterfaceResourceIds: keyVault_privateEndpoints[index].outputs.networkInterfaceResourceIds
  }
]

// ================ //
// Definitions      //
// ================ //

@export()
@description('The type for a key.')
type keyType = {
  @description('Required. The name of the key.')
  name: string

  @description('Optional. The attributes of the key.')
  attributes: resourceInput<'Microsoft.KeyVault/vaults/keys@2026-02-01'>.properties.attributes?

  @description('Optional. The kty of the key.')
  kty: string?

  @description('Optional. The key ops of the key.')
  keyOps: resourceInput<'Microsoft.KeyVault/vaults/keys@2026-02-01'>.properties.keyOps?

  @description('Optional. The key size of the key.')
  keySize: int?

  @description('Optional. The curve name of the key.')
  curveName: string?

  @description('Optional. The rotation policy of the key.')
  rotationPolicy: resourceInput<'Microsoft.KeyVault/vaults/keys@2026-02-01'>.properties.rotationPolicy?

  @description('Optional. The release policy of the key.')
  releasePolicy: resourceInput<'Microsoft.KeyVault/vaults/keys@2026-02-01'>.properties.release_policy?

  @description('Optional. Tags of the resource.')
  tags: resourceInput<'Microsoft.KeyVault/vaults/keys@2026-02-01'>.tags?
}

@export()
@description('The type for a secret.')
type secretType = {
  @description('Required. The name of the secret.')
  name: string

  @description('Optional. The value of the secret.')
  @secure()
  value: string?

  @description('Optional. The content type of the secret.')
  contentType: string?

  @description('Optional. The attributes of the secret.')
  attributes: resourceInput<'Microsoft.KeyVault/vaults/secrets@2026-02-01'>.properties.attributes?

  @description('Optional. Tags of the resource.')
  tags: resourceInput<'Microsoft.KeyVault/vaults/secrets@2026-02-01'>.tags?
}

@export()
@description('The type for the private endpoint output.')
type privateEndpointOutputType = {
  @description('The name of the private endpoint.')
  name: string

  @description('The resource ID of the private endpoint.')
  resourceId: string

  @description('The group Id for the private endpoint Group.')
  groupId: string?

  @description('The custom DNS configurations of the private endpoint.')
  customDnsConfigs: {
    @description('FQDN that resolves to private endpoint IP address.')
    fqdn: string?

    @description('A list of private IP addresses of the private endpoint.')
    ipAddresses: string[]
  }[]

  @description('The IDs of the network interfaces associated with the private endpoint.')
  networkInterfaceResourceIds: string[]
}
