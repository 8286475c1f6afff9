"""Keeps a dataset's search vector in step with what it is searched on.

Tokens come from registry.search (jieba search-mode words plus single CJK characters) in a
`simple` tsvector, weighted: A title, B tags and holder, C description and field names.
Call `dataset_reindex` after any write that changes those texts; it is one UPDATE.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVector
from django.db.models import Value

from portal.models import Dataset
from registry.search import document_tokens


def dataset_field_names(dataset: Dataset) -> list[str]:
    """Data-dictionary names from the registry record plus column headers of tabular files."""
    names: list[str] = []
    version = dataset.resource.current_version
    if version is not None:
        names.extend(item.get("name", "") for item in version.data_items)
    for dist in dataset.distributions.select_related("current_version"):
        preview = dist.current_version.preview if dist.current_version else None
        if preview:
            names.extend(str(c) for c in preview.get("columns", []))
    return names


def dataset_reindex(dataset: Dataset) -> None:
    weighted = [
        (document_tokens(dataset.title), "A"),
        (document_tokens(" ".join(dataset.tags), dataset.holder.name), "B"),
        (document_tokens(dataset.description, " ".join(dataset_field_names(dataset))), "C"),
    ]
    vector = None
    for tokens, weight in weighted:
        part = SearchVector(Value(tokens), config="simple", weight=weight)
        vector = part if vector is None else vector + part
    Dataset.objects.filter(pk=dataset.pk).update(search_vector=vector)
