"""Reminders: each capability declares, in the `reminders.py` of the app whose data it reads, who
must be reminded of what. The daily job collects them and sends each one once.

    from stadga.notifications.reminders import Reminder, reminder_source

    @reminder_source("systems.without_owner")
    def systems_without_owner(municipality: Municipality, today: date) -> Iterator[Reminder]:
        for system, head in ...:  # a fixed number of queries, whatever the number of rows
            yield Reminder(
                recipient=head,
                key=f"system-without-owner:{system.pk}",
                subject=_("%(system)s has no system owner") % {"system": system},
                ...
            )

A source is called inside `translation.override(settings.LANGUAGE_CODE)`, so plain `gettext`
renders the municipality's language. The `key` names the due item, not the day: a reminder whose
(recipient, key) was sent before is not sent again (`notifications_send`). To remind again about
the same thing later (e.g. a new follow-up period), put what changed in the key.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from stadga.organisation.models import Municipality, Person


@dataclass(frozen=True)
class Reminder:
    """One thing one person must be told about, identified by `key` (at most 200 characters)."""

    recipient: Person
    key: str
    subject: str
    body: str = ""
    link: str = ""  # a path inside Stadga, e.g. the system's page
    due_date: datetime.date | None = None

    def __post_init__(self) -> None:
        if not self.key or len(self.key) > 200:
            raise ValueError(f"A reminder's key is 1 to 200 characters: {self.key!r}")


ReminderSource = Callable[["Municipality", datetime.date], Iterable[Reminder]]

_registry: dict[str, ReminderSource] = {}


def reminder_source(source_id: str) -> Callable[[ReminderSource], ReminderSource]:
    """Register a function (municipality, today) -> reminders under a stable ID."""

    def register(func: ReminderSource) -> ReminderSource:
        if source_id in _registry and _registry[source_id] is not func:
            raise ValueError(f"Two reminder sources share the ID {source_id!r}.")
        _registry[source_id] = func
        return func

    return register


def all_reminder_sources() -> dict[str, ReminderSource]:
    """Every registered source by ID, in registration (app) order."""
    return dict(_registry)
