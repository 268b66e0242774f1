"""avm: create Azure Verified Modules (Bicep and Terraform)."""

__version__ = "0.2.0"
