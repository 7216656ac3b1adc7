"""The roll-up for the budget and operational plan as a workbook (P3.5): the finance office's view.

One sheet per cost year: a row per board with its plan's status, investment, running costs and
their sum, and a total row. Amounts are whole kronor, written as numbers (not text) so the finance
office can sum and link them; the totals are numbers too, not formulas, so what the workbook says
does not depend on the program that opens it.
"""

from __future__ import annotations

from typing import IO, Any

from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .rent import RentAllocation
from .selectors import Rollup

HEADERS = ["Nämnd", "IT-plan", "Status", "Investering (kr)", "Drift (kr)", "Summa (kr)"]
TOTAL_LABEL = "Summa"
MONEY_FORMAT = "# ##0"
TENURE_LABELS = {"owned": "Ägd", "leased": "Inhyrd"}


def write_rollup_xlsx(rollup: Rollup, out: IO[bytes]) -> None:
    """Write the roll-up of `rollup.year`'s plans, one sheet per cost year, to `out`. In
    Swedish, like the headers, whatever the user's language: it goes into the budget."""
    with translation.override("sv"):
        _write(rollup, out)


def _write(rollup: Rollup, out: IO[bytes]) -> None:
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    bold = Font(bold=True)
    for index, year in enumerate(rollup.years):
        sheet = workbook.create_sheet(title=str(year))
        sheet.append(HEADERS)
        for cell in sheet[1]:
            cell.font = bold
        total_investment = total_running = 0
        for row, costs in rollup.row_cells():
            cost = costs[index]
            sheet.append(
                [
                    row.board.name,
                    str(row.plan.year) if row.plan else "",
                    str(row.plan.get_status_display()) if row.plan else "Saknas",
                    int(cost.investment),
                    int(cost.running),
                    int(cost.total),
                ]
            )
            total_investment += int(cost.investment)
            total_running += int(cost.running)
        sheet.append(
            [TOTAL_LABEL, "", "", total_investment, total_running, total_investment + total_running]
        )
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        for column in range(4, 7):
            for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
                cell.number_format = MONEY_FORMAT
        for column, width in enumerate((36, 10, 14, 18, 18, 18), start=1):
            sheet.column_dimensions[get_column_letter(column)].width = width
        sheet.freeze_panes = "A2"
    workbook.save(out)


def write_rent_xlsx(allocation: RentAllocation, out: IO[bytes]) -> None:
    """The internal-rent allocation of `allocation.year` (P3.7), the finance office's view: a
    sheet per department with its rent share in kronor, a sheet per premises and tenant, and
    what was not allocated. In Swedish, whatever the user's language; amounts as numbers."""
    with translation.override("sv"):
        _write_rent(allocation, out)


def _sheet(workbook: Workbook, title: str, headers: list[str], widths: tuple[int, ...]) -> Any:
    sheet = workbook.create_sheet(title=title)
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    return sheet


def _money(sheet: Any, *columns: int) -> None:
    for column in columns:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = MONEY_FORMAT


def _write_rent(allocation: RentAllocation, out: IO[bytes]) -> None:
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    bold = Font(bold=True)
    departments = _sheet(
        workbook, "Förvaltningar", ["Förvaltning", "Internhyra nät (kr)"], (40, 20)
    )
    for row in allocation.departments:
        departments.append([row.department.name, row.amount])
    departments.append([TOTAL_LABEL, allocation.allocated])
    for cell in departments[departments.max_row]:
        cell.font = bold
    _money(departments, 2)

    premises = _sheet(
        workbook,
        "Lokaler",
        [
            "Lokal",
            "Ägd/inhyrd",
            "Förvaltning",
            "Andel",
            "Egen kostnad (kr)",
            "Del av gemensam (kr)",
            "Internhyra nät (kr)",
        ],
        (32, 12, 36, 10, 18, 20, 20),
    )
    for line in allocation.rows:
        for part in line.parts:
            premises.append(
                [
                    line.premises.name,
                    TENURE_LABELS.get(line.premises.tenure, line.premises.tenure),
                    part.department.name,
                    float(part.share),
                    int(line.direct),
                    int(line.common),
                    part.amount,
                ]
            )
    for (cell,) in premises.iter_rows(min_row=2, min_col=4, max_col=4):
        cell.number_format = "0.00%"
    _money(premises, 5, 6, 7)

    rest = _sheet(workbook, "Ej fördelat", ["Lokal", "Belopp (kr)", "Skäl"], (32, 18, 40))
    for item in allocation.unallocated:
        rest.append(
            [item.premises.name if item.premises else "Gemensamt nät", item.amount, item.reason]
        )
    rest.append([TOTAL_LABEL, allocation.unallocated_total, ""])
    for cell in rest[rest.max_row]:
        cell.font = bold
    _money(rest, 2)
    workbook.save(out)
