"""Bottom layer: errors, progress/cancel types, device choice and paths. Imports no other layer."""
