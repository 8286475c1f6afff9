"""The safe subset of Solr syntax that `package_search` accepts in `fq` (and as fielded terms in
`q`), and its `sort` clauses, turned into ORM filters and orderings.

Grammar of `fq`: terms separated by white space (an `AND` between them is allowed), all ANDed;
terms joined by `OR` form one alternative (OR binds tighter than the implied AND, which is how
the CKAN harvester writes `organization:a OR organization:b metadata_modified:[…]`); a term is
`[+|-]field:value`, `field:"quoted value"`, `field:(a OR "b c")`, or for the two date fields a
range `[from TO to]` / `{from TO to}` with ISO 8601 dates or `*`. Fields and lookups come from the
allowlist below and values are bound parameters; anything else (NOT, nesting, wildcards,
boosts, local params, unknown fields) is refused with a ValidationFailed naming the problem.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from django.db.models import Q
from django.utils.dateparse import parse_date, parse_datetime

from registry.errors import ValidationFailed

MAX_FQ_LENGTH = 2000
MAX_TERMS = 50
MAX_VALUE_LENGTH = 200
_NOTHING = Q(pk__in=[])

_TERM = re.compile(
    r"""(?P<sign>[+-]?)(?P<field>[A-Za-z_][A-Za-z0-9_]*):
        (?P<value>"(?:[^"\\]|\\.)*"|[\[{][^\]}]*[\]}]|\((?:[^()"]|"(?:[^"\\]|\\.)*")*\)
                  |[^\s"()\[\]{}]+)""",
    re.VERBOSE,
)
_KEYWORD = re.compile(r"(AND|OR)(?=\s)")
_KEYWORD_OR_AHEAD = re.compile(r"\s+OR\s")
_GROUP_SPLIT = re.compile(r"\s+OR\s+")
_GROUP_VALUE = re.compile(r'"(?:[^"\\]|\\.)*"|[^\s"()\[\]{}]+')
_RANGE = re.compile(r"^([\[{])\s*(\S+)\s+TO\s+(\S+)\s*([\]}])$")
_ESCAPE = re.compile(r"\\(.)")


def _digits(lookup: str) -> Callable[[str], Q]:
    def match(value: str) -> Q:
        return Q(**{lookup: int(value)}) if value.isdigit() and len(value) < 19 else _NOTHING

    return match


# CKAN/Solr field → a function building the filter for one value.
_VALUE_FIELDS: dict[str, Callable[[str], Q]] = {
    "organization": lambda v: Q(holder__credit_code__iexact=v),
    "owner_org": _digits("holder_id"),
    "tags": lambda v: Q(tags__contains=[v]),
    "res_format": lambda v: Q(formats__contains=[v.upper()]),
    "license_id": lambda v: Q(licence__code=v),
    "groups": lambda v: Q(theme__code=v),
    "name": lambda v: Q(slug=v),
    "id": _digits("pk"),
    # Every dataset here is a public dataset: clients that add these terms get everything.
    "dataset_type": lambda v: Q() if v == "dataset" else _NOTHING,
    "capacity": lambda v: Q() if v == "public" else _NOTHING,
}
_RANGE_FIELDS: dict[str, str] = {
    "metadata_modified": "metadata_updated_at",
    "metadata_created": "published_at",
}
FQ_FIELDS: tuple[str, ...] = (*_VALUE_FIELDS, *_RANGE_FIELDS)
_Q_TERM = re.compile(
    r"(?:^|(?<=\s))" + r"[+-]?(?:" + "|".join(FQ_FIELDS) + r"):"
    r"""(?:"(?:[^"\\]|\\.)*"|[\[{][^\]}]*[\]}]|[^\s"()\[\]{}]+)"""
)


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed("Invalid search parameters.", errors={field: [message]})


def parse_fq(fq: str, *, param: str = "fq") -> Q:
    """The filter for an `fq` string; ValidationFailed on anything outside the subset."""
    fq = fq.strip()
    if len(fq) > MAX_FQ_LENGTH:
        raise _invalid(param, f"At most {MAX_FQ_LENGTH} characters.")
    if "\x00" in fq:
        raise _invalid(param, "Must not contain NUL characters.")
    groups: list[list[Q]] = []
    position, terms, pending = 0, 0, ""  # pending: the AND / OR waiting for its right term
    while position < len(fq):
        if fq[position].isspace():
            position += 1
            continue
        keyword = _KEYWORD.match(fq, position)
        if keyword is not None:
            if pending or not groups:
                raise _invalid(param, f"{keyword[1]} must stand between two terms.")
            pending, position = keyword[1], keyword.end()
            continue
        match = _TERM.match(fq, position)
        if match is None:
            raise _invalid(param, _syntax_message(fq[position : position + 30]))
        terms += 1
        if terms > MAX_TERMS:
            raise _invalid(param, f"At most {MAX_TERMS} terms.")
        term = _term(match["field"], match["value"], param)
        if match["sign"] == "-":
            if pending == "OR" or _KEYWORD_OR_AHEAD.match(fq, match.end()):
                raise _invalid(param, "An excluded (-) term cannot be part of an OR.")
            term = ~term
        if pending == "OR":
            groups[-1].append(term)
        else:
            groups.append([term])
        pending, position = "", match.end()
    if pending:
        raise _invalid(param, f"{pending} must stand between two terms.")
    return _and_of_ors(groups)


def _and_of_ors(groups: list[list[Q]]) -> Q:
    combined = Q()
    for group in groups:
        alternatives = Q(pk__in=[])
        for term in group:
            alternatives |= term
        combined &= group[0] if len(group) == 1 else alternatives
    return combined


def _syntax_message(near: str) -> str:
    return (
        f'Unsupported syntax near {near!r}. Use field:value, field:"quoted value", '
        f"+field:value or -field:value terms, ANDed, or joined by OR (also field:(a OR b)), "
        f"on: {', '.join(FQ_FIELDS)}."
    )


def _term(field: str, raw: str, param: str) -> Q:
    if field in _RANGE_FIELDS:
        return _range(field, raw, param)
    if field not in _VALUE_FIELDS:
        raise _invalid(param, f"Unknown field {field!r}. Allowed: {', '.join(FQ_FIELDS)}.")
    if raw.startswith(("[", "{")):
        raise _invalid(param, f"Ranges are only supported on {', '.join(_RANGE_FIELDS)}.")
    if raw.startswith("("):
        return _value_group(field, raw, param)
    return _VALUE_FIELDS[field](_value(raw, param))


def _value(raw: str, param: str) -> str:
    quoted = raw.startswith('"')
    value = _ESCAPE.sub(r"\1", raw[1:-1] if quoted else raw).strip()
    if not quoted and any(c in value for c in "*?"):
        raise _invalid(param, "Wildcards are not supported.")
    if not value or len(value) > MAX_VALUE_LENGTH:
        raise _invalid(param, f"Each value is 1 to {MAX_VALUE_LENGTH} characters.")
    return value


def _value_group(field: str, raw: str, param: str) -> Q:
    """`field:(a OR b OR "c d")`: any of the values."""
    parts = _GROUP_SPLIT.split(raw[1:-1].strip())
    if not all(_GROUP_VALUE.fullmatch(p) for p in parts):
        raise _invalid(param, f"{field}:( … ) takes values joined by OR.")
    combined = Q(pk__in=[])
    for part in parts:
        combined |= _VALUE_FIELDS[field](_value(part, param))
    return combined


def _range(field: str, raw: str, param: str) -> Q:
    match = _RANGE.match(raw)
    if match is None:
        raise _invalid(param, f"{field} takes a range such as [2026-01-01T00:00:00Z TO *].")
    column = _RANGE_FIELDS[field]
    out = Q()
    low, high = _endpoint(match[2], field, param), _endpoint(match[3], field, param)
    if low is not None:
        out &= Q(**{f"{column}__{'gte' if match[1] == '[' else 'gt'}": low})
    if high is not None:
        out &= Q(**{f"{column}__{'lte' if match[4] == ']' else 'lt'}": high})
    return out


def _endpoint(raw: str, field: str, param: str) -> dt.datetime | None:
    if raw == "*":
        return None
    try:
        moment = parse_datetime(raw)
        day = None if moment else parse_date(raw)
    except ValueError:
        moment = day = None
    if day is not None:
        moment = dt.datetime.combine(day, dt.time.min)
    if moment is None:
        raise _invalid(param, f"{field}: {raw!r} is not an ISO 8601 date or date-time (or *).")
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def split_q(q: str) -> tuple[str, Q]:
    """Free text and the filter of the fielded terms in `q` (`tags:交通 公交` → "公交" and the
    tag filter). `*:*` means everything, as in CKAN."""
    q = (q or "").strip()
    if q in ("*:*", "*"):
        return "", Q()
    terms = [m.group(0) for m in _Q_TERM.finditer(q)]
    text = _Q_TERM.sub(" ", q).strip()
    return text, parse_fq(" ".join(terms), param="q") if terms else Q()


# CKAN sort field → model ordering (ascending form).
_SORT_FIELDS: dict[str, str] = {
    "metadata_modified": "metadata_updated_at",
    "metadata_created": "published_at",
    "title_string": "title",
    "name": "slug",
    "id": "id",
}
SORT_FIELDS: tuple[str, ...] = ("score", *_SORT_FIELDS)
DEFAULT_SORT = "score desc, metadata_modified desc"


def parse_sort(sort: str, *, has_text: bool) -> tuple[bool, tuple[str, ...]]:
    """(by relevance?, ordering) for a CKAN sort string. Relevance only applies when there is
    free text to rank by; otherwise the clauses after `score desc` decide."""
    clauses = [c.split() for c in (sort or DEFAULT_SORT).split(",") if c.strip()]
    if not clauses or len(clauses) > 4:
        raise _invalid("sort", "One to four comma-separated 'field asc|desc' clauses.")
    order: list[str] = []
    relevance = False
    for index, clause in enumerate(clauses):
        if len(clause) != 2 or clause[1].lower() not in ("asc", "desc"):
            raise _invalid("sort", "Each clause is 'field asc' or 'field desc'.")
        field, direction = clause[0], clause[1].lower()
        if field == "score":
            if index != 0 or direction != "desc":
                raise _invalid("sort", "'score desc' may only be the first clause.")
            relevance = has_text
            continue
        if field not in _SORT_FIELDS:
            raise _invalid("sort", f"Unknown sort field. Allowed: {', '.join(SORT_FIELDS)}.")
        order.append(("-" if direction == "desc" else "") + _SORT_FIELDS[field])
    if relevance:
        return True, ()
    if not any(o.lstrip("-") == "id" for o in order):
        order.append("-id")  # a total order, so that paging never repeats or skips
    return False, tuple(order)
