"""The register of processing activities of one board as the controller hands it over (GDPR
art. 30(1), P9.2): every field of every current entry, the systems and the linked security
measures by title, as XLSX (openpyxl) and PDF (WeasyPrint).

The spreadsheet's headers are Swedish constants and its values Swedish whatever the user's
language, like the register's other exports (stadga.core.tabular)."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.text import slugify

from stadga.core.tabular.columns import EXPORT_LANGUAGE, ILLEGAL_CHARACTERS, NO, YES
from stadga.organisation.models import Board

from .models import ProcessingActivity
from .services_register import link_prefetches


@dataclass(frozen=True)
class RegisterColumn:
    header: str  # Swedish: the file's language in every UI language
    value: Callable[[Board, ProcessingActivity], Any]
    width: int = 30


def _yes_no(value: bool) -> str:
    return YES if value else NO


def _lines(values: Sequence[str]) -> str:
    return "\n".join(values)


def _systems(activity: ProcessingActivity) -> list[str]:
    return [f"{s.identifier} {s.name}" for s in activity.systems.all()]


def _measures(activity: ProcessingActivity) -> list[str]:
    return [m.title for m in activity.security_measures.all()]


# The controller's organisation number is not in the model yet: the column is there, empty, so
# the file has the shape art. 30(1)(a) asks for and can be filled in by hand.
def organisation_number(board: Board) -> str:
    return str(getattr(board.municipality, "organisation_number", "") or "")


COLUMNS: tuple[RegisterColumn, ...] = (
    RegisterColumn("Personuppgiftsansvarig (nämnd)", lambda b, a: b.name, 28),
    RegisterColumn("Kommun", lambda b, a: b.municipality.name, 18),
    RegisterColumn("Organisationsnummer", lambda b, a: organisation_number(b), 18),
    RegisterColumn("Behandling", lambda b, a: a.name, 30),
    RegisterColumn("Ändamål", lambda b, a: a.purposes, 45),
    RegisterColumn("Rättslig grund", lambda b, a: str(a.get_legal_basis_display()), 26),  # type: ignore[attr-defined]
    RegisterColumn("Rättslig grund, närmare", lambda b, a: a.legal_basis_detail, 35),
    RegisterColumn("Kategorier av registrerade", lambda b, a: a.data_subjects, 35),
    RegisterColumn("Kategorier av personuppgifter", lambda b, a: a.personal_data_categories, 40),
    RegisterColumn("Känsliga personuppgifter", lambda b, a: _yes_no(a.sensitive_data), 14),
    RegisterColumn("Mottagare", lambda b, a: a.recipients, 35),
    RegisterColumn("Överföring till tredjeland", lambda b, a: a.third_country_transfers, 30),
    RegisterColumn("Gallringsfrister", lambda b, a: a.erasure_time_limits, 30),
    RegisterColumn("Konsekvensbedömning gjord", lambda b, a: _yes_no(a.dpia_done), 16),
    RegisterColumn("Personuppgiftsbiträdesavtal", lambda b, a: a.processor_agreements, 35),
    RegisterColumn("System", lambda b, a: _lines(_systems(a)), 30),
    RegisterColumn("Säkerhetsåtgärder", lambda b, a: _lines(_measures(a)), 45),
    RegisterColumn("Senast ändrad", lambda b, a: timezone.localtime(a.updated_at).date(), 14),
)
HEADERS = tuple(column.header for column in COLUMNS)


def register_entries(queryset: QuerySet[ProcessingActivity]) -> list[ProcessingActivity]:
    """The entries with their current systems and measures: three queries for any number."""
    return list(
        queryset.filter(archived_at__isnull=True)
        .select_related("municipality", "board")
        .prefetch_related(*link_prefetches(current_only=True))
        .order_by("name", "pk")
    )


def register_rows(board: Board, entries: Sequence[ProcessingActivity]) -> list[list[Any]]:
    """One row per entry, values as the file shows them (choice labels in Swedish)."""
    with translation.override(EXPORT_LANGUAGE):
        return [[column.value(board, entry) for column in COLUMNS] for entry in entries]


def register_xlsx(board: Board, entries: Sequence[ProcessingActivity]) -> bytes:
    """One sheet: a bold, frozen header row, wrapped text, sized columns."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Registerförteckning"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDDDDD")
    wrap = Alignment(wrap_text=True, vertical="top")
    sheet.append(list(HEADERS))
    for cell in sheet[1]:
        cell.font, cell.fill, cell.alignment = bold, fill, wrap
    for row in register_rows(board, entries):
        sheet.append([_text(value) for value in row])
    for row_cells in sheet.iter_rows(min_row=2):
        for cell in row_cells:
            cell.alignment = wrap
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text stays text: "=…" is not a formula
    for position, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = column.width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _text(value: Any) -> Any:
    return ILLEGAL_CHARACTERS.sub("", value) if isinstance(value, str) else value


def register_filename(board: Board, extension: str) -> str:
    today = timezone.localdate().isoformat()
    return f"registerforteckning-{slugify(board.name) or board.pk}-{today}.{extension}"
