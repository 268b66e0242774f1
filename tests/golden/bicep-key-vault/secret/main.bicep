metadata name = 'Key Vault Secrets'
metadata description = 'This module deploys a Key Vault Secret.'

// ================ //
// Parameters       //
// ================ //

@description('Conditional. The name of the parent Key Vault. Required if the template is used in a standalone deployment.')
param keyVaultName string

@description('Required. The name of the secret.')
param name string

@description('Optional. Tags of the resource.')
param tags resourceInput<'Microsoft.KeyVault/vaults/secrets@2026-02-01'>.tags?

// ============= //
// Resources     //
// ============= //

resource keyVault 'Microsoft.KeyVault/vaults@2026-02-01' existing = {
  name: keyVaultName
}

resource secret 'Microsoft.KeyVault/vaults/secrets@2026-02-01' = {
  name: name
  parent: keyVault
  tags: tags
  properties: {}
}

// ============= //
// Outputs       //
// ============= //

@description('The resource ID of the secret.')
output resourceId string = secret.id

@description('The name of the secret.')
output name string = secret.name

@description('The name of the resource group the secret was created in.')
output resourceGroupName string = resourceGroup().name

@description('The secret URI of the secret.')
output secretUri string = secret.properties.secretUri

@description('The secret URI with version of the secret.')
output secretUriWithVersion string = secret.properties.secretUriWithVersion
