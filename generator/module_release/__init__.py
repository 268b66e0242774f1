"""`avm release`: compare a module with its last release, classify the change, bump the version, write the
CHANGELOG entry (and, for Bicep, version.json). Not to be confused with `generator.releases`, the template
snapshots of avm itself."""
