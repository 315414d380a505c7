"""The encryption barrier between the core and the physical backend."""
