"""Import of attendance lists (P6): real XLSX and CSV files become competence records through
`record_create`, with their validity from the course; errors name their row; a file with any
error records nothing; the same list imported twice changes nothing; the pages and the command."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from stadga.organisation.choices import Role
from stadga.testing.factories import MunicipalityFactory, PersonFactory, member
from stadga.testing.spreadsheets import csv_bytes, xlsx_bytes
from stadga.training.choices import CourseKind, RecordSource
from stadga.training.imports import AttendanceTabular
from stadga.training.models import CompetenceRecord
from stadga.training.services_records import record_create

from .factories_plans import CourseFactory, department

pytestmark = pytest.mark.django_db

HEADERS = ["Person", "Kurs", "Genomförd", "Anteckning"]


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def setup() -> dict[str, Any]:
    m = MunicipalityFactory()
    return {
        "m": m,
        "anna": PersonFactory(municipality=m, name="Anna Berg", email="anna.berg@kommun.example"),
        "bo": PersonFactory(municipality=m, name="Bo Ek", email="bo.ek@kommun.example"),
        "security": CourseFactory(
            municipality=m, name="Säkerhetsmedvetande", kind=CourseKind.SECURITY, validity_months=24
        ),
        "office": CourseFactory(municipality=m, name="Office grund"),
        "user": member(m, Role.IT_COORDINATOR),
    }


def good_rows() -> list[list[Any]]:
    return [
        HEADERS,
        ["anna.berg@kommun.example", "Säkerhetsmedvetande", datetime.date(2026, 2, 10), "Webbkurs"],
        ["Bo Ek", "säkerhetsmedvetande", "2026-02-10", ""],
        ["Bo Ek", "Office grund", datetime.datetime(2025, 11, 3), None],
    ]


def spec(setup: dict[str, Any]) -> AttendanceTabular:
    return AttendanceTabular(municipality=setup["m"], actor=setup["user"])


def test_good_xlsx_records_every_row_through_record_create(setup: dict[str, Any]) -> None:
    result = spec(setup).import_file(xlsx_bytes(good_rows()))
    assert result.ok, [str(e) for e in result.errors]
    assert result.committed and result.created == 3
    records = CompetenceRecord.objects.filter(municipality=setup["m"]).order_by("pk")
    assert [r.source for r in records] == [RecordSource.IMPORT] * 3
    anna = records.get(person=setup["anna"])
    assert anna.completed_on == datetime.date(2026, 2, 10)
    assert anna.valid_until == datetime.date(2028, 2, 9)  # 24 months, from the course
    assert anna.note == "Webbkurs"
    assert records.get(person=setup["bo"], course=setup["office"]).valid_until is None
    assert LogEntry.objects.get_for_object(anna).get().actor == setup["user"]


def test_good_csv_as_swedish_excel_saves_it(setup: dict[str, Any]) -> None:
    data = csv_bytes([[str(c) if c is not None else "" for c in row] for row in good_rows()[:3]])
    result = spec(setup).import_file(data)
    assert result.ok and result.created == 2
    assert result.file_format == "csv"


def test_the_same_list_twice_changes_nothing(setup: dict[str, Any]) -> None:
    spec(setup).import_file(xlsx_bytes(good_rows()))
    before = LogEntry.objects.count()
    again = spec(setup).import_file(xlsx_bytes(good_rows()))
    assert again.ok and again.unchanged == 3 and again.created == 0
    assert CompetenceRecord.objects.count() == 3
    assert LogEntry.objects.count() == before


def test_broken_rows_are_named_and_nothing_is_recorded(setup: dict[str, Any]) -> None:
    record_create(
        municipality=setup["m"],
        data={
            "person": setup["anna"],
            "course": setup["office"],
            "completed_on": datetime.date(2026, 1, 5),
            "note": "För hand",
        },
        actor=setup["user"],
    )
    ahead = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    rows = [
        HEADERS,
        ["anna.berg@kommun.example", "Säkerhetsmedvetande", "2026-02-10", ""],  # 2: good
        ["okänd@kommun.example", "Säkerhetsmedvetande", "2026-02-10", ""],  # 3: unknown person
        ["Bo Ek", "Dykning", "2026-02-10", ""],  # 4: unknown course
        ["Bo Ek", "Office grund", "10/2 2026", ""],  # 5: bad date
        ["Bo Ek", "Office grund", ahead, ""],  # 6: ahead
        ["anna.berg@kommun.example", "Säkerhetsmedvetande", "2026-02-10", ""],  # 7: repeats 2
        ["Anna Berg", "Office grund", "2026-01-05", "Annan anteckning"],  # 8: already recorded
    ]
    before = CompetenceRecord.objects.count()
    result = spec(setup).import_file(xlsx_bytes(rows))
    assert not result.ok and not result.committed
    by_row = {e.row: e for e in result.errors}
    assert set(by_row) == {3, 4, 5, 6, 7, 8}
    assert by_row[3].column == "Person" and "okänd@kommun.example" in by_row[3].message
    assert by_row[4].column == "Kurs" and "Dykning" in by_row[4].message
    assert by_row[5].column == "Genomförd" and "YYYY-MM-DD" in by_row[5].message
    assert "lies ahead" in by_row[6].message
    assert "also on row 2" in by_row[7].message
    assert "already recorded" in by_row[8].message
    assert CompetenceRecord.objects.count() == before  # all or nothing


def test_broken_files_are_refused_with_a_message(setup: dict[str, Any]) -> None:
    for data, words in [
        (b"\x89PNG\r\n\x1a\n" + b"0" * 50, "not a spreadsheet"),
        (xlsx_bytes([["Namn", "Kurs"], ["Bo Ek", "Office grund"]]), "Required columns are missing"),
        (csv_bytes([HEADERS]), "no rows to import"),
        (b"PK\x03\x04broken zip", "not a spreadsheet"),
    ]:
        result = spec(setup).import_file(data)
        assert not result.ok
        assert words in str(result.errors[0]), (words, [str(e) for e in result.errors])
    assert not CompetenceRecord.objects.exists()


def test_ambiguous_names_ask_for_the_email(setup: dict[str, Any]) -> None:
    PersonFactory(municipality=setup["m"], name="Bo Ek", email="bo.ek2@kommun.example")
    result = spec(setup).import_file(csv_bytes([HEADERS, ["Bo Ek", "Office grund", "2026-01-02"]]))
    assert not result.ok
    assert "give the e-mail address" in result.errors[0].message
    fine = spec(setup).import_file(
        csv_bytes([HEADERS, ["bo.ek2@kommun.example", "Office grund", "2026-01-02"]])
    )
    assert fine.ok and fine.created == 1


def test_another_municipalitys_people_and_courses_are_unknown(setup: dict[str, Any]) -> None:
    other = MunicipalityFactory()
    PersonFactory(municipality=other, email="x@annan.example")
    CourseFactory(municipality=other, name="Annan kurs")
    result = spec(setup).import_file(
        csv_bytes([HEADERS, ["x@annan.example", "Annan kurs", "2026-01-02"]])
    )
    assert {e.column for e in result.errors} == {"Person", "Kurs"}


def test_import_pages_preview_then_confirm(client: Any, setup: dict[str, Any]) -> None:
    m = setup["m"]
    base = f"/k/{m.slug}/training/imports/attendance/"
    client.force_login(setup["user"])
    assert client.get(base).status_code == 200
    template = client.get(f"{base}template/?format=xlsx")
    assert template.status_code == 200
    upload = SimpleUploadedFile("narvaro.xlsx", xlsx_bytes(good_rows()))
    preview = client.post(base, {"file": upload})
    assert preview.status_code == 200
    token = preview.context["token"]
    assert token and not CompetenceRecord.objects.exists()
    done = client.post(f"{base}confirm/", {"token": token})
    assert done.status_code == 302
    assert CompetenceRecord.objects.filter(source=RecordSource.IMPORT).count() == 3
    broken = SimpleUploadedFile("fel.csv", csv_bytes([HEADERS, ["Ingen", "Ingen", "x"]]))
    page = client.post(base, {"file": broken})
    assert page.context["token"] is None
    assert 'id="import-errors"' in page.content.decode()


def test_import_pages_are_the_it_departments(client: Any, setup: dict[str, Any]) -> None:
    m = setup["m"]
    base = f"/k/{m.slug}/training/imports/attendance/"
    users = [
        member(m),
        member(m, Role.AUDITOR),
        member(m, Role.DEPARTMENT_HEAD, department=department(m)),
    ]
    for user in users:
        client.force_login(user)
        assert client.get(base).status_code == 403
        upload = SimpleUploadedFile("narvaro.xlsx", xlsx_bytes(good_rows()))
        assert client.post(base, {"file": upload}).status_code == 403
    client.force_login(member(MunicipalityFactory(), Role.IT_COORDINATOR))
    assert client.get(base).status_code == 404
    assert not CompetenceRecord.objects.exists()


def test_command_imports_and_refuses_a_broken_file(setup: dict[str, Any], tmp_path: Path) -> None:
    good = tmp_path / "narvaro.xlsx"
    good.write_bytes(xlsx_bytes(good_rows()))
    call_command("import", "attendance", str(good), municipality=setup["m"].slug)
    assert CompetenceRecord.objects.count() == 3
    broken = tmp_path / "fel.csv"
    broken.write_bytes(csv_bytes([HEADERS, ["Ingen", "Office grund", "2026-01-01"]]))
    with pytest.raises(CommandError):
        call_command("import", "attendance", str(broken), municipality=setup["m"].slug)
    assert CompetenceRecord.objects.count() == 3
