"""The health endpoint for monitoring (issue 11, item 10; P4.3, P9.1): no login, one query, 503
with no detail when the database does not answer."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import OperationalError
from django.test import Client

import stadga


@pytest.mark.django_db
def test_health_answers_ok_without_login(client: Client, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(1):
        response = client.get("/health/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok", "version": stadga.__version__}
    assert "no-cache" in response["Cache-Control"]
    assert "Content-Security-Policy" in response


@pytest.mark.django_db
def test_the_older_address_answers_the_same(client: Client) -> None:
    assert client.get("/healthz").json() == client.get("/health/").json()


@pytest.mark.django_db
def test_health_is_not_sent_to_the_login_page(client: Client) -> None:
    """A monitor has no session: the endpoint never redirects, also for HEAD."""
    assert client.head("/health/").status_code == 200
    assert client.post("/health/").status_code == 405


@pytest.mark.django_db
def test_health_is_503_when_the_database_does_not_answer(
    client: Client, monkeypatch: Any, caplog: Any
) -> None:
    from django.db import connection

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError('connection to server at "db.internal" failed: password wrong')

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "unavailable",
        "version": stadga.__version__,
    }
    # The reason goes to the log, never to the (public) answer.
    assert b"db.internal" not in response.content
    assert "db.internal" in caplog.text
