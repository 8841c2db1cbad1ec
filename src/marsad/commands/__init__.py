"""Subcommands of `marsad`, one module per area; each exposes register(app)."""
