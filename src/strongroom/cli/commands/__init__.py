"""CLI command groups. Each module exposes `register(subparsers)`; COMMANDS lists them, one line each."""
