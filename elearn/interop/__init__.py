"""Talking to other systems in their standards (xAPI to a learning-record store)."""
