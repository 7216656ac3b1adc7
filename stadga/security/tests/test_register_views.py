"""The register of processing activities' pages (GDPR art. 30, P9.2) through the generic matrix,
who sees which board's entries, and the export per board opened back and checked."""

from __future__ import annotations

import io
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality
from stadga.security.choices import LegalBasis
from stadga.security.exports_register import HEADERS
from stadga.security.models import ProcessingActivity
from stadga.testing.factories import (
    BoardFactory,
    DepartmentFactory,
    MunicipalityFactory,
    SystemFactory,
    member,
)
from stadga.testing.matrix import ViewMatrix

from .test_register import activity_values, make_activity, make_measure

pytestmark = [pytest.mark.django_db]

PREFIX = "security/processing-activities"


def form_values(**kwargs: Any) -> dict[str, Any]:
    values = {k: v for k, v in activity_values().items() if not isinstance(v, bool)}
    values.update(sensitive_data="on", dpia_done="on")
    return {**values, **kwargs}


class TestProcessingActivityViews(ViewMatrix):
    url_prefix = PREFIX
    member_sees = False  # P9.2: the board's register is read by its members and keepers

    def model_class(self) -> Any:
        return ProcessingActivity

    def make(self, municipality: Municipality, **kwargs: Any) -> ProcessingActivity:
        system = SystemFactory(municipality=municipality)
        return make_activity(municipality, board=system.board, systems=(system,), **kwargs)

    def form_data(self, municipality: Municipality) -> dict[str, Any]:
        # Without links: each linked list is a change-log entry of its own, and the matrix
        # expects the one of the creation (links: test_keeper_links_systems_and_measures).
        return form_values(board=BoardFactory(municipality=municipality).pk)

    def edit_data(self, obj: ProcessingActivity) -> dict[str, Any]:
        return form_values(
            board=obj.board_id,
            name="Ändrat namn",
            systems=[s.pk for s in obj.systems.all()],
        )


def export_url(municipality: Municipality, **query: Any) -> str:
    url = reverse("security:register_export", kwargs={"municipality": municipality.slug})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def sv(text: str) -> str:
    with translation.override("sv"):
        return translation.gettext(text)


@pytest.fixture
def municipality() -> Municipality:
    return MunicipalityFactory(name="Karlsborgs kommun")


@pytest.fixture
def board_data(municipality: Municipality) -> dict[str, Any]:
    """A board with two entries (one with links), an archived entry, and another board's."""
    board = BoardFactory(municipality=municipality, name="Socialnämnden")
    system = SystemFactory(
        municipality=municipality, board=board, identifier="SYS-0007", name="Procapita"
    )
    other_system = SystemFactory(municipality=municipality, board=board, name="Lifecare")
    measures = (
        make_measure(municipality, system, title="Loggning av åtkomst"),
        make_measure(municipality, None, title="Säkerhetskopiering varje natt"),
    )
    linked = make_activity(
        municipality,
        board=board,
        name="Försörjningsstöd",
        systems=(system, other_system),
        measures=measures,
    )
    plain = make_activity(
        municipality,
        board=board,
        name="Arkivering",
        legal_basis=LegalBasis.LEGAL_OBLIGATION,
        sensitive_data=False,
        dpia_done=False,
        purposes="=SUMMA(1;2)",  # text, never a formula
    )
    archived = make_activity(municipality, board=board, name="Gammal behandling")
    archived.archived_at = timezone.now()
    archived.save()
    elsewhere = make_activity(municipality, name="Annan nämnds behandling")
    return {
        "board": board,
        "linked": linked,
        "plain": plain,
        "archived": archived,
        "elsewhere": elsewhere,
        "system": system,
        "other_system": other_system,
        "measures": measures,
    }


# --- who sees what --------------------------------------------------------------------------------


def test_board_member_sees_their_boards_entries_only(
    client: Any, municipality: Municipality, board_data: dict[str, Any]
) -> None:
    client.force_login(member(municipality, Role.BOARD_MEMBER, board=board_data["board"]))
    page = client.get(f"/k/{municipality.slug}/{PREFIX}/").content.decode()
    assert board_data["linked"].get_absolute_url() in page
    assert board_data["plain"].get_absolute_url() in page
    assert board_data["elsewhere"].get_absolute_url() not in page
    assert client.get(board_data["linked"].get_absolute_url()).status_code == 200
    assert client.get(board_data["elsewhere"].get_absolute_url()).status_code == 404
    # They read, the board's keepers write.
    assert client.get(f"/k/{municipality.slug}/{PREFIX}/new/").status_code == 403
    edit = f"/k/{municipality.slug}/{PREFIX}/{board_data['linked'].pk}/edit/"
    assert client.get(edit).status_code == 403


def test_department_head_keeps_their_boards_entries(
    client: Any, municipality: Municipality
) -> None:
    department = DepartmentFactory(board=BoardFactory(municipality=municipality))
    other_board = BoardFactory(municipality=municipality, name="Tekniska nämnden")
    client.force_login(member(municipality, Role.DEPARTMENT_HEAD, department=department))
    form = client.get(f"/k/{municipality.slug}/{PREFIX}/new/")
    assert form.status_code == 200
    assert f'value="{department.board.pk}"' in form.content.decode()
    assert "Tekniska nämnden" not in form.content.decode()
    response = client.post(
        f"/k/{municipality.slug}/{PREFIX}/new/", form_values(board=department.board.pk)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    refused = client.post(
        f"/k/{municipality.slug}/{PREFIX}/new/", form_values(board=other_board.pk)
    )
    assert refused.status_code == 400
    assert ProcessingActivity.objects.count() == 1


def test_list_filters(client: Any, municipality: Municipality, board_data: dict[str, Any]) -> None:
    client.force_login(member(municipality, Role.AUDITOR))
    url = f"/k/{municipality.slug}/{PREFIX}/"
    linked, plain = board_data["linked"].get_absolute_url(), board_data["plain"].get_absolute_url()
    elsewhere = board_data["elsewhere"].get_absolute_url()
    page = client.get(url, {"board": board_data["board"].pk}).content.decode()
    assert linked in page and plain in page and elsewhere not in page
    page = client.get(url, {"legal_basis": "legal_obligation"}).content.decode()
    assert plain in page and linked not in page
    page = client.get(url, {"sensitive_data": "1"}).content.decode()
    assert linked in page and plain not in page
    page = client.get(url, {"dpia_done": "0"}).content.decode()
    assert plain in page and linked not in page


def test_detail_shows_systems_and_measures(
    client: Any, municipality: Municipality, board_data: dict[str, Any]
) -> None:
    client.force_login(member(municipality, Role.IT_COORDINATOR))
    page = client.get(board_data["linked"].get_absolute_url()).content.decode()
    assert "Procapita" in page
    assert board_data["system"].get_absolute_url() in page
    assert "Loggning av åtkomst" in page and "Säkerhetskopiering varje natt" in page


def test_keeper_links_systems_and_measures(client: Any, municipality: Municipality) -> None:
    user = member(municipality, Role.IT_COORDINATOR)
    client.force_login(user)
    system = SystemFactory(municipality=municipality)
    measure, platform = make_measure(municipality, system), make_measure(municipality, None)
    form = client.get(f"/k/{municipality.slug}/{PREFIX}/new/").content.decode()
    assert f"{system.name}: {measure.title}" in form  # whose measure it is, then its title
    data = form_values(
        board=system.board.pk, systems=[system.pk], security_measures=[measure.pk, platform.pk]
    )
    response = client.post(f"/k/{municipality.slug}/{PREFIX}/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    created = ProcessingActivity.objects.get()
    assert list(created.systems.all()) == [system]
    assert set(created.security_measures.all()) == {measure, platform}
    assert {e.actor for e in LogEntry.objects.get_for_object(created)} == {user}


def test_invalid_link_is_an_error_on_the_form(
    client: Any, municipality: Municipality, board_data: dict[str, Any]
) -> None:
    """A measure of a system the entry does not use is explained, not saved."""
    client.force_login(member(municipality, Role.IT_COORDINATOR))
    misfit = board_data["measures"][0]  # protects Procapita
    data = form_values(board=board_data["board"].pk, security_measures=[misfit.pk])
    response = client.post(f"/k/{municipality.slug}/{PREFIX}/new/", data)
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    assert "Loggning av åtkomst" in response.content.decode()


# --- the export -----------------------------------------------------------------------------------


def test_xlsx_export_holds_every_field(
    client: Any, municipality: Municipality, board_data: dict[str, Any]
) -> None:
    client.force_login(member(municipality, Role.IT_COORDINATOR))
    response = client.get(export_url(municipality, board=board_data["board"].pk, format="xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert len(workbook.worksheets) == 1
    sheet = workbook.worksheets[0]
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.cell(row=2, column=5).alignment.wrap_text
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert tuple(rows[0]) == HEADERS
    assert HEADERS[:4] == (
        "Personuppgiftsansvarig (nämnd)",
        "Kommun",
        "Organisationsnummer",
        "Behandling",
    )
    records = {row[3]: dict(zip(HEADERS, row, strict=True)) for row in rows[1:]}
    # Current entries of this board only, sorted by name.
    assert [row[3] for row in rows[1:]] == ["Arkivering", "Försörjningsstöd"]
    linked = records["Försörjningsstöd"]
    assert linked["Personuppgiftsansvarig (nämnd)"] == "Socialnämnden"
    assert linked["Kommun"] == "Karlsborgs kommun"
    assert linked["Organisationsnummer"] is None  # not in the model: left empty
    assert linked["Ändamål"] == "Handläggning av ekonomiskt bistånd"
    with translation.override("sv"):
        assert linked["Rättslig grund"] == str(LegalBasis.PUBLIC_TASK.label)
        assert records["Arkivering"]["Rättslig grund"] == str(LegalBasis.LEGAL_OBLIGATION.label)
    assert linked["Rättslig grund, närmare"] == "Socialtjänstlagen (2001:453)"
    assert linked["Kategorier av registrerade"] == "Sökande och deras hushåll"
    assert linked["Kategorier av personuppgifter"] == "Namn, personnummer, ekonomi"
    assert linked["Känsliga personuppgifter"] == "ja"
    assert records["Arkivering"]["Känsliga personuppgifter"] == "nej"
    assert linked["Mottagare"] == "Försäkringskassan"
    assert linked["Överföring till tredjeland"] is None
    assert linked["Gallringsfrister"] == "Gallras efter fem år"
    assert linked["Konsekvensbedömning gjord"] == "ja"
    assert linked["Personuppgiftsbiträdesavtal"] == "Leverantören AB, avtal 2024-03"
    other = board_data["other_system"]
    assert linked["System"].split("\n") == sorted(
        [f"{other.identifier} Lifecare", "SYS-0007 Procapita"], key=lambda s: s.split(" ", 1)[1]
    )
    assert linked["Säkerhetsåtgärder"].split("\n") == [
        "Säkerhetskopiering varje natt",  # the platform's (no system) first
        "Loggning av åtkomst",
    ]
    assert records["Arkivering"]["System"] is None
    assert records["Arkivering"]["Ändamål"] == "=SUMMA(1;2)"  # text, not a formula
    assert linked["Senast ändrad"].date() == timezone.localdate()


def test_pdf_export(client: Any, municipality: Municipality, board_data: dict[str, Any]) -> None:
    client.force_login(member(municipality, Role.BOARD_MEMBER, board=board_data["board"]))
    response = client.get(export_url(municipality, board=board_data["board"].pk, format="pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_export_rights(client: Any, municipality: Municipality, board_data: dict[str, Any]) -> None:
    board = board_data["board"]
    url = export_url(municipality, board=board.pk, format="xlsx")
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(member(municipality, Role.EMPLOYEE))
    assert client.get(url).status_code == 403
    client.force_login(
        member(municipality, Role.BOARD_MEMBER, board=BoardFactory(municipality=municipality))
    )
    assert client.get(url).status_code == 403
    client.force_login(member(MunicipalityFactory(), Role.IT_COORDINATOR))
    assert client.get(url).status_code == 404
    department = DepartmentFactory(board=board)
    client.force_login(member(municipality, Role.DEPARTMENT_HEAD, department=department))
    assert client.get(url).status_code == 200


def test_export_without_a_choice_offers_the_readable_boards(
    client: Any, municipality: Municipality, board_data: dict[str, Any]
) -> None:
    client.force_login(member(municipality, Role.BOARD_MEMBER, board=board_data["board"]))
    page = client.get(export_url(municipality))
    assert page.status_code == 200
    assert "Socialnämnden" in page.content.decode()
    assert board_data["elsewhere"].board.name not in page.content.decode()
    foreign = BoardFactory(municipality=MunicipalityFactory())
    wrong = client.get(export_url(municipality, board=foreign.pk, format="xlsx"))
    assert wrong.status_code == 400
    assert 'class="error-summary"' in wrong.content.decode()
    assert (
        client.get(export_url(municipality, board=board_data["board"].pk, format="doc")).status_code
        == 400
    )


def test_export_query_count_does_not_grow_with_entries(
    client: Any, municipality: Municipality
) -> None:
    client.force_login(member(municipality, Role.IT_COORDINATOR))
    board = BoardFactory(municipality=municipality)
    counts = []
    for total in (2, 20):
        while ProcessingActivity.objects.filter(board=board).count() < total:
            system = SystemFactory(municipality=municipality, board=board)
            make_activity(
                municipality,
                board=board,
                systems=(system,),
                measures=(make_measure(municipality, system),),
            )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(export_url(municipality, board=board.pk, format="xlsx"))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
