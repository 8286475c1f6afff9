"""The registry REST API under /api/v1/registry/, split by sub-workflow: reference data and
the caller's scope (`reference`), filing (`registrations`), workflow transitions
(`transitions`), public notice and objections (`notices`), the public register and the
dashboard (`records`). Views are thin: validate input, call a selector or service, render."""
