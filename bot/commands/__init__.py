"""Slash commands and interactions: one module per family, each with `register(app, deps)`."""
