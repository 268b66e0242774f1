metadata name = 'Key Vault Secrets'
metadata description = 'This module deploys a Key Vault Secret.'

// ================ //
// Parameters       //
// ================ //

@description('Conditional. The name of the parent Key Vault. Required if the template is used in a standalone deployment.')
param keyVaultName string

@description('Required. The name of the secret.')
param name string

@description('Optional. The value of the secret.')
@secure()
param value string?

@description('Optional. The content type of the secret.')
param contentType string?

@description('Optional. The attributes of the secret.')
param attributes resourceInput<'Microsoft.KeyVault/vaults/secrets@2026-02-01'>.properties.attributes?

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
  properties: {
    value: value
    contentType: contentType
    attributes: attributes
  }
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
