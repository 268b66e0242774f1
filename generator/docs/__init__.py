"""`avm docs`: the generated parts of a module's READMEs, rewritten from the module's own code."""
