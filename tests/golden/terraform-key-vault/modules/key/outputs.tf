output "key_uri" {
  description = "The key URI of the key."
  value       = try(azapi_resource.this.output.properties.keyUri, null)
}

output "key_uri_with_version" {
  description = "The key URI with version of the key."
  value       = try(azapi_resource.this.output.properties.keyUriWithVersion, null)
}

output "name" {
  description = "The name of the key."
  value       = azapi_resource.this.name
}

output "resource_id" {
  description = "The resource ID of the key."
  value       = azapi_resource.this.id
}
