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

resource "azapi_resource" "virtual_network" {
  location  = azapi_resource.resource_group.location
  name      = module.naming.virtual_network.name_unique
  parent_id = azapi_resource.resource_group.id
  type      = "Microsoft.Network/virtualNetworks@2024-05-01"
  body = {
    properties = {
      addressSpace = {
        addressPrefixes = ["10.0.0.0/16"]
      }
    }
  }
}

resource "azapi_resource" "subnet" {
  name      = module.naming.subnet.name_unique
  parent_id = azapi_resource.virtual_network.id
  type      = "Microsoft.Network/virtualNetworks/subnets@2024-05-01"
  body = {
    properties = {
      addressPrefix = "10.0.1.0/24"
    }
  }
}

resource "azapi_resource" "private_dns_zone" {
  location  = "global"
  name      = "privatelink.vaultcore.azure.net"
  parent_id = azapi_resource.resource_group.id
  type      = "Microsoft.Network/privateDnsZones@2024-06-01"
}

resource "azapi_resource" "private_dns_zone_link" {
  location  = "global"
  name      = "vnet-link"
  parent_id = azapi_resource.private_dns_zone.id
  type      = "Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01"
  body = {
    properties = {
      registrationEnabled = false
      virtualNetwork = {
        id = azapi_resource.virtual_network.id
      }
    }
  }
}

resource "azapi_resource" "log_analytics_workspace" {
  location  = azapi_resource.resource_group.location
  name      = module.naming.log_analytics_workspace.name_unique
  parent_id = azapi_resource.resource_group.id
  type      = "Microsoft.OperationalInsights/workspaces@2025-02-01"
  body = {
    properties = {
      retentionInDays = 30
      sku = {
        name = "PerGB2018"
      }
    }
  }
}

resource "random_password" "secret" {
  length      = 24
  min_lower   = 1
  min_numeric = 1
  min_special = 1
  min_upper   = 1
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
  access_policies = [
    {
      tenant_id   = data.azapi_client_config.current.tenant_id
      object_id   = "example"
      permissions = {}
    },
  ]
  create_mode = "default"
  diagnostic_settings = {
    to_workspace = {
      name                  = "diag-to-workspace"
      logs                  = [{ category_group = "allLogs" }]
      metrics               = [{ category = "AllMetrics" }]
      workspace_resource_id = azapi_resource.log_analytics_workspace.id
    }
  }
  enable_purge_protection         = false
  enable_rbac_authorization       = true
  enable_soft_delete              = true
  enable_telemetry                = var.enable_telemetry
  enabled_for_deployment          = true
  enabled_for_disk_encryption     = true
  enabled_for_template_deployment = true
  keys = {
    example = {
      name            = "example"
      attributes      = {}
      key_ops         = ["encrypt"]
      key_size        = 2048
      kty             = "RSA"
      rotation_policy = {}
    }
  }
  lock = {
    kind = "CanNotDelete"
  }
  network_acls = {
    default_action = "Deny"
    bypass         = "AzureServices"
  }
  private_endpoints = {
    primary = {
      private_dns_zone_resource_ids = [azapi_resource.private_dns_zone.id]
      subnet_resource_id            = azapi_resource.subnet.id
    }
  }
  role_assignments = {
    reader = {
      principal_id               = data.azapi_client_config.current.object_id
      role_definition_id_or_name = "Reader"
    }
  }
  secrets = {
    example = {
      name         = "example"
      attributes   = {}
      content_type = "example"
      value        = random_password.secret.result
    }
  }
  soft_delete_retention_in_days = 1
  tags = {
    environment = "example"
  }
  tenant_id = data.azapi_client_config.current.tenant_id
}
