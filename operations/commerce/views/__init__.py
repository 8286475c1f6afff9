"""The commerce pages (Chinese by default, English available)."""
