"""Two municipalities for the isolation tests (issue 10, item 5): A, the victim, holds one or more
objects of every model a route or an endpoint takes the id of (the demo municipality, loaded
through the services); B, the attacker, is an empty municipality whose user holds the strongest
role there (IT coordinator). Built once per module inside a transaction that is rolled back at
the end, so each test only pays for its own requests."""

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

from stadga.cooperation.models import CooperationGroup, Membership
from stadga.demo.load import load_demo
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality, Person
from stadga.policy.models import Attestation, Clause, PolicyAdoption
from stadga.policy.services_snapshots import snapshot_take
from stadga.security.models import Measure
from stadga.security.services_classification import security_settings_for
from stadga.testing.factories import MunicipalityFactory, PortalSettingsFactory, member

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
    _cache: dict[str, Any] = field(default_factory=dict)

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
    # A cooperation group of A's with a third municipality, that A shares everything with; the
    # attacker is in no group with A.
    group = CooperationGroup.objects.create(name="Isoleringstestets grupp")  # not the demo's
    for member_municipality in (victim, MunicipalityFactory.create()):
        Membership.objects.create(
            group=group,
            municipality=member_municipality,
            shares_catalogue=True,
            shares_systems=True,
            shares_contacts=True,
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
        # B's portal is published, so a 404 under B's slug comes from the object, not the portal.
        PortalSettingsFactory.create(municipality=attacker)
        user = member(attacker, Role.IT_COORDINATOR)
        owner = member(victim, Role.IT_COORDINATOR)
        yield World(victim=victim, attacker=attacker, attacker_user=user, owner_user=owner)
        transaction.set_rollback(True)
