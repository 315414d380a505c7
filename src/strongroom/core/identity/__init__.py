"""Identity: entities, aliases and groups; what they add to a token's policies; the identity/ mount."""
