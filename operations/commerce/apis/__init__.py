"""The commerce API, mounted at /api/v1/commerce/."""
