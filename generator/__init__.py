"""avm: generate, check and upgrade Azure Verified Modules."""

__version__ = "0.1.0"
