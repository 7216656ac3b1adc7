"""Behind a reverse proxy (issue 11, item 3; P9.1): the settings read from the environment, the
scheme and host the proxy forwards, CSRF from the public origin, and the client's address."""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, RequestFactory

from stadga.core.net import client_ip
from stadga.portal.spam import client_hash
from stadga.testing.factories import UserFactory

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "settings" / "__init__.py"
PUBLIC_HOST = "stadga.kommun.se"
PROXY_ADDRESS = "10.0.0.2"


def load_settings(monkeypatch: Any, **environment: str) -> dict[str, Any]:
    """The settings module evaluated afresh with `environment`, as a deployment would see it."""
    for name in (
        "STADGA_BEHIND_PROXY",
        "STADGA_TRUSTED_PROXY_COUNT",
        "STADGA_HTTPS",
        "SESSION_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "ALLOWED_HOSTS",
        "CSRF_TRUSTED_ORIGINS",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


def apply(settings: Any, loaded: dict[str, Any]) -> None:
    """Copies the proxy-related values of a freshly loaded settings module onto Django's."""
    settings.SECURE_PROXY_SSL_HEADER = loaded.get("SECURE_PROXY_SSL_HEADER")
    settings.USE_X_FORWARDED_HOST = loaded.get("USE_X_FORWARDED_HOST", False)
    for name in (
        "STADGA_BEHIND_PROXY",
        "STADGA_TRUSTED_PROXY_COUNT",
        "ALLOWED_HOSTS",
        "CSRF_TRUSTED_ORIGINS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
    ):
        setattr(settings, name, loaded[name])


@pytest.fixture
def behind_proxy(settings: Any, monkeypatch: Any) -> dict[str, Any]:
    loaded = load_settings(
        monkeypatch,
        STADGA_BEHIND_PROXY="true",
        ALLOWED_HOSTS=f"{PUBLIC_HOST},127.0.0.1",
        CSRF_TRUSTED_ORIGINS=f"https://{PUBLIC_HOST}",
    )
    apply(settings, loaded)
    return loaded


@pytest.fixture
def direct(settings: Any, monkeypatch: Any) -> dict[str, Any]:
    loaded = load_settings(monkeypatch, ALLOWED_HOSTS=f"{PUBLIC_HOST},127.0.0.1")
    apply(settings, loaded)
    return loaded


# --- the settings ---


def test_the_proxy_setting_is_off_by_default(monkeypatch: Any) -> None:
    loaded = load_settings(monkeypatch)
    assert loaded["STADGA_BEHIND_PROXY"] is False
    assert "SECURE_PROXY_SSL_HEADER" not in loaded
    assert "USE_X_FORWARDED_HOST" not in loaded
    assert loaded["SESSION_COOKIE_SECURE"] is False and loaded["CSRF_COOKIE_SECURE"] is False
    assert loaded["STADGA_TRUSTED_PROXY_COUNT"] == 1
    assert loaded["SECURE_HSTS_SECONDS"] == 0


def test_the_proxy_setting_trusts_the_forwarded_scheme_and_host(monkeypatch: Any) -> None:
    loaded = load_settings(monkeypatch, STADGA_BEHIND_PROXY="1", STADGA_TRUSTED_PROXY_COUNT="2")
    assert loaded["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert loaded["USE_X_FORWARDED_HOST"] is True
    assert loaded["STADGA_TRUSTED_PROXY_COUNT"] == 2
    # A proxy terminates TLS: the cookies are sent over HTTPS only.
    assert loaded["SESSION_COOKIE_SECURE"] is True and loaded["CSRF_COOKIE_SECURE"] is True


def test_https_without_a_proxy_makes_the_cookies_secure(monkeypatch: Any) -> None:
    loaded = load_settings(monkeypatch, STADGA_HTTPS="yes", SECURE_HSTS_SECONDS="31536000")
    assert "SECURE_PROXY_SSL_HEADER" not in loaded
    assert loaded["SESSION_COOKIE_SECURE"] is True and loaded["CSRF_COOKIE_SECURE"] is True
    assert loaded["SESSION_COOKIE_HTTPONLY"] is True
    assert loaded["SECURE_HSTS_SECONDS"] == 31536000


@pytest.mark.django_db
def test_an_ip_address_may_be_an_allowed_host(
    client: Client, settings: Any, monkeypatch: Any
) -> None:
    apply(settings, load_settings(monkeypatch, ALLOWED_HOSTS="192.0.2.10"))
    assert client.get("/health/", HTTP_HOST="192.0.2.10").status_code == 200
    assert client.get("/health/", HTTP_HOST="198.51.100.7").status_code == 400


# --- scheme and host ---


def test_forwarded_https_is_secure_only_behind_the_proxy(settings: Any, monkeypatch: Any) -> None:
    factory = RequestFactory()
    headers = {"HTTP_X_FORWARDED_PROTO": "https", "HTTP_X_FORWARDED_HOST": PUBLIC_HOST}

    apply(settings, load_settings(monkeypatch, ALLOWED_HOSTS=f"{PUBLIC_HOST},testserver"))
    request = factory.get("/", **headers)
    assert not request.is_secure()
    assert request.build_absolute_uri("/x/") == "http://testserver/x/"

    apply(
        settings,
        load_settings(
            monkeypatch, STADGA_BEHIND_PROXY="on", ALLOWED_HOSTS=f"{PUBLIC_HOST},testserver"
        ),
    )
    request = factory.get("/", **headers)
    assert request.is_secure()
    assert request.build_absolute_uri("/x/") == f"https://{PUBLIC_HOST}/x/"
    assert not factory.get("/", HTTP_X_FORWARDED_PROTO="http").is_secure()


@pytest.mark.django_db
def test_hsts_is_sent_only_over_https_that_the_proxy_vouches_for(
    client: Client, settings: Any, monkeypatch: Any
) -> None:
    forwarded = {"HTTP_X_FORWARDED_PROTO": "https"}
    apply(settings, load_settings(monkeypatch, SECURE_HSTS_SECONDS="31536000"))
    assert "Strict-Transport-Security" not in client.get("/health/", **forwarded)

    apply(
        settings,
        load_settings(monkeypatch, STADGA_BEHIND_PROXY="true", SECURE_HSTS_SECONDS="31536000"),
    )
    response = client.get("/health/", **forwarded)
    assert response["Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in client.get("/health/")


# --- CSRF from the public origin ---


def post_login(origin: str, host: str = PUBLIC_HOST, **extra: str) -> int:
    """The status of a login POST with a valid CSRF token, sent from `origin` through the proxy
    (the proxy's own Host is 127.0.0.1:8000; it forwards the public host and scheme)."""
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR=PROXY_ADDRESS)
    forwarded = {
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_X_FORWARDED_HOST": host,
        "HTTP_X_FORWARDED_PROTO": "https",
        **extra,
    }
    assert client.get("/accounts/login/", **forwarded).status_code == 200  # type: ignore[arg-type]
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/accounts/login/",
        {"username": "nobody", "password": "wrong", "csrfmiddlewaretoken": token},
        HTTP_ORIGIN=origin,
        **forwarded,  # type: ignore[arg-type]
    )
    return response.status_code


@pytest.mark.django_db
def test_csrf_passes_from_the_public_origin_behind_the_proxy(
    behind_proxy: dict[str, Any],
) -> None:
    # 200: the form is shown again with "wrong password", so CSRF let the POST through.
    assert post_login(f"https://{PUBLIC_HOST}") == 200


@pytest.mark.django_db
def test_csrf_refuses_another_origin_behind_the_proxy(behind_proxy: dict[str, Any]) -> None:
    assert post_login("https://evil.example") == 403
    assert post_login(f"http://{PUBLIC_HOST}") == 403  # the same host over plain HTTP


@pytest.mark.django_db
def test_without_the_proxy_setting_the_forwarded_origin_is_not_believed(
    direct: dict[str, Any],
) -> None:
    # Django sees http://127.0.0.1:8000: the public origin is neither that nor trusted.
    assert post_login(f"https://{PUBLIC_HOST}") == 403


@pytest.mark.django_db
def test_a_user_logs_in_through_the_proxy(behind_proxy: dict[str, Any]) -> None:
    UserFactory(username="anna")
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR=PROXY_ADDRESS)
    forwarded: dict[str, Any] = {
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_X_FORWARDED_HOST": PUBLIC_HOST,
        "HTTP_X_FORWARDED_PROTO": "https",
    }
    client.get("/accounts/login/", **forwarded)
    response = client.post(
        "/accounts/login/",
        {
            "username": "anna",
            "password": "correct horse battery staple",
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
        },
        HTTP_ORIGIN=f"https://{PUBLIC_HOST}",
        **forwarded,
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"]


# --- the client's address ---


def forwarded_request(remote: str, forwarded_for: str | None = None) -> Any:
    extra = {} if forwarded_for is None else {"HTTP_X_FORWARDED_FOR": forwarded_for}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


def test_client_ip_is_remote_addr_without_the_proxy_setting(settings: Any) -> None:
    settings.STADGA_BEHIND_PROXY = False
    assert client_ip(forwarded_request("203.0.113.5", "198.51.100.1")) == "203.0.113.5"


def test_client_ip_ignores_spoofed_leading_entries(settings: Any) -> None:
    settings.STADGA_BEHIND_PROXY = True
    settings.STADGA_TRUSTED_PROXY_COUNT = 1
    # The client wrote "1.2.3.4, 5.6.7.8" itself; nginx appended the address it saw.
    request = forwarded_request(PROXY_ADDRESS, "1.2.3.4, 5.6.7.8, 203.0.113.5")
    assert client_ip(request) == "203.0.113.5"
    assert client_ip(forwarded_request(PROXY_ADDRESS, "203.0.113.5")) == "203.0.113.5"


def test_client_ip_with_two_trusted_proxies(settings: Any) -> None:
    settings.STADGA_BEHIND_PROXY = True
    settings.STADGA_TRUSTED_PROXY_COUNT = 2
    # client → load balancer (appends the client) → nginx (appends the load balancer) → Stadga
    request = forwarded_request(PROXY_ADDRESS, "1.2.3.4, 203.0.113.5, 10.0.0.1")
    assert client_ip(request) == "203.0.113.5"
    # Fewer entries than proxies: the request did not come through them all.
    assert client_ip(forwarded_request(PROXY_ADDRESS, "203.0.113.5")) == PROXY_ADDRESS


def test_client_ip_falls_back_to_remote_addr(settings: Any) -> None:
    settings.STADGA_BEHIND_PROXY = True
    settings.STADGA_TRUSTED_PROXY_COUNT = 1
    assert client_ip(forwarded_request(PROXY_ADDRESS)) == PROXY_ADDRESS
    assert client_ip(forwarded_request(PROXY_ADDRESS, "")) == PROXY_ADDRESS
    assert client_ip(forwarded_request(PROXY_ADDRESS, "1.2.3.4, not-an-address")) == PROXY_ADDRESS
    assert client_ip(forwarded_request(PROXY_ADDRESS, "[2001:db8::7]:443")) == "2001:db8::7"
    assert client_ip(forwarded_request(PROXY_ADDRESS, "203.0.113.5:51234")) == "203.0.113.5"
    assert client_ip(RequestFactory().get("/", REMOTE_ADDR="")) == "unknown"


def test_the_portal_rate_limit_counts_the_forwarded_client(settings: Any) -> None:
    """P7.1: behind the proxy every resident would otherwise share the proxy's address."""
    settings.STADGA_BEHIND_PROXY = True
    settings.STADGA_TRUSTED_PROXY_COUNT = 1
    one = client_hash(forwarded_request(PROXY_ADDRESS, "203.0.113.5"))
    other = client_hash(forwarded_request(PROXY_ADDRESS, "203.0.113.6"))
    spoofing = client_hash(forwarded_request(PROXY_ADDRESS, "9.9.9.9, 203.0.113.5"))
    assert one != other
    assert one == spoofing
