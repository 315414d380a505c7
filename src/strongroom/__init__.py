"""Strongroom: self-hosted secrets management."""

__version__ = "0.1.0"
