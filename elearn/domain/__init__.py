"""Business rules in plain Python: no Flask imports (a test enforces it). Functions flush, never commit."""
