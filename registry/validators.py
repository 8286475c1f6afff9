"""统一社会信用代码 (GB 32100-2015): 18 characters from a 31-symbol alphabet, the last one a
mod-31 check character."""

from __future__ import annotations

import unicodedata

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def normalise_credit_code(raw: str) -> str:
    """Full-width to half-width, upper case, spaces removed."""
    return unicodedata.normalize("NFKC", raw or "").replace(" ", "").strip().upper()


def credit_code_check_char(first17: str) -> str:
    total = sum(ALPHABET.index(ch) * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> str | None:
    """None if valid, else a precise message."""
    if len(code) != 18:
        return f"Must be 18 characters, got {len(code)}."
    bad = sorted({ch for ch in code if ch not in ALPHABET})
    if bad:
        return f"Characters not allowed: {''.join(bad)} (I, O, S, V and Z are never used)."
    if not code[2:8].isdigit():
        return "Characters 3-8 must be the 6-digit region code."
    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        return f"Check character is wrong (expected {expected})."
    return None


def make_credit_code(prefix17: str) -> str:
    """Append the check character (demo data and tests)."""
    return prefix17 + credit_code_check_char(prefix17)


# The first two characters: the registration authority and the kind of body it registered
# (GB 32100-2015, table 1). Only the pairs a data consumer is told apart by.
_KIND_OF_BODY = {
    "11": "organ",  # 机构编制: 机关
    "12": "public_institution",  # 机构编制: 事业单位
    "51": "social_organisation",  # 民政: 社会团体
    "52": "social_organisation",  # 民政: 民办非企业单位
    "53": "social_organisation",  # 民政: 基金会
    "59": "social_organisation",  # 民政: 其他
    "91": "enterprise",  # 市场监管: 企业
    "92": "enterprise",  # 市场监管: 个体工商户
    "93": "enterprise",  # 市场监管: 农民专业合作社
}


def organisation_type_of(code: str) -> str | None:
    """The organisation type a (valid, normalised) credit code says its holder is, when the
    code's first two characters tell (None otherwise)."""
    return _KIND_OF_BODY.get(code[:2])
