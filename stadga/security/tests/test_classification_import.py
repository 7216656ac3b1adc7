"""Importing existing classifications (P9.1) from XLSX and CSV: one row per information type,
found by System-id and Informationstyp together; every row through the classification services,
so each system's levels follow; a file with an error changes nothing."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation

from stadga.core import tabular
from stadga.core.tabular.views import UPLOAD_DIR
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality
from stadga.security.models import InformationType
from stadga.security.services_classification import (
    information_type_archive,
    information_type_create,
)
from stadga.security.tabular import ClassificationTabular
from stadga.systems.models import System
from stadga.testing.factories import MunicipalityFactory, SystemFactory, member
from stadga.testing.spreadsheets import csv_bytes, read_csv, read_xlsx, rows_from, xlsx_bytes

HEADERS = [c.header for c in ClassificationTabular.columns]
LEVELS = ("confidentiality", "integrity", "availability", "traceability")


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are asserted in English, the msgid language."""
    with translation.override("en"):
        yield


@pytest.fixture
def municipality(db: Any) -> Municipality:
    return MunicipalityFactory(slug="karlsborg")


@pytest.fixture
def systems(municipality: Municipality) -> dict[str, System]:
    low = dict.fromkeys(LEVELS, 1)
    return {
        "SYS-0001": SystemFactory(municipality=municipality, identifier="SYS-0001", **low),
        "SYS-0002": SystemFactory(municipality=municipality, identifier="SYS-0002", **low),
    }


def record(**values: Any) -> dict[str, Any]:
    row = {
        "System-id": "SYS-0001",
        "Informationstyp": "Personakter",
        "Beskrivning": "Akter om enskilda",
        "Personuppgifter": "ja",
        "Känsliga personuppgifter": "nej",
        "Konfidentialitet": 3,
        "Riktighet": 2,
        "Tillgänglighet": 2,
        "Spårbarhet": 3,
        "Motivering": "Uppgifter om enskilda",
    }
    # Keyword names are the headers with spaces and the dash as underscores (System_id, …).
    headers = {h.replace(" ", "_").replace("-", "_"): h for h in HEADERS}
    row.update({headers[key]: value for key, value in values.items()})
    return row


def sheet(*records: dict[str, Any]) -> bytes:
    return xlsx_bytes(rows_from(HEADERS, records))


def spec(municipality: Municipality, actor: Any = None) -> ClassificationTabular:
    return ClassificationTabular(municipality=municipality, actor=actor)


def levels_of(system: System) -> tuple[Any, ...]:
    system.refresh_from_db()
    return tuple(getattr(system, a) for a in LEVELS)


def test_the_kind_is_registered() -> None:
    assert tabular.get_spec("classifications") is ClassificationTabular


def test_import_creates_types_and_the_systems_levels_follow(
    municipality: Municipality, systems: dict[str, System]
) -> None:
    data = sheet(
        record(),
        record(Informationstyp="Fakturor", Konfidentialitet=1, Riktighet=4, Personuppgifter="nej"),
        # The same name in another system is another information type.
        record(System_id="SYS-0002", Tillgänglighet=4),
    )
    result = spec(municipality).import_file(data)
    assert result.ok, result.errors
    assert (result.created, result.committed) == (3, True)
    assert levels_of(systems["SYS-0001"]) == (3, 4, 2, 3)
    assert systems["SYS-0001"].personal_data
    assert levels_of(systems["SYS-0002"]) == (3, 2, 4, 3)
    assert InformationType.objects.filter(name="Personakter").count() == 2
    created = InformationType.objects.get(system=systems["SYS-0001"], name="Personakter")
    assert created.classified_on == timezone.localdate()
    assert created.justification == "Uppgifter om enskilda"


def test_a_row_whose_system_and_name_match_updates(
    municipality: Municipality, systems: dict[str, System]
) -> None:
    assert spec(municipality).import_file(sheet(record())).ok
    result = spec(municipality).import_file(sheet(record(Konfidentialitet=4)))
    assert result.ok, result.errors
    assert (result.created, result.updated) == (0, 1)
    plan = result.changes[0]
    assert plan.key == "SYS-0001 / Personakter"
    assert [(c.column, c.old, c.new) for c in plan.changes] == [("Konfidentialitet", "3", "4")]
    assert levels_of(systems["SYS-0001"])[0] == 4
    assert InformationType.objects.count() == 1


def test_an_export_imports_back_unchanged_and_logs_nothing(
    municipality: Municipality, systems: dict[str, System]
) -> None:
    for system, name in ((systems["SYS-0001"], "Fakturor"), (systems["SYS-0002"], "Fakturor")):
        information_type_create(
            system=system,
            data={
                "name": name,
                "description": "Rad ett\r\nrad två",
                "personal_data": True,
                "sensitive_personal_data": True,
                **dict(zip(LEVELS, (4, 3, 2, 1), strict=True)),
                "justification": "=Formel? Nej, text.",
                "classified_on": datetime.date(2024, 2, 29),
            },
            actor=None,
        )
    s = spec(municipality)
    out = io.BytesIO()
    s.write_xlsx(s.optimise(s.export_queryset()), out)
    rows = read_xlsx(out.getvalue())
    assert rows[0] == HEADERS
    assert rows[1][:2] == ["SYS-0001", "Fakturor"]
    assert rows[1][HEADERS.index("Klassningsdatum")].date() == datetime.date(2024, 2, 29)
    csv_data = b"".join(s.iter_csv(s.optimise(s.export_queryset())))
    assert read_csv(csv_data)[1][HEADERS.index("Känsliga personuppgifter")] == "ja"
    before = LogEntry.objects.count()
    for data in (out.getvalue(), csv_data):
        result = spec(municipality).import_file(data)
        assert result.ok, result.errors
        assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert LogEntry.objects.count() == before


def test_a_broken_file_changes_nothing_and_says_where(
    municipality: Municipality, systems: dict[str, System]
) -> None:
    data = sheet(
        record(),  # fine on its own
        record(System_id="SYS-9999"),
        record(Informationstyp="Fakturor", Riktighet=5),
        record(Informationstyp="", Konfidentialitet="hög"),
        record(),  # the same key as row 2
        record(Informationstyp="Känsligt", Personuppgifter="nej", Känsliga_personuppgifter="ja"),
    )
    before = LogEntry.objects.count()
    result = spec(municipality).import_file(data)
    assert not result.ok and not result.committed
    found = {(e.row, e.column) for e in result.errors}
    assert (3, "System-id") in found
    assert (4, "Riktighet") in found
    assert (5, "Informationstyp") in found and (5, "Konfidentialitet") in found
    assert (6, "System-id + Informationstyp") in found
    assert any(e.row == 6 and "also on row 2" in e.message for e in result.errors)
    assert any(e.row == 7 and "Sensitive personal data is personal data" in e.message
               for e in result.errors)  # fmt: skip
    assert "There is no system with the ID “SYS-9999”." in str(result.errors[0])
    assert not InformationType.objects.exists()
    assert levels_of(systems["SYS-0001"]) == (1, 1, 1, 1)
    assert LogEntry.objects.count() == before


def test_a_dry_run_writes_nothing(municipality: Municipality, systems: dict[str, System]) -> None:
    result = spec(municipality).import_file(sheet(record()), dry_run=True)
    assert result.ok and result.created == 1 and not result.committed
    assert not InformationType.objects.exists()
    assert levels_of(systems["SYS-0001"]) == (1, 1, 1, 1)


def test_an_archived_type_must_be_restored_first(
    municipality: Municipality, systems: dict[str, System]
) -> None:
    assert spec(municipality).import_file(sheet(record())).ok
    information_type_archive(information_type=InformationType.objects.get(), actor=None)
    result = spec(municipality).import_file(sheet(record(Konfidentialitet=4)))
    assert not result.ok
    assert "is archived; restore it" in result.errors[0].message


def test_another_municipalitys_system_is_unknown(
    municipality: Municipality, systems: dict[str, System]
) -> None:
    SystemFactory(identifier="SYS-0042")  # in another municipality
    result = spec(municipality).import_file(sheet(record(System_id="SYS-0042")))
    assert not result.ok
    assert result.errors[0].column == "System-id"


def test_english_headers_and_csv_are_accepted(
    municipality: Municipality, systems: dict[str, System]
) -> None:
    english = [ClassificationTabular.columns[i].aliases[0] for i in range(len(HEADERS))]
    rows = [english, [record().get(h) for h in HEADERS]]
    result = spec(municipality).import_file(csv_bytes(rows))
    assert result.ok, result.errors
    assert result.created == 1


def test_an_imported_date_is_kept(municipality: Municipality, systems: dict[str, System]) -> None:
    result = spec(municipality).import_file(sheet(record(Klassningsdatum="2023-05-02")))
    assert result.ok, result.errors
    assert InformationType.objects.get().classified_on == datetime.date(2023, 5, 2)


# --- The command line ------------------------------------------------------------------------


def test_the_import_command(
    municipality: Municipality, systems: dict[str, System], tmp_path: Any
) -> None:
    good = tmp_path / "klassning.xlsx"
    good.write_bytes(sheet(record()))
    call_command("import", "classifications", str(good), "--municipality", "karlsborg",
                 stdout=io.StringIO())  # fmt: skip
    assert InformationType.objects.count() == 1
    bad = tmp_path / "fel.xlsx"
    bad.write_bytes(sheet(record(Informationstyp="Ny", System_id="SYS-9")))
    with pytest.raises(CommandError):
        call_command("import", "classifications", str(bad), "--municipality", "karlsborg",
                     stdout=io.StringIO(), stderr=io.StringIO())  # fmt: skip
    assert InformationType.objects.count() == 1


# --- The web pages ---------------------------------------------------------------------------


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    settings.STORAGES = {
        **settings.STORAGES,
        "imports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    return tmp_path


def url(name: str, municipality: Municipality) -> str:
    return reverse(f"security:{name}", kwargs={"municipality": municipality.slug})


def upload(client: Any, municipality: Municipality, data: bytes) -> Any:
    file = SimpleUploadedFile("klassning.xlsx", data)
    return client.post(url("classification_import", municipality), {"file": file})


def test_upload_preview_confirm(
    client: Any, municipality: Municipality, systems: dict[str, System], media: Any
) -> None:
    user = member(municipality, Role.IT_COORDINATOR)
    client.force_login(user)
    page = client.get(url("classification_import", municipality))
    assert page.status_code == 200
    assert url("classification_import_template", municipality) + "?format=xlsx" in (
        page.content.decode()
    )
    listing = client.get(url("informationtype_list", municipality)).content.decode()
    assert url("classification_import", municipality) in listing

    preview = upload(client, municipality, sheet(record()))
    assert preview.status_code == 200
    assert "SYS-0001 / Personakter" in preview.content.decode()
    assert not InformationType.objects.exists()
    token = preview.context["token"]
    assert (media / UPLOAD_DIR / token).exists()

    done = client.post(url("classification_import_confirm", municipality), {"token": token})
    assert done.status_code == 302
    assert done["Location"] == url("informationtype_list", municipality)
    created = InformationType.objects.get()
    assert created.classified_by is not None and created.classified_by.user == user
    assert levels_of(systems["SYS-0001"]) == (3, 2, 2, 3)


def test_a_broken_upload_lists_its_problems(
    client: Any, municipality: Municipality, systems: dict[str, System], media: Any
) -> None:
    client.force_login(member(municipality, Role.IT_COORDINATOR))
    preview = upload(client, municipality, sheet(record(System_id="SYS-9999")))
    assert preview.status_code == 200
    assert preview.context["token"] is None
    assert "SYS-9999" in preview.content.decode()
    assert not InformationType.objects.exists()


def test_who_may_import(
    client: Any, municipality: Municipality, systems: dict[str, System], media: Any
) -> None:
    system = systems["SYS-0001"]
    for user in (
        member(municipality),
        member(municipality, Role.SYSTEM_OWNER, system=system),
        member(municipality, Role.AUDITOR),
    ):
        client.force_login(user)
        assert client.get(url("classification_import", municipality)).status_code == 403
        assert upload(client, municipality, sheet(record())).status_code == 403
    client.force_login(member(MunicipalityFactory(), Role.IT_COORDINATOR))
    assert client.get(url("classification_import", municipality)).status_code == 404
    assert upload(client, municipality, sheet(record())).status_code == 404
    assert not InformationType.objects.exists()
    client.logout()
    assert client.get(url("classification_import", municipality)).status_code == 302


def test_template_and_export_downloads(
    client: Any, municipality: Municipality, systems: dict[str, System]
) -> None:
    information_type_create(
        system=systems["SYS-0001"],
        data={"name": "Fakturor", **dict(zip(LEVELS, (1, 2, 3, 4), strict=True))},
        actor=None,
    )
    hidden = SystemFactory(municipality=municipality, identifier="SYS-0003")
    information_type_create(
        system=hidden,
        data={"name": "Hemligt", **dict(zip(LEVELS, (1, 1, 1, 1), strict=True))},
        actor=None,
    )
    client.force_login(member(municipality, Role.SYSTEM_OWNER, system=systems["SYS-0001"]))
    template = client.get(url("classification_import_template", municipality) + "?format=xlsx")
    assert template.status_code == 200
    assert read_xlsx(b"".join(template.streaming_content))[0] == HEADERS
    export = client.get(url("classification_export", municipality) + "?format=csv")
    rows = read_csv(b"".join(export.streaming_content))
    # Only what the user may read: the owner's own system, not the other one.
    assert [row[:2] for row in rows[1:]] == [["SYS-0001", "Fakturor"]]
