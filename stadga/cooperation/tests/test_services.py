"""The services of cooperation groups (P8.1): who may do what, validation, and the change log."""

from __future__ import annotations

from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from stadga.cooperation import services
from stadga.cooperation.models import CooperationGroup, Membership
from stadga.organisation.choices import Role
from stadga.testing.factories import MunicipalityFactory, member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def entries(obj: Any) -> list[LogEntry]:
    return list(LogEntry.objects.get_for_object(obj).order_by("pk"))


def test_the_operator_forms_a_group_and_it_is_logged(operator: Any) -> None:
    group = services.group_create(
        name="  Östra Skaraborg ", description="Samverkan", actor=operator
    )
    assert group.name == "Östra Skaraborg"
    log = entries(group)
    assert [e.action for e in log] == [LogEntry.Action.CREATE]
    assert log[0].actor == operator


def test_only_the_operator_forms_groups(home: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.group_create(name="Grupp", actor=member(home, Role.IT_COORDINATOR))
    assert not CooperationGroup.objects.exists()


def test_a_group_needs_a_unique_name(operator: Any) -> None:
    with pytest.raises(ValidationError) as blank:
        services.group_create(name="  ", actor=operator)
    assert "name" in blank.value.message_dict
    services.group_create(name="Grupp", actor=operator)
    with pytest.raises(ValidationError) as twice:
        services.group_create(name="Grupp", actor=operator)
    assert "name" in twice.value.message_dict
    assert CooperationGroup.objects.count() == 1


def test_a_new_member_shares_nothing_and_the_addition_is_logged(operator: Any, home: Any) -> None:
    group = services.group_create(name="Grupp", actor=operator)
    membership = services.membership_add(group=group, municipality=home, actor=operator)
    assert membership.shared_categories == []
    log = entries(membership)
    assert log[0].action == LogEntry.Action.CREATE and log[0].actor == operator
    assert log[0].additional_data == {"municipality_id": home.pk}


def test_adding_is_the_operators_and_only_once(operator: Any, home: Any, coordinator: Any) -> None:
    group = services.group_create(name="Grupp", actor=operator)
    with pytest.raises(PermissionDenied):
        services.membership_add(group=group, municipality=home, actor=coordinator)
    services.membership_add(group=group, municipality=home, actor=operator)
    with pytest.raises(ValidationError, match="already a member"):
        services.membership_add(group=group, municipality=home, actor=operator)
    assert Membership.objects.count() == 1


def test_no_member_joins_an_ended_group_and_no_archived_municipality(operator: Any) -> None:
    group = services.group_create(name="Grupp", actor=operator)
    archived = MunicipalityFactory()
    archived.archived_at = archived.created_at
    archived.save()
    with pytest.raises(ValidationError, match="archived"):
        services.membership_add(group=group, municipality=archived, actor=operator)
    services.group_archive(group=group, actor=operator)
    with pytest.raises(ValidationError, match="ended"):
        services.membership_add(group=group, municipality=MunicipalityFactory(), actor=operator)
    assert not Membership.objects.exists()


def test_the_coordinator_chooses_what_is_shared_and_it_is_logged(
    group: Any, home: Any, coordinator: Any
) -> None:
    membership = Membership.objects.get(group=group, municipality=home)
    membership, changed = services.sharing_update(
        membership=membership, data={"shares_catalogue": True}, actor=coordinator
    )
    assert changed
    membership.refresh_from_db()
    assert membership.shared_categories == ["shares_catalogue"]
    update = entries(membership)[-1]
    assert update.action == LogEntry.Action.UPDATE and update.actor == coordinator
    assert "shares_catalogue" in update.changes_dict
    _again, changed_again = services.sharing_update(
        membership=membership, data={"shares_catalogue": True}, actor=coordinator
    )
    assert not changed_again
    # nothing changed the second time: still one update after the creation
    assert [e.action for e in entries(membership)] == [
        LogEntry.Action.CREATE,
        LogEntry.Action.UPDATE,
    ]


@pytest.mark.parametrize(
    "role", [Role.IT_TECHNICIAN, Role.EXECUTIVE_BOARD_READER, Role.AUDITOR, Role.EMPLOYEE]
)
def test_other_roles_do_not_choose(group: Any, home: Any, role: str) -> None:
    membership = Membership.objects.get(group=group, municipality=home)
    with pytest.raises(PermissionDenied):
        services.sharing_update(
            membership=membership, data={"shares_systems": True}, actor=member(home, role)
        )
    membership.refresh_from_db()
    assert not membership.shares_systems


def test_a_partners_coordinator_does_not_choose_for_the_municipality(
    group: Any, home: Any, neighbour_coordinator: Any
) -> None:
    membership = Membership.objects.get(group=group, municipality=home)
    with pytest.raises(PermissionDenied):
        services.sharing_update(
            membership=membership, data={"shares_contacts": True}, actor=neighbour_coordinator
        )
    with pytest.raises(PermissionDenied):
        services.membership_leave(membership=membership, actor=neighbour_coordinator)
    membership.refresh_from_db()
    assert not membership.shares_contacts and membership.archived_at is None


@pytest.mark.parametrize(
    ("data", "message"),
    [({"shares_money": True}, "Unknown sharing choices"), ({"shares_systems": "yes"}, "yes or no")],
)
def test_bad_choices_are_refused(
    group: Any, home: Any, coordinator: Any, data: dict, message: str
) -> None:
    membership = Membership.objects.get(group=group, municipality=home)
    with pytest.raises(ValidationError, match=message):
        services.sharing_update(membership=membership, data=data, actor=coordinator)
    membership.refresh_from_db()
    assert membership.shared_categories == []


def test_leaving_archives_and_choices_stop(group: Any, home: Any, coordinator: Any) -> None:
    membership = Membership.objects.get(group=group, municipality=home)
    services.sharing_update(membership=membership, data={"shares_systems": True}, actor=coordinator)
    services.membership_leave(membership=membership, actor=coordinator)
    membership.refresh_from_db()
    assert membership.archived_at is not None and membership.archived_by == coordinator
    assert Membership.objects.filter(pk=membership.pk).exists()  # archived, not deleted
    with pytest.raises(ValidationError, match="left"):
        services.sharing_update(
            membership=membership, data={"shares_catalogue": True}, actor=coordinator
        )
    with pytest.raises(ValidationError, match="left"):
        services.membership_leave(membership=membership, actor=coordinator)


def test_rejoining_starts_from_sharing_nothing(
    operator: Any, group: Any, home: Any, coordinator: Any
) -> None:
    membership = Membership.objects.get(group=group, municipality=home)
    services.sharing_update(membership=membership, data={"shares_systems": True}, actor=coordinator)
    services.membership_remove(membership=membership, actor=operator)
    again = services.membership_add(group=group, municipality=home, actor=operator)
    assert again.pk == membership.pk
    assert again.archived_at is None and again.shared_categories == []
    assert Membership.objects.filter(group=group, municipality=home).count() == 1


def test_removing_is_the_operators(group: Any, home: Any, coordinator: Any) -> None:
    membership = Membership.objects.get(group=group, municipality=home)
    with pytest.raises(PermissionDenied):
        services.membership_remove(membership=membership, actor=coordinator)
    membership.refresh_from_db()
    assert membership.archived_at is None


def test_nothing_is_shared_in_an_ended_group(
    operator: Any, group: Any, home: Any, coordinator: Any
) -> None:
    services.group_archive(group=group, actor=operator)
    membership = Membership.objects.select_related("group").get(group=group, municipality=home)
    with pytest.raises(ValidationError, match="ended"):
        services.sharing_update(
            membership=membership, data={"shares_catalogue": True}, actor=coordinator
        )


def test_the_system_itself_forms_groups_and_chooses_as_the_demo_loader_does(
    home: Any, neighbour: Any
) -> None:
    """`actor` None is the system (the demo loader, a command at the server's shell), as for
    `municipality_onboard`; its change-log entries name no user."""
    group = services.group_create(name="Östra Skaraborg", actor=None)
    membership = services.membership_add(group=group, municipality=home, actor=None)
    membership, changed = services.sharing_update(
        membership=membership, data={"shares_compliance": True}, actor=None
    )
    assert changed and membership.shares_compliance
    assert entries(membership)[-1].actor is None
