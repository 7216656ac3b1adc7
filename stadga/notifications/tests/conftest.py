"""Fixtures for the notification tests: a municipality, an adopted policy with a clause that a
person attests to, and attestations on demand."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from stadga.organisation.models import Municipality, Person
from stadga.policy.models import Attestation, Clause, Policy, PolicyAdoption
from stadga.testing.factories import MunicipalityFactory

TODAY = datetime.date(2026, 5, 4)


@pytest.fixture
def municipality() -> Municipality:
    return MunicipalityFactory.create()


def adopt_policy(municipality: Municipality, *, key: str = "it-policy") -> Clause:
    """Adopt a one-clause policy (P6.4, judged by a person) and return its clause."""
    policy, _ = Policy.objects.get_or_create(
        key=key,
        version="2006",
        defaults={
            "title": "IT-policy",
            "issuing_body": "Kommunfullmäktige",
            "adopted_on": datetime.date(2006, 9, 25),
        },
    )
    clause, _ = Clause.objects.get_or_create(
        policy=policy,
        clause_id="P6.4",
        defaults={
            "order": 1,
            "section": "6",
            "section_title": "Utbildning",
            "text": "Varje förvaltning har en utbildningsplan.",
            "attestation_required": True,
        },
    )
    PolicyAdoption.objects.create(
        municipality=municipality, policy=policy, adopted_on=datetime.date(2006, 9, 25)
    )
    return clause


@pytest.fixture
def clause(municipality: Municipality) -> Clause:
    return adopt_policy(municipality)


@pytest.fixture
def attest() -> Callable[..., Attestation]:
    def make(clause: Clause, person: Person, *, until: datetime.date, **kwargs: Any) -> Attestation:
        return Attestation.objects.create(
            municipality=person.municipality,
            clause=clause,
            attested_by=person,
            statement="Planen finns.",
            valid_from=until - datetime.timedelta(days=365),
            valid_until=until,
            **kwargs,
        )

    return make
