"""A small inventory the report pages and the compliance rule are tested on (P5.4, P5.5): five
catalogue products, one in each phase that matters, the dictionary rules mapping titles to them
(and ignoring drivers), and `load` to import rows as a snapshot of a source."""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.utils import timezone

from stadga.catalogue.choices import Phase
from stadga.catalogue.models import Product
from stadga.inventory.choices import RuleAction, RuleField, RuleMatch
from stadga.inventory.services import inventory_import
from stadga.inventory.services_rules import normalisation_rule_create
from stadga.testing.factories import (
    BoardFactory,
    DepartmentFactory,
    MunicipalityFactory,
    ProductFactory,
)

HEADER = "Enhet;Användare;Förvaltning;Programvara;Version;Utgivare;Installerad\n"

# Nine installations on four devices: two approved, one approved with constraints, one in
# phase-out, two unapproved (WinRAR), one retired (Flash), one unknown, one ignored driver.
INVENTORY_ROWS = [
    "PC-1;anna;Utbildningsförvaltningen;LibreOffice;24.2;TDF;2026-01-10",
    "PC-1;anna;Utbildningsförvaltningen;WinRAR;6.0;RARLAB;2026-02-01",
    "PC-1;anna;Utbildningsförvaltningen;Intel HD driver;1.0;Intel;",
    "PC-2;bo;Utbildningsförvaltningen;LibreOffice;24.2;TDF;",
    "PC-2;bo;Utbildningsförvaltningen;Flash Player;32;Adobe;",
    "PC-3;cia;Socialförvaltningen;Firefox;128;Mozilla;",
    "PC-3;cia;Socialförvaltningen;Java 8;8u401;Oracle;",
    "PC-3;cia;Socialförvaltningen;Secret Tool;1.0;Nobody;",
    "PC-4;dan;Okänd;WinRAR;6.0;RARLAB;",
]


def set_phase(product: Product, phase: str, ends_on: datetime.date | None = None) -> None:
    """Phases are the phase services' to change; the status reads only the stored fields."""
    Product.objects.filter(pk=product.pk).update(phase=phase, phase_ends_on=ends_on)


def load_inventory(municipality: Any, rows: list[str], source: str = "GLPI") -> Any:
    data = io.BytesIO((HEADER + "".join(r + "\n" for r in rows)).encode())
    return inventory_import(
        municipality=municipality,
        source_name=source,
        fmt="csv",
        stream=data,
        file_name="inventering.csv",
        actor=None,
    )


def make_inventory_org() -> dict[str, Any]:
    """A municipality with two departments (one on a board), the five products and the rules."""
    m = MunicipalityFactory()
    board = BoardFactory(municipality=m)
    school = DepartmentFactory(municipality=m, board=board, name="Utbildningsförvaltningen")
    social = DepartmentFactory(municipality=m, name="Socialförvaltningen")
    products = {
        "office": ProductFactory(municipality=m, name="LibreOffice"),
        "firefox": ProductFactory(municipality=m, name="Firefox"),
        "winrar": ProductFactory(municipality=m, name="WinRAR"),
        "flash": ProductFactory(municipality=m, name="Flash Player"),
        "java": ProductFactory(municipality=m, name="Java 8"),
    }
    set_phase(products["office"], Phase.APPROVED)
    set_phase(products["firefox"], Phase.APPROVED_WITH_CONSTRAINTS)
    set_phase(products["java"], Phase.PHASE_OUT, timezone.localdate() + datetime.timedelta(days=30))
    set_phase(products["flash"], Phase.RETIRED)
    set_phase(products["winrar"], Phase.NOT_ASSESSED)  # a known product, never approved
    for position, key in enumerate(products, start=1):
        normalisation_rule_create(
            municipality=m,
            data={
                "position": position,
                "field": RuleField.NAME,
                "match": RuleMatch.EXACT,
                "pattern": products[key].name,
                "action": RuleAction.MAP,
                "product": products[key],
            },
            actor=None,
        )
    normalisation_rule_create(
        municipality=m,
        data={
            "position": 10,
            "field": RuleField.NAME,
            "match": RuleMatch.REGEX,
            "pattern": r"^(Intel|AMD) .*driver",
            "action": RuleAction.IGNORE,
        },
        actor=None,
    )
    return {"municipality": m, "board": board, "school": school, "social": social, **products}


def many_rows(devices: int, titles: int, prefix: str = "X") -> list[str]:
    """`devices` × `titles` more installations: every third title a mapped unapproved one."""
    rows = []
    for d in range(devices):
        department = "Utbildningsförvaltningen" if d % 2 else "Socialförvaltningen"
        for t in range(titles):
            name = "WinRAR;6.0;RARLAB" if t % 3 == 0 else f"Program {t};1.{t};Leverantör"
            if t % 3 == 0 and t:
                name = f"Flash Player;{t};Adobe"
            rows.append(f"{prefix}-{d};u{d};{department};{name};")
    return rows
