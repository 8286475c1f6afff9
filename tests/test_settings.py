"""Strict settings helpers: bad values stop start-up with ImproperlyConfigured."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_secret, env_str
from config.settings.base import _parse_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("true", True), (" YES ", True), ("on", True), ("0", False), ("off", False)],
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("HSVC_FLAG", raw)

    assert env_bool("HSVC_FLAG") is expected


def test_env_bool_uses_the_default_when_unset(monkeypatch):
    monkeypatch.delenv("HSVC_FLAG", raising=False)

    assert env_bool("HSVC_FLAG", True) is True


@pytest.mark.parametrize("raw", ["maybe", "2", "tru", "是"])
def test_env_bool_refuses_anything_else(monkeypatch, raw):
    monkeypatch.setenv("HSVC_FLAG", raw)

    with pytest.raises(ImproperlyConfigured, match="HSVC_FLAG must be a boolean"):
        env_bool("HSVC_FLAG")


def test_env_int_reads_integers_and_defaults_when_blank(monkeypatch):
    monkeypatch.setenv("HSVC_N", "42")
    assert env_int("HSVC_N", 3) == 42
    monkeypatch.setenv("HSVC_N", "  ")
    assert env_int("HSVC_N", 3) == 3


@pytest.mark.parametrize("raw", ["ten", "1.5", "3 days", "0x10"])
def test_env_int_refuses_non_integers(monkeypatch, raw):
    monkeypatch.setenv("HSVC_N", raw)

    with pytest.raises(ImproperlyConfigured, match="HSVC_N must be an integer"):
        env_int("HSVC_N", 3)


def test_env_int_enforces_its_minimum(monkeypatch):
    monkeypatch.setenv("HSVC_N", "0")

    with pytest.raises(ImproperlyConfigured, match="HSVC_N must be >= 1, got 0"):
        env_int("HSVC_N", 3, minimum=1)


def test_env_list_splits_and_trims(monkeypatch):
    monkeypatch.setenv("HSVC_LIST", " initial, change ,,deregistration ")

    assert env_list("HSVC_LIST") == ["initial", "change", "deregistration"]


def test_env_secret_must_be_set(monkeypatch):
    monkeypatch.setenv("HSVC_SECRET", "")

    with pytest.raises(ImproperlyConfigured, match="HSVC_SECRET must be set"):
        env_secret("HSVC_SECRET")
    assert env_str("HSVC_UNSET_FOR_SURE", "fallback") == "fallback"


def test_a_postgres_url_is_parsed_with_escapes_and_defaults():
    db = _parse_database_url("postgresql://alice:p%40ss@db.example.org:6543/open%20data")

    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["USER"], db["PASSWORD"]) == ("alice", "p@ss")
    assert (db["HOST"], db["PORT"], db["NAME"]) == ("db.example.org", "6543", "open data")
    assert _parse_database_url("postgres://localhost")["PORT"] == "5432"


@pytest.mark.parametrize(
    "url", ["sqlite:///db.sqlite3", "mysql://root@localhost/db", "db.example.org:5432/x"]
)
def test_a_database_url_that_is_not_postgres_is_refused(url):
    with pytest.raises(ImproperlyConfigured, match="PostgreSQL only"):
        _parse_database_url(url)


def manage_check(**env_overrides: str) -> subprocess.CompletedProcess[str]:
    """`manage.py check` in a fresh interpreter, so settings are read from scratch."""
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env=os.environ | env_overrides,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_project_refuses_to_start_on_sqlite():
    result = manage_check(DATABASE_URL="sqlite:///tmp.sqlite3")

    assert result.returncode != 0
    assert "PostgreSQL only" in result.stderr


def test_a_bad_registry_setting_stops_start_up():
    result = manage_check(REGISTRY_NOTICE_WORKING_DAYS="ten")

    assert result.returncode != 0
    assert "REGISTRY_NOTICE_WORKING_DAYS must be an integer" in result.stderr
