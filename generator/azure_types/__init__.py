"""Resource types' own parameters, from Azure's type definitions (Azure/bicep-types-az `types.json` node lists).

`nodes` parses a node list, `schema` answers what a module needs about one resource type, `versions` picks the
API version whose schema stands in for a pinned one.
"""
