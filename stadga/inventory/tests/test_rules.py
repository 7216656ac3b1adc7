"""The inventory's compliance rule (P5.4, P5.5): not measurable without an inventory, met when
nothing unapproved or retired is installed, not met with the products that are, narrowed to a
board or department, bound by the shipped policy, in a fixed number of queries, and shown on the
live policy page once an inventory is imported."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from stadga.catalogue.choices import Phase
from stadga.organisation.choices import Role
from stadga.policy.choices import Status
from stadga.policy.library import load_library, read_library, shipped_libraries
from stadga.policy.models import PolicyAdoption
from stadga.policy.registry import RuleContext, RuleResult, get_rule
from stadga.testing.factories import BoardFactory, member

from .report_data import INVENTORY_ROWS, load_inventory, make_inventory_org, many_rows, set_phase

pytestmark = pytest.mark.django_db

RULE = "inventory.installed_software_approved"


@pytest.fixture
def org() -> dict[str, Any]:
    return make_inventory_org()


def run(municipality: Any, **scope: Any) -> RuleResult:
    with translation.override("en"):
        return get_rule(RULE).evaluate(RuleContext(municipality=municipality, **scope))


def test_not_measurable_without_an_inventory(org: dict[str, Any]) -> None:
    result = run(org["municipality"])
    assert result.status == Status.NOT_MEASURABLE
    assert "No inventory of installed software is imported" in result.summary


def test_not_met_with_the_products_installed_without_approval(org: dict[str, Any]) -> None:
    m = org["municipality"]
    load_inventory(m, INVENTORY_ROWS)
    result = run(m)
    assert result.status == Status.NOT_MET
    # 4 supported of 7 installations of known software; the unknown one is not counted.
    assert (result.numerator, result.denominator) == (4, 7)
    assert result.summary.startswith(
        "3 of 7 installations of known software are of unapproved or retired products "
        "(2 products, on 3 devices)"
    )
    assert "1 installation of software not yet in the dictionary is not counted" in (result.summary)
    assert result.offender_count == 2
    assert [(o.label, o.reason) for o in result.offenders] == [
        ("WinRAR", "Unapproved: 2 installations on 2 devices"),
        ("Flash Player", "Retired: 1 installation on 1 device"),
    ]
    link = urlparse(result.offenders[0].url)
    assert link.path == f"/k/{m.slug}/inventory/deviations/"
    assert parse_qs(link.query) == {"product": [str(org["winrar"].pk)]}


def test_met_when_what_is_installed_is_approved(org: dict[str, Any]) -> None:
    m = org["municipality"]
    load_inventory(m, INVENTORY_ROWS)
    set_phase(org["winrar"], Phase.APPROVED)
    set_phase(org["flash"], Phase.PHASE_OUT, datetime.date.today() + datetime.timedelta(days=1))
    result = run(m)
    assert result.status == Status.MET
    assert (result.numerator, result.denominator) == (7, 7)
    assert result.offenders == [] and result.offender_count == 0
    # A phase-out past its end date is retired, and breaks the rule again.
    set_phase(org["flash"], Phase.PHASE_OUT, datetime.date.today() - datetime.timedelta(days=1))
    assert run(m).status == Status.NOT_MET


def test_not_applicable_when_no_installed_software_is_known(org: dict[str, Any]) -> None:
    m = org["municipality"]
    load_inventory(m, ["PC-9;eva;Socialförvaltningen;Secret Tool;1.0;Nobody;"])
    result = run(m)
    assert result.status == Status.NOT_APPLICABLE
    assert result.denominator == 0


def test_narrowed_to_a_department_or_board(org: dict[str, Any]) -> None:
    m = org["municipality"]
    load_inventory(m, INVENTORY_ROWS)
    school = run(m, department=org["school"])
    assert school.status == Status.NOT_MET
    assert (school.numerator, school.denominator) == (2, 4)  # LibreOffice ×2; WinRAR, Flash
    assert parse_qs(urlparse(school.offenders[0].url).query)["department"] == [
        str(org["school"].pk)
    ]
    social = run(m, department=org["social"])
    assert social.status == Status.MET  # Firefox and Java 8 in phase-out
    assert run(m, board=org["board"]).denominator == 4  # the school's board
    assert run(m, board=BoardFactory(municipality=m)).status == Status.NOT_APPLICABLE


def test_a_fixed_number_of_queries(org: dict[str, Any]) -> None:
    m = org["municipality"]
    counts = []
    for rows in (INVENTORY_ROWS, INVENTORY_ROWS + many_rows(100, 30)):
        load_inventory(m, rows)
        with CaptureQueriesContext(connection) as queries:
            result = run(m)
        assert result.status == Status.NOT_MET
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 5, counts


def test_the_shipped_policy_binds_it_to_p54_and_p55() -> None:
    bound = {
        clause.clause_id
        for clause in read_library(shipped_libraries()[0]).clauses
        if RULE in clause.rule_ids
    }
    assert bound == {"P5.4", "P5.5"}
    assert get_rule(RULE).clauses == ("P5.4", "P5.5")
    for clause_id in ("P5.4", "P5.5"):
        assert clause_id in (get_rule(RULE).evaluate.__doc__ or "")


def test_the_live_policy_page_measures_p55_after_an_import(
    client: Any, org: dict[str, Any]
) -> None:
    m = org["municipality"]
    policy = load_library(shipped_libraries()[0])
    PolicyAdoption.objects.create(
        municipality=m, policy=policy, adopted_on=datetime.date(2006, 9, 25)
    )
    client.force_login(member(m, Role.AUDITOR))
    page = client.get(f"/k/{m.slug}/policy/").content.decode()
    assert 'id="P5.5"' in page
    assert 'class="clause clause--not_measurable" id="P5.5"' in page
    load_inventory(m, INVENTORY_ROWS)
    page = client.get(f"/k/{m.slug}/policy/").content.decode()
    assert 'class="clause clause--not_met" id="P5.5"' in page
    assert f"/k/{m.slug}/inventory/deviations/?product={org['winrar'].pk}" in page
