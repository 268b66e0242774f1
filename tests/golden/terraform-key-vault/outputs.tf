output "name" {
  description = "The name of the key vault."
  value       = azapi_resource.this.name
}

output "private_endpoints" {
  description = <<DESCRIPTION
A map of the private endpoints created, keyed like `var.private_endpoints`. Each value has the following attributes:

- `name` - The name of the private endpoint.
- `resource_id` - The resource ID of the private endpoint.
DESCRIPTION
  value = {
    for k, v in azapi_resource.private_endpoints : k => {
      name        = v.name
      resource_id = v.id
    }
  }
}

output "resource_id" {
  description = "The resource ID of the key vault."
  value       = azapi_resource.this.id
}

output "uri" {
  description = "The URI of the key vault."
  value       = try(azapi_resource.this.output.properties.vaultUri, null)
}
