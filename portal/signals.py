"""Receivers of other apps' signals. Connected in PortalConfig.ready()."""

from __future__ import annotations

from portal import services


def on_record_changed(sender, *, resource, event, registration=None, now, **kwargs) -> None:
    """registry.signals.record_changed, sent inside the registry's transaction: the dataset
    follows its record in that same transaction (withdrawn if it is no longer open, or the
    record was deregistered or expired)."""
    services.dataset_sync_record(resource=resource, event=event, now=now)
