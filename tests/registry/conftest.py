"""Fixtures shared by the registry's tests."""

from __future__ import annotations

import uuid

import pytest
from celery.signals import task_postrun
from django.db import connections


@pytest.fixture
def worker_app():
    """The project's Celery app with an in-memory result backend, a private queue (so that no
    other worker on the same broker takes the message) and DB connections closed after each
    task (the worker runs tasks in its own thread)."""
    from config.celery import app

    saved = {
        "result_backend": app.conf.result_backend,
        "task_always_eager": app.conf.task_always_eager,
    }
    app.conf.result_backend = "cache+memory://"
    app.conf.task_always_eager = False
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)

    def close_connections(**kwargs):
        connections.close_all()

    task_postrun.connect(close_connections, weak=False)
    yield app, f"test-{uuid.uuid4().hex}"
    task_postrun.disconnect(close_connections)
    app.conf.update(saved)
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)
