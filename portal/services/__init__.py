"""Writes of the open portal, split by sub-workflow: publishing datasets (`publishing`),
their files (`files`) and download metering (`usage`).

Contracts common to every service:
- keyword-only arguments, `now` an aware datetime passed in by the caller;
- the actor must be holder staff of the dataset's (or record's) holder, else NotFound;
- an action the dataset's state does not allow raises IllegalTransition (409) naming the
  state and the allowed actions; invalid input raises ValidationFailed keyed by field;
- rows are locked before they change (resource, then dataset, then distribution) and saved
  with `update_fields`; every change appends a DatasetEvent.

Callers import the package (`from portal import services`); submodules are an implementation
detail.
"""

from portal.services.common import DATASET_ACTIONS
from portal.services.files import (
    distribution_create,
    distribution_create_with_file,
    distribution_upload,
    prepare_file,
    sanitise_name,
)
from portal.services.publishing import (
    EDITABLE_FIELDS,
    check_dataset_data,
    check_publishable,
    dataset_publish,
    dataset_republish,
    dataset_sync_record,
    dataset_update,
    dataset_withdraw,
    normalise_tags,
    record_defaults,
    resource_for_publishing,
)
from portal.services.usage import download_record

__all__ = [
    "DATASET_ACTIONS",
    "EDITABLE_FIELDS",
    "check_dataset_data",
    "check_publishable",
    "dataset_publish",
    "dataset_republish",
    "dataset_sync_record",
    "dataset_update",
    "dataset_withdraw",
    "distribution_create",
    "distribution_create_with_file",
    "distribution_upload",
    "download_record",
    "normalise_tags",
    "prepare_file",
    "record_defaults",
    "resource_for_publishing",
    "sanitise_name",
]
