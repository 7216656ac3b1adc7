"""What every page of the inventory shares: it is read by those who read everything in the
municipality (the IT department, the executive board's read role, auditors; others get a 403,
another municipality's users a 404 from `MunicipalityView`), and written by the IT department,
who keeps the register (P3.2)."""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import PermissionDenied
from django.utils.functional import Promise

from stadga.core.views import MunicipalityView

NAV_SECTION = "inventory"


class InventoryView(MunicipalityView):
    nav_section = NAV_SECTION
    # Why a reader may not write here, if the page says more than a plain 403.
    keeper_only: ClassVar[str | Promise] = ""

    def may_keep(self) -> bool:
        return self.access.keeps_register(self.municipality.pk)

    def require_reader(self) -> None:
        if not self.access.reads_all(self.municipality.pk):
            raise PermissionDenied

    def require_keeper(self) -> None:
        self.require_reader()
        if not self.may_keep():
            raise PermissionDenied(self.keeper_only or None)
