"""The Vault-compatible HTTP API: a thin ASGI adapter over Core.handle."""
