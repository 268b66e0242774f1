mock_provider "azapi" {}

mock_provider "modtm" {}

mock_provider "random" {}

variables {
  location  = "eastus"
  name      = "kvvunit01"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-unit-test"
  sku = {
    family = "A"
    name   = "standard"
  }
}

run "telemetry_enabled" {
  command = apply

  variables {
    enable_telemetry = true
  }

  assert {
    condition     = length(modtm_telemetry.telemetry) == 1
    error_message = "Telemetry must be sent when enable_telemetry is true."
  }
  assert {
    condition     = azapi_resource.this.name == var.name
    error_message = "The name must flow to the primary resource."
  }
  assert {
    condition     = azapi_resource.this.parent_id == var.parent_id
    error_message = "The parent_id must flow to the primary resource."
  }
  assert {
    condition     = azapi_resource.this.type == "Microsoft.KeyVault/vaults@2026-02-01"
    error_message = "The primary resource must default to the pinned API version."
  }
}

run "telemetry_disabled" {
  command = apply

  variables {
    enable_telemetry = false
  }

  assert {
    condition     = length(modtm_telemetry.telemetry) == 0
    error_message = "No telemetry may be sent when enable_telemetry is false."
  }
  assert {
    condition     = azapi_resource.this.create_headers == null
    error_message = "No telemetry header may be sent when enable_telemetry is false."
  }
}

run "invalid_parent_id" {
  command = plan

  variables {
    parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000"
  }

  expect_failures = [var.parent_id]
}

run "invalid_name" {
  command = plan

  variables {
    name = "-invalid-"
  }

  expect_failures = [var.name]
}
