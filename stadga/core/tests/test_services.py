from typing import Any

import pytest
from auditlog.models import LogEntry

from stadga.core.services import governed_write
from stadga.organisation import services
from stadga.testing.factories import MunicipalityFactory, UserFactory


@pytest.mark.django_db
def test_nested_writes_keep_the_actor_on_every_entry() -> None:
    """A service calling services: every save, before and after the inner ones, names the
    actor (auditlog's own context would lose it after the first inner write)."""
    municipality = MunicipalityFactory()
    actor = UserFactory()
    with governed_write(actor):
        first = services.board_create(municipality=municipality, data={"name": "A"}, actor=actor)
        second = services.board_create(municipality=municipality, data={"name": "B"}, actor=actor)
        # A save of the outer service's own, after the inner ones (as a service that calls
        # other services and then saves its own object does).
        first.name = "A2"
        first.save()
    entries: list[Any] = [
        *LogEntry.objects.get_for_object(first),
        *LogEntry.objects.get_for_object(second),
    ]
    assert len(entries) == 3
    assert all(entry.actor == actor for entry in entries)


@pytest.mark.django_db
def test_sequential_writes_each_name_their_actor() -> None:
    municipality = MunicipalityFactory()
    alice, bob = UserFactory(), UserFactory()
    a = services.board_create(municipality=municipality, data={"name": "A"}, actor=alice)
    b = services.board_create(municipality=municipality, data={"name": "B"}, actor=bob)
    assert LogEntry.objects.get_for_object(a).get().actor == alice
    assert LogEntry.objects.get_for_object(b).get().actor == bob
