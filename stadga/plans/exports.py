"""The roll-up for the budget and operational plan as a workbook (P3.5): the finance office's view.

One sheet per cost year: a row per board with its plan's status, investment, running costs and
their sum, and a total row. Amounts are whole kronor, written as numbers (not text) so the finance
office can sum and link them; the totals are numbers too, not formulas, so what the workbook says
does not depend on the program that opens it.
"""

from __future__ import annotations

from typing import IO

from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .selectors import Rollup

HEADERS = ["Nämnd", "IT-plan", "Status", "Investering (kr)", "Drift (kr)", "Summa (kr)"]
TOTAL_LABEL = "Summa"
MONEY_FORMAT = "# ##0"


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
