"""Chinese full-text search in core PostgreSQL.

Text is segmented in Python and stored in a `simple`-configuration tsvector (GIN-indexed), so
no PostgreSQL extension is needed. Each text contributes jieba's search-mode words (which
include the sub-words of long words) plus every single CJK character, so that one-character
queries still hit the index. Queries are segmented the same way and ANDed.
"""

from __future__ import annotations

import re
import unicodedata

import rjieba

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def normalise(text: str) -> str:
    """NFKC (full-width to half-width) and lower case."""
    return unicodedata.normalize("NFKC", text or "").lower()


def _words(text: str) -> list[str]:
    words: list[str] = []
    for chunk in _WORD.findall(normalise(text)):
        if _CJK.search(chunk):
            words.extend(w for w in rjieba.cut_for_search(chunk) if w.strip())
        else:
            words.append(chunk)
    return words


def document_tokens(*texts: str) -> str:
    """Space-separated tokens for `to_tsvector('simple', …)`."""
    tokens: list[str] = []
    for text in texts:
        words = _words(text)
        tokens.extend(words)
        tokens.extend(ch for w in words for ch in w if _CJK.match(ch) and len(w) > 1)
    return " ".join(tokens)


def query_terms(query: str) -> list[str]:
    """The distinct terms a user query is matched on (all must match)."""
    seen: dict[str, None] = {}
    for chunk in _WORD.findall(normalise(query)):
        if _CJK.search(chunk):
            words = [w for w in rjieba.cut(chunk) if w.strip()]
        else:
            words = [chunk]
        for word in words:
            seen.setdefault(word, None)
    return list(seen)


def tsquery_string(query: str) -> str | None:
    """A safe `to_tsquery('simple', …)` string: each term quoted as a lexeme, ANDed."""
    terms = query_terms(query)
    if not terms:
        return None
    return " & ".join("'" + term.replace("'", "''").replace("\\", "") + "'" for term in terms)
