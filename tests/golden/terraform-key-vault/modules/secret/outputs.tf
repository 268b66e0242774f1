output "name" {
  description = "The name of the secret."
  value       = azapi_resource.this.name
}

output "resource_id" {
  description = "The resource ID of the secret."
  value       = azapi_resource.this.id
}

output "secret_uri" {
  description = "The secret URI of the secret."
  value       = try(azapi_resource.this.output.properties.secretUri, null)
}

output "secret_uri_with_version" {
  description = "The secret URI with version of the secret."
  value       = try(azapi_resource.this.output.properties.secretUriWithVersion, null)
}
