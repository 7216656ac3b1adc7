"""Every write to classification (P9.1) and the requirement catalogues: atomic, validated, logged.

A system's level per aspect is the highest level of its current information types, and it handles
personal data if any of them does. Each write to an information type recomputes the system's
levels in the same transaction, through the register's own service, so the change log shows the
system's levels moving with the classification that moved them.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stadga.core.services import (
    governed_write,
    object_archive,
    object_create,
    object_restore,
    object_update,
)
from stadga.organisation.models import Municipality, Person
from stadga.systems.choices import Aspect
from stadga.systems.models import System
from stadga.systems.services import system_update

from .catalogue import Catalogue, CatalogueError
from .models import (
    InformationType,
    Requirement,
    RequirementCatalogue,
    SecuritySettings,
)

# --- Requirement catalogues ------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogueLoadResult:
    catalogue: RequirementCatalogue
    created: bool  # False: this very content was already loaded, and nothing was written


def requirement_catalogue_load(*, catalogue: Catalogue, actor: Any) -> CatalogueLoadResult:
    """Store a checked catalogue (`stadga.security.catalogue.parse_catalogue`) as a version.

    Idempotent: the same key, version and content returns the stored version untouched. The same
    key and version with other content raises CatalogueError: measures answer the requirements
    of a version, so a changed requirement must come in a new version.
    """
    with governed_write(actor):
        existing = RequirementCatalogue.objects.filter(
            key=catalogue.key, version=catalogue.version
        ).first()
        if existing is not None:
            if existing.checksum == catalogue.checksum:
                return CatalogueLoadResult(catalogue=existing, created=False)
            raise CatalogueError(
                [
                    _(
                        "%(key)s version %(version)s is already loaded with different "
                        "requirements: a loaded version is never changed; give the changed "
                        "catalogue a new version."
                    )
                    % {"key": catalogue.key, "version": catalogue.version}
                ],
                source=catalogue.source,
            )
        stored = object_create(
            model=RequirementCatalogue, data=catalogue.catalogue_fields(), actor=actor
        )
        requirements = [
            Requirement(
                catalogue=stored,
                order=order,
                code=item.code,
                category=item.category,
                aspect=item.aspect,
                level=item.level,
                iso_control=item.iso_control,
                text=item.text,
                text_en=item.text_en,
                personal_data=item.personal_data,
            )
            for order, item in enumerate(catalogue.requirements, start=1)
        ]
        for requirement in requirements:
            # The file's check already made the codes unique; asking the database again for
            # each requirement would cost a query per requirement.
            try:
                requirement.full_clean(validate_unique=False, validate_constraints=False)
            except ValidationError as error:
                raise CatalogueError(
                    [f"{requirement.code}: {message}" for message in error.messages],
                    source=catalogue.source,
                ) from None
        Requirement.objects.bulk_create(requirements)
    return CatalogueLoadResult(catalogue=stored, created=True)


# --- Security settings -----------------------------------------------------------------------


def security_settings_for(municipality: Municipality) -> SecuritySettings:
    """The municipality's security settings, created with the defaults the first time they are
    asked for."""
    found = SecuritySettings.objects.filter(municipality=municipality).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            created, _created = SecuritySettings.objects.get_or_create(municipality=municipality)
    except IntegrityError:  # created by a concurrent request meanwhile
        created = SecuritySettings.objects.get(municipality=municipality)
    return created


def security_settings_update(
    *, municipality: Municipality, data: Mapping[str, Any], actor: Any
) -> tuple[SecuritySettings, bool]:
    """Change the municipality's review interval (P9.1), escalation days (P9.6) and follow-up
    intervals per level (P9.5). `follow_up_months` maps a level to months, each at least 1."""
    errors: dict[str, Any] = {}
    months = data.get("follow_up_months")
    if months is not None:
        if not isinstance(months, dict) or not all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 1 for v in months.values()
        ):
            errors["follow_up_months"] = _("Give each level a whole number of months, at least 1.")
        else:
            data = {**data, "follow_up_months": {str(k): v for k, v in months.items()}}
    for name in ("classification_review_months", "shortfall_escalation_days"):
        if name in data and (not isinstance(data[name], int) or data[name] < 1):
            errors[name] = _("Write a whole number of at least 1.")
    if errors:
        raise ValidationError(errors)
    settings = security_settings_for(municipality)
    return object_update(instance=settings, data=data, actor=actor)


# --- Classification (P9.1) -------------------------------------------------------------------


LEVEL_FIELDS = (*Aspect.values, "personal_data")


def _person_of(actor: Any, municipality_id: int) -> Person | None:
    """The person the actor is in the municipality: who classified (None for the system)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    return (
        Person.objects.filter(user=actor, municipality_id=municipality_id, archived_at__isnull=True)
        .order_by("pk")
        .first()
    )


def _classified(data: Mapping[str, Any], *, system: System, actor: Any) -> dict[str, Any]:
    """`data` with who classified and when: the actor's person, today (or the date the data
    gives, e.g. an imported classification's own date, which may not lie ahead)."""
    today = timezone.localdate()
    classified_on = data.get("classified_on") or today
    if classified_on > today:
        raise ValidationError(
            {"classified_on": _("A classification cannot be dated in the future.")}
        )
    return {
        **data,
        "classified_on": classified_on,
        "classified_by": _person_of(actor, system.municipality_id),
    }


def _lock(system: System) -> None:
    """Hold the system's row until the transaction ends, and read its levels afresh: two people
    classifying the system's types at once must not leave it at the older one's maximum."""
    list(System.objects.select_for_update().filter(pk=system.pk).values_list("pk", flat=True))
    system.refresh_from_db(fields=list(LEVEL_FIELDS))


def system_levels(information_types: list[Mapping[str, Any]]) -> dict[str, Any]:
    """The levels a system gets from its current information types: per aspect the highest
    (None if none of them has one), and personal data if any of them has it."""
    levels: dict[str, Any] = {
        aspect: max((t[aspect] for t in information_types if t[aspect] is not None), default=None)
        for aspect in Aspect.values
    }
    levels["personal_data"] = any(t["personal_data"] for t in information_types)
    return levels


def system_classification_recompute(*, system: System, actor: Any) -> tuple[System, bool]:
    """Give the system the levels of its current information types (P9.1), logged as a change
    to the system; a system without information types keeps the levels it has."""
    with governed_write(actor):
        _lock(system)
        current = list(
            InformationType.objects.filter(system=system, archived_at__isnull=True).values(
                *LEVEL_FIELDS
            )
        )
        if not current:
            return system, False
        return system_update(system=system, data=system_levels(current), actor=actor)


def information_type_create(
    *, system: System, data: Mapping[str, Any], actor: Any
) -> InformationType:
    """Classify a new kind of information in the system; the system's levels follow."""
    plain = {k: v for k, v in data.items() if k not in ("system", "municipality")}
    with governed_write(actor):
        information_type = object_create(
            model=InformationType,
            data=_classified(plain, system=system, actor=actor),
            actor=actor,
            municipality=system.municipality,
            system=system,
        )
        system_classification_recompute(system=system, actor=actor)
    return information_type


def information_type_update(
    *, information_type: InformationType, data: Mapping[str, Any], actor: Any
) -> tuple[InformationType, bool]:
    """Change a classification; saving it again counts as reviewing it: who and when are set
    anew (P9.1). The system's levels follow. The system itself cannot be changed."""
    plain = {k: v for k, v in data.items() if k not in ("system", "municipality")}
    system = information_type.system
    with governed_write(actor):
        information_type, changed = object_update(
            instance=information_type,
            data=_classified(plain, system=system, actor=actor),
            actor=actor,
        )
        if changed:
            system_classification_recompute(system=system, actor=actor)
    return information_type, changed


def information_type_archive(*, information_type: InformationType, actor: Any) -> InformationType:
    """Archive an information type the system no longer holds; the system's levels follow."""
    with governed_write(actor):
        object_archive(instance=information_type, actor=actor)
        system_classification_recompute(system=information_type.system, actor=actor)
    return information_type


def information_type_restore(*, information_type: InformationType, actor: Any) -> InformationType:
    with governed_write(actor):
        object_restore(instance=information_type, actor=actor)
        system_classification_recompute(system=information_type.system, actor=actor)
    return information_type


def review_due_on(classified_on: datetime.date | None, *, months: int) -> datetime.date | None:
    """When a classification made on `classified_on` is due for review; None if never made."""
    from dateutil.relativedelta import relativedelta

    if classified_on is None:
        return None
    return classified_on + relativedelta(months=months)
