"""Signals other parts listen to without the registry importing them.

`record_changed` is sent *inside* the transaction that changed the record (so a receiver may
write an outbox row atomically with it); receivers must not do network I/O.
Arguments: resource, event ("coded", "changed", "corrected", "deregistered", "expired"),
registration (or None), now.
"""

from django.dispatch import Signal

record_changed = Signal()
