"""Bottom layer: errors, progress/cancel types, device choice, paths and the allowed ranges of
user settings. Imports no other layer."""
