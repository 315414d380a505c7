"""Physical backends: bytes in, bytes out, no crypto. The barrier above them encrypts everything."""
