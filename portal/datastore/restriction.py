"""Entitlements applied inside a datastore query (licensed access, DOMAIN.md §4).

The portal knows nothing of licences: a higher layer builds a `Restriction` and passes it to
`query.parse(..., restriction=...)`. It then holds for everything the query can touch:

- projection: only `columns` exist for the client — fields, filters, sort, group_by and
  aggregates name nothing else, and an unknown-field error lists only these;
- `q` (full-text over every column) is refused;
- `predicate`: a filter document in the query language's own structure, built from the whole
  table's columns with bound values and ANDed in front of the client's filters;
- mode `aggregates`: group queries only, count/sum/avg, and groups of fewer than
  `min_group_size` rows are dropped by `HAVING count(*) >= k` in the same statement;
- mode `verify`: equality conditions only and the answer is one boolean (`EXISTS`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from psycopg import sql

if TYPE_CHECKING:
    from portal.datastore.models import DatastoreTable
    from portal.datastore.query import Column, Spec

ROWS = "rows"
AGGREGATES = "aggregates"
VERIFY = "verify"
MODES = (ROWS, AGGREGATES, VERIFY)
AGGREGATE_FUNCTIONS = ("count", "sum", "avg")  # min/max would reveal one row's value
VERIFY_PARAMETERS = frozenset({"filters"})


@dataclass(frozen=True)
class Restriction:
    columns: tuple[str, ...]
    predicate: dict[str, Any] | None = None
    mode: str = ROWS
    min_group_size: int = 1

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"Unknown restriction mode {self.mode!r}")
        if self.min_group_size < 1:
            raise ValueError("min_group_size is at least 1")

    def visible(self, allowed: Mapping[str, Column]) -> dict[str, Column]:
        return {name: column for name, column in allowed.items() if name in self.columns}

    def check_params(self, params: Mapping[str, Any]) -> None:
        """Refuse, before parsing, what this mode never answers."""
        from portal.datastore.query import QueryProblem, _parse_json

        if params.get("q") not in (None, ""):
            raise QueryProblem(
                "licence_refused",
                "Full-text search is not available under a licence; filter on licensed fields.",
                status=403,
            )
        if self.mode == VERIFY:
            extra = set(params) - VERIFY_PARAMETERS
            if extra:
                raise QueryProblem(
                    "licence_refused",
                    "A verification-only licence answers yes or no to 'filters' and takes "
                    f"nothing else (got {', '.join(sorted(extra))}).",
                    status=403,
                )
            filters = _parse_json(params.get("filters"), "filters")
            if (
                not isinstance(filters, dict)
                or not filters
                or {"field", "op"} <= set(filters)  # a condition object: other operators
                or any(isinstance(v, dict | list) or v is None for v in filters.values())
            ):
                raise QueryProblem(
                    "invalid_filter",
                    'Verification takes {"field": value, ...}: one or more equality '
                    "conditions on licensed fields.",
                )

    def apply(self, spec: Spec, table: DatastoreTable) -> None:
        """Narrow a parsed spec: mode rules, the group threshold and the row predicate."""
        from portal.datastore.query import QueryProblem

        if self.mode == AGGREGATES:
            if not spec.is_aggregate:
                raise QueryProblem(
                    "licence_refused",
                    "This licence answers aggregate queries only (group_by / aggregates); "
                    "records are not returned.",
                    status=403,
                )
            if any(func not in AGGREGATE_FUNCTIONS for func, _, _ in spec.aggregates):
                raise QueryProblem(
                    "licence_refused",
                    "Under an aggregates-only licence the functions are "
                    + ", ".join(AGGREGATE_FUNCTIONS)
                    + ".",
                    status=403,
                    extra={"allowed_functions": list(AGGREGATE_FUNCTIONS)},
                )
            spec.min_group_size = self.min_group_size
        if self.predicate:
            clause, params = self._predicate(table)
            if spec.where is None:
                spec.where, spec.params = clause, params
            else:
                spec.where = sql.SQL("{} AND ({})").format(clause, spec.where)
                spec.params = params + list(spec.params)

    def _predicate(self, table: DatastoreTable) -> tuple[sql.Composable, list[Any]]:
        from portal.datastore.query import QueryProblem, _FilterBuilder, columns_of

        builder = _FilterBuilder(columns_of(table))
        try:
            clause = builder.node(self.predicate)
        except QueryProblem:
            # Fail closed, and say nothing about the table's other columns.
            raise QueryProblem(
                "licence_stale",
                "The licence's row condition no longer fits this table; the agency must "
                "review the licence.",
                status=409,
            ) from None
        return sql.SQL("({})").format(clause), builder.params
