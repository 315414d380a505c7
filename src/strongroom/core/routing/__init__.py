"""Mount tables and longest-prefix routing."""
