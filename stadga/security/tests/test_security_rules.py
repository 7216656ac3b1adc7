"""The security rules (P9.1, P9.2, P9.4, P9.5, P9.6): each met, each broken with its offenders
linked to pages that open, not applicable where nothing is measured, narrowed to a board or
department, blind to archived records, and in a number of queries that does not grow with the
register (10 systems against 200)."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality
from stadga.policy.choices import Status
from stadga.policy.engine import evaluate
from stadga.policy.library import read_library, shipped_libraries
from stadga.policy.registry import RuleContext, RuleResult, get_rule
from stadga.security.choices import Effect, MeasureStatus, NoticeStatus, RequirementCategory
from stadga.security.models import (
    FollowUp,
    InformationType,
    Measure,
    ProcessingActivity,
    Requirement,
    RequirementCatalogue,
    SecuritySettings,
    ShortfallNotice,
)
from stadga.systems.choices import LifecyclePhase
from stadga.systems.models import System
from stadga.testing.factories import (
    BoardFactory,
    DepartmentFactory,
    MunicipalityFactory,
    PersonFactory,
    SystemFactory,
    member,
)
from stadga.testing.policy import adopted_policy

pytestmark = pytest.mark.django_db

SECURITY_RULES = (
    "security.classification_current",
    "security.processing_register",
    "security.platform_measures",
    "security.requirements_have_measures",
    "security.follow_ups_current",
    "security.ineffective_have_actions",
    "security.shortfall_notices_acknowledged",
)

TODAY = timezone.localdate()
_numbers = itertools.count(1)


def run(rule_id: str, municipality: Municipality, **scope: Any) -> RuleResult:
    with translation.override("en"):
        return get_rule(rule_id).evaluate(RuleContext(municipality=municipality, **scope))


def archive(obj: Any) -> Any:
    """Archive without a service: the rules read `archived_at`, not who set it."""
    type(obj).objects.filter(pk=obj.pk).update(archived_at=timezone.now())
    obj.refresh_from_db()
    return obj


def assert_links_work(result: RuleResult, municipality: Municipality) -> None:
    """Each offender's link opens its page for the IT coordinator."""
    assert result.offenders
    client = Client()
    client.force_login(member(municipality, Role.IT_COORDINATOR))
    for offender in result.offenders:
        assert client.get(offender.url).status_code == 200, offender.url


# --- test data (saved directly: the rules read the rows, not how they were written) -------------


def info_type(system: System, **fields: Any) -> InformationType:
    values: dict[str, Any] = {
        "name": f"Uppgifter {next(_numbers)}",
        "confidentiality": 2,
        "integrity": 2,
        "availability": 2,
        "traceability": 1,
        "classified_on": TODAY - datetime.timedelta(days=30),
        **fields,
    }
    return InformationType.objects.create(municipality=system.municipality, system=system, **values)


def make_measure(
    municipality: Municipality, system: System | None = None, **fields: Any
) -> Measure:
    values: dict[str, Any] = {
        "title": f"Åtgärd {next(_numbers)}",
        "status": MeasureStatus.IMPLEMENTED,
        "next_follow_up": TODAY + datetime.timedelta(days=90),
        **fields,
    }
    return Measure.objects.create(municipality=municipality, system=system, **values)


def follow_up(measure: Measure, effect: str, days_ago: int = 10, **fields: Any) -> FollowUp:
    return FollowUp.objects.create(
        municipality=measure.municipality,
        measure=measure,
        performed_on=TODAY - datetime.timedelta(days=days_ago),
        performed_by=PersonFactory(municipality=measure.municipality),
        checked="Återläsning provad.",
        effect=effect,
        action="" if effect == Effect.EFFECTIVE else "Byt rutin och prova igen.",
        **fields,
    )


def notice(
    municipality: Municipality, *, days_ago: int = 0, department: Any = None, **fields: Any
) -> ShortfallNotice:
    department = department or DepartmentFactory(board=BoardFactory(municipality=municipality))
    found = ShortfallNotice.objects.create(
        municipality=municipality,
        written_by=PersonFactory(municipality=municipality),
        department=department,
        **{
            "title": f"Medel saknas {next(_numbers)}",
            "need": "Loggning saknas.",
            "risk": "Intrång upptäcks inte.",
            **fields,
        },
    )
    if days_ago:
        ShortfallNotice.objects.filter(pk=found.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=days_ago)
        )
        found.refresh_from_db()
    return found


def processing(board: Any, *systems: System, **fields: Any) -> ProcessingActivity:
    activity = ProcessingActivity.objects.create(
        municipality=board.municipality,
        board=board,
        name=f"Behandling {next(_numbers)}",
        purposes="Handläggning",
        legal_basis="public_task",
        data_subjects="Invånare",
        personal_data_categories="Namn, personnummer",
        **fields,
    )
    activity.systems.set(systems)
    return activity


def catalogue(version: str = "1") -> RequirementCatalogue:
    return RequirementCatalogue.objects.create(key="baskrav", version=version, title="Baskrav")


def requirement(
    cat: RequirementCatalogue, code: str, aspect: str, level: int, **f: Any
) -> Requirement:
    return Requirement.objects.create(
        catalogue=cat,
        code=code,
        order=Requirement.objects.filter(catalogue=cat).count() + 1,
        category=f.pop("category", RequirementCategory.ACCESS_CONTROL),
        aspect=aspect,
        level=level,
        text=f"Krav {code}.",
        **f,
    )


@pytest.fixture
def municipality() -> Municipality:
    return MunicipalityFactory()


# --- P9.1 security.classification_current --------------------------------------------------------


class TestClassificationCurrent:
    rule = "security.classification_current"

    def test_met_when_every_running_system_has_current_classified_types(
        self, municipality: Any
    ) -> None:
        for phase in (LifecyclePhase.IN_PRODUCTION, LifecyclePhase.PHASE_OUT):
            info_type(SystemFactory(municipality=municipality, lifecycle_phase=phase))
        result = run(self.rule, municipality)
        assert result.status == Status.MET
        assert (result.numerator, result.denominator) == (2, 2)
        assert str(result.summary) == (
            "2 of 2 systems in production or phase-out have their information types classified "
            "and reviewed within 12 months"
        )

    def test_a_system_without_types_offends(self, municipality: Any) -> None:
        info_type(SystemFactory(municipality=municipality))
        bare = SystemFactory(municipality=municipality, name="Ekonomi")
        result = run(self.rule, municipality)
        assert result.status == Status.PARTLY_MET
        [offender] = result.offenders
        assert (offender.label, offender.reason) == ("Ekonomi", "No information type is classified")
        assert str(bare.pk) in offender.url
        assert_links_work(result, municipality)

    def test_an_incompletely_classified_type_offends(self, municipality: Any) -> None:
        system = SystemFactory(municipality=municipality)
        info_type(system)
        info_type(system, traceability=None)
        result = run(self.rule, municipality)
        assert result.status == Status.NOT_MET
        assert result.offenders[0].reason == (
            "An information type is not classified on every aspect"
        )
        info_type(SystemFactory(municipality=municipality), classified_on=None)
        assert run(self.rule, municipality).denominator == 2
        assert run(self.rule, municipality).numerator == 0

    def test_a_classification_older_than_the_review_interval_is_due(
        self, municipality: Any
    ) -> None:
        classified = TODAY - relativedelta(months=13)
        system = SystemFactory(municipality=municipality)
        info_type(system, classified_on=classified)
        result = run(self.rule, municipality)
        assert result.status == Status.NOT_MET
        due = classified + relativedelta(months=12)
        assert result.offenders[0].reason == f"Due for review since {due:%Y-%m-%d}"
        # The municipality reviews every 24 months: not due yet.
        SecuritySettings.objects.create(municipality=municipality, classification_review_months=24)
        result = run(self.rule, municipality)
        assert result.status == Status.MET
        assert "within 24 months" in str(result.summary)

    def test_due_on_the_day_the_interval_ends(self, municipality: Any) -> None:
        """As the system's classification page says: due for review from its review date."""
        system = SystemFactory(municipality=municipality)
        info_type(system, classified_on=TODAY - relativedelta(months=12) + datetime.timedelta(1))
        assert run(self.rule, municipality).status == Status.MET
        classified = TODAY - relativedelta(months=12)
        info_type(system, classified_on=classified)
        result = run(self.rule, municipality)
        assert result.status == Status.NOT_MET
        due = classified + relativedelta(months=12)  # today (the 28th on a 29 February)
        assert result.offenders[0].reason == f"Due for review since {due:%Y-%m-%d}"

    def test_archived_types_and_systems_count_for_nothing(self, municipality: Any) -> None:
        system = SystemFactory(municipality=municipality)
        archive(info_type(system))
        assert run(self.rule, municipality).status == Status.NOT_MET  # no current type
        info_type(system)
        archive(info_type(system, integrity=None))
        gone = archive(SystemFactory(municipality=municipality))
        info_type(gone, integrity=None)
        assert run(self.rule, municipality).status == Status.MET

    def test_planned_and_retired_systems_are_not_measured(self, municipality: Any) -> None:
        SystemFactory(
            municipality=municipality, lifecycle_phase=LifecyclePhase.PLANNED, system_owner=None
        )
        SystemFactory(municipality=municipality, lifecycle_phase=LifecyclePhase.RETIRED)
        assert run(self.rule, municipality).status == Status.NOT_APPLICABLE


# --- P9.2 security.processing_register -----------------------------------------------------------


class TestProcessingRegister:
    rule = "security.processing_register"

    def test_met_when_the_board_registers_every_system_with_personal_data(
        self, municipality: Any
    ) -> None:
        system = SystemFactory(municipality=municipality, personal_data=True)
        processing(system.board, system)
        SystemFactory(municipality=municipality, personal_data=False)  # not counted
        result = run(self.rule, municipality)
        assert result.status == Status.MET
        assert (result.numerator, result.denominator) == (1, 1)

    def test_an_unregistered_system_offends(self, municipality: Any) -> None:
        system = SystemFactory(municipality=municipality, personal_data=True, name="Skolplattform")
        result = run(self.rule, municipality)
        assert result.status == Status.NOT_MET
        [offender] = result.offenders
        assert offender.label == "Skolplattform"
        assert offender.url == system.get_absolute_url()
        assert offender.reason == f"Not in any processing activity of {system.board}"
        assert_links_work(result, municipality)

    def test_another_boards_register_does_not_count(self, municipality: Any) -> None:
        system = SystemFactory(municipality=municipality, personal_data=True)
        processing(BoardFactory(municipality=municipality), system)
        assert run(self.rule, municipality).status == Status.NOT_MET

    def test_an_archived_activity_does_not_count(self, municipality: Any) -> None:
        system = SystemFactory(municipality=municipality, personal_data=True)
        archive(processing(system.board, system))
        assert run(self.rule, municipality).status == Status.NOT_MET

    def test_personal_data_of_an_information_type_counts(self, municipality: Any) -> None:
        system = SystemFactory(municipality=municipality, personal_data=False)
        assert run(self.rule, municipality).status == Status.NOT_APPLICABLE
        info_type(system, personal_data=True)
        assert run(self.rule, municipality).status == Status.NOT_MET


# --- P9.4 security.platform_measures -------------------------------------------------------------


class TestPlatformMeasures:
    rule = "security.platform_measures"

    def test_not_met_without_any_platform_measure(self, municipality: Any) -> None:
        make_measure(municipality, SystemFactory(municipality=municipality))  # a system's
        result = run(self.rule, municipality)
        assert result.status == Status.NOT_MET
        assert result.offender_count == 1
        assert str(result.summary) == (
            "No measure of the technical platform and data communication is documented"
        )
        assert_links_work(result, municipality)

    def test_met_when_followed_up_on_time(self, municipality: Any) -> None:
        make_measure(municipality)
        make_measure(municipality, next_follow_up=TODAY)  # due today is not overdue
        make_measure(
            municipality,
            status=MeasureStatus.NOT_APPLICABLE,
            not_applicable_reason="Inget trådlöst nät.",
            next_follow_up=None,
        )
        result = run(self.rule, municipality)
        assert result.status == Status.MET
        assert (result.numerator, result.denominator) == (3, 3)

    def test_an_overdue_or_unscheduled_follow_up_offends(self, municipality: Any) -> None:
        make_measure(municipality)
        late = make_measure(
            municipality, title="Brandvägg", next_follow_up=TODAY - datetime.timedelta(days=1)
        )
        make_measure(municipality, title="Nätsegmentering", next_follow_up=None)
        archive(make_measure(municipality, next_follow_up=TODAY - datetime.timedelta(days=9)))
        result = run(self.rule, municipality)
        assert result.status == Status.PARTLY_MET
        assert (result.numerator, result.denominator) == (1, 3)
        reasons = {o.label: o.reason for o in result.offenders}
        yesterday = TODAY - datetime.timedelta(days=1)
        assert reasons == {
            "Platform: Brandvägg": f"Follow-up due {yesterday:%Y-%m-%d}",
            "Platform: Nätsegmentering": "No follow-up is scheduled",
        }
        assert late.get_absolute_url() in {o.url for o in result.offenders}
        assert_links_work(result, municipality)

    def test_the_narrowing_does_not_apply(self, municipality: Any) -> None:
        make_measure(municipality, next_follow_up=TODAY - datetime.timedelta(days=1))
        board = BoardFactory(municipality=municipality)
        assert run(self.rule, municipality, board=board).status == Status.NOT_MET


# --- P9.5 security.follow_ups_current ------------------------------------------------------------


class TestFollowUpsCurrent:
    rule = "security.follow_ups_current"

    def test_met(self, municipality: Any) -> None:
        system = SystemFactory(municipality=municipality)
        make_measure(municipality, system)
        make_measure(municipality)  # the platform's count too
        make_measure(municipality, system, status=MeasureStatus.PLANNED, planned_for=TODAY)
        result = run(self.rule, municipality)
        assert result.status == Status.MET
        assert (result.numerator, result.denominator) == (3, 3)
        assert str(result.summary) == "3 of 3 measures are followed up on time"

    def test_an_overdue_follow_up_offends(self, municipality: Any) -> None:
        system = SystemFactory(municipality=municipality, name="Ekonomisystem")
        make_measure(municipality, system)
        late = make_measure(
            municipality,
            system,
            title="Återläsningstest",
            next_follow_up=TODAY - datetime.timedelta(days=3),
        )
        result = run(self.rule, municipality)
        assert result.status == Status.PARTLY_MET
        [offender] = result.offenders
        assert offender.label == "Ekonomisystem: Återläsningstest"
        assert offender.url == late.get_absolute_url()
        assert offender.reason.startswith("Follow-up due ")
        assert_links_work(result, municipality)

    def test_not_applicable_and_archived_measures_are_not_followed_up(
        self, municipality: Any
    ) -> None:
        system = SystemFactory(municipality=municipality)
        make_measure(
            municipality,
            system,
            status=MeasureStatus.NOT_APPLICABLE,
            not_applicable_reason="Ingen fjärråtkomst.",
            next_follow_up=None,
        )
        archive(make_measure(municipality, system, next_follow_up=TODAY - datetime.timedelta(9)))
        assert run(self.rule, municipality).status == Status.NOT_APPLICABLE


# --- P9.5 security.ineffective_have_actions ------------------------------------------------------


class TestIneffectiveHaveActions:
    rule = "security.ineffective_have_actions"

    def test_not_applicable_while_no_latest_follow_up_fell_short(self, municipality: Any) -> None:
        measure = make_measure(municipality, SystemFactory(municipality=municipality))
        assert run(self.rule, municipality).status == Status.NOT_APPLICABLE
        follow_up(measure, Effect.NOT_EFFECTIVE, days_ago=200)
        follow_up(measure, Effect.EFFECTIVE, days_ago=20)  # the newer one found it effective
        assert run(self.rule, municipality).status == Status.NOT_APPLICABLE

    def test_a_shortfall_still_recorded_as_implemented_offends(self, municipality: Any) -> None:
        system = SystemFactory(municipality=municipality, name="Lönesystem")
        measure = make_measure(municipality, system, title="Behörighetsgranskning")
        follow_up(measure, Effect.EFFECTIVE, days_ago=200)
        follow_up(measure, Effect.NOT_EFFECTIVE, days_ago=5)
        result = run(self.rule, municipality)
        assert result.status == Status.NOT_MET
        [offender] = result.offenders
        assert offender.label == "Lönesystem: Behörighetsgranskning"
        day = TODAY - datetime.timedelta(days=5)
        assert offender.reason == (
            f"Followed up {day:%Y-%m-%d}: Not effective; still recorded as implemented"
        )
        assert_links_work(result, municipality)

    def test_acted_on_when_no_longer_recorded_as_implemented(self, municipality: Any) -> None:
        system = SystemFactory(municipality=municipality)
        partly = make_measure(municipality, system, status=MeasureStatus.PARTLY)
        follow_up(partly, Effect.PARTLY_EFFECTIVE)
        replanned = make_measure(
            municipality, system, status=MeasureStatus.PLANNED, planned_for=TODAY
        )
        follow_up(replanned, Effect.NOT_EFFECTIVE)
        still = make_measure(municipality, system)
        follow_up(still, Effect.PARTLY_EFFECTIVE)
        result = run(self.rule, municipality)
        assert result.status == Status.PARTLY_MET
        assert (result.numerator, result.denominator) == (2, 3)
        assert str(result.summary) == (
            "2 of 3 measures whose latest follow-up fell short are being acted on"
        )

    def test_archived_follow_ups_and_measures_count_for_nothing(self, municipality: Any) -> None:
        measure = make_measure(municipality, SystemFactory(municipality=municipality))
        follow_up(measure, Effect.EFFECTIVE, days_ago=100)
        archive(follow_up(measure, Effect.NOT_EFFECTIVE, days_ago=1))
        assert run(self.rule, municipality).status == Status.NOT_APPLICABLE
        gone = archive(make_measure(municipality, SystemFactory(municipality=municipality)))
        follow_up(gone, Effect.NOT_EFFECTIVE)
        assert run(self.rule, municipality).status == Status.NOT_APPLICABLE


# --- P9.5 security.requirements_have_measures ----------------------------------------------------


class TestRequirementsHaveMeasures:
    rule = "security.requirements_have_measures"

    @pytest.fixture
    def requirements(self) -> dict[str, Requirement]:
        cat = catalogue()
        return {
            "KR-1": requirement(cat, "KR-1", "confidentiality", 2),
            "KR-2": requirement(cat, "KR-2", "availability", 3),
            "KR-3": requirement(cat, "KR-3", "integrity", 4, personal_data=True),
        }

    def test_not_applicable_without_a_catalogue(self, municipality: Any) -> None:
        SystemFactory(municipality=municipality)
        assert run(self.rule, municipality).status == Status.NOT_APPLICABLE

    def test_met_when_every_triggered_requirement_has_a_measure(
        self, municipality: Any, requirements: Any
    ) -> None:
        system = SystemFactory(municipality=municipality, confidentiality=2, availability=2)
        make_measure(municipality, system, requirement=requirements["KR-1"])
        result = run(self.rule, municipality)
        assert result.status == Status.MET
        assert (result.numerator, result.denominator) == (1, 1)
        assert str(result.summary) == (
            "1 of 1 requirements triggered by the systems' classification have a measure"
        )

    def test_any_status_answers_a_requirement(self, municipality: Any, requirements: Any) -> None:
        system = SystemFactory(
            municipality=municipality, confidentiality=3, availability=3, personal_data=True
        )
        make_measure(
            municipality,
            system,
            requirement=requirements["KR-1"],
            status=MeasureStatus.NOT_APPLICABLE,
            not_applicable_reason="Inga sekretessuppgifter.",
        )
        make_measure(
            municipality,
            system,
            requirement=requirements["KR-2"],
            status=MeasureStatus.PLANNED,
            planned_for=TODAY,
        )
        make_measure(municipality, system, requirement=requirements["KR-3"])
        assert run(self.rule, municipality).status == Status.MET

    def test_a_system_lacking_measures_offends(self, municipality: Any, requirements: Any) -> None:
        system = SystemFactory(
            municipality=municipality,
            name="Journalsystem",
            confidentiality=4,
            availability=4,
            personal_data=True,
        )
        make_measure(municipality, system, requirement=requirements["KR-2"])
        archive(make_measure(municipality, system, requirement=requirements["KR-1"]))
        make_measure(municipality, system)  # by hand: answers no requirement
        other = SystemFactory(municipality=municipality, confidentiality=2)
        make_measure(municipality, other, requirement=requirements["KR-1"])
        result = run(self.rule, municipality)
        assert result.status == Status.PARTLY_MET
        assert (result.numerator, result.denominator) == (2, 4)
        assert result.offender_count == 1
        [offender] = result.offenders
        assert offender.label == "Journalsystem"
        assert (
            offender.url == f"/k/{municipality.slug}/security/systems/{system.pk}/classification/"
        )
        assert offender.reason == "2 of 3 triggered requirements have no measure: KR-1, KR-3"
        assert_links_work(result, municipality)

    def test_another_systems_measure_does_not_answer(
        self, municipality: Any, requirements: Any
    ) -> None:
        system = SystemFactory(municipality=municipality, confidentiality=2)
        other = SystemFactory(municipality=municipality, confidentiality=1)
        make_measure(municipality, other, requirement=requirements["KR-1"])
        assert run(self.rule, municipality).status == Status.NOT_MET
        make_measure(municipality, system, requirement=requirements["KR-1"])
        assert run(self.rule, municipality).status == Status.MET


# --- P9.6 security.shortfall_notices_acknowledged ------------------------------------------------


class TestShortfallNoticesAcknowledged:
    rule = "security.shortfall_notices_acknowledged"

    def test_not_applicable_while_no_notice_is_filed(self, municipality: Any) -> None:
        assert run(self.rule, municipality).status == Status.NOT_APPLICABLE

    def test_a_fresh_notice_and_an_acknowledged_old_one_keep_it(self, municipality: Any) -> None:
        notice(municipality, days_ago=13)
        notice(
            municipality,
            days_ago=40,
            status=NoticeStatus.ACKNOWLEDGED,
            acknowledged_at=timezone.now() - datetime.timedelta(days=30),
        )
        notice(
            municipality,
            days_ago=60,
            status=NoticeStatus.REJECTED,
            decision_reason="Ryms inte i budgeten.",
            acknowledged_at=timezone.now() - datetime.timedelta(days=50),
        )
        result = run(self.rule, municipality)
        assert result.status == Status.MET
        assert (result.numerator, result.denominator) == (3, 3)
        assert str(result.summary) == (
            "3 of 3 shortfall notices are acknowledged or younger than 14 days"
        )

    def test_unacknowledged_past_the_escalation_period_offends(self, municipality: Any) -> None:
        notice(municipality)
        late = notice(municipality, days_ago=15, title="Loggserver")
        result = run(self.rule, municipality)
        assert result.status == Status.PARTLY_MET
        [offender] = result.offenders
        assert (offender.label, offender.url) == ("Loggserver", late.get_absolute_url())
        filed = timezone.localtime(late.created_at).date()
        assert offender.reason == (
            f"Filed {filed:%Y-%m-%d} to {late.department} and not acknowledged"
        )
        assert_links_work(result, municipality)
        # The municipality escalates after 30 days: not late yet.
        SecuritySettings.objects.create(municipality=municipality, shortfall_escalation_days=30)
        assert run(self.rule, municipality).status == Status.MET

    def test_archived_notices_count_for_nothing(self, municipality: Any) -> None:
        archive(notice(municipality, days_ago=30))
        assert run(self.rule, municipality).status == Status.NOT_APPLICABLE

    def test_narrowed_by_the_addressee(self, municipality: Any) -> None:
        late = notice(municipality, days_ago=20)
        board_only = notice(municipality, days_ago=20, department=None)
        ShortfallNotice.objects.filter(pk=board_only.pk).update(
            department=None, board=BoardFactory(municipality=municipality)
        )
        board_only.refresh_from_db()
        clean = notice(municipality)
        assert run(self.rule, municipality).denominator == 3
        for scope in ({"board": late.department.board}, {"department": late.department}):
            narrowed = run(self.rule, municipality, **scope)
            assert (narrowed.status, narrowed.denominator) == (Status.NOT_MET, 1), scope
        assert run(self.rule, municipality, board=board_only.board).status == Status.NOT_MET
        narrowed = run(self.rule, municipality, department=clean.department)
        assert (narrowed.status, narrowed.denominator) == (Status.MET, 1)


# --- every rule ----------------------------------------------------------------------------------


def test_narrowed_to_a_board_or_department(municipality: Any) -> None:
    kr1 = requirement(catalogue(), "KR-1", "confidentiality", 2)
    # One offender of each rule in one department …
    broken = DepartmentFactory(board=BoardFactory(municipality=municipality))
    system = SystemFactory(
        municipality=municipality, board=broken.board, department=broken, personal_data=True
    )  # no information type, no processing activity, no measure for KR-1
    late = make_measure(municipality, system, next_follow_up=TODAY - datetime.timedelta(days=1))
    follow_up(late, Effect.NOT_EFFECTIVE)  # and still recorded as implemented
    notice(municipality, days_ago=20, department=broken)
    # … none in another …
    clean = DepartmentFactory(board=BoardFactory(municipality=municipality))
    system = SystemFactory(
        municipality=municipality, board=clean.board, department=clean, personal_data=True
    )
    info_type(system)
    processing(clean.board, system)
    acted_on = make_measure(municipality, system, requirement=kr1, status=MeasureStatus.PARTLY)
    follow_up(acted_on, Effect.PARTLY_EFFECTIVE)
    notice(municipality, department=clean)
    # … and the platform's, which belongs to neither.
    make_measure(municipality, next_follow_up=TODAY - datetime.timedelta(days=1))
    for rule_id in SECURITY_RULES:
        if rule_id == "security.platform_measures":
            continue  # the platform is no board's (TestPlatformMeasures)
        assert run(rule_id, municipality).status == Status.PARTLY_MET, rule_id
        for scope in ({"board": broken.board}, {"department": broken}):
            narrowed = run(rule_id, municipality, **scope)
            assert narrowed.status == Status.NOT_MET, (rule_id, scope)
            assert narrowed.offender_count == 1, (rule_id, scope)
        for scope in ({"board": clean.board}, {"department": clean}):
            assert run(rule_id, municipality, **scope).status == Status.MET, (rule_id, scope)


def bulk(municipality: Municipality, department: Any, count: int, owner: Any) -> None:
    """`count` systems in production with personal data, each with an information type, a
    measure and a follow-up; every fifth one breaks every system rule."""
    first = next(_numbers) * 1000
    System.objects.bulk_create(
        System(
            municipality=municipality,
            board=department.board,
            department=department,
            system_owner=owner,
            identifier=f"BULK-{first + n:06d}",
            name=f"Bulk {first + n}",
            lifecycle_phase=LifecyclePhase.IN_PRODUCTION,
            personal_data=True,
            confidentiality=3,
            integrity=2,
            availability=2,
            traceability=1,
        )
        for n in range(count)
    )
    systems = list(
        System.objects.filter(identifier__startswith="BULK-", identifier__gte=f"BULK-{first:06d}")
        .filter(identifier__lt=f"BULK-{first + count:06d}")
        .order_by("pk")
    )
    breaks = [n % 5 == 0 for n in range(len(systems))]
    InformationType.objects.bulk_create(
        InformationType(
            municipality=municipality,
            system=s,
            name="Uppgifter",
            confidentiality=3,
            integrity=2,
            availability=2,
            traceability=None if broken else 1,
            classified_on=TODAY,
        )
        for s, broken in zip(systems, breaks, strict=True)
    )
    Measure.objects.bulk_create(
        Measure(
            municipality=municipality,
            system=s,
            requirement=None if broken else Requirement.objects.first(),
            title="Åtgärd",
            status=MeasureStatus.IMPLEMENTED,
            next_follow_up=TODAY - datetime.timedelta(days=1) if broken else TODAY,
        )
        for s, broken in zip(systems, breaks, strict=True)
    )
    measures = list(Measure.objects.filter(system__in=systems).order_by("pk"))
    person = PersonFactory(municipality=municipality)
    FollowUp.objects.bulk_create(
        FollowUp(
            municipality=municipality,
            measure=m,
            performed_on=TODAY,
            performed_by=person,
            checked="Kontroll",
            effect=Effect.NOT_EFFECTIVE if i % 5 == 0 else Effect.EFFECTIVE,
            action="Åtgärda" if i % 5 == 0 else "",
        )
        for i, m in enumerate(measures)
    )
    activity = processing(department.board)
    activity.systems.add(*[s for s, broken in zip(systems, breaks, strict=True) if not broken])
    for _ in range(max(count // 20, 1)):
        notice(municipality, days_ago=20, department=department)
        notice(municipality, department=department)
        make_measure(municipality, next_follow_up=TODAY - datetime.timedelta(days=1))
        make_measure(municipality)


@pytest.mark.parametrize("rule_id", SECURITY_RULES)
def test_query_count_does_not_grow_with_the_register(municipality: Any, rule_id: str) -> None:
    """The same queries for 10 systems as for 200, with offenders to list in both."""
    cat = catalogue()
    requirement(cat, "KR-1", "confidentiality", 3)
    requirement(cat, "KR-2", "integrity", 2)
    department = DepartmentFactory(board=BoardFactory(municipality=municipality))
    owner = PersonFactory(municipality=municipality)
    counts = []
    for total in (10, 200):
        have = System.objects.filter(municipality=municipality).count()
        bulk(municipality, department, total - have, owner)
        assert System.objects.filter(municipality=municipality).count() == total
        with CaptureQueriesContext(connection) as queries:
            result = run(rule_id, municipality)
            for offender in result.offenders:
                assert offender.url and offender.label and offender.reason
        assert result.offender_count >= 1, rule_id
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 3, counts


def test_every_rule_answers_an_empty_municipality(municipality: Any) -> None:
    for rule_id in SECURITY_RULES:
        result = run(rule_id, municipality)
        expected = (
            Status.NOT_MET if rule_id == "security.platform_measures" else (Status.NOT_APPLICABLE)
        )
        assert result.status == expected, rule_id
        assert result.summary


def test_the_shipped_policy_binds_every_security_rule_to_its_clause() -> None:
    bound = {
        rule_id: clause.clause_id
        for clause in read_library(shipped_libraries()[0]).clauses
        for rule_id in clause.rule_ids
        if rule_id.startswith("security.")
    }
    assert set(bound) == set(SECURITY_RULES)
    for rule_id, clause_id in bound.items():
        assert get_rule(rule_id).clauses == (clause_id,)


def test_the_clauses_take_the_worst_of_their_rules(municipality: Any) -> None:
    """P9.5 binds three rules: met follow-ups do not hide a missing measure."""
    adopted_policy(
        municipality,
        {
            "P9.5": [
                "security.requirements_have_measures",
                "security.follow_ups_current",
                "security.ineffective_have_actions",
            ]
        },
    )
    cat = catalogue()
    requirement(cat, "KR-1", "confidentiality", 2)
    system = SystemFactory(municipality=municipality, confidentiality=2)
    make_measure(municipality, system)  # on time, but answers no requirement
    evaluation = evaluate(municipality)
    assert evaluation is not None
    [p95] = evaluation.clauses
    assert p95.status == Status.NOT_MET
    assert [r.status for _rule, r in p95.rules] == [
        Status.NOT_MET,
        Status.MET,
        Status.NOT_APPLICABLE,
    ]
