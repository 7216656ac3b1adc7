"""The portal's open data (P7.1): every public list as CSV and JSON, only what is public, and the
open-data page that describes them."""

from __future__ import annotations

import csv
import datetime
import io
import json
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stadga.catalogue.choices import Phase
from stadga.catalogue.models import PhaseDecision
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality
from stadga.plans.models import Goal
from stadga.plans.tests.factories import ITPlanFactory, PlanItemFactory, adopted_plan, cost
from stadga.portal import opendata
from stadga.portal.choices import DataLicence, MessageKind, MessageStatus, Subject
from stadga.portal.models import PortalSettings
from stadga.statusreports.tests.helpers import report
from stadga.testing.factories import (
    BoardFactory,
    MunicipalityFactory,
    PersonFactory,
    PortalSettingsFactory,
    ProductFactory,
    ResidentMessageFactory,
    RoleAssignmentFactory,
    SystemFactory,
    SystemProductFactory,
)

CC0 = "http://creativecommons.org/publicdomain/zero/1.0/"


def url(municipality: Municipality, dataset: str, fmt: str) -> str:
    return reverse(
        "public:dataset",
        kwargs={"municipality": municipality.slug, "dataset": dataset, "fmt": fmt},
    )


def get_csv(client: Client, municipality: Municipality, dataset: str) -> list[dict[str, str]]:
    response = client.get(url(municipality, dataset, "csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8; header=present"
    text = response.content.decode("utf-8")
    assert not text.startswith("\ufeff")  # RFC 4180: no byte-order mark
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    header = text.split("\r\n", 1)[0]
    assert header == ",".join(f.id for f in opendata.DATASETS_BY_ID[dataset].fields)
    return rows


def get_json(client: Client, municipality: Municipality, dataset: str) -> dict[str, Any]:
    response = client.get(url(municipality, dataset, "json"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    document = json.loads(response.content)
    assert document["dataset"] == dataset
    assert document["publisher"] == municipality.name
    assert document["licence"] == CC0
    assert datetime.datetime.fromisoformat(document["generated"]).tzinfo is not None
    for item in document["items"]:
        assert list(item) == [f.id for f in opendata.DATASETS_BY_ID[dataset].fields]
    return document


@pytest.fixture
def register(published: Municipality) -> dict[str, Any]:
    """One public and one non-public row of every list, with their related rows."""
    m = published
    owner = PersonFactory(municipality=m, name="Sara Systemägare", title="Enhetschef")
    system = SystemFactory(
        municipality=m,
        system_owner=owner,
        name="Ekonomisystemet",
        is_public=True,
        in_production_from=datetime.date(2019, 3, 1),
        personal_data=True,
        confidentiality=4,
        classification_justification="HEMLIG MOTIVERING",
        notes="INTERN ANTECKNING",
    )
    hidden = SystemFactory(municipality=m, name="Larmsystemet", is_public=False)
    SystemFactory(municipality=m, name="Gamla systemet", is_public=True, archived_at=timezone.now())
    product = ProductFactory(municipality=m, name="Kalkylprogram", constraints="Endast Windows")
    SystemProductFactory(system=system, product=product)
    ProductFactory(municipality=m, name="Obedömd produkt", phase=Phase.NOT_ASSESSED)
    PhaseDecision.objects.create(
        municipality=m,
        product=product,
        phase=Phase.APPROVED,
        effective_from=datetime.date(2025, 1, 15),
        reason="Väl beprövad.",
    )
    plan = adopted_plan(m, 2026)
    item = PlanItemFactory(plan=plan, title="Ny e-tjänst", responsible=owner)
    item.goals.add(Goal.objects.filter(municipality=m).order_by("order").first())
    item.systems.add(system, hidden)
    cost(item, 2026, investment=100_000, running=5_000)
    cost(item, 2027, running=5_000)
    draft_board = BoardFactory(municipality=m, name="Utkastnämnden")
    draft = ITPlanFactory(municipality=m, board=draft_board, year=2027)
    PlanItemFactory(plan=draft, title="Hemlig satsning")
    report(m, issued_on=datetime.date(2026, 6, 30), title="Lägesrapport våren", commentary="Bra.")
    report(m, title="Utkast till rapport")
    RoleAssignmentFactory(person=owner, role=Role.SYSTEM_OWNER, system=system)
    RoleAssignmentFactory(
        person=PersonFactory(municipality=m, name="Dold Ägare"),
        role=Role.SYSTEM_OWNER,
        system=hidden,
    )
    coordinator = PersonFactory(
        municipality=m, name="Ida Samordnare", email="ida@kommun.example", phone="0505-123"
    )
    RoleAssignmentFactory(person=coordinator, role=Role.IT_COORDINATOR)
    answered = timezone.now()
    ResidentMessageFactory(
        municipality=m,
        reference="2026-0101",
        kind=MessageKind.QUESTION,
        subject=Subject.SYSTEM,
        system=system,
        message="=Vilka uppgifter sparas?",
        name="Anna Invånare",
        email="anna@example.se",
        publish_consent=True,
        status=MessageStatus.ANSWERED,
        answer="Bara det nödvändiga.",
        answered_at=answered,
        published_at=answered,
    )
    ResidentMessageFactory(
        municipality=m,
        reference="2026-0102",
        message="Opublicerad fråga",
        publish_consent=True,
        status=MessageStatus.ANSWERED,
        answer="Svar",
        answered_at=answered,
    )
    return {"system": system, "item": item, "owner": owner}


# --- each dataset -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_systems_only_public_without_classification(client: Client, register: Any) -> None:
    m = register["system"].municipality
    rows = get_csv(client, m, "systems")
    assert [r["name"] for r in rows] == ["Ekonomisystemet"]
    row = rows[0]
    assert row["owner_name"] == "Sara Systemägare"
    assert row["owner_title"] == "Enhetschef"
    assert row["lifecycle_phase"] == "in_production"
    assert row["in_production_from"] == "2019-03-01"
    assert row["personal_data"] == "true"
    assert row["products"] == "Kalkylprogram"
    assert row["board"] == register["system"].board.name
    document = get_json(client, m, "systems")
    [item] = document["items"]
    assert item["products"] == ["Kalkylprogram"]
    assert item["personal_data"] is True
    assert item["retired_on"] is None
    for response in (
        client.get(url(m, "systems", "csv")),
        client.get(url(m, "systems", "json")),
    ):
        body = response.content.decode()
        for secret in ("Larmsystemet", "Gamla systemet", "HEMLIG", "INTERN", "confidentiality"):
            assert secret not in body


@pytest.mark.django_db
def test_product_decisions_and_products(client: Client, register: Any) -> None:
    m = register["system"].municipality
    [decision] = get_csv(client, m, "product-decisions")
    assert decision == {
        "product": "Kalkylprogram",
        "vendor": decision["vendor"],
        "phase": "approved",
        "effective_from": "2025-01-15",
        "phase_out_ends_on": "",
        "constraints": "",
        "reasons": "Väl beprövad.",
    }
    assert decision["vendor"].startswith("Leverantör")
    products = get_json(client, m, "products")["items"]
    assert [p["name"] for p in products] == ["Kalkylprogram"]  # not the product not assessed
    assert products[0]["phase"] == "approved"
    assert products[0]["constraints"] == "Endast Windows"
    assert products[0]["category"].startswith("Kategori")


@pytest.mark.django_db
def test_plans_and_items_only_adopted(client: Client, register: Any) -> None:
    m = register["system"].municipality
    [plan] = get_csv(client, m, "it-plans")
    assert plan["year"] == "2026"
    assert plan["status"] == "adopted"
    assert plan["adopted_on"] == "2025-11-20"
    assert plan["decision_paragraph"] == "§ 12"
    items = get_json(client, m, "plan-items")["items"]
    assert [i["title"] for i in items] == ["Ny e-tjänst"]
    item = items[0]
    assert item["costs"] == [
        {"year": 2026, "investment_sek": 100000, "running_cost_sek": 5000},
        {"year": 2027, "investment_sek": 0, "running_cost_sek": 5000},
    ]
    assert item["systems"] == ["Ekonomisystemet"]  # the non-public system is left out
    assert item["responsible"] == "Sara Systemägare"
    assert len(item["goals"]) == 1 and item["goals"][0].startswith("P2.")
    [row] = get_csv(client, m, "plan-items")
    assert row["costs"] == "2026: 100000 + 5000; 2027: 0 + 5000"
    assert row["systems"] == "Ekonomisystemet"
    for fmt in ("csv", "json"):
        body = client.get(url(m, "plan-items", fmt)).content.decode()
        assert "Hemlig satsning" not in body
        assert "Larmsystemet" not in body
        assert "Utkastnämnden" not in client.get(url(m, "it-plans", fmt)).content.decode()


@pytest.mark.django_db
def test_status_reports_only_issued(client: Client, register: Any) -> None:
    m = register["system"].municipality
    [row] = get_csv(client, m, "status-reports")
    assert row["title"] == "Lägesrapport våren"
    assert row["issued"] == "2026-06-30"
    assert row["commentary"] == "Bra."
    items = get_json(client, m, "status-reports")["items"]
    assert [i["title"] for i in items] == ["Lägesrapport våren"]


@pytest.mark.django_db
def test_contacts(client: Client, register: Any) -> None:
    m = register["system"].municipality
    rows = get_csv(client, m, "contacts")
    assert {(r["role"], r["name"]) for r in rows} == {
        ("it_coordinator", "Ida Samordnare"),
        ("system_owner", "Sara Systemägare"),
    }
    owner = next(r for r in rows if r["role"] == "system_owner")
    assert owner["system"] == "Ekonomisystemet"
    coordinator = next(r for r in rows if r["role"] == "it_coordinator")
    assert coordinator["email"] == "ida@kommun.example"
    assert coordinator["phone"] == "0505-123"
    assert coordinator["role_name"] == m.role_label(Role.IT_COORDINATOR)
    assert "Dold Ägare" not in client.get(url(m, "contacts", "json")).content.decode()


@pytest.mark.django_db
def test_questions_and_answers_never_the_sender(client: Client, register: Any) -> None:
    m = register["system"].municipality
    [row] = get_csv(client, m, "questions-and-answers")
    assert row["reference"] == "2026-0101"
    assert row["kind"] == "question"
    assert row["subject"] == "system"
    assert row["about"] == "Ekonomisystemet"
    # A spreadsheet would run the resident's text as a formula: the CSV defuses it.
    assert row["question"] == "'=Vilka uppgifter sparas?"
    assert row["answer"] == "Bara det nödvändiga."
    assert row["published"] == timezone.localdate().isoformat()
    [item] = get_json(client, m, "questions-and-answers")["items"]
    assert item["question"] == "=Vilka uppgifter sparas?"  # the JSON keeps the text as it is
    for fmt in ("csv", "json"):
        body = client.get(url(m, "questions-and-answers", fmt)).content.decode()
        for private in ("Anna Invånare", "anna@example.se", "2026-0102", "Opublicerad"):
            assert private not in body


@pytest.mark.django_db
def test_message_about_a_system_no_longer_public_does_not_name_it(
    client: Client, register: Any
) -> None:
    system = register["system"]
    system.is_public = False
    system.save()
    [item] = get_json(client, system.municipality, "questions-and-answers")["items"]
    assert item["about"] is None


# --- the files' form ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("dataset", [d.id for d in opendata.DATASETS])
def test_every_dataset_in_both_formats(
    client: Client, published: Municipality, dataset: str
) -> None:
    """An empty register gives a header row and an empty list, with the licence and a
    sensible file name."""
    response = client.get(url(published, dataset, "csv"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="{published.slug}-{dataset}.csv"'
    )
    assert response["Link"] == f'<{CC0}>; rel="license"'
    assert response["Access-Control-Allow-Origin"] == "*"
    assert get_csv(client, published, dataset) == []
    response = client.get(url(published, dataset, "json"))
    assert response["Link"] == f'<{CC0}>; rel="license"'
    assert "Set-Cookie" not in response
    assert get_json(client, published, dataset)["items"] == []


@pytest.mark.django_db
def test_csv_is_rfc_4180(client: Client, register: Any) -> None:
    """Commas, quotes and line breaks inside a value are quoted; lines end in CRLF."""
    system = register["system"]
    system.purpose = 'Budget, "redovisning"\noch uppföljning'
    system.save()
    response = client.get(url(system.municipality, "systems", "csv"))
    text = response.content.decode("utf-8")
    assert '"Budget, ""redovisning""\noch uppföljning"' in text
    assert text.endswith("\r\n")
    [row] = csv.DictReader(io.StringIO(text, newline=""))
    assert row["purpose"] == 'Budget, "redovisning"\noch uppföljning'


@pytest.mark.django_db
def test_licence_follows_the_settings(client: Client, published: Municipality) -> None:
    PortalSettings.objects.filter(municipality=published).update(data_licence=DataLicence.CC_BY)
    by = "http://creativecommons.org/licenses/by/4.0/"
    response = client.get(url(published, "products", "json"))
    assert json.loads(response.content)["licence"] == by
    assert response["Link"] == f'<{by}>; rel="license"'


@pytest.mark.django_db
def test_cached_copy_keeps_headers(client: Client, published: Municipality) -> None:
    first = client.get(url(published, "systems", "csv"))
    second = client.get(url(published, "systems", "csv"))
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    for header in ("Content-Type", "Content-Disposition", "Link", "Access-Control-Allow-Origin"):
        assert second[header] == first[header]
    again = client.get(url(published, "systems", "csv"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


# --- what is not there --------------------------------------------------------------------------


@pytest.mark.django_db
def test_unpublished_portal_is_404(client: Client) -> None:
    hidden = MunicipalityFactory()
    PortalSettingsFactory(municipality=hidden, is_published=False)
    none = MunicipalityFactory()
    for m in (hidden, none):
        assert client.get(url(m, "systems", "csv")).status_code == 404
        assert client.get(url(m, "systems", "json")).status_code == 404
        assert client.get(reverse("public:data", args=[m.slug])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "systems.xml",
        "systems.CSV",
        "systems.csv.gz",
        "secrets.csv",
        "incidents.json",
        "catalog.json",
    ],
)
def test_unknown_dataset_or_format_is_404(
    client: Client, published: Municipality, path: str
) -> None:
    response = client.get(f"/p/{published.slug}/data/{path}")
    assert response.status_code == 404


# --- queries ------------------------------------------------------------------------------------


def _rows(m: Municipality, n: int) -> None:
    """`n` public rows of every list, each with its related rows."""
    goal = Goal.objects.filter(municipality=m).first()
    for i in range(n):
        system = SystemFactory(municipality=m, is_public=True)
        product = ProductFactory(municipality=m)
        SystemProductFactory(system=system, product=product)
        PhaseDecision.objects.create(
            municipality=m,
            product=product,
            phase=Phase.APPROVED,
            effective_from=datetime.date(2025, 1, 1),
            reason="Skäl",
        )
        plan = adopted_plan(m, 2000 + i, board=BoardFactory(municipality=m))
        item = PlanItemFactory(
            plan=plan, responsible=system.system_owner, department=system.department
        )
        item.goals.add(goal)
        item.systems.add(system)
        cost(item, 2000 + i, investment=1000)
        report(m, issued_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=i))
        RoleAssignmentFactory(person=system.system_owner, role=Role.SYSTEM_OWNER, system=system)
        now = timezone.now()
        ResidentMessageFactory(
            municipality=m,
            system=system,
            subject=Subject.SYSTEM,
            publish_consent=True,
            status=MessageStatus.ANSWERED,
            answer="Svar",
            answered_at=now,
            published_at=now,
        )


def _queries(client: Client, m: Municipality) -> dict[tuple[str, str], int]:
    """The queries of each dataset in each format on a cache miss."""
    counts: dict[tuple[str, str], int] = {}
    for dataset in opendata.DATASETS:
        for fmt in opendata.FORMATS:
            cache.clear()  # a cache miss: the data is read
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url(m, dataset.id, fmt))
            assert response.status_code == 200
            counts[dataset.id, fmt] = len(queries)
    return counts


@pytest.mark.django_db
def test_query_count_does_not_grow_with_rows(
    client: Client, published: Municipality, django_assert_max_num_queries: Any
) -> None:
    other = MunicipalityFactory()
    PortalSettingsFactory(municipality=other)
    _rows(published, 2)
    _rows(other, 20)
    few = _queries(client, published)
    many = _queries(client, other)
    assert many == few
    for dataset in opendata.DATASETS:
        assert len(get_json(client, published, dataset.id)["items"]) == 2, dataset.id
        assert len(get_json(client, other, dataset.id)["items"]) == 20, dataset.id
    # The municipality, the list, and one per prefetched relation (a plan item's goals, costs
    # and systems): never one per row.
    cache.clear()
    with django_assert_max_num_queries(5):
        assert client.get(url(other, "plan-items", "json")).status_code == 200


# --- the open-data page -------------------------------------------------------------------------


@pytest.mark.django_db
def test_data_page_describes_every_dataset(client: Client, published: Municipality) -> None:
    with_queries = reverse("public:data", args=[published.slug])
    response = client.get(with_queries)
    assert response.status_code == 200
    html = response.content.decode()
    for dataset in opendata.DATASETS:
        assert f'id="{dataset.id}"' in html
        assert str(dataset.title) in html
        assert url(published, dataset.id, "csv") in html
        assert url(published, dataset.id, "json") in html
        for f in dataset.fields:
            assert f"<code>{f.id}</code>" in html
    assert "<code>in_production</code>" in html  # a code field lists its codes
    assert CC0 in html
    assert reverse("public:catalog", args=[published.slug]) in html
    assert reverse("public:catalog_rdf", args=[published.slug]) in html
    assert html.count("<caption>") == len(opendata.DATASETS)
    # A public page: no token, no session, no script.
    assert "csrfmiddlewaretoken" not in html
    assert "<script" not in html
    assert "Set-Cookie" not in response
    assert 'aria-current="page"' in html  # the layout marks "Open data" as the current page


@pytest.mark.django_db
def test_data_page_reads_no_rows(
    client: Client, published: Municipality, django_assert_max_num_queries: Any
) -> None:
    _rows(published, 3)
    with django_assert_max_num_queries(1):
        response = client.get(reverse("public:data", args=[published.slug]))
    assert response.status_code == 200
