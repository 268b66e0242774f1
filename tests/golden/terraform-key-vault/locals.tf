locals {
  # The resource group of each private endpoint: `resource_group_name` in the subscription of `parent_id`, or the resource group of this resource.
  private_endpoint_parent_ids = {
    for k, v in var.private_endpoints : k => v.resource_group_name == null ? var.parent_id : "${local.subscription_resource_id}/resourceGroups/${v.resource_group_name}"
  }
  # The private endpoints, their `subresource_name` defaulted to `vault`.
  private_endpoints = {
    for k, v in var.private_endpoints : k => merge(v, { subresource_name = coalesce(v.subresource_name, "vault") })
  }
  # `publicNetworkAccess`: as asked, else disabled when private endpoints exist, else not sent.
  public_network_access = var.public_network_access_enabled == null ? (length(var.private_endpoints) > 0 ? "Disabled" : null) : (var.public_network_access_enabled ? "Enabled" : "Disabled")
  # The subscription of `parent_id`, e.g. `/subscriptions/00000000-0000-0000-0000-000000000000`.
  subscription_resource_id = join("/", slice(split("/", var.parent_id), 0, 3))
}
