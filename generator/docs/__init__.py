"""`avm docs`: the READMEs a module owns, rebuilt from its code (`readmes.documents`)."""
