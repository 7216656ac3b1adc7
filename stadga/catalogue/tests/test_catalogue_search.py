"""'Is this approved?' (P5.4): every member searches the catalogue and sees the answer with its
conditions, and for a product that is not approved the approved ones of its category."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stadga.catalogue.choices import Phase
from stadga.catalogue.selectors import product_search
from stadga.organisation.access import Access
from stadga.testing.factories import (
    MunicipalityFactory,
    ProductCategoryFactory,
    ProductFactory,
    VendorFactory,
    member,
)

pytestmark = [pytest.mark.django_db]


def url(municipality: Any, q: str = "") -> str:
    return f"/k/{municipality.slug}/catalogue/" + (f"?q={q}" if q else "")


def test_every_member_sees_the_answer_with_its_conditions(client: Any) -> None:
    m = MunicipalityFactory()
    ProductFactory(
        municipality=m,
        name="Kalkylprogram",
        phase=Phase.APPROVED_WITH_CONSTRAINTS,
        constraints="Endast med kommunens mallar.",
    )
    ProductFactory(
        municipality=m,
        name="Kalkylgammal",
        phase=Phase.PHASE_OUT,
        phase_ends_on=datetime.date(2099, 12, 31),
    )
    client.force_login(member(m))  # an employee: no role at all
    response = client.get(url(m, "kalkyl"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Endast med kommunens mallar." in page
    assert "2099-12-31" in page
    assert 'class="status status--partly_met"' in page
    assert 'aria-current="page"' in page and "catalogue" in page


def test_not_approved_shows_alternatives_in_the_same_category(client: Any) -> None:
    m = MunicipalityFactory()
    category = ProductCategoryFactory(municipality=m, name="Ordbehandling")
    ProductFactory(municipality=m, name="Skrivaren Pro", category=category, phase=Phase.REJECTED)
    ProductFactory(municipality=m, name="Godkänd ordbehandlare", category=category)
    ProductFactory(municipality=m, name="Under prövning", category=category, phase=Phase.EVALUATION)
    client.force_login(member(m))
    page = client.get(url(m, "skrivaren")).content.decode()
    assert "Godkänd ordbehandlare" in page
    assert "Under prövning" not in page  # only approved products are alternatives


def test_search_by_vendor_and_category(client: Any) -> None:
    m = MunicipalityFactory()
    vendor = VendorFactory(municipality=m, name="Norrsken AB")
    ProductFactory(municipality=m, name="Lönesystemet", vendor=vendor)
    client.force_login(member(m))
    assert "Lönesystemet" in client.get(url(m, "norrsken")).content.decode()


def test_a_product_not_found_says_so_and_links_to_a_request(client: Any) -> None:
    m = MunicipalityFactory()
    client.force_login(member(m))
    page = client.get(url(m, "Okänd produkt")).content.decode()
    assert "Okänd produkt" in page
    try:
        from django.urls import reverse

        request_url = reverse("catalogue:productrequest_create", args=[m.slug])
    except Exception:  # the requests' page may not exist yet
        return
    assert f"{request_url}?name=Ok%C3%A4nd+produkt" in page


def test_other_municipalitys_products_are_not_found(client: Any) -> None:
    m = MunicipalityFactory()
    ProductFactory(municipality=MunicipalityFactory(), name="Främmande")
    client.force_login(member(m))
    assert ">Främmande<" not in client.get(url(m, "främmande")).content.decode()


def test_anonymous_goes_to_login_and_outsider_gets_404(client: Any) -> None:
    m = MunicipalityFactory()
    response = client.get(url(m, "x"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(member(MunicipalityFactory()))
    assert client.get(url(m, "x")).status_code == 404


def test_the_page_works_without_a_query(client: Any) -> None:
    m = MunicipalityFactory()
    client.force_login(member(m))
    response = client.get(url(m))
    assert response.status_code == 200
    assert 'name="q"' in response.content.decode()


def test_query_count_does_not_grow_with_products(client: Any) -> None:
    m = MunicipalityFactory()
    client.force_login(member(m))
    client.get(url(m, "sökbar"))  # once, for what the first request of a session caches
    counts = []
    made = 0
    for total in (3, 25):  # pairs: 6 and 50 products, every other one not approved
        for i in range(made, total):
            category = ProductCategoryFactory(municipality=m)
            ProductFactory(municipality=m, name=f"Sökbar {i}", category=category)
            ProductFactory(
                municipality=m, name=f"Sökbar nej {i}", category=category, phase=Phase.RETIRED
            )
        made = total
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url(m, "sökbar"))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_selector_orders_exact_name_first_and_counts_more() -> None:
    m = MunicipalityFactory()
    for i in range(55):
        ProductFactory(municipality=m, name=f"Word {i:02d}")
    ProductFactory(municipality=m, name="Word", phase=Phase.REJECTED)
    access = Access(user_id=None, is_operator=True)
    result = product_search(access=access, municipality=m, q="  word ")
    assert result.hits[0].product.name == "Word"
    assert result.more and len(result.hits) == 50
    assert product_search(access=access, municipality=m, q=" ").hits == []


def test_past_end_of_support_is_said_in_words(client: Any) -> None:
    m = MunicipalityFactory()
    ended = timezone.localdate() - datetime.timedelta(days=3)
    ProductFactory(municipality=m, name="Gamla servern", end_of_support=ended)
    client.force_login(member(m))
    page = client.get(url(m, "gamla")).content.decode()
    assert ended.isoformat() in page
