"""Premises, their tenants and the yearly internal-rent allocation of passive network costs
(P3.6, P3.7, P3.10): the shares of a premises sum to one, the allocation follows the cost
categories and the tenancies, and rounding to whole kronor loses no krona."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality
from stadga.plans import services
from stadga.plans.choices import BearerKind, Tenure
from stadga.plans.models import PlanItem, PlansSettings, Premises, Tenancy
from stadga.plans.rent import rent_allocation, split_whole_kronor
from stadga.testing.factories import DepartmentFactory, MunicipalityFactory, member
from stadga.testing.matrix import ViewMatrix

from .factories import ITPlanFactory, PlanItemFactory, adopted_plan, category, cost

pytestmark = pytest.mark.django_db

YEAR = 2026
JAN_1 = datetime.date(YEAR, 1, 1)


# --- the arithmetic: largest remainder, no krona lost -------------------------------------------


def test_thirds_sum_to_the_total_and_the_extra_krona_goes_to_the_first() -> None:
    assert split_whole_kronor(100, [Fraction(1, 3)] * 3) == [34, 33, 33]
    assert split_whole_kronor(200, [Fraction(1, 3)] * 3) == [67, 67, 66]
    assert split_whole_kronor(99, [Fraction(1, 3)] * 3) == [33, 33, 33]
    # Stored shares are four-decimal fractions: 0.3333 + 0.3333 + 0.3334.
    assert split_whole_kronor(100, [Decimal("0.3333"), Decimal("0.3333"), Decimal("0.3334")]) == [
        33,
        33,
        34,
    ]


def test_many_tenants_the_largest_remainders_get_the_kronor_left() -> None:
    # 1 000 kr over 7 equal tenants: 142.857… each; 6 kronor are left after rounding down.
    parts = split_whole_kronor(1000, [1] * 7)
    assert sum(parts) == 1000 and sorted(parts) == [142] + [143] * 6
    # 10 kr over 40 %, 35 %, 25 %: exact 4, 3.5, 2.5 → 4, 4, 2 (the earlier of equal remainders).
    assert split_whole_kronor(10, [Decimal("0.4"), Decimal("0.35"), Decimal("0.25")]) == [4, 4, 2]
    # A krona over a hundred tenants goes to one of them, not to none or all.
    assert split_whole_kronor(1, [1] * 100) == [1] + [0] * 99
    assert split_whole_kronor(0, [1, 2]) == [0, 0]


def test_the_split_refuses_what_cannot_be_split() -> None:
    with pytest.raises(ValueError):
        split_whole_kronor(-1, [1])
    with pytest.raises(ValueError):
        split_whole_kronor(10, [0, 0])


@given(
    total=st.integers(min_value=0, max_value=10**12),
    weights=st.lists(
        st.fractions(min_value=0, max_value=1, max_denominator=10_000), min_size=1, max_size=60
    ).filter(lambda ws: sum(ws) > 0),
)
def test_the_parts_always_sum_to_the_total_and_each_is_within_a_krona(
    total: int, weights: list[Fraction]
) -> None:
    parts = split_whole_kronor(total, weights)
    assert sum(parts) == total
    whole = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        assert abs(part - Fraction(total) * weight / whole) < 1
        assert part >= 0


# --- tenancies: the shares of a premises sum to one (P3.7) ---------------------------------------


@pytest.fixture
def town() -> dict[str, Any]:
    m = MunicipalityFactory()
    departments = {
        name: DepartmentFactory(municipality=m, board__municipality=m, name=name)
        for name in ("KLK", "SOC", "SBF", "TF")
    }
    PlansSettings.objects.create(municipality=m, technical_department=departments["TF"])
    hall = Premises.objects.create(municipality=m, name="Kommunhuset", tenure=Tenure.OWNED)
    return {"m": m, "hall": hall, **departments}


def _set(
    premises: Premises, day: datetime.date, *shares: tuple[Any, str], actor: Any = None
) -> Any:
    return services.tenancies_set(
        premises=premises,
        valid_from=day,
        shares=[(d, Decimal(s)) for d, s in shares],
        actor=actor,
    )


def test_shares_must_sum_to_one_with_a_clear_error(town: dict[str, Any]) -> None:
    hall = town["hall"]
    with pytest.raises(ValidationError) as error, translation.override("en"):
        _set(hall, JAN_1, (town["KLK"], "0.40"), (town["SOC"], "0.35"), (town["SBF"], "0.20"))
    assert "sum to 95 %" in " ".join(error.value.messages)
    with pytest.raises(ValidationError):
        _set(hall, JAN_1, (town["KLK"], "0.60"), (town["SOC"], "0.60"))
    with pytest.raises(ValidationError):  # each department once
        _set(hall, JAN_1, (town["KLK"], "0.5"), (town["KLK"], "0.5"))
    other = DepartmentFactory()  # another municipality's
    with pytest.raises(ValidationError):
        _set(hall, JAN_1, (other, "1"))
    assert not Tenancy.objects.exists()
    _set(hall, JAN_1, (town["KLK"], "0.40"), (town["SOC"], "0.35"), (town["SBF"], "0.25"))
    assert Tenancy.objects.filter(premises=hall).count() == 3


def test_new_tenants_end_the_old_ones_the_day_before_and_supersede_later_ones(
    town: dict[str, Any],
) -> None:
    hall = town["hall"]
    _set(hall, JAN_1, (town["KLK"], "0.5"), (town["SOC"], "0.5"))
    later = datetime.date(YEAR, 7, 1)
    _set(hall, later, (town["KLK"], "1"))
    old = Tenancy.objects.filter(premises=hall, valid_from=JAN_1)
    assert {t.valid_until for t in old} == {datetime.date(YEAR, 6, 30)}
    # Correcting from an earlier day archives the later set (kept, not deleted) and ends the first.
    _set(hall, datetime.date(YEAR, 3, 1), (town["SBF"], "1"))
    july = Tenancy.objects.get(premises=hall, valid_from=later)
    assert july.archived_at is not None
    current = Tenancy.objects.filter(premises=hall, archived_at__isnull=True)
    for day in (JAN_1, datetime.date(YEAR, 3, 1), datetime.date(YEAR, 12, 31)):
        in_force = [t.share for t in current if t.in_force_on(day)]
        assert sum(in_force) == 1
    assert LogEntry.objects.get_for_object(july).count() == 2  # created, archived


def test_only_the_it_coordinator_keeps_premises_and_tenants(town: dict[str, Any]) -> None:
    m, hall = town["m"], town["hall"]
    with pytest.raises(PermissionDenied):
        _set(hall, JAN_1, (town["KLK"], "1"), actor=member(m, Role.AUDITOR))
    with pytest.raises(PermissionDenied):
        services.premises_create(municipality=m, data={"name": "Skolan"}, actor=member(m))
    _set(hall, JAN_1, (town["KLK"], "1"), actor=member(m, Role.IT_COORDINATOR))


def test_leased_premises_follow_the_investment_policy() -> None:
    """P3.10."""
    m = MunicipalityFactory()
    leased = services.premises_create(
        municipality=m, data={"name": "Kontoret", "tenure": Tenure.LEASED}, actor=None
    )
    owned = services.premises_create(municipality=m, data={"name": "Huset"}, actor=None)
    assert leased.follows_investment_policy and not owned.follows_investment_policy


# --- the allocation (P3.6, P3.7) ----------------------------------------------------------------


def cabling_item(
    m: Municipality, premises: Premises | None, amount: int, **kwargs: Any
) -> PlanItem:
    plan = kwargs.pop("plan", None) or adopted_plan(m, YEAR)
    item = PlanItemFactory(
        plan=plan,
        cost_category=category(m, BearerKind.TECHNICAL_DEPARTMENT),
        premises=premises,
        **kwargs,
    )
    cost(item, YEAR, amount, 0)
    return item


@pytest.fixture
def allocation_data(town: dict[str, Any]) -> dict[str, Any]:
    """Kommunhuset 40/35/25; a school rented by SOC alone; an empty office; cabling in each,
    common cabling, and costs that must not count."""
    m, hall = town["m"], town["hall"]
    _set(
        hall,
        datetime.date(2020, 1, 1),
        (town["KLK"], "0.40"),
        (town["SOC"], "0.35"),
        (town["SBF"], "0.25"),
    )
    school = Premises.objects.create(municipality=m, name="Skolan", tenure=Tenure.LEASED)
    _set(school, datetime.date(2020, 1, 1), (town["SOC"], "1"))
    empty = Premises.objects.create(municipality=m, name="Tomma kontoret", tenure=Tenure.LEASED)
    plan = adopted_plan(m, YEAR)
    cabling_item(m, hall, 100_001, plan=plan)
    cabling_item(m, school, 50_000, plan=plan)
    cabling_item(m, empty, 7_000, plan=plan)
    cabling_item(m, None, 10_001, plan=plan)  # the common network
    # Not counted: a draft plan's item, an archived item, another year's cost, another category,
    # an item whose cost another department bears, another municipality's cabling.
    cabling_item(m, hall, 900_000, plan=ITPlanFactory(municipality=m, year=YEAR))
    cabling_item(m, hall, 900_000, plan=plan, archived_at=timezone.now())
    item = cabling_item(m, hall, 0, plan=plan)
    cost(item, YEAR + 1, 900_000)
    own = PlanItemFactory(
        plan=plan, cost_category=category(m, BearerKind.OWN_DEPARTMENT), premises=hall
    )
    cost(own, YEAR, 900_000)
    cabling_item(m, hall, 900_000, plan=plan, bearer=town["SOC"], bearer_reason="Egen ombyggnad.")
    cabling_item(MunicipalityFactory(), None, 900_000)
    return {**town, "school": school, "empty": empty}


def test_the_allocation_per_premises_and_department(allocation_data: dict[str, Any]) -> None:
    d = allocation_data
    with CaptureQueriesContext(connection) as queries:
        allocation = rent_allocation(municipality=d["m"], year=YEAR)
    assert len(queries) <= 5
    assert allocation.total == 100_001 + 50_000 + 7_000 + 10_001
    assert allocation.common == 10_001
    rows = {r.premises.name: r for r in allocation.rows}
    assert set(rows) == {"Kommunhuset", "Skolan"}  # the empty office has no tenants
    # The common 10 001 kr split equally over the two let premises: 5 001 + 5 000.
    assert (rows["Kommunhuset"].direct, rows["Kommunhuset"].common) == (100_001, 5_001)
    assert (rows["Skolan"].direct, rows["Skolan"].common) == (50_000, 5_000)
    # 105 002 kr by 40/35/25 %: 42 000.8, 36 750.7, 26 250.5 → 42 001, 36 751, 26 250.
    hall = {p.department.name: p.amount for p in rows["Kommunhuset"].parts}
    assert hall == {"KLK": 42_001, "SOC": 36_751, "SBF": 26_250}
    assert sum(hall.values()) == rows["Kommunhuset"].total
    per_department = {r.department.name: r.amount for r in allocation.departments}
    assert per_department == {"KLK": 42_001, "SBF": 26_250, "SOC": 36_751 + 55_000}
    assert [(u.premises, u.amount) for u in allocation.unallocated] == [(d["empty"], 7_000)]
    # Not a krona lost or made up.
    assert allocation.allocated + allocation.unallocated_total == allocation.total


def test_tenancies_count_as_they_stand_on_the_first_of_january(town: dict[str, Any]) -> None:
    m, hall = town["m"], town["hall"]
    _set(hall, datetime.date(YEAR - 1, 1, 1), (town["KLK"], "1"))
    _set(hall, datetime.date(YEAR, 2, 1), (town["SOC"], "1"))  # from next year's rent on
    cabling_item(m, hall, 1_000)
    allocation = rent_allocation(municipality=m, year=YEAR)
    assert [(r.department.name, r.amount) for r in allocation.departments] == [("KLK", 1_000)]


def test_with_no_let_premises_everything_is_unallocated(town: dict[str, Any]) -> None:
    m = town["m"]
    cabling_item(m, None, 3_000)
    allocation = rent_allocation(municipality=m, year=YEAR)
    assert allocation.departments == [] and allocation.unallocated_total == 3_000


def test_an_archived_premises_cost_is_unallocated(town: dict[str, Any]) -> None:
    m, hall = town["m"], town["hall"]
    _set(hall, datetime.date(2020, 1, 1), (town["KLK"], "1"))
    cabling_item(m, hall, 4_000)
    services.premises_archive(premises=hall, actor=None)
    allocation = rent_allocation(municipality=m, year=YEAR)
    assert [(u.premises, u.amount) for u in allocation.unallocated] == [(hall, 4_000)]


def test_many_tenants_in_thirds_lose_no_krona(town: dict[str, Any]) -> None:
    m = town["m"]
    thirds = Premises.objects.create(municipality=m, name="Tredjedelar")
    _set(thirds, JAN_1, (town["KLK"], "0.3333"), (town["SOC"], "0.3333"), (town["SBF"], "0.3334"))
    many = Premises.objects.create(municipality=m, name="Många")
    tenants = [DepartmentFactory(municipality=m, board__municipality=m) for _ in range(16)]
    _set(many, JAN_1, *[(t, "0.0625") for t in tenants])
    cabling_item(m, thirds, 100)
    cabling_item(m, many, 1_000_003)
    cabling_item(m, None, 1)
    allocation = rent_allocation(municipality=m, year=YEAR)
    rows = {r.premises.name: r for r in allocation.rows}
    # 100 kr by 33.33 % (KLK), 33.34 % (SBF), 33.33 % (SOC): the krona left goes to SBF.
    thirds_parts = [(p.department.name, p.amount) for p in rows["Tredjedelar"].parts]
    assert thirds_parts == [("KLK", 33), ("SBF", 34), ("SOC", 33)]
    assert rows["Många"].common == 1  # the common krona, to the first let premises by name
    assert sum(p.amount for p in rows["Många"].parts) == rows["Många"].total
    assert allocation.allocated == allocation.total == 1_000_104


# --- the pages ----------------------------------------------------------------------------------


class TestPremisesPages(ViewMatrix):
    """Premises (P3.7, P3.10): every member reads them, the IT coordinator keeps them."""

    url_prefix = "plans/premises"
    list_rows = (5, 40)

    def model_class(self) -> Any:
        return Premises

    def make(self, municipality: Municipality, **kwargs: Any) -> Premises:
        number = Premises.objects.filter(municipality=municipality).count() + 1
        return Premises.objects.create(municipality=municipality, name=f"Lokal {number}", **kwargs)

    def form_data(self, municipality: Municipality) -> dict[str, Any]:
        return {
            "name": "Nya skolan",
            "address": "Skolgatan 1",
            "tenure": "leased",
            "lease_note": "",
        }

    def edit_data(self, obj: Premises) -> dict[str, Any]:
        return {"name": "Ändrat namn", "address": "", "tenure": obj.tenure, "lease_note": ""}


def _tenant_post(day: str, *rows: tuple[Any, str]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "valid_from": day,
        "form-TOTAL_FORMS": str(len(rows) + 1),
        "form-INITIAL_FORMS": "0",
    }
    for index, (department, share) in enumerate(rows):
        data[f"form-{index}-department"] = department.pk
        data[f"form-{index}-share"] = share
    return data


def test_the_tenants_page_sets_shares_that_sum_to_one(client: Any, town: dict[str, Any]) -> None:
    m, hall = town["m"], town["hall"]
    url = f"/k/{m.slug}/plans/premises/{hall.pk}/tenants/"
    client.force_login(member(m, Role.AUDITOR))
    assert client.get(url).status_code == 403
    page = client.get(hall.get_absolute_url()).content.decode()
    assert url not in page
    client.force_login(member(m, Role.IT_COORDINATOR))
    assert client.get(url).status_code == 200
    response = client.post(
        url, _tenant_post("2026-01-01", (town["KLK"], "0.5"), (town["SOC"], "0.4"))
    )
    assert response.status_code == 400 and 'class="error-summary"' in response.content.decode()
    response = client.post(
        url, _tenant_post("2026-01-01", (town["KLK"], "0.6"), (town["SOC"], "0.4"))
    )
    assert response.status_code == 302
    page = client.get(hall.get_absolute_url()).content.decode()
    assert url in page and "60\u00a0%" in page and 'id="tenancies"' in page
    client.force_login(member(MunicipalityFactory(), Role.IT_COORDINATOR))
    assert client.get(url).status_code == 404


def test_a_leased_premises_page_says_it_follows_the_investment_policy(client: Any) -> None:
    m = MunicipalityFactory()
    leased = Premises.objects.create(municipality=m, name="Kontoret", tenure=Tenure.LEASED)
    owned = Premises.objects.create(municipality=m, name="Huset")
    client.force_login(member(m))
    assert 'id="investment-policy"' in client.get(leased.get_absolute_url()).content.decode()
    assert 'id="investment-policy"' not in client.get(owned.get_absolute_url()).content.decode()


def test_every_member_reads_the_rent_report_and_its_workbook(
    client: Any, allocation_data: dict[str, Any]
) -> None:
    m = allocation_data["m"]
    client.force_login(member(m))  # e.g. the finance office
    page = client.get(f"/k/{m.slug}/plans/rent/?year={YEAR}")
    assert page.status_code == 200
    text = page.content.decode()
    assert "91\u00a0751" in text  # SOC: 36 751 + 55 000
    assert 'id="rent-unallocated"' in text and "7\u00a0000" in text

    response = client.get(f"/k/{m.slug}/plans/rent/?year={YEAR}&format=xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'internhyra-natverk-{m.slug}-{YEAR}.xlsx"')
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Förvaltningar", "Lokaler", "Ej fördelat"]
    rows = list(workbook["Förvaltningar"].iter_rows(values_only=True))
    assert rows == [
        ("Förvaltning", "Internhyra nät (kr)"),
        ("KLK", 42_001),
        ("SBF", 26_250),
        ("SOC", 91_751),
        ("Summa", 160_002),
    ]
    premises = list(workbook["Lokaler"].iter_rows(values_only=True))
    assert premises[1] == ("Kommunhuset", "Ägd", "KLK", 0.4, 100_001, 5_001, 42_001)
    assert sum(r[6] for r in premises[1:]) == 160_002
    rest = list(workbook["Ej fördelat"].iter_rows(values_only=True))
    assert rest[1][:2] == ("Tomma kontoret", 7_000) and rest[-1][:2] == ("Summa", 7_000)

    assert client.get(f"/k/{MunicipalityFactory().slug}/plans/rent/").status_code == 404


def test_rent_report_query_count_does_not_grow_with_premises(
    client: Any, town: dict[str, Any]
) -> None:
    m = town["m"]
    client.force_login(member(m, Role.IT_COORDINATOR))
    plan = adopted_plan(m, YEAR)
    counts = []
    for number in (2, 12):
        while Premises.objects.filter(municipality=m).count() < number:
            p = Premises.objects.create(municipality=m, name=f"Lokal {Premises.objects.count()}")
            _set(p, JAN_1, (town["KLK"], "0.5"), (town["SOC"], "0.5"))
            cabling_item(m, p, 1_000, plan=plan)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/k/{m.slug}/plans/rent/?year={YEAR}").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_premises_page_query_count_does_not_grow_with_tenancies(
    client: Any, town: dict[str, Any]
) -> None:
    m, hall = town["m"], town["hall"]
    client.force_login(member(m, Role.IT_COORDINATOR))
    counts = []
    for year in (2020, 2021, 2022, 2023):
        _set(hall, datetime.date(year, 1, 1), (town["KLK"], "0.5"), (town["SOC"], "0.5"))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(hall.get_absolute_url()).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[-1], counts


def test_an_item_may_name_its_premises_and_the_copy_keeps_it(town: dict[str, Any]) -> None:
    m, hall = town["m"], town["hall"]
    item = cabling_item(m, hall, 1_000)
    copy = services.it_plan_copy_to_next_year(plan=item.plan, actor=None)
    assert copy.plan_items.get().premises == hall
