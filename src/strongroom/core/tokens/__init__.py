"""Tokens: the format, the store (keyed hashes only) and the auth/token backend."""
