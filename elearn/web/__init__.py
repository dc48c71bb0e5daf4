"""Shared web glue: access policies, security headers, sessions, templates, errors."""
