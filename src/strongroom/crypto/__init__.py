"""Cryptographic recipes: the only package that touches `cryptography`.

Everything else asks for an operation (seal a blob, split a key, hash a password), never for a primitive.
"""
