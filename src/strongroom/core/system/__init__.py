"""The sys/ backend, built with sdk.framework like any engine, with access to the core."""
