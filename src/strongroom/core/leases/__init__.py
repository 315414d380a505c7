"""Leases and the expiration manager that revokes them on time."""
