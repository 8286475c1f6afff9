"""Mappings from the portal's own codes to the controlled vocabularies DCAT-AP 3.0 expects:
the EU Publications Office authority tables (data themes, frequencies, access rights, file
types, languages, countries) and IANA media types."""

from __future__ import annotations

import re

from rdflib import Namespace

EU = "http://publications.europa.eu/resource/authority/"
EU_THEME = Namespace(EU + "data-theme/")
EU_FREQUENCY = Namespace(EU + "frequency/")
EU_ACCESS_RIGHT = Namespace(EU + "access-right/")
EU_FILE_TYPE = Namespace(EU + "file-type/")
EU_LANGUAGE = Namespace(EU + "language/")
EU_COUNTRY = Namespace(EU + "country/")
EU_THEME_SCHEME = EU + "data-theme"
IANA_MEDIA_TYPES = "http://www.iana.org/assignments/media-types/"

# Portal theme (portal/migrations/0002_themes_and_licences.py) → EU data themes. A portal theme
# may sit under two EU themes (教育科技 is both education and science/technology).
THEME_TO_EU: dict[str, tuple[str, ...]] = {
    "economy": ("ECON",),
    "finance": ("ECON",),
    "credit": ("ECON",),
    "market": ("ECON",),
    "transport": ("TRAN",),
    "environment": ("ENVI",),
    "agriculture": ("AGRI",),
    "health": ("HEAL",),
    "education": ("EDUC", "TECH"),
    "culture": ("EDUC",),
    "social-security": ("SOCI",),
    "civil-affairs": ("SOCI",),
    "urban": ("REGI",),
    "safety": ("JUST",),
    "public-security": ("JUST",),
    "government": ("GOVE",),
    "geography": ("REGI",),
    "weather": ("ENVI",),
    "tourism": ("ECON",),
    "energy": ("ENER",),
}

# registry.models.UpdateFrequency → EU frequency table.
FREQUENCY_TO_EU: dict[str, str] = {
    "realtime": "UPDATE_CONT",
    "daily": "DAILY",
    "weekly": "WEEKLY",
    "monthly": "MONTHLY",
    "quarterly": "QUARTERLY",
    "half_yearly": "ANNUAL_2",
    "yearly": "ANNUAL",
    "irregular": "IRREG",
}

# registry.models.OpenCategory → EU access rights. Not-open data is never published, so it has
# no entry: a dataset in that state is a bug, and gets no access-rights statement at all.
ACCESS_RIGHTS_TO_EU: dict[str, str] = {
    "unconditional": "PUBLIC",
    "conditional": "RESTRICTED",
}

# Portal file formats (upper-case) that have an entry in the EU file-type table.
EU_FILE_TYPES: frozenset[str] = frozenset(
    {"CSV", "XLSX", "JSON", "XML", "PDF", "ZIP", "GEOJSON", "TSV", "XLS", "DOCX", "TXT", "ODS"}
)

_MEDIA_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$")


def eu_themes(theme_code: str | None) -> list[str]:
    return [str(EU_THEME[code]) for code in THEME_TO_EU.get(theme_code or "", ())]


def eu_frequency(frequency: str) -> str | None:
    code = FREQUENCY_TO_EU.get(frequency)
    return str(EU_FREQUENCY[code]) if code else None


def eu_access_rights(open_category: str) -> str | None:
    code = ACCESS_RIGHTS_TO_EU.get(open_category)
    return str(EU_ACCESS_RIGHT[code]) if code else None


def eu_file_type(fmt: str) -> str | None:
    code = (fmt or "").strip().upper()
    return str(EU_FILE_TYPE[code]) if code in EU_FILE_TYPES else None


def iana_media_type(media_type: str) -> str | None:
    """The IANA registry URI of a media type, parameters dropped; None when malformed."""
    essence = (media_type or "").split(";", 1)[0].strip().lower()
    return IANA_MEDIA_TYPES + essence if _MEDIA_TYPE.match(essence) else None
