"""Issue 4's promise on the demo data, through the web pages as a user would go: a system owner
(`ekonomichef`) classifies one of their systems, sees the requirements it triggers, records a
measure and a follow-up, and files a shortfall notice that reaches the department head's inbox
(`kommundirektor`); the live policy page shows P9.x moving as they do."""

from __future__ import annotations

import datetime
import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from stadga.demo import data
from stadga.demo.load import _Loader, load_demo
from stadga.notifications.models import Notification
from stadga.organisation.models import Department, Person
from stadga.security.choices import Effect, MeasureStatus, NoticeStatus
from stadga.security.models import (
    FollowUp,
    Incident,
    InformationType,
    Measure,
    ProcessingActivity,
    ShortfallNotice,
)
from stadga.security.requirements import triggered_requirements
from stadga.systems.models import System

# Upphandlingsverktyget: the finance manager's, not classified by information type in the demo.
SYSTEM = "SYS-0013"
NOTICE = "Loggning av anbudsöppningar saknar lagringsutrymme"


def compliance() -> dict[str, Any]:
    out = io.StringIO()
    call_command("compliance", "--municipality", "karlsborg", "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def p9(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each P9 clause, with its rules by ID."""
    clauses = {c["clause"]: c for c in report["clauses"] if c["clause"].startswith("P9.")}
    for clause in clauses.values():
        clause["by_rule"] = {r["id"]: r for r in clause["rules"]}
    return clauses


def figures(clause: dict[str, Any], rule_id: str) -> tuple[int, int]:
    rule = clause["by_rule"][rule_id]
    return rule["numerator"], rule["denominator"]


def login(username: str) -> Client:
    client = Client()
    client.force_login(Person.objects.get(user__username=username).user)
    return client


@pytest.fixture
def karlsborg(db: Any, settings: Any, monkeypatch: Any) -> Any:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The security records do not need the product catalogue (test_demo_catalogue.py).
    monkeypatch.setattr(_Loader, "load_catalogue", lambda self, municipality: None)
    return load_demo()


# --- What the demo holds -------------------------------------------------------------------------


def test_the_demo_has_security_records_with_deliberate_gaps(karlsborg: Any) -> None:
    assert InformationType.objects.filter(municipality=karlsborg).count() == len(
        data.INFORMATION_TYPES
    )
    measures = Measure.objects.filter(municipality=karlsborg)
    assert measures.filter(system__isnull=True).count() >= 3  # the platform's (P9.4)
    assert measures.filter(status=MeasureStatus.NOT_APPLICABLE).exists()
    assert (
        FollowUp.objects.filter(municipality=karlsborg, effect=Effect.NOT_EFFECTIVE)
        .exclude(action="")
        .exists()
    )
    boards = set(
        ProcessingActivity.objects.filter(municipality=karlsborg).values_list(
            "board__name", flat=True
        )
    )
    assert boards == {data.SN, data.BUN}
    incident = Incident.objects.get(municipality=karlsborg)
    assert incident.significant and incident.early_warning_sent_at is not None
    notice = ShortfallNotice.objects.get(municipality=karlsborg)
    assert notice.status == NoticeStatus.OPEN
    assert notice.department.name == data.KLK
    # The head of the central office has it in her inbox.
    head = Person.objects.get(user__username="kommundirektor")
    assert Notification.objects.filter(recipient=head, link=notice.get_absolute_url()).exists()

    clauses = p9(compliance())
    assert {c: clauses[c]["status"] for c in clauses} == {
        "P9.1": "partly_met",  # few systems classified by information type, one overdue
        "P9.2": "partly_met",  # the registers name only some systems with personal data
        "P9.3": "partly_met",  # the owner who has left
        "P9.4": "partly_met",  # the firewall review is overdue
        "P9.5": "partly_met",  # most requirements lack measures; overdue and failed follow-ups
        "P9.6": "met",  # the one notice is fresh
    }
    p95 = clauses["P9.5"]["by_rule"]
    assert p95["security.follow_ups_current"]["offender_count"] == 2  # a system's, the platform's
    assert p95["security.ineffective_have_actions"]["numerator"] == 1
    assert p95["security.ineffective_have_actions"]["denominator"] == 2
    # The pupil health records were classified more than a year ago and not reviewed since.
    offenders = clauses["P9.1"]["by_rule"]["security.classification_current"]["offenders"]
    assert "Elevhälsojournal" in {o["label"] for o in offenders}


def test_a_second_load_adds_no_security_records(karlsborg: Any) -> None:
    before = [
        model.objects.count()
        for model in (InformationType, Measure, FollowUp, ShortfallNotice, Incident)
    ]
    out = io.StringIO()
    load_demo(stdout=out)
    assert "nothing was changed" in out.getvalue()
    after = [
        model.objects.count()
        for model in (InformationType, Measure, FollowUp, ShortfallNotice, Incident)
    ]
    assert after == before


# --- The system owner's way through it -----------------------------------------------------------


def test_a_system_owner_classifies_measures_follows_up_and_files_a_notice(
    karlsborg: Any,
) -> None:
    before = p9(compliance())
    owner = login("ekonomichef")
    per = Person.objects.get(user__username="ekonomichef")
    system = System.objects.get(municipality=karlsborg, identifier=SYSTEM)
    assert system.system_owner == per
    base = "/k/karlsborg/security"

    # The security hub lists the system as theirs, with a way to classify it.
    hub = owner.get(f"{base}/").content.decode()
    assert escape(system.name) in hub
    assert f"{base}/systems/{system.pk}/classification/" in hub

    # 1. Classify: an information type with its levels (P9.1).
    response = owner.post(
        f"{base}/information-types/new/?system={system.pk}",
        {
            "system": system.pk,
            "name": "Anbud och avtal",
            "description": "Anbud, anbudsöppningsprotokoll och avtal med leverantörer.",
            "personal_data": "on",
            "confidentiality": 3,
            "integrity": 3,
            "availability": 2,
            "traceability": 3,
            "justification": "Anbud omfattas av upphandlingssekretess tills tilldelningsbeslut "
            "har fattats; manipulerade anbud ger felaktiga tilldelningar.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == f"{base}/systems/{system.pk}/classification/"
    information_type = InformationType.objects.get(system=system, name="Anbud och avtal")
    assert information_type.classified_by == per
    assert information_type.classified_on == timezone.localdate()

    # 2. The requirements the classification triggers are on the system's page.
    system.refresh_from_db()
    triggered = triggered_requirements(system)
    assert triggered
    page = owner.get(response["Location"]).content.decode()
    for requirement in triggered:
        assert requirement.code in page
    mfa = next(r for r in triggered if r.code == "KR-07")  # strong authentication, from C3

    # 3. A measure for one of them (P9.5).
    response = owner.post(
        f"{base}/measures/new/?system={system.pk}&requirement={mfa.pk}",
        {
            "system": system.pk,
            "requirement": mfa.pk,
            "title": "Inloggning med e-legitimation i upphandlingsverktyget",
            "description": "Leverantören kräver BankID eller Freja för alla kommunens konton.",
            "status": MeasureStatus.IMPLEMENTED,
            "responsible": per.pk,
            "evidence": "Inställningen är låst i leverantörens administrationsgränssnitt.",
            "follow_up_months": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    measure = Measure.objects.get(system=system, requirement=mfa)
    assert measure.next_follow_up is not None

    # 4. Its first follow-up: what was checked and the effect.
    today = timezone.localdate()
    response = owner.post(
        f"{base}/measures/{measure.pk}/follow-up/",
        {
            "performed_on": today.isoformat(),
            "performed_by": per.pk,
            "effect": Effect.EFFECTIVE,
            "checked": "Provade att logga in med lösenord: nekades; med BankID: gick bra.",
            "action": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    [follow_up] = measure.follow_ups.all()
    assert follow_up.performed_by == per
    measure.refresh_from_db()
    assert measure.next_follow_up > today

    # 5. The money is not enough: a written notice to the department head (P9.6).
    klk = Department.objects.get(municipality=karlsborg, name=data.KLK)
    response = owner.post(
        f"{base}/shortfall-notices/new/",
        {
            "title": NOTICE,
            "need": "Loggarna från anbudsöppningarna måste sparas i fem år; leverantörens "
            "tilläggstjänst för lagring kostar pengar som inte finns i budgeten.",
            "risk": "Utan loggar kan vi inte visa att ingen har öppnat anbud i förtid.",
            "estimated_cost": "24000",
            "department": klk.pk,
            "board": "",
            "systems": [system.pk],
            "measures": [measure.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    notice = ShortfallNotice.objects.get(title=NOTICE)
    assert (notice.written_by, notice.department) == (per, klk)

    # … which reaches the department head's inbox.
    head = login("kommundirektor")
    inbox = head.get("/k/karlsborg/inbox/").content.decode()
    assert escape(NOTICE) in inbox
    assert notice.get_absolute_url() in inbox
    assert head.get(notice.get_absolute_url()).status_code == 200

    # The live policy page's P9 figures moved.
    after = p9(compliance())
    p91 = "security.classification_current"
    kept, total = figures(before["P9.1"], p91)
    assert figures(after["P9.1"], p91) == (kept + 1, total)
    p95 = "security.requirements_have_measures"
    kept, total = figures(before["P9.5"], p95)
    assert figures(after["P9.5"], p95) == (kept + 1, total)
    p95 = "security.follow_ups_current"
    kept, total = figures(before["P9.5"], p95)
    assert figures(after["P9.5"], p95) == (kept + 1, total + 1)
    p96 = "security.shortfall_notices_acknowledged"
    assert figures(before["P9.6"], p96) == (1, 1)
    assert figures(after["P9.6"], p96) == (2, 2)
    # The page shows the same figures as the command, before and after.
    live = login("ks.ordforande").get("/k/karlsborg/policy/").content.decode()
    for clause_id in ("P9.1", "P9.5", "P9.6"):
        assert escape(after[clause_id]["figure"]) in live, clause_id
        assert escape(before[clause_id]["figure"]) not in live, clause_id


def test_a_notice_left_unacknowledged_past_the_escalation_period_breaks_p9_6(
    karlsborg: Any,
) -> None:
    notice = ShortfallNotice.objects.get(municipality=karlsborg)
    ShortfallNotice.objects.filter(pk=notice.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=20)
    )
    clause = p9(compliance())["P9.6"]
    assert clause["status"] == "not_met"
    [offender] = clause["rules"][0]["offenders"]
    assert offender["url"] == notice.get_absolute_url()


def test_a_demo_loaded_by_an_older_stadga_is_brought_up_to_date(db: Any, settings: Any) -> None:
    """Before the security records: no login for the head of the central office, P9.5 attested
    and P9.6 unmeasured, and the policy's checksum that of the file. A reload measures the same
    text anew, gives the login and adds the records."""
    import dataclasses
    import hashlib

    from stadga.policy.library import shipped_libraries
    from stadga.policy.models import Clause, Policy

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    older_people = [
        dataclasses.replace(p, username=None) if p.username == "kommundirektor" else p
        for p in data.PEOPLE
    ]
    with pytest.MonkeyPatch.context() as older:
        older.setattr(data, "PEOPLE", older_people)
        for name in ("INFORMATION_TYPES", "MEASURES", "SHORTFALL_NOTICES", "INCIDENTS"):
            older.setattr(data, name, [])
        older.setattr(data, "PROCESSING_ACTIVITIES", [])
        load_demo()
    policy = Policy.objects.get()
    Policy.objects.filter(pk=policy.pk).update(
        checksum=hashlib.sha256(shipped_libraries()[0].read_bytes()).hexdigest()
    )
    Clause.objects.filter(policy=policy, clause_id="P9.5").update(
        rule_ids=[], attestation_required=True
    )
    Clause.objects.filter(policy=policy, clause_id="P9.6").update(
        rule_ids=[], unmeasured_note="Mäts när underrättelserna förs i Stadga."
    )
    assert not Person.objects.filter(user__username="kommundirektor").exists()

    out = io.StringIO()
    load_demo(stdout=out)

    assert "2 policy clauses measured anew" in out.getvalue()
    p95 = Clause.objects.get(policy=policy, clause_id="P9.5")
    assert not p95.attestation_required and "security.follow_ups_current" in p95.rule_ids
    p96 = Clause.objects.get(policy=policy, clause_id="P9.6")
    assert (p96.rule_ids, p96.unmeasured_note) == (["security.shortfall_notices_acknowledged"], "")
    head = Person.objects.get(user__username="kommundirektor")
    assert head.name == "Annika Lindqvist"
    assert ShortfallNotice.objects.count() == 1
    assert Notification.objects.filter(recipient=head).exists()
    # And the next load changes nothing.
    out = io.StringIO()
    load_demo(stdout=out)
    assert "nothing was changed" in out.getvalue()
