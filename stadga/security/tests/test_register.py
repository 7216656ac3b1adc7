"""The services of the register of processing activities (GDPR art. 30, P9.2): links to systems
and measures only within the municipality and what the writer sees, boards the writer keeps,
every write logged, nothing deleted."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from stadga.organisation.access import Access
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality
from stadga.security.choices import LegalBasis, MeasureStatus
from stadga.security.models import Measure, ProcessingActivity
from stadga.security.services_register import (
    processing_activity_archive,
    processing_activity_create,
    processing_activity_get,
    processing_activity_list,
    processing_activity_restore,
    processing_activity_update,
)
from stadga.testing.factories import (
    BoardFactory,
    DepartmentFactory,
    MunicipalityFactory,
    SystemFactory,
    member,
)

pytestmark = [pytest.mark.django_db]


# --- helpers shared by the register's test modules -----------------------------------------------


def make_measure(municipality: Municipality, system: Any = None, **kwargs: Any) -> Measure:
    """A measure saved directly (test data, not a write path)."""
    values: dict[str, Any] = {
        "title": "Behörighetsstyrning",
        "status": MeasureStatus.IMPLEMENTED,
        "follow_up_months": 12,
        "next_follow_up": datetime.date(2030, 1, 1),
        **kwargs,
    }
    return Measure.objects.create(municipality=municipality, system=system, **values)


def activity_values(**kwargs: Any) -> dict[str, Any]:
    return {
        "name": "Försörjningsstöd",
        "purposes": "Handläggning av ekonomiskt bistånd",
        "legal_basis": LegalBasis.PUBLIC_TASK,
        "legal_basis_detail": "Socialtjänstlagen (2001:453)",
        "data_subjects": "Sökande och deras hushåll",
        "personal_data_categories": "Namn, personnummer, ekonomi",
        "sensitive_data": True,
        "recipients": "Försäkringskassan",
        "third_country_transfers": "",
        "erasure_time_limits": "Gallras efter fem år",
        "dpia_done": True,
        "processor_agreements": "Leverantören AB, avtal 2024-03",
        **kwargs,
    }


def make_activity(
    municipality: Municipality,
    *,
    board: Any = None,
    systems: tuple[Any, ...] = (),
    measures: tuple[Any, ...] = (),
    **kwargs: Any,
) -> ProcessingActivity:
    """An entry saved directly (test data, not a write path)."""
    board = board or BoardFactory(municipality=municipality)
    with disable_auditlog():  # test data: no change-log entries of its own
        activity = ProcessingActivity.objects.create(
            municipality=municipality, board=board, **activity_values(**kwargs)
        )
        activity.systems.set(systems)
        activity.security_measures.set(measures)
    return activity


@pytest.fixture
def municipality() -> Municipality:
    return MunicipalityFactory()


@pytest.fixture
def coordinator(municipality: Municipality) -> Any:
    return member(municipality, Role.IT_COORDINATOR)


# --- create --------------------------------------------------------------------------------------


def test_create_links_systems_and_measures_and_logs(
    municipality: Municipality, coordinator: Any
) -> None:
    board = BoardFactory(municipality=municipality)
    system = SystemFactory(municipality=municipality, board=board)
    own = make_measure(municipality, system, title="Loggning")
    platform = make_measure(municipality, None, title="Säkerhetskopiering")
    activity = processing_activity_create(
        municipality=municipality,
        data={
            **activity_values(),
            "board": board,
            "systems": [system],
            "security_measures": [own, platform],
        },
        actor=coordinator,
    )
    assert activity.municipality == municipality
    assert list(activity.systems.all()) == [system]
    assert set(activity.security_measures.all()) == {own, platform}
    entry = LogEntry.objects.get_for_object(activity).get(action=LogEntry.Action.CREATE)
    assert entry.actor == coordinator


def test_create_refuses_another_municipalitys_board_system_and_measure(
    municipality: Municipality, coordinator: Any
) -> None:
    elsewhere = MunicipalityFactory()
    board = BoardFactory(municipality=municipality)
    with pytest.raises(ValidationError) as error:
        processing_activity_create(
            municipality=municipality,
            data={**activity_values(), "board": BoardFactory(municipality=elsewhere)},
            actor=coordinator,
        )
    assert "board" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        processing_activity_create(
            municipality=municipality,
            data={
                **activity_values(),
                "board": board,
                "systems": [SystemFactory(municipality=elsewhere)],
            },
            actor=coordinator,
        )
    assert "systems" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        processing_activity_create(
            municipality=municipality,
            data={
                **activity_values(),
                "board": board,
                "security_measures": [make_measure(elsewhere)],
            },
            actor=coordinator,
        )
    assert "security_measures" in error.value.message_dict
    assert not ProcessingActivity.objects.exists()


def test_create_refuses_archived_system(municipality: Municipality, coordinator: Any) -> None:
    board = BoardFactory(municipality=municipality)
    system = SystemFactory(
        municipality=municipality, board=board, archived_at=datetime.datetime.now(datetime.UTC)
    )
    with pytest.raises(ValidationError) as error:
        processing_activity_create(
            municipality=municipality,
            data={**activity_values(), "board": board, "systems": [system]},
            actor=coordinator,
        )
    assert "systems" in error.value.message_dict


def test_measure_of_a_system_the_processing_does_not_use_is_refused(
    municipality: Municipality, coordinator: Any
) -> None:
    board = BoardFactory(municipality=municipality)
    used, other = SystemFactory.create_batch(2, municipality=municipality, board=board)
    misfit = make_measure(municipality, other, title="Kryptering av backup")
    with pytest.raises(ValidationError) as error:
        processing_activity_create(
            municipality=municipality,
            data={
                **activity_values(),
                "board": board,
                "systems": [used],
                "security_measures": [misfit],
            },
            actor=coordinator,
        )
    assert "Kryptering av backup" in error.value.message_dict["security_measures"][0]


def test_department_head_keeps_only_their_boards_entries(municipality: Municipality) -> None:
    department = DepartmentFactory(board=BoardFactory(municipality=municipality))
    other_board = BoardFactory(municipality=municipality)
    head = member(municipality, Role.DEPARTMENT_HEAD, department=department)
    activity = processing_activity_create(
        municipality=municipality, data={**activity_values(), "board": department.board}, actor=head
    )
    assert activity.board == department.board
    with pytest.raises(ValidationError) as error:
        processing_activity_create(
            municipality=municipality, data={**activity_values(), "board": other_board}, actor=head
        )
    assert "board" in error.value.message_dict
    with pytest.raises(ValidationError):
        processing_activity_update(activity=activity, data={"board": other_board}, actor=head)


def test_writer_may_link_only_systems_they_see(municipality: Municipality) -> None:
    """A department head sees their department's systems, not another department's."""
    board = BoardFactory(municipality=municipality)
    mine, theirs = DepartmentFactory.create_batch(2, board=board)
    head = member(municipality, Role.DEPARTMENT_HEAD, department=mine)
    seen = SystemFactory(municipality=municipality, board=board, department=mine)
    unseen = SystemFactory(municipality=municipality, board=board, department=theirs)
    with pytest.raises(ValidationError) as error:
        processing_activity_create(
            municipality=municipality,
            data={**activity_values(), "board": board, "systems": [seen, unseen]},
            actor=head,
        )
    assert "systems" in error.value.message_dict
    activity = processing_activity_create(
        municipality=municipality,
        data={**activity_values(), "board": board, "systems": [seen]},
        actor=head,
    )
    assert list(activity.systems.all()) == [seen]


def test_system_writer_without_actor_may_link_anything_of_the_municipality(
    municipality: Municipality,
) -> None:
    """The demo loader and commands write as the system itself."""
    board = BoardFactory(municipality=municipality)
    system = SystemFactory(municipality=municipality, board=board)
    activity = processing_activity_create(
        municipality=municipality,
        data={**activity_values(), "board": board, "systems": [system]},
        actor=None,
    )
    assert list(activity.systems.all()) == [system]


def test_invalid_data_writes_nothing(municipality: Municipality, coordinator: Any) -> None:
    board = BoardFactory(municipality=municipality)
    with pytest.raises(ValidationError) as error:
        processing_activity_create(
            municipality=municipality,
            data={**activity_values(purposes=""), "board": board},
            actor=coordinator,
        )
    assert "purposes" in error.value.message_dict
    assert not ProcessingActivity.objects.exists()
    assert not LogEntry.objects.filter(content_type__model="processingactivity").exists()


# --- update --------------------------------------------------------------------------------------


def test_update_keeps_links_the_writer_cannot_see(municipality: Municipality) -> None:
    board = BoardFactory(municipality=municipality)
    mine, theirs = DepartmentFactory.create_batch(2, board=board)
    seen = SystemFactory(municipality=municipality, board=board, department=mine)
    unseen = SystemFactory(municipality=municipality, board=board, department=theirs)
    unseen_measure = make_measure(municipality, unseen, title="Tvåfaktorsinloggning")
    activity = make_activity(
        municipality, board=board, systems=(seen, unseen), measures=(unseen_measure,)
    )
    head = member(municipality, Role.DEPARTMENT_HEAD, department=mine)
    _, changed = processing_activity_update(
        activity=activity,
        data={"name": "Nytt namn", "systems": [], "security_measures": []},
        actor=head,
    )
    assert changed
    activity.refresh_from_db()
    assert activity.name == "Nytt namn"
    assert list(activity.systems.all()) == [unseen]  # the seen one was removed, the unseen kept
    assert list(activity.security_measures.all()) == [unseen_measure]


def test_update_without_changes_writes_no_log(municipality: Municipality, coordinator: Any) -> None:
    system = SystemFactory(municipality=municipality)
    activity = make_activity(municipality, board=system.board, systems=(system,))
    before = LogEntry.objects.count()
    _, changed = processing_activity_update(
        activity=activity,
        data={"name": activity.name, "systems": [system], "board": activity.board},
        actor=coordinator,
    )
    assert not changed
    assert LogEntry.objects.count() == before


def test_update_logs_the_changed_links(municipality: Municipality, coordinator: Any) -> None:
    board = BoardFactory(municipality=municipality)
    system = SystemFactory(municipality=municipality, board=board)
    activity = make_activity(municipality, board=board)
    before = set(LogEntry.objects.values_list("pk", flat=True))
    processing_activity_update(activity=activity, data={"systems": [system]}, actor=coordinator)
    assert list(activity.systems.all()) == [system]
    entries = LogEntry.objects.get_for_object(activity).exclude(pk__in=before)
    assert entries.exists()
    assert all(e.actor == coordinator for e in entries)


# --- archive, restore, reads ---------------------------------------------------------------------


def test_archive_and_restore_never_delete(municipality: Municipality, coordinator: Any) -> None:
    activity = make_activity(municipality)
    processing_activity_archive(activity=activity, actor=coordinator)
    activity.refresh_from_db()
    assert activity.is_archived and activity.archived_by == coordinator
    processing_activity_restore(activity=activity, actor=coordinator)
    activity.refresh_from_db()
    assert not activity.is_archived
    with pytest.raises(PermissionError):
        activity.delete()


def test_who_reads_which_entries(municipality: Municipality) -> None:
    """P9.2: those who read everything all; a board's members and its departments' heads that
    board's; an employee none; another municipality none."""
    department = DepartmentFactory(board=BoardFactory(municipality=municipality))
    own = make_activity(municipality, board=department.board)
    other = make_activity(municipality)

    def visible(user: Any) -> set[int]:
        access = Access.for_user(user)
        return set(processing_activity_list(access=access).values_list("pk", flat=True))

    assert visible(member(municipality, Role.AUDITOR)) == {own.pk, other.pk}
    assert visible(member(municipality, Role.BOARD_MEMBER, board=department.board)) == {own.pk}
    assert visible(member(municipality, Role.DEPARTMENT_HEAD, department=department)) == {own.pk}
    assert visible(member(municipality, Role.EMPLOYEE)) == set()
    assert visible(member(MunicipalityFactory(), Role.IT_COORDINATOR)) == set()


def test_list_has_one_row_per_entry_whatever_the_departments(municipality: Municipality) -> None:
    """The visibility rule joins the board's departments; the list must not repeat entries."""
    board = BoardFactory(municipality=municipality)
    departments = DepartmentFactory.create_batch(3, board=board)
    activity = make_activity(municipality, board=board)
    head = member(municipality, Role.DEPARTMENT_HEAD, department=departments[0])
    for department in departments[1:]:
        from stadga.testing.factories import RoleAssignmentFactory

        RoleAssignmentFactory(
            person=head.people.get(), role=Role.DEPARTMENT_HEAD, department=department
        )
    rows = list(processing_activity_list(access=Access.for_user(head)))
    assert rows == [activity]
    access = Access.for_user(member(municipality, Role.AUDITOR))
    assert (
        processing_activity_get(access=access, municipality=municipality, pk=activity.pk)
        == activity
    )
