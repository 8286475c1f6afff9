"""The datastore's single-statement reads outside any transaction, on a connection of their own.

On Django's connection a records page needs a transaction around it, to run as the read-only
role under the statement timeout: `BEGIN READ ONLY`, the settings, the query, `COMMIT`, sent as
one script with the values quoted on this side (`execute._read_script`). This connection is set
up once as that role, read-only by default and with the API's statement timeout (session
settings), so the same page is the statement alone in autocommit, with server-side binding and
prepared by psycopg after a few executions (the database's `prepare_threshold`): about 0.3 ms
less a call (docs/performance.md). Only reads that are one statement use it; a page with a
count or an estimate is still one script on Django's connection, and inside an atomic block
(a caller's transaction, a test's) everything reads there, where that transaction's own rows
are visible.

One connection per thread, as Django's are, made on first use with Django's own connection
parameters. It is replaced when broken (the held one is tried once more on a new connection
when a statement finds it dead), after a fork, and when a new version of a table changed a
column's type under a prepared statement. `close_all()` closes every thread's (test teardown).
Setting DATASTORE_READER_CONNECTION=false reads on Django's connection only.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import Any

import psycopg
from django.conf import settings
from django.db import connection
from psycopg import errors as pg_errors

from portal.lookups import load_as_text

_local = threading.local()
# Every thread's held connection, for `close_all` (a thread that ends keeps its own open).
_every: set[_Held] = set()
_every_lock = threading.Lock()

# PostgreSQL's refusal to run a prepared statement whose table changed its columns' types.
_CHANGED_RESULT = "cached plan must not change result type"


class _Held:
    def __init__(self, conn: psycopg.Connection, settings_key: tuple) -> None:
        self.conn = conn
        self.pid = os.getpid()
        self.settings_key = settings_key

    def close(self) -> None:
        with _every_lock:
            _every.discard(self)
        # After a fork the parent's socket is left alone: closing it here would end the
        # parent's session.
        if self.pid == os.getpid():
            self.conn.close()


def enabled() -> bool:
    """Whether a read may use the reader connection: switched on, and not inside an atomic
    block (whose uncommitted rows only Django's connection sees)."""
    return settings.DATASTORE_READER_CONNECTION and not connection.in_atomic_block


def _settings_key() -> tuple:
    """What the held connection was made for (the test runner renames the database)."""
    db = connection.settings_dict
    return (
        db["NAME"],
        db["HOST"],
        db["PORT"],
        db["USER"],
        settings.DATASTORE_READ_ROLE,
        settings.DATASTORE_STATEMENT_TIMEOUT_MS,
    )


def _open(key: tuple) -> _Held:
    conn = connection.Database.connect(**connection.get_connection_params())
    try:
        conn.autocommit = True
        conn.execute(
            "SELECT set_config('role', %s, false), "
            "set_config('default_transaction_read_only', 'on', false), "
            "set_config('statement_timeout', %s, false)",
            [settings.DATASTORE_READ_ROLE, str(settings.DATASTORE_STATEMENT_TIMEOUT_MS)],
        )
    except BaseException:
        conn.close()
        raise
    held = _Held(conn, key)
    with _every_lock:
        _every.add(held)
    return held


def _held() -> psycopg.Connection:
    key = _settings_key()
    held: _Held | None = getattr(_local, "held", None)
    if held is not None and (
        held.pid != os.getpid() or held.conn.closed or held.conn.broken or held.settings_key != key
    ):
        held.close()
        held = None
    if held is None:
        held = _local.held = _open(key)
    return held.conn


def close() -> None:
    """Close this thread's reader connection, if any."""
    held: _Held | None = getattr(_local, "held", None)
    _local.held = None
    if held is not None:
        held.close()


def close_all() -> None:
    """Close every thread's reader connection (before the test database is dropped)."""
    with _every_lock:
        every = list(_every)
    for held in every:
        held.close()


def fetch(
    query: str, params: Sequence[Any], *, as_text: Sequence[str] = ()
) -> tuple[list[str], list[tuple]]:
    """The column names and rows of one read-only statement. `as_text`: PostgreSQL types
    loaded as the text PostgreSQL writes. A connection found dead, or a prepared statement
    whose table changed its column types, is replaced and the statement run once more on
    the new connection. Errors are Django's database errors (QueryCanceled: the timeout,
    which the caller turns into QueryTimeout)."""
    for attempt in (1, 2):
        conn = _held()
        try:
            # A plain cursor: server-side binding, so that psycopg can prepare (Django's
            # connections make client-side binding cursors).
            with connection.wrap_database_errors, psycopg.Cursor(conn) as cursor:
                load_as_text(cursor, as_text)
                cursor.execute(query, params)  # prepared by the connection's threshold
                return [d.name for d in cursor.description], cursor.fetchall()
        except Exception as exc:
            cause = exc.__cause__ if exc.__cause__ is not None else exc
            retry = conn.broken or (
                isinstance(cause, pg_errors.FeatureNotSupported) and _CHANGED_RESULT in str(cause)
            )
            if attempt == 2 or not retry or isinstance(cause, pg_errors.QueryCanceled):
                raise
            close()
    raise AssertionError("unreachable")
