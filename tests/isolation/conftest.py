"""The municipalities of the isolation tests (issue 10, item 5): A, the victim, holds one or more
objects of every model a route or an endpoint takes the id of (the demo municipality, loaded
through the services). Two attackers, each an otherwise empty municipality whose user holds the
strongest role there (IT coordinator), try to reach A:
- the stranger, B, shares no cooperation group with A;
- the partner, C, is in a cooperation group with A in which A has opted in to nothing (C shares
  everything there), while A shares everything with a third municipality in another group: what A
  shares in one group must not reach the members of another.
Built once per module inside a transaction that is rolled back at the end, so each test only pays
for its own requests."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, models, transaction
from django.test import override_settings
from django.utils import timezone

from stadga.cooperation.choices import SHARING_CATEGORIES
from stadga.cooperation.models import CooperationGroup, Membership, PartnerBooking
from stadga.demo.load import load_demo
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality, Person
from stadga.policy.models import Attestation, Clause, PolicyAdoption
from stadga.policy.services_snapshots import snapshot_take
from stadga.security.models import Measure
from stadga.security.services_classification import security_settings_for
from stadga.testing.factories import (
    CourseFactory,
    MunicipalityFactory,
    PortalSettingsFactory,
    TrainingSessionFactory,
    member,
)

# How to find A's rows of the models that have no municipality column of their own.
SCOPE_PATHS: dict[str, str] = {
    "organisation.Municipality": "pk",
    "inventory.Device": "snapshot__municipality",
    "inventory.Installation": "snapshot__municipality",
    "inventory.Tally": "snapshot__municipality",
    "catalogue.SystemProduct": "system__municipality",
    "cooperation.CooperationGroup": "memberships__municipality",
}


@dataclass
class World:
    victim: Municipality
    attacker: Municipality
    attacker_user: Any
    owner_user: Any
    partner: Municipality
    partner_user: Any
    _cache: dict[str, Any] = field(default_factory=dict)

    def attackers(self) -> list[tuple[str, Municipality, Any]]:
        """(who, municipality, user) of each attacker: the stranger and the partner."""
        return [
            ("stranger", self.attacker, self.attacker_user),
            ("partner", self.partner, self.partner_user),
        ]

    def first(self, label: str) -> Any:
        """A's first object of the model `label` ("app.Model"); fails loudly when there is none,
        so a route is never "covered" by a request that could not have found anything anyway."""
        if label not in self._cache:
            model = apps.get_model(label)
            path = SCOPE_PATHS.get(label, "municipality")
            value = self.victim.pk if path == "pk" else self.victim
            obj = model._default_manager.filter(**{path: value}).order_by("pk").first()
            assert obj is not None, f"the isolation data has no {label} of the victim"
            self._cache[label] = obj
        return self._cache[label]


def governed_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m.__module__.startswith("stadga.")]


def row_counts() -> dict[str, int]:
    """Every row of every Stadga model and of the change log: a write of any kind changes one.
    One query, however many models there are (it runs twice per request of the suite)."""
    tables = [m._meta.db_table for m in governed_models()]
    tables.append(LogEntry._meta.db_table)
    tables = sorted(set(tables))
    quote = connection.ops.quote_name
    # The table names come from the model registry, quoted: no outside input.
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        values = cursor.fetchone()
    return dict(zip(tables, values, strict=True))


def _add_what_the_demo_lacks(victim: Municipality) -> None:
    """The demo holds no attestation, no compliance snapshot, no security settings yet and no
    evidence files."""
    snapshot_take(municipality=victim)
    security_settings_for(victim)
    adoption = PolicyAdoption.objects.filter(municipality=victim).select_related("policy").first()
    assert adoption is not None
    clause = Clause.objects.filter(policy=adoption.policy).order_by("pk")[0]
    today = timezone.localdate()
    Attestation.objects.create(
        municipality=victim,
        clause=clause,
        statement="Intygat för isoleringstestet.",
        attested_by=Person.objects.filter(municipality=victim).order_by("pk")[0],
        valid_from=today,
        valid_until=today + datetime.timedelta(days=365),
        # A file, so that its download route is refused for the owner, not for a missing file.
        evidence_file=ContentFile(b"Bevis", name="bevis.txt"),
    )
    # A cooperation group of A's with a third municipality, that A shares everything with (A is
    # also in the demo's "Östra Skaraborg" with Hjo and Tibro).
    group = CooperationGroup.objects.create(name="Isoleringstestets grupp")
    third = MunicipalityFactory.create()
    for member_municipality in (victim, third):
        Membership.objects.create(
            group=group,
            municipality=member_municipality,
            **dict.fromkeys(SHARING_CATEGORIES, True),
        )
    # A place that A booked for one of its staff on the third's session open to partners.
    staff = Person.objects.filter(municipality=victim, archived_at__isnull=True).order_by("pk")
    PartnerBooking.objects.create(
        municipality=victim,
        session=TrainingSessionFactory.create(
            course=CourseFactory.create(municipality=third), open_to_partners=True
        ),
        person=staff[0],
    )
    measure = Measure.objects.filter(municipality=victim).order_by("pk")[0]
    measure.evidence_file.save("bevis.txt", ContentFile(b"Bevis"), save=False)
    Measure.objects.filter(pk=measure.pk).update(evidence_file=measure.evidence_file.name)


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[World]:
    media = tmp_path_factory.mktemp("media")
    test_settings = override_settings(
        # The demo gives a dozen people logins; real password hashing would dominate the setup.
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        # The victim's uploaded files (an attestation's evidence) go to a throwaway directory.
        MEDIA_ROOT=str(media),
        STORAGES={
            **settings.STORAGES,
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(media)},
            },
        },
    )
    with test_settings, django_db_blocker.unblock(), transaction.atomic():
        victim = load_demo()
        _add_what_the_demo_lacks(victim)
        attacker = MunicipalityFactory.create(slug="angrande", name="Angripande kommun")
        partner = MunicipalityFactory.create(slug="samverkande", name="Samverkande kommun")
        for municipality in (attacker, partner):
            # The attackers' portals are published, so a 404 under their slug comes from the
            # object, not from an unpublished portal.
            PortalSettingsFactory.create(municipality=municipality)
        # C in a group with A, where A shares nothing and C everything.
        neighbours = CooperationGroup.objects.create(name="Grannsamverkan")
        Membership.objects.create(group=neighbours, municipality=victim)
        Membership.objects.create(
            group=neighbours, municipality=partner, **dict.fromkeys(SHARING_CATEGORIES, True)
        )
        yield World(
            victim=victim,
            attacker=attacker,
            attacker_user=member(attacker, Role.IT_COORDINATOR),
            owner_user=member(victim, Role.IT_COORDINATOR),
            partner=partner,
            partner_user=member(partner, Role.IT_COORDINATOR),
        )
        transaction.set_rollback(True)
