"""The register of IT systems as a spreadsheet: the columns of its import, export and template.

The headers are Swedish data constants (the file's language in every UI language); the English
headers are accepted on import too.
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from stadga.catalogue.models import Product
from stadga.core import tabular
from stadga.core.tabular import (
    Boolean,
    Choice,
    Column,
    Date,
    Integer,
    Lookup,
    ManyLookup,
    SelfReferences,
    Text,
)
from stadga.organisation.models import Board, Department, Person

from . import services
from .choices import LifecyclePhase, SystemType
from .models import IDENTIFIER_PREFIX, System

_NUMBERED = re.compile(rf"^{re.escape(IDENTIFIER_PREFIX)}(\d+)$")


def _boards(spec: tabular.TabularSpec) -> QuerySet[Board]:
    return Board.objects.filter(municipality=spec.municipality)


def _departments(spec: tabular.TabularSpec) -> QuerySet[Department]:
    return Department.objects.filter(municipality=spec.municipality)


def _people(spec: tabular.TabularSpec) -> QuerySet[Person]:
    return Person.objects.filter(municipality=spec.municipality)


def _products(spec: tabular.TabularSpec) -> QuerySet[Product]:
    return Product.objects.filter(municipality=spec.municipality)


def _top_level(spec: tabular.TabularSpec) -> int:
    return spec.municipality.max_consequence_level  # P9.1: the municipality's own scale


_PERSON_NOT_FOUND = _("There is no person named or with the e-mail address “%(value)s”.")
_PERSON_AMBIGUOUS = _("Several people are named “%(value)s”; write the e-mail address instead.")


def _person(required: bool = False) -> Lookup:
    return Lookup(
        _people,
        by=("name", "email"),
        required=required,
        not_found=_PERSON_NOT_FOUND,
        ambiguous=_PERSON_AMBIGUOUS,
    )


def _level(header: str, field: str, english: str) -> Column:
    return Column(
        header,
        field,
        Integer(min_value=1, max_value=_top_level),
        aliases=(english,),
        help_text=_("A level of the municipality's consequence scale (P9.1)."),
        width=12,
    )


def classification_columns() -> list[Column]:
    """The four aspects of a classification (P9.1), as the register and the import of
    information types both write them."""
    return [
        _level("Konfidentialitet", "confidentiality", "Confidentiality"),
        _level("Riktighet", "integrity", "Integrity"),
        _level("Tillgänglighet", "availability", "Availability"),
        _level("Spårbarhet", "traceability", "Traceability"),
    ]


@tabular.register
class SystemTabular(tabular.TabularSpec):
    """The IT system register (P9.3, P9.1): one row per system, keyed by System-id."""

    kind = "systems"
    model = System
    key = "identifier"
    sheet_title = "IT-system"
    filename = "it-system"
    title = _("IT systems")
    auto_key = True  # a new system may leave System-id blank; it gets the next SYS-NNNN
    columns = [
        Column(
            "System-id",
            "identifier",
            Text(max_length=40),
            aliases=("System ID", "Identifier"),
            required=True,
            help_text=_(
                "The system's stable key, e.g. SYS-0012. A row with a known key updates that "
                "system; leave it blank for a new system to get the next free key."
            ),
            width=12,
        ),
        Column(
            "Namn",
            "name",
            Text(required=True, max_length=200),
            aliases=("Name",),
            required=True,
            help_text=_("The system's name."),
            width=30,
        ),
        Column(
            "Syfte",
            "purpose",
            aliases=("Purpose",),
            help_text=_("What the system is used for."),
            width=40,
        ),
        Column(
            "Nämnd",
            "board",
            Lookup(
                _boards,
                by=("name", "short_name"),
                required=True,
                not_found=_("There is no board named “%(value)s”."),
            ),
            aliases=("Board",),
            required=True,
            help_text=_("The board responsible for the system, by name or abbreviation."),
            width=28,
        ),
        Column(
            "Förvaltning",
            "department",
            Lookup(_departments, not_found=_("There is no department named “%(value)s”.")),
            aliases=("Department",),
            help_text=_("The department under the board that runs the system."),
            width=28,
        ),
        Column(
            "Systemansvarig",
            "system_owner",
            _person(),
            aliases=("System owner", "Systemägare", "Systemförvaltare"),
            help_text=_(
                "The named system owner (P9.3), by name or e-mail address; required unless "
                "the system is planned."
            ),
            width=24,
        ),
        Column(
            "Övriga kontakter",
            "contacts",
            ManyLookup(
                _people,
                by=("name", "email"),
                not_found=_PERSON_NOT_FOUND,
                ambiguous=_PERSON_AMBIGUOUS,
            ),
            aliases=("Other contacts",),
            help_text=_("Other people to contact, separated by semicolons."),
            width=30,
        ),
        Column(
            "Livscykelfas",
            "lifecycle_phase",
            Choice(LifecyclePhase),
            aliases=("Lifecycle phase",),
            help_text=_("Where the system is in its life."),
            width=16,
        ),
        Column(
            "I drift från",
            "in_production_from",
            Date(),
            aliases=("In production from",),
            width=14,
        ),
        Column(
            "Avveckling från",
            "phase_out_from",
            Date(),
            aliases=("Phase-out from",),
            width=14,
        ),
        Column("Avvecklat", "retired_on", Date(), aliases=("Retired on",), width=14),
        Column(
            "Typ",
            "system_type",
            Choice(SystemType),
            aliases=("Type",),
            help_text=_("How the system is provided (in-house development breaks P5.6)."),
            width=22,
        ),
        Column(
            "Produkter",
            "products",
            ManyLookup(
                _products,
                not_found=_("There is no product named “%(value)s” in the product catalogue."),
            ),
            aliases=("Products",),
            help_text=_(
                "The catalogue products the system runs on (P5.4), separated by semicolons. "
                "The system's products become exactly these; without the column they stay."
            ),
            width=30,
        ),
        Column(
            "Antal användare",
            "user_count",
            Integer(min_value=0),
            aliases=("Number of users",),
            width=12,
        ),
        Column(
            "Beroenden",
            "depends_on",
            SelfReferences(),
            aliases=("Depends on",),
            help_text=_(
                "System-ids of the systems this one depends on, separated by semicolons; they "
                "may be rows further down the same file."
            ),
            width=20,
        ),
        Column(
            "Personuppgifter",
            "personal_data",
            Boolean(),
            aliases=("Personal data",),
            help_text=_("Whether the system processes personal data."),
            width=12,
        ),
        *classification_columns(),
        Column(
            "Motivering klassning",
            "classification_justification",
            aliases=("Classification justification",),
            width=40,
        ),
        Column(
            "Publik",
            "is_public",
            Boolean(),
            aliases=("Public",),
            help_text=_("Whether the system is shown in the public register (P7.1)."),
            width=10,
        ),
        Column("Anteckningar", "notes", aliases=("Notes",), width=40),
    ]

    def create(self, data: dict[str, Any]) -> System:
        data = dict(data)
        products = data.pop("products", None)
        system = services.system_create(municipality=self.municipality, data=data, actor=self.actor)
        if products:
            self._set_products(system, products)
        return system

    def update(self, instance: Any, data: dict[str, Any]) -> tuple[System, bool]:
        data = dict(data)
        products = data.pop("products", None)
        system, changed = services.system_update(system=instance, data=data, actor=self.actor)
        if products is not None:
            changed = self._set_products(system, products) or changed
        return system, changed

    def _set_products(self, system: System, products: list[Product]) -> bool:
        """The links become exactly the products the cell names (P5.4), each logged; a product
        the system keeps keeps its version."""
        from stadga.catalogue.services_catalogue import system_products_set

        versions = {link.product_id: link.version for link in system.product_links.all()}
        return system_products_set(
            system=system,
            links=[(p, versions.get(p.pk)) for p in products],
            actor=self.actor,
        )

    def archived_message(self, key: str) -> str:
        from django.utils.translation import gettext

        return gettext(
            "System “%(key)s” is archived; restore it before importing changes to it."
        ) % {"key": key}

    def new_key(self, taken: set[str]) -> str:
        """The next SYS-NNNN after every key in the register (archived ones too) and the file."""
        numbers = [int(m.group(1)) for key in taken if (m := _NUMBERED.match(str(key)))]
        return f"{IDENTIFIER_PREFIX}{max(numbers, default=0) + 1:04d}"
