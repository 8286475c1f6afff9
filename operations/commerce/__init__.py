"""Authorised operation, part 2: products, ceiling pricing, orders, billing and disclosure
(docs/pricing-and-billing.md)."""
