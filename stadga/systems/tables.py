from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from stadga.core.tables import ScopedTable
from stadga.organisation.choices import Role

from .choices import Aspect
from .models import ExternalResponsibility, System


class SystemTable(ScopedTable):
    identifier = tables.Column(verbose_name=_("ID"), attrs={"td": {"class": "nowrap"}})
    name = tables.Column(linkify=True)
    board = tables.Column(order_by=("board__name",))
    department = tables.Column(order_by=("department__name",))
    system_owner = tables.Column(order_by=("system_owner__name",))
    lifecycle_phase = tables.Column()
    system_type = tables.Column()
    classification = tables.Column(
        verbose_name=_("C/I/A/T"),
        empty_values=(),
        order_by=tuple(f"-{a}" for a in Aspect.values),
        attrs={
            "th": {"title": _("Confidentiality, integrity, availability, traceability")},
            "td": {"class": "nowrap"},
        },
    )
    flags = tables.Column(verbose_name=_("Gaps"), empty_values=(), orderable=False)

    class Meta(ScopedTable.Meta):
        model = System
        fields = (
            "identifier",
            "name",
            "board",
            "department",
            "system_owner",
            "lifecycle_phase",
            "system_type",
        )
        sequence = (*fields, "classification", "flags")
        order_by = ("name",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.municipality is not None:  # the municipality's own word for the role
            label = self.municipality.role_label(Role.SYSTEM_OWNER)
            self.columns["system_owner"].column.verbose_name = label

    def render_classification(self, record: System) -> str:
        return " / ".join(
            "–" if level is None else str(level) for level in record.classification.values()
        )

    def render_flags(self, record: System) -> Any:
        return render_to_string("systems/partials/flags.html", {"flags": record.flags})


class ExternalResponsibilityTable(ScopedTable):
    organisation = tables.Column(linkify=True, order_by=("organisation__name",))
    system = tables.Column(linkify=True, order_by=("system__name",))
    kind = tables.Column(linkify=True)
    contract_ends_on = tables.DateColumn(format="Y-m-d", attrs={"td": {"class": "nowrap"}})

    class Meta(ScopedTable.Meta):
        model = ExternalResponsibility
        fields = ("organisation", "system", "kind", "description", "contract_ends_on")
        order_by = ("organisation", "system")
