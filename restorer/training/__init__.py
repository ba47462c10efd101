"""Training and evaluation: photo folders, losses, the training loop as a generator, metrics tables."""
