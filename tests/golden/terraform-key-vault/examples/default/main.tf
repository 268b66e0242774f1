terraform {
  required_version = ">= 1.9, < 2.0"

  required_providers {
    azapi = {
      source  = "Azure/azapi"
      version = "~> 2.12"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.5"
    }
  }
}

provider "azapi" {}

data "azapi_client_config" "current" {}

# A random region, so that runs of the example do not collide.
module "regions" {
  source  = "Azure/avm-utl-regions/azurerm"
  version = "0.12.0"
}

resource "random_integer" "region_index" {
  max = length(module.regions.regions) - 1
  min = 0
}

# Unique CAF-compliant names for the resources of the example.
module "naming" {
  source  = "Azure/naming/azurerm"
  version = "0.4.3"
}

resource "random_string" "suffix" {
  length  = 8
  lower   = true
  numeric = true
  special = false
  upper   = false
}

resource "azapi_resource" "resource_group" {
  location  = module.regions.regions[random_integer.region_index.result].name
  name      = module.naming.resource_group.name_unique
  parent_id = "/subscriptions/${data.azapi_client_config.current.subscription_id}"
  type      = "Microsoft.Resources/resourceGroups@2025-04-01"
}

module "key_vault" {
  source = "../../"
  # source = "Azure/avm-res-keyvault-vault/azure"

  location  = azapi_resource.resource_group.location
  name      = "kvv${random_string.suffix.result}"
  parent_id = azapi_resource.resource_group.id
  sku = {
    family = "A"
    name   = "standard"
  }
  enable_telemetry = var.enable_telemetry
}
