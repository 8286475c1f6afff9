"""The commerce API, mounted at /api/v1/operations/commerce/."""
