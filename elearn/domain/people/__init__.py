"""People: accounts, passwords, password resets, emailed-link tokens and data rights (UK GDPR)."""
