"""Fixtures of the cooperation tests: a group of three municipalities and their people."""

from __future__ import annotations

from typing import Any

import pytest

from stadga.cooperation.models import CooperationGroup, Membership
from stadga.organisation.choices import Role
from stadga.testing.factories import MunicipalityFactory, UserFactory, member


@pytest.fixture
def operator() -> Any:
    return UserFactory(is_superuser=True, is_staff=True)


@pytest.fixture
def home() -> Any:
    return MunicipalityFactory(name="Karlsborg", slug="karlsborg")


@pytest.fixture
def neighbour() -> Any:
    return MunicipalityFactory(name="Hjo", slug="hjo")


@pytest.fixture
def group(home: Any, neighbour: Any) -> CooperationGroup:
    """Karlsborg and Hjo in one group; neither shares anything yet."""
    group = CooperationGroup.objects.create(name="Östra Skaraborg")
    Membership.objects.create(group=group, municipality=home)
    Membership.objects.create(group=group, municipality=neighbour)
    return group


def share(municipality: Any, group: CooperationGroup, **choices: bool) -> Membership:
    """Set a membership's choices directly (the services are tested on their own)."""
    membership = Membership.objects.get(group=group, municipality=municipality)
    for name, value in choices.items():
        setattr(membership, name, value)
    membership.save()
    return membership


@pytest.fixture
def coordinator(home: Any) -> Any:
    return member(home, Role.IT_COORDINATOR)


@pytest.fixture
def neighbour_coordinator(neighbour: Any) -> Any:
    return member(neighbour, Role.IT_COORDINATOR)
