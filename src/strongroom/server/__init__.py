"""The composition root: configuration -> storage -> core -> HTTP listener."""
