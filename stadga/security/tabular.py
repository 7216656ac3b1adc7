"""Classifications as a spreadsheet (P9.1): one row per information type of a system, for
importing the classifications a municipality already has, and for exporting them.

A row is found by two columns together: the system's System-id and the information type's name
(an information type's name is unique within its system, not across systems). The import engine
of `stadga.core.tabular` matches rows by one key field, so the key here is computed: after the
cells are read, each row gets `SYSTEM-ID / name` as its key, and the stored information types
carry the same text as a database annotation. Everything else — errors per row and column, all or
nothing, unchanged rows left alone — is the engine's own. Every row is written through the
classification services, so each system's levels are recomputed from its information types.
"""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, F, QuerySet, Value
from django.db.models.functions import Concat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from stadga.core import tabular
from stadga.core.tabular import Boolean, Column, Date, Lookup, Text
from stadga.systems.models import System
from stadga.systems.tabular import classification_columns

from . import services_classification as services
from .models import InformationType

KEY_FIELD = "import_key"
KEY_SEPARATOR = " / "


def row_key(system_identifier: str, name: str) -> str:
    """The computed key of a row: the system's ID and the information type's name."""
    return f"{system_identifier}{KEY_SEPARATOR}{name}"


def _systems(spec: tabular.TabularSpec) -> QuerySet[System]:
    return System.objects.filter(municipality=spec.municipality).select_related("municipality")


class _ClassificationDate(Date):
    """The date of a classification: a blank cell keeps the stored date (a new row is dated
    today), so a file without dates imports again unchanged."""

    def same(self, current: Any, new: Any) -> bool:
        return new is None or current == new


# The key is not a column of the file: the engine is told about it through `key_column()`.
_KEY_COLUMN = Column("System-id + Informationstyp", KEY_FIELD, Text())


@tabular.register
class ClassificationTabular(tabular.TabularSpec):
    """Information types and their classification (P9.1), keyed by System-id + Informationstyp."""

    kind = "classifications"
    model = InformationType
    key = KEY_FIELD
    label_field = "system"
    sheet_title = "Klassning"
    filename = "klassning"
    title = _("Classifications")
    columns = [
        Column(
            "System-id",
            "system",
            Lookup(
                _systems,
                by=("identifier",),
                required=True,
                not_found=_("There is no system with the ID “%(value)s”."),
            ),
            aliases=("System ID",),
            required=True,
            help_text=_("The ID of the system the information is in, e.g. SYS-0012."),
            width=12,
        ),
        Column(
            "Informationstyp",
            "name",
            Text(required=True, max_length=200),
            aliases=("Information type",),
            required=True,
            help_text=_(
                "The kind of information, e.g. “case files”. With the System-id it finds the "
                "information type to update; a new name adds one."
            ),
            width=30,
        ),
        Column("Beskrivning", "description", aliases=("Description",), width=40),
        Column(
            "Personuppgifter",
            "personal_data",
            Boolean(),
            aliases=("Personal data",),
            help_text=_("Whether the information includes personal data."),
            width=12,
        ),
        Column(
            "Känsliga personuppgifter",
            "sensitive_personal_data",
            Boolean(),
            aliases=("Sensitive personal data",),
            help_text=_("Special categories of personal data, offences, protected identity."),
            width=12,
        ),
        *classification_columns(),
        Column(
            "Motivering",
            "justification",
            aliases=("Justification",),
            help_text=_("Why the information gets these levels."),
            width=40,
        ),
        Column(
            "Klassningsdatum",
            "classified_on",
            _ClassificationDate(),
            aliases=("Classified on",),
            help_text=_(
                "When the information was classified, if not today. Blank keeps the date a "
                "classification has (a new one is dated today); a changed row is dated today "
                "unless this column changes too."
            ),
            width=14,
        ),
    ]

    @classmethod
    def key_column(cls) -> Column:
        return _KEY_COLUMN

    def get_queryset(self) -> QuerySet[InformationType]:
        return InformationType.objects.filter(municipality=self.municipality).annotate(
            **{
                KEY_FIELD: Concat(
                    F("system__identifier"),
                    Value(KEY_SEPARATOR),
                    F("name"),
                    output_field=CharField(),
                )
            }
        )

    def complete_row(self, values: dict[str, Any]) -> None:
        system, name = values.get("system"), values.get("name")
        # A blank or unknown System-id or name has failed the row with its own message.
        if system is not None and name:
            values[KEY_FIELD] = row_key(system.identifier, name)

    def create(self, data: dict[str, Any]) -> InformationType:
        data = {k: v for k, v in data.items() if k != KEY_FIELD}
        return services.information_type_create(
            system=data.pop("system"), data=data, actor=self.actor
        )

    def update(self, instance: Any, data: dict[str, Any]) -> tuple[InformationType, bool]:
        data = {k: v for k, v in data.items() if k not in (KEY_FIELD, "system", "name")}
        return services.information_type_update(
            information_type=instance, data=data, actor=self.actor
        )

    def archived_message(self, key: str) -> str:
        return gettext(
            "The information type “%(key)s” is archived; restore it before importing changes to it."
        ) % {"key": key}
