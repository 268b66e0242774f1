metadata name = 'Key Vault Keys'
metadata description = 'This module deploys a Key Vault Key.'

// ================ //
// Parameters       //
// ================ //

@description('Conditional. The name of the parent Key Vault. Required if the template is used in a standalone deployment.')
param keyVaultName string

@description('Required. The name of the key.')
param name string

@description('Optional. The attributes of the key.')
param attributes resourceInput<'Microsoft.KeyVault/vaults/keys@2026-02-01'>.properties.attributes?

@description('Optional. The kty of the key.')
param kty string?

@description('Optional. The key ops of the key.')
param keyOps resourceInput<'Microsoft.KeyVault/vaults/keys@2026-02-01'>.properties.keyOps?

@description('Optional. The key size of the key.')
param keySize int?

@description('Optional. The curve name of the key.')
param curveName string?

@description('Optional. The rotation policy of the key.')
param rotationPolicy resourceInput<'Microsoft.KeyVault/vaults/keys@2026-02-01'>.properties.rotationPolicy?

@description('Optional. The release policy of the key.')
param releasePolicy resourceInput<'Microsoft.KeyVault/vaults/keys@2026-02-01'>.properties.release_policy?

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
  properties: {
    attributes: attributes
    kty: kty
    keyOps: keyOps
    keySize: keySize
    curveName: curveName
    rotationPolicy: rotationPolicy
    release_policy: releasePolicy
  }
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
