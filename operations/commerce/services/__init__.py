"""Writes of the paid channel, one module per sub-workflow."""
