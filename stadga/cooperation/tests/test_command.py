"""`stadga cooperation`: the operator's command forms groups and places members."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from stadga.cooperation.models import CooperationGroup, Membership
from stadga.organisation.choices import Role
from stadga.testing.factories import member

from .conftest import share

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def run(*args: str) -> str:
    out = StringIO()
    call_command("cooperation", *args, stdout=out)
    return out.getvalue()


def test_the_operator_forms_a_group_adds_lists_removes_and_ends(
    operator: Any, home: Any, neighbour: Any
) -> None:
    assert "Formed Östra Skaraborg" in run("create", "Östra Skaraborg", "--user", operator.username)
    group = CooperationGroup.objects.get()
    assert "shares nothing until" in run(
        "add", "Östra Skaraborg", "karlsborg", "--user", operator.username
    )
    run("add", str(group.pk), "hjo", "--user", operator.username)
    share(neighbour, group, shares_systems=True)
    listing = run("list")
    assert f"{group.pk}\tÖstra Skaraborg\t2" in listing
    assert "\thjo\tThe systems register's public fields" in listing
    assert "\tkarlsborg\tshares nothing" in listing
    assert "has left" in run("remove", "Östra Skaraborg", "hjo", "--user", operator.username)
    assert Membership.objects.get(municipality=neighbour).archived_at is not None
    assert "has ended" in run("end", "Östra Skaraborg", "--user", operator.username)
    group.refresh_from_db()
    assert group.archived_at is not None
    assert run("list") == ""


def test_only_the_operator_may(home: Any) -> None:
    coordinator = member(home, Role.IT_COORDINATOR)
    with pytest.raises(CommandError, match="Only the operator"):
        run("create", "Grupp", "--user", coordinator.username)
    assert not CooperationGroup.objects.exists()


def test_bad_input_is_told(operator: Any, group: Any, home: Any) -> None:
    with pytest.raises(CommandError, match="There is no cooperation group"):
        run("add", "Finns inte", "karlsborg", "--user", operator.username)
    with pytest.raises(CommandError, match="There is no municipality"):
        run("add", group.name, "finns-inte", "--user", operator.username)
    with pytest.raises(CommandError, match="already a member"):
        run("add", group.name, "karlsborg", "--user", operator.username)
    with pytest.raises(CommandError, match="There is no active user"):
        run("create", "Grupp", "--user", "nobody")
    with pytest.raises(CommandError, match="the following arguments are required: --user"):
        run("create", "Grupp")
    assert Membership.objects.filter(municipality=home).count() == 1
