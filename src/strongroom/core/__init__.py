"""The transport-agnostic core: Core.handle(Request) -> Response (authenticate, authorize, route, lease, audit)."""
