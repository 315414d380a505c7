"""The in-process core fixture."""

from corefixture import cf  # noqa: F401
