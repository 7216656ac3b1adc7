"""The public pages' cache (item 6): a cached hit costs at most the published-municipality
lookup, the ETag and Last-Modified answer 304 without a body, the headers let browsers and
proxies keep the page, and `caching.invalidate` makes every page of the municipality fresh."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.http import http_date

from stadga.organisation.models import Municipality
from stadga.portal import caching
from stadga.portal.models import PortalSettings
from stadga.systems.models import System
from stadga.testing.factories import BoardFactory, SystemFactory

pytestmark = pytest.mark.django_db

PAGES = (
    "home",
    "policy",
    "system_list",
    "decision_list",
    "plan_list",
    "report_list",
    "contacts",
    "answers",
)


def url(m: Municipality, name: str, *args: Any) -> str:
    return reverse(f"public:{name}", args=[m.slug, *args])


def public_system(m: Municipality, name: str = "Ekonomisystemet") -> System:
    return SystemFactory(
        municipality=m, board=BoardFactory(municipality=m), name=name, is_public=True
    )


@pytest.mark.parametrize("name", PAGES)
def test_a_cached_hit_costs_one_query(
    client: Any, published: Municipality, django_assert_max_num_queries: Any, name: str
) -> None:
    public_system(published)
    first = client.get(url(published, name))
    assert first.status_code == 200
    with django_assert_max_num_queries(1):
        again = client.get(url(published, name))
    assert again.status_code == 200 and again.content == first.content
    assert again["ETag"] == first["ETag"]


def test_a_cached_detail_page_costs_one_query(
    client: Any, published: Municipality, django_assert_max_num_queries: Any
) -> None:
    system = public_system(published)
    address = url(published, "system_detail", system.pk)
    assert client.get(address).status_code == 200
    with django_assert_max_num_queries(1):
        assert b"Ekonomisystemet" in client.get(address).content


def test_the_etag_answers_304_without_a_body(client: Any, published: Municipality) -> None:
    address = url(published, "system_list")
    first = client.get(address)
    etag = first["ETag"]
    assert etag.startswith('"') and first["Last-Modified"]
    response = client.get(address, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and response.content == b""
    assert response["ETag"] == etag
    stale = client.get(address, HTTP_IF_NONE_MATCH='"something-else"')
    assert stale.status_code == 200 and stale.content == first.content


def test_last_modified_answers_304(client: Any, published: Municipality) -> None:
    address = url(published, "home")
    first = client.get(address)
    response = client.get(address, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert response.status_code == 304 and response.content == b""
    older = client.get(address, HTTP_IF_MODIFIED_SINCE=http_date(0))
    assert older.status_code == 200


def test_cache_control_is_public_with_a_max_age(client: Any, published: Municipality) -> None:
    for name in PAGES:
        response = client.get(url(published, name))
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert "public" in directives, name
        assert any(d.startswith("max-age=") and int(d[8:]) > 0 for d in directives), name
        assert "private" not in directives and "no-store" not in directives, name


def test_head_is_served_from_the_cache(
    client: Any, published: Municipality, django_assert_max_num_queries: Any
) -> None:
    address = url(published, "home")
    client.get(address)
    with django_assert_max_num_queries(1):
        response = client.head(address)
    assert response.status_code == 200 and response["ETag"]


def test_invalidate_makes_the_pages_fresh(client: Any, published: Municipality) -> None:
    system = public_system(published)
    address = url(published, "system_list")
    assert b"Ekonomisystemet" in client.get(address).content
    System.objects.filter(pk=system.pk).update(name="Lönesystemet")
    # Until invalidated (or expired), the cached copy is served.
    assert b"Ekonomisystemet" in client.get(address).content
    caching.invalidate(published.pk)
    fresh = client.get(address)
    assert b"L\xc3\xb6nesystemet" in fresh.content and b"Ekonomisystemet" not in fresh.content


def test_invalidate_is_per_municipality(client: Any, published: Municipality) -> None:
    from stadga.testing.factories import MunicipalityFactory, PortalSettingsFactory

    other = MunicipalityFactory()
    PortalSettingsFactory(municipality=other)
    mine, theirs = public_system(published, "Mitt"), public_system(other, "Deras")
    client.get(url(published, "system_list"))
    client.get(url(other, "system_list"))
    System.objects.filter(pk__in=[mine.pk, theirs.pk]).update(purpose="Nytt syfte")
    caching.invalidate(published.pk)
    assert b"Nytt syfte" in client.get(url(published, "system_list")).content
    assert b"Nytt syfte" not in client.get(url(other, "system_list")).content


def test_each_language_is_cached_apart(client: Any, published: Municipality) -> None:
    address = url(published, "home")
    swedish = client.get(address)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(address)
    assert b'<html lang="sv">' in swedish.content and b'<html lang="en">' in english.content
    assert swedish["ETag"] != english["ETag"]


def test_unpublishing_answers_404_at_once_even_with_a_cached_copy(
    client: Any, published: Municipality
) -> None:
    address = url(published, "home")
    assert client.get(address).status_code == 200
    PortalSettings.objects.filter(municipality=published).update(is_published=False)
    assert client.get(address).status_code == 404


def test_not_found_is_not_cached(client: Any, published: Municipality) -> None:
    system = SystemFactory(municipality=published, is_public=False, name="Snart offentligt")
    address = url(published, "system_detail", system.pk)
    assert client.get(address).status_code == 404
    System.objects.filter(pk=system.pk).update(is_public=True)
    assert client.get(address).status_code == 200


def test_the_language_switch_is_not_cached(client: Any, published: Municipality) -> None:
    response = client.get(url(published, "language", "en"))
    assert response.status_code == 302 and not response.has_header("ETag")
    assert "no-store" in response["Cache-Control"]
