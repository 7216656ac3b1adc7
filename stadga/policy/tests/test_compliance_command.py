"""`stadga compliance`: every clause with its status and figure, as text or as the stable JSON of
docs/compliance.md; exit status 0 whatever the clauses say, 1 when there is nothing to report."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone, translation

from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality
from stadga.policy.management.commands.compliance import Command
from stadga.systems.models import System
from stadga.testing.factories import MunicipalityFactory, SystemFactory
from stadga.testing.policy import adopted_policy

pytestmark = pytest.mark.django_db

CLAUSES = {
    "P1.1": [],
    "P3.2": ["organisation.it_coordinator_named"],
    "P9.1": ["systems.classified"],
    "P9.3": ["systems.owner_named"],
}

# The documented shape (docs/compliance.md): these keys, at least, in every version 1 output.
TOP_KEYS = {
    "format",
    "municipality",
    "policy",
    "adoption",
    "scope",
    "evaluated_at",
    "summary",
    "clauses",
}
CLAUSE_KEYS = {
    "clause",
    "section",
    "status",
    "figure",
    "numerator",
    "denominator",
    "responsible_role",
    "offender_count",
    "attestation_required",
    "rules",
    "attestations",
    "expired_attestations",
}
RULE_KEYS = {
    "id",
    "title",
    "status",
    "numerator",
    "denominator",
    "summary",
    "offender_count",
    "offenders",
}
STATUSES = {"met", "partly_met", "not_met", "not_applicable", "not_measurable"}


@pytest.fixture
def municipality() -> Municipality:
    m = MunicipalityFactory(slug="karlsborg", name="Karlsborgs kommun")
    adopted_policy(
        m, CLAUSES, attested=["P1.1"], roles={"P9.3": Role.SYSTEM_OWNER}, key="karlsborg"
    )
    SystemFactory(municipality=m, name="Ekonomi")
    broken = SystemFactory(municipality=m, name="Skolwebb")
    type(broken.system_owner).objects.filter(pk=broken.system_owner_id).update(
        archived_at=timezone.now()
    )
    return m


def compliance(*args: str) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("compliance", *args, stdout=out, no_color=True)
    return out.getvalue()


def test_text_lists_every_clause_by_section_with_a_summary(municipality: Any) -> None:
    text = compliance("--municipality", "karlsborg")
    assert "Karlsborgs kommun" in text
    lines = text.splitlines()
    for clause_id in CLAUSES:
        assert any(line.strip().startswith(clause_id) for line in lines), clause_id
    p93 = next(line for line in lines if line.strip().startswith("P9.3"))
    assert "Partly met" in p93
    assert "1 of 2 systems in production or phase-out have a named system owner" in p93
    assert "System owner" in p93
    assert "1 offending object" in p93
    p11 = next(line for line in lines if line.strip().startswith("P1.1"))
    assert "Not measurable" in p11 and "not attested" in p11
    p32 = next(line for line in lines if line.strip().startswith("P3.2"))
    assert "Not met" in p32 and "0 IT coordinators named" in p32
    # Sections in document order, each a heading.
    assert text.index("1 Section 1") < text.index("P1.1") < text.index("3 Section 3")
    assert lines[-1] == (
        "Met: 1 · Partly met: 1 · Not met: 1 · Not applicable: 0 · Not measurable: 1"
    )


def test_json_has_the_documented_shape(municipality: Any) -> None:
    data = json.loads(compliance("--municipality", "karlsborg", "--format", "json"))
    assert set(data) == TOP_KEYS
    assert data["format"] == 1
    assert data["municipality"] == "karlsborg"
    assert data["policy"]["key"] == "karlsborg"
    assert set(data["policy"]) == {"key", "version", "title", "title_en"}
    assert data["adoption"]["adopted_on"] == "2006-09-25"
    assert data["scope"] == {"board": None, "department": None}
    assert set(data["summary"]) == STATUSES
    assert sum(data["summary"].values()) == len(CLAUSES)
    assert [c["clause"] for c in data["clauses"]] == list(CLAUSES)
    for clause in data["clauses"]:
        assert set(clause) == CLAUSE_KEYS
        assert clause["status"] in STATUSES
        for rule in clause["rules"]:
            assert set(rule) == RULE_KEYS
    p93 = next(c for c in data["clauses"] if c["clause"] == "P9.3")
    assert p93["status"] == "partly_met"
    assert (p93["numerator"], p93["denominator"], p93["offender_count"]) == (1, 2, 1)
    assert p93["responsible_role"] == "system_owner"
    [offender] = p93["rules"][0]["offenders"]
    assert offender["label"] == "Skolwebb"
    assert offender["url"].startswith("/k/karlsborg/")
    assert data["evaluated_at"].startswith(str(timezone.now().year))


def test_narrowed_to_a_board(municipality: Any) -> None:
    ekonomi = System.objects.get(name="Ekonomi")
    data = json.loads(
        compliance(
            "--municipality", "karlsborg", "--format", "json", "--board", str(ekonomi.board_id)
        )
    )
    assert data["scope"] == {"board": ekonomi.board_id, "department": None}
    p93 = next(c for c in data["clauses"] if c["clause"] == "P9.3")
    assert p93["status"] == "met"
    data = json.loads(
        compliance(
            "--municipality",
            "karlsborg",
            "--format",
            "json",
            "--department",
            str(ekonomi.department_id),
        )
    )
    assert data["scope"]["department"] == ekonomi.department_id
    text = compliance("--municipality", "karlsborg", "--board", str(ekonomi.board_id))
    assert f"Only: {ekonomi.board}" in text


def test_exit_status_is_0_when_clauses_are_not_met(municipality: Any) -> None:
    out = StringIO()
    command = Command(stdout=out)
    command.run_from_argv(["stadga", "compliance", "--municipality", "karlsborg"])  # no SystemExit
    assert "P9.3" in out.getvalue()


@pytest.mark.parametrize(
    "argv",
    [
        ["--municipality", "nowhere"],
        ["--municipality", "no-policy"],
        ["--municipality", "karlsborg", "--board", "999999"],
        ["--municipality", "karlsborg", "--department", "999999"],
    ],
)
def test_exit_status_is_1_when_there_is_nothing_to_report(
    municipality: Any, argv: list[str], capsys: Any
) -> None:
    MunicipalityFactory(slug="no-policy")
    with pytest.raises(SystemExit) as exit_info:
        Command().run_from_argv(["stadga", "compliance", *argv])
    assert exit_info.value.code == 1
    assert "CommandError" in capsys.readouterr().err


def test_messages_for_what_is_missing(municipality: Any) -> None:
    MunicipalityFactory(slug="no-policy", name="Tomma kommun")
    with translation.override("en"):
        with pytest.raises(CommandError, match="There is no municipality"):
            call_command("compliance", "--municipality", "nowhere")
        with pytest.raises(CommandError, match="Tomma kommun has adopted no policy"):
            call_command("compliance", "--municipality", "no-policy")
        other_board = SystemFactory().board  # another municipality's board is unknown here
        with pytest.raises(CommandError, match="has no board with id"):
            call_command("compliance", "--municipality", "karlsborg", "--board", other_board.pk)
