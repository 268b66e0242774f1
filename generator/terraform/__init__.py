"""The Terraform (AzAPI) render model: blocks, variables, docs, examples of a resource module."""
