"""The pages of the departments' training plans (P6.2), the IT department's competence plan and
its watch log (P6.4): who reads and keeps them, the plan's lines, total, adoption and follow-up,
the IT plan's choices, and the watch log's links and filters."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality
from stadga.plans.tests.factories import ITPlanFactory, PlanItemFactory
from stadga.testing.factories import (
    MunicipalityFactory,
    PersonFactory,
    ProductFactory,
    SystemFactory,
    member,
)
from stadga.testing.matrix import ViewMatrix
from stadga.training.choices import TrainingPlanStatus
from stadga.training.models import TrainingPlan, TrainingPlanLine, WatchNote

from .factories_plans import (
    CourseFactory,
    TrainingPlanFactory,
    TrainingPlanLineFactory,
    WatchNoteFactory,
    department,
    name_central_office,
)

pytestmark = pytest.mark.django_db


def url(m: Municipality, rest: str = "") -> str:
    return f"/k/{m.slug}/training/{rest}"


class TestPlanPages(ViewMatrix):
    url_prefix = "training/plans"

    def model_class(self) -> Any:
        return TrainingPlan

    def make(self, municipality: Municipality, **kwargs: Any) -> TrainingPlan:
        return TrainingPlanFactory(municipality=municipality, **kwargs)

    def form_data(self, municipality: Municipality) -> dict[str, Any]:
        return {
            "department": department(municipality).pk,
            "year": 2026,
            "it_plan": "",
            "summary": "Grundkurser för nyanställda.",
        }

    def edit_data(self, obj: TrainingPlan) -> dict[str, Any]:
        return {
            "department": obj.department_id,
            "year": obj.year,
            "it_plan": "",
            "summary": "Ny sammanfattning",
        }

    def edited_values(self) -> dict[str, Any]:
        return {"summary": "Ny sammanfattning"}

    def invalid_data(self, obj: TrainingPlan) -> dict[str, Any]:
        return {**self.edit_data(obj), "year": "1999"}

    def list_field(self, obj: Any) -> str:
        return f'href="{obj.get_absolute_url()}"'


class TestWatchNotePages(ViewMatrix):
    url_prefix = "training/watch"

    def model_class(self) -> Any:
        return WatchNote

    def make(self, municipality: Municipality, **kwargs: Any) -> WatchNote:
        return WatchNoteFactory(municipality=municipality, **kwargs)

    def form_data(self, municipality: Municipality) -> dict[str, Any]:
        return {
            "noted_on": "2026-03-01",
            "title": "Molntjänster för e-post",
            "body": "Leverantörerna fasar ut lokal drift.",
        }

    def edit_data(self, obj: WatchNote) -> dict[str, Any]:
        return {"noted_on": obj.noted_on.isoformat(), "title": "Ändrad rubrik", "body": ""}

    def edited_values(self) -> dict[str, Any]:
        return {"title": "Ändrad rubrik"}

    def invalid_data(self, obj: WatchNote) -> dict[str, Any]:
        return {**self.edit_data(obj), "title": ""}


# --- a department head keeps their own department's plan ---------------------------------------


def test_department_head_keeps_own_plan_only(client: Any) -> None:
    m = MunicipalityFactory()
    own, other = department(m), department(m)
    head = member(m, Role.DEPARTMENT_HEAD, department=own)
    client.force_login(head)
    page = client.get(url(m, "plans/new/")).content.decode()
    assert f'value="{own.pk}"' in page
    assert f'value="{other.pk}"' not in page  # only their own departments are offered
    response = client.post(
        url(m, "plans/new/"), {"department": own.pk, "year": 2026, "summary": "Plan"}
    )
    assert response.status_code == 302
    plan = TrainingPlan.objects.get(department=own)
    assert LogEntry.objects.get_for_object(plan).get().actor == head
    refused = client.post(
        url(m, "plans/new/"), {"department": other.pk, "year": 2026, "summary": "Plan"}
    )
    assert refused.status_code == 400
    assert not TrainingPlan.objects.filter(department=other).exists()
    others_plan = TrainingPlanFactory(municipality=m, department=other)
    assert client.get(url(m, f"plans/{others_plan.pk}/")).status_code == 200  # reads it
    assert client.get(url(m, f"plans/{others_plan.pk}/edit/")).status_code == 403
    assert client.post(url(m, f"plans/{others_plan.pk}/lines/new/"), {}).status_code == 403
    assert client.post(url(m, f"plans/{others_plan.pk}/adopt/")).status_code == 403


def test_employee_may_not_create_plans(client: Any) -> None:
    m = MunicipalityFactory()
    client.force_login(member(m, Role.EMPLOYEE))
    assert client.get(url(m, "plans/new/")).status_code == 403


def test_plan_lines_total_adopt_and_follow_up(client: Any, in_english: None) -> None:
    m = MunicipalityFactory()
    plan = TrainingPlanFactory(municipality=m)
    course = CourseFactory(municipality=m, name="Säkerhetsmedvetande")
    client.force_login(member(m, Role.DEPARTMENT_HEAD, department=plan.department))
    # Nothing planned: nothing to adopt.
    client.post(url(m, f"plans/{plan.pk}/adopt/"))
    plan.refresh_from_db()
    assert plan.status == TrainingPlanStatus.DRAFT
    created = client.post(
        url(m, f"plans/{plan.pk}/lines/new/"),
        {"course": course.pk, "participants": 12, "cost": "6000", "shared_with_others": "on"},
    )
    assert created.status_code == 302
    client.post(
        url(m, f"plans/{plan.pk}/lines/new/"),
        {"description": "Excel fortsättning", "participants": 3, "cost": "4500.50"},
    )
    bad = client.post(url(m, f"plans/{plan.pk}/lines/new/"), {"participants": 1, "cost": "1"})
    assert bad.status_code == 400  # neither a course nor a description
    page = client.get(url(m, f"plans/{plan.pk}/")).content.decode()
    assert "Säkerhetsmedvetande" in page and "Excel fortsättning" in page
    assert 'id="plan-total">10' in page  # 10 500,50 shown in whole kronor
    assert "a joint effort with other departments" in page
    line = TrainingPlanLine.objects.get(description="Excel fortsättning")
    edit = client.post(
        url(m, f"plans/{plan.pk}/lines/{line.pk}/edit/"),
        {"description": "Excel fortsättning", "participants": 4, "cost": "6000"},
    )
    assert edit.status_code == 302
    line.refresh_from_db()
    assert line.participants == 4
    client.post(url(m, f"plans/{plan.pk}/lines/{line.pk}/archive/"))
    line.refresh_from_db()
    assert line.is_archived
    assert client.post(url(m, f"plans/{plan.pk}/adopt/")).status_code == 302
    plan.refresh_from_db()
    assert plan.status == TrainingPlanStatus.ADOPTED
    assert client.post(url(m, f"plans/{plan.pk}/follow-up/"), {"follow_up": ""}).status_code == 400
    done = client.post(url(m, f"plans/{plan.pk}/follow-up/"), {"follow_up": "Allt genomfört."})
    assert done.status_code == 302
    plan.refresh_from_db()
    assert plan.status == TrainingPlanStatus.FOLLOWED_UP
    # A followed-up plan is a record.
    assert client.get(url(m, f"plans/{plan.pk}/edit/")).status_code == 403
    assert client.get(url(m, f"plans/{plan.pk}/lines/new/")).status_code == 403


def test_it_plan_choices_are_the_boards_plans_of_the_year(client: Any) -> None:
    m = MunicipalityFactory()
    dept = department(m)
    plan = TrainingPlanFactory(municipality=m, department=dept, year=2026)
    own = ITPlanFactory(municipality=m, board=dept.board, year=2026)
    other_year = ITPlanFactory(municipality=m, board=dept.board, year=2025)
    other_board = ITPlanFactory(municipality=m, year=2026)
    client.force_login(member(m, Role.IT_COORDINATOR))
    page = client.get(url(m, f"plans/{plan.pk}/edit/")).content.decode()
    assert f'value="{own.pk}"' in page
    assert f'value="{other_year.pk}"' not in page
    assert f'value="{other_board.pk}"' not in page
    data = {"department": dept.pk, "year": 2026, "summary": ""}
    assert (
        client.post(url(m, f"plans/{plan.pk}/edit/"), {**data, "it_plan": own.pk}).status_code
        == 302
    )
    plan.refresh_from_db()
    assert plan.it_plan == own
    refused = client.post(url(m, f"plans/{plan.pk}/edit/"), {**data, "it_plan": other_board.pk})
    assert refused.status_code == 400


def test_list_shows_totals_it_plan_and_the_competence_plan(client: Any, in_english: None) -> None:
    m = MunicipalityFactory()
    office = department(m, name="Kommunledningskontoret")
    name_central_office(m, office)
    it_plan = ITPlanFactory(municipality=m, board=office.board, year=2026)
    competence = TrainingPlanFactory(municipality=m, department=office, year=2026, it_plan=it_plan)
    TrainingPlanLineFactory(plan=competence, cost=Decimal("12000"), shared_with_others=True)
    TrainingPlanLineFactory(plan=competence, cost=Decimal("3000"))
    TrainingPlanLineFactory(plan=competence, cost=Decimal("99999"))
    archived = TrainingPlanLineFactory(plan=competence, cost=Decimal("50000"))
    archived.archived_at = timezone.now()
    archived.save()
    TrainingPlanFactory(municipality=m, year=2025)
    client.force_login(member(m))
    page = client.get(url(m, "plans/")).content.decode()
    assert "The IT department&#x27;s competence plan (Kommunledningskontoret)" in page
    assert "114\u00a0999" in page  # 12 000 + 3 000 + 99 999; the archived line does not count
    assert f'href="{it_plan.get_absolute_url()}"' in page
    only_2025 = client.get(url(m, "plans/?year=2025")).content.decode()
    assert f'href="{competence.get_absolute_url()}"' not in only_2025
    detail = client.get(url(m, f"plans/{competence.pk}/")).content.decode()
    assert 'id="competence-plan"' in detail


def test_plan_list_query_count_with_lines_and_it_plans(client: Any) -> None:
    m = MunicipalityFactory()
    client.force_login(member(m, Role.IT_COORDINATOR))
    counts = []
    for _ in range(2):
        for n in range(15):
            dept = department(m)
            it_plan = ITPlanFactory(municipality=m, board=dept.board, year=2026)
            plan = TrainingPlanFactory(municipality=m, department=dept, year=2026, it_plan=it_plan)
            TrainingPlanLineFactory(plan=plan, shared_with_others=n % 2 == 0)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(m, "plans/")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- the watch log ----------------------------------------------------------------------------


def test_watch_list_query_count_with_links(client: Any) -> None:
    m = MunicipalityFactory()
    client.force_login(member(m))
    counts = []
    for _ in range(2):
        for _ in range(12):
            note = WatchNoteFactory(municipality=m, author=PersonFactory(municipality=m))
            note.products.add(ProductFactory(municipality=m))
            note.systems.add(SystemFactory(municipality=m))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(m, "watch/")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_watch_note_links_filters_and_newest_first(client: Any) -> None:
    m = MunicipalityFactory()
    product = ProductFactory(municipality=m, name="Officepaketet")
    system = SystemFactory(municipality=m, name="Ekonomisystemet")
    item = PlanItemFactory(plan=ITPlanFactory(municipality=m), title="Byte av e-post")
    old = WatchNoteFactory(municipality=m, title="Äldre", noted_on=datetime.date(2025, 1, 1))
    new = WatchNoteFactory(municipality=m, title="Nyare", noted_on=datetime.date(2026, 1, 1))
    new.products.add(product)
    new.systems.add(system)
    new.plan_items.add(item)
    client.force_login(member(m, Role.IT_COORDINATOR))
    page = client.get(url(m, "watch/")).content.decode()
    assert page.index("Nyare") < page.index("Äldre")
    filtered = client.get(url(m, f"watch/?product={product.pk}")).content.decode()
    assert "Nyare" in filtered and "Äldre" not in filtered
    by_system = client.get(url(m, f"watch/?system={system.pk}")).content.decode()
    assert "Nyare" in by_system and "Äldre" not in by_system
    detail = client.get(url(m, f"watch/{new.pk}/")).content.decode()
    for linked in (product, system, item):
        assert f'href="{linked.get_absolute_url()}"' in detail
    assert old.pk


def test_watch_note_detail_hides_plan_items_and_systems_an_employee_does_not_read(
    client: Any,
) -> None:
    m = MunicipalityFactory()
    system = SystemFactory(municipality=m, name="Socialsystemet")
    item = PlanItemFactory(plan=ITPlanFactory(municipality=m), title="Hemlig satsning")
    note = WatchNoteFactory(municipality=m)
    note.systems.add(system)
    note.plan_items.add(item)
    client.force_login(member(m))
    detail = client.get(url(m, f"watch/{note.pk}/")).content.decode()
    assert "Hemlig satsning" not in detail
    assert "Socialsystemet" not in detail


def test_watch_note_refuses_another_municipalitys_product(client: Any) -> None:
    m = MunicipalityFactory()
    foreign = ProductFactory(municipality=MunicipalityFactory())
    client.force_login(member(m, Role.IT_COORDINATOR))
    response = client.post(
        url(m, "watch/new/"),
        {"noted_on": "2026-01-01", "title": "X", "products": [foreign.pk]},
    )
    assert response.status_code == 400
    assert not WatchNote.objects.filter(municipality=m).exists()


def test_watch_note_author_is_offered_from_the_municipality(client: Any) -> None:
    m = MunicipalityFactory()
    stranger = PersonFactory(municipality=MunicipalityFactory())
    client.force_login(member(m, Role.IT_COORDINATOR))
    page = client.get(url(m, "watch/new/")).content.decode()
    assert stranger.name not in page
