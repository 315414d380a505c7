"""Shamir seal: the unseal key split into shares, and unseal progress."""
