"""The coverage as a workbook (P6): for a department head's or the IT department's follow-up.

Three sheets: the figures per department, the figures per system, and who lacks which course
(missing, expired, expiring soon). In Swedish whatever the user's language, like the other
workbooks; counts are numbers and shares fractions formatted as per cent, so they can be summed
and charted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .coverage import Coverage, CoverageLine, Figure

STATUS_LABELS = {
    "met": "Uppfylld",
    "expiring": "Går snart ut",
    "expired": "Har gått ut",
    "missing": "Saknas",
}
NO_DEPARTMENT = "Utan förvaltning"
TOTAL_LABEL = "Summa"
FIGURE_HEADERS = ["Krävs", "Uppfyllda", "Saknas", "Andel uppfyllda"]
LINE_HEADERS = [
    "Person",
    "Förvaltning",
    "Kurs",
    "Status",
    "Giltig till",
    "Senast genomförd",
    "System",
]


def _sheet(workbook: Workbook, title: str, headers: list[str], widths: tuple[int, ...]) -> Any:
    sheet = workbook.create_sheet(title=title)
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    return sheet


def _figures(sheet: Any, figures: Sequence[Figure], total: Figure | None) -> None:
    rows = [(str(f.subject) if f.subject is not None else NO_DEPARTMENT, f) for f in figures]
    if total is not None:
        rows.append((TOTAL_LABEL, total))
    for label, figure in rows:
        share = figure.met / figure.required if figure.required else None
        sheet.append([label, figure.required, figure.met, figure.lacking, share])
    if total is not None:
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    for (cell,) in sheet.iter_rows(min_row=2, min_col=5, max_col=5):
        cell.number_format = "0%"


def write_coverage_xlsx(coverage: Coverage, lines: Sequence[CoverageLine], out: IO[bytes]) -> None:
    """Write `coverage`'s figures and `lines` (who lacks what, as filtered) to `out`."""
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    departments = _sheet(
        workbook, "Förvaltningar", ["Förvaltning", *FIGURE_HEADERS], (40, 10, 12, 10, 18)
    )
    _figures(departments, coverage.departments, coverage.total)
    systems = _sheet(workbook, "System", ["System", *FIGURE_HEADERS], (40, 10, 12, 10, 18))
    _figures(systems, coverage.systems, None)
    lacking = _sheet(workbook, "Saknas", LINE_HEADERS, (30, 30, 36, 14, 12, 16, 36))
    for line in lines:
        lacking.append(
            [
                line.person.name,
                line.department.name if line.department is not None else NO_DEPARTMENT,
                line.course.name,
                STATUS_LABELS.get(line.status, line.status),
                line.valid_until,
                line.completed_on,
                ", ".join(s.name for s in line.systems),
            ]
        )
    for row in lacking.iter_rows(min_row=2, min_col=5, max_col=6):
        for cell in row:
            cell.number_format = "yyyy-mm-dd"
    workbook.save(out)
