"""Demo data for trying the app (the `demo seed` command); never used by the app itself."""
