metadata name = 'Key Vault Keys'
metadata description = 'This module deploys a Key Vault Key.'

// ================ //
// Parameters       //
// ================ //

@description('Conditional. The name of the parent Key Vault. Required if the template is used in a standalone deployment.')
param keyVaultName string

@description('Required. The name of the key.')
param name string

@description('Optional. Tags of the resource.')
param tags resourceInput<'Microsoft.KeyVault/vaults/keys@2026-02-01'>.tags?

// ============= //
// Resources     //
// ============= //

resource keyVault 'Microsoft.KeyVault/vaults@2026-02-01' existing = {
  name: keyVaultName
}

resource key 'Microsoft.KeyVault/vaults/keys@2026-02-01' = {
  name: name
  parent: keyVault
  tags: tags
  properties: {}
}

// ============= //
// Outputs       //
// ============= //

@description('The resource ID of the key.')
output resourceId string = key.id

@description('The name of the key.')
output name string = key.name

@description('The name of the resource group the key was created in.')
output resourceGroupName string = resourceGroup().name

@description('The key URI of the key.')
output keyUri string = key.properties.keyUri

@description('The key URI with version of the key.')
output keyUriWithVersion string = key.properties.keyUriWithVersion
