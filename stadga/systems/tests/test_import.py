"""Importing the IT system register from real XLSX and CSV files: through the spec, the command
line and the web pages (upload → preview → confirm). A file with an error changes nothing."""

from __future__ import annotations

from io import StringIO
from typing import Any

import hypothesis
import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import strategies as st

from stadga.core.tabular.views import SESSION_KEY, UPLOAD_DIR
from stadga.organisation.choices import Role
from stadga.organisation.models import Board
from stadga.systems.choices import LifecyclePhase, SystemType
from stadga.systems.models import System
from stadga.systems.tabular import SystemTabular
from stadga.testing.factories import (
    BoardFactory,
    DepartmentFactory,
    MunicipalityFactory,
    PersonFactory,
    SystemFactory,
    UserFactory,
    member,
)
from stadga.testing.spreadsheets import csv_bytes, rows_from, xlsx_bytes

HEADERS = [c.header for c in SystemTabular.columns]


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English, the msgid language, whatever translations exist."""
    with translation.override("en"):
        yield


@pytest.fixture
def org(db) -> dict[str, Any]:
    municipality = MunicipalityFactory(slug="karlsborg")
    board = BoardFactory(municipality=municipality, name="Kommunstyrelsen", short_name="KS")
    other_board = BoardFactory(municipality=municipality, name="Socialnämnden", short_name="SN")
    department = DepartmentFactory(board=board, name="Kommunledningsförvaltningen")
    anna = PersonFactory(municipality=municipality, name="Anna Berg", email="anna@karlsborg.se")
    bo = PersonFactory(municipality=municipality, name="Bo Ek", email="bo@karlsborg.se")
    return {
        "municipality": municipality,
        "board": board,
        "other_board": other_board,
        "department": department,
        "anna": anna,
        "bo": bo,
    }


def record(**values: Any) -> dict[str, Any]:
    """A valid row for a new system in production; keyword names are the Swedish headers with
    spaces and dashes as underscores (System_id, I_drift_från, …)."""
    row = {
        "System-id": "SYS-0100",
        "Namn": "Ekonomisystem",
        "Syfte": "Redovisning",
        "Nämnd": "Kommunstyrelsen",
        "Förvaltning": "Kommunledningsförvaltningen",
        "Systemansvarig": "Anna Berg",
        "Övriga kontakter": "Bo Ek",
        "Livscykelfas": "In production",
        "I drift från": "2019-03-01",
        "Typ": "Cloud service (SaaS)",
        "Antal användare": 40,
        "Personuppgifter": "ja",
        "Konfidentialitet": 2,
        "Riktighet": 3,
        "Tillgänglighet": 2,
        "Spårbarhet": 1,
        "Publik": "nej",
    }
    for name, value in values.items():
        header = {"System_id": "System-id"}.get(name, name.replace("_", " "))
        assert header in HEADERS, header
        row[header] = value
    return row


def sheet(*records: dict[str, Any], make=xlsx_bytes, headers=HEADERS) -> bytes:
    return make(rows_from(headers, records))


def do_import(org: dict[str, Any], data: bytes, **kwargs: Any):
    return SystemTabular(municipality=org["municipality"]).import_file(data, **kwargs)


def errors(result) -> list[tuple[int | None, str | None]]:
    return [(e.row, e.column) for e in result.errors]


def snapshot() -> list[tuple]:
    """Everything an import could change, to assert that nothing did."""
    return [
        (
            s.pk,
            s.identifier,
            s.name,
            s.board_id,
            s.system_owner_id,
            s.updated_at,
            tuple(s.depends_on.values_list("pk", flat=True)),
        )
        for s in System.objects.order_by("pk")
    ]


# --- the spec -----------------------------------------------------------------------------------


@pytest.mark.django_db
class TestImport:
    @pytest.mark.parametrize("make", [xlsx_bytes, csv_bytes], ids=["xlsx", "csv"])
    def test_creates_a_system_from_every_column(self, org, make):
        data = sheet(record(Beroenden="", Anteckningar="Avtal till 2027"), make=make)
        result = do_import(org, data)
        assert result.ok, result.errors
        system = System.objects.get(municipality=org["municipality"], identifier="SYS-0100")
        assert system.name == "Ekonomisystem"
        assert system.board == org["board"]
        assert system.department == org["department"]
        assert system.system_owner == org["anna"]
        assert list(system.contacts.all()) == [org["bo"]]
        assert system.lifecycle_phase == LifecyclePhase.IN_PRODUCTION
        assert system.system_type == SystemType.SAAS
        assert system.in_production_from.isoformat() == "2019-03-01"
        assert system.user_count == 40
        assert system.personal_data is True and system.is_public is False
        assert system.classification == {
            "confidentiality": 2,
            "integrity": 3,
            "availability": 2,
            "traceability": 1,
        }
        assert system.notes == "Avtal till 2027"

    def test_csv_from_old_swedish_excel(self, org):
        """Windows-1252, `;`, headers in English: still read."""
        english = [c.aliases[0] for c in SystemTabular.columns]
        rows = [english, [record().get(c.header) for c in SystemTabular.columns]]
        data = csv_bytes(rows, encoding="cp1252")
        result = do_import(org, data)
        assert result.ok, result.errors
        assert System.objects.get(identifier="SYS-0100").department == org["department"]

    def test_updates_by_key_and_plans_the_changes(self, org):
        system = SystemFactory(
            municipality=org["municipality"],
            identifier="SYS-0007",
            name="Gammalt namn",
            board=org["board"],
            department=org["department"],
            system_owner=org["anna"],
        )
        before = System.objects.count()
        data = sheet(
            record(System_id="SYS-0007", Namn="Nytt namn", Systemansvarig="bo@karlsborg.se")
        )
        result = do_import(org, data, dry_run=True)
        assert result.ok, result.errors
        [plan] = result.plans
        assert (plan.row, plan.action, plan.key) == (2, "update", "SYS-0007")
        changes = {c.column: (c.old, c.new) for c in plan.changes}
        assert changes["Namn"] == ("Gammalt namn", "Nytt namn")
        assert changes["Systemansvarig"] == ("Anna Berg", "Bo Ek")
        system.refresh_from_db()
        assert system.name == "Gammalt namn"  # a dry run

        result = do_import(org, data)
        assert result.committed
        system.refresh_from_db()
        assert system.name == "Nytt namn"
        assert system.system_owner == org["bo"]
        assert System.objects.count() == before

    def test_only_the_columns_in_the_file_are_touched(self, org):
        system = SystemFactory(
            municipality=org["municipality"],
            identifier="SYS-0007",
            board=org["board"],
            department=org["department"],
            purpose="Kvar",
        )
        data = csv_bytes(
            [
                ["System-id", "Namn", "Nämnd", "Antal användare"],
                ["SYS-0007", system.name, "KS", "120"],
            ]
        )
        result = do_import(org, data)
        assert result.ok, result.errors
        system.refresh_from_db()
        assert (system.user_count, system.purpose) == (120, "Kvar")

    def test_unknown_board_says_which_value_and_changes_nothing(self, org):
        before = snapshot()
        result = do_import(org, sheet(record(Nämnd="Okända nämnden")))
        assert errors(result) == [(2, "Nämnd")]
        message = result.errors[0].message
        assert "Okända nämnden" in message
        assert "Kommunstyrelsen" in message  # the known boards, to pick from
        assert snapshot() == before

    def test_a_board_of_another_municipality_is_unknown(self, org):
        BoardFactory(name="Grannens nämnd")
        result = do_import(org, sheet(record(Nämnd="Grannens nämnd")))
        assert errors(result) == [(2, "Nämnd")]

    def test_one_bad_row_among_good_ones_changes_nothing(self, org):
        kept = SystemFactory(
            municipality=org["municipality"],
            identifier="SYS-0001",
            name="Orört",
            board=org["board"],
            department=org["department"],
            system_owner=org["anna"],
        )
        systems_before = System.objects.count()
        log_before = LogEntry.objects.count()
        before = snapshot()
        data = sheet(
            record(System_id="SYS-0001", Namn="Ändrat"),  # a good update
            record(System_id="SYS-0200", Namn="Nytt 1"),  # a good create
            record(System_id="SYS-0201", Namn="Nytt 2", Förvaltning="Finns inte"),  # bad
            record(System_id="SYS-0202", Namn="Nytt 3", Beroenden="SYS-0200"),  # good
        )
        result = do_import(org, data)
        assert not result.committed
        assert errors(result) == [(4, "Förvaltning")]
        assert "Finns inte" in result.errors[0].message
        assert System.objects.count() == systems_before
        assert LogEntry.objects.count() == log_before
        kept.refresh_from_db()
        assert kept.name == "Orört"
        assert snapshot() == before

    def test_duplicate_keys_name_both_rows(self, org):
        data = sheet(record(), record(System_id="SYS-0101"), record(Namn="Dubblett"))
        result = do_import(org, data)
        assert errors(result) == [(4, "System-id")]
        assert "SYS-0100" in result.errors[0].message
        assert "row 2" in result.errors[0].message
        assert not System.objects.exists()

    def test_wrong_columns_are_named(self, org):
        data = csv_bytes([["System-id", "Namn", "Färg", "Ägare"], ["SYS-1", "A", "blå", "x"]])
        result = do_import(org, data)
        text = " ".join(e.message for e in result.errors)
        assert "“Färg”" in text and "“Ägare”" in text
        assert "Required columns are missing: “Nämnd”" in text
        assert not System.objects.exists()

    @pytest.mark.parametrize(
        ("data", "words"),
        [
            (b"", "empty"),
            (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "not a spreadsheet"),
            (bytes(range(256)) * 8, "not a spreadsheet"),
            (xlsx_bytes([HEADERS]), "no rows"),
        ],
        ids=["empty", "png-renamed", "random-bytes", "headers-only"],
    )
    def test_files_that_are_not_a_register(self, org, data, words):
        result = do_import(org, data)
        assert errors(result) == [(None, None)]
        assert words in result.errors[0].message
        assert not System.objects.exists()

    def test_invalid_choice_lists_the_allowed_values(self, org):
        result = do_import(org, sheet(record(Livscykelfas="Pågående")))
        assert errors(result) == [(2, "Livscykelfas")]
        message = result.errors[0].message
        with translation.override("sv"):
            for label in LifecyclePhase.labels:
                assert f"“{label}”" in message

    def test_levels_follow_the_municipality_scale(self, org):
        org["municipality"].consequence_levels.filter(level=4).delete()
        result = do_import(org, sheet(record(Konfidentialitet=4, Riktighet=0)))
        assert errors(result) == [(2, "Konfidentialitet"), (2, "Riktighet")]
        assert "from 1 to 3" in result.errors[0].message

    def test_model_validation_speaks_per_column(self, org):
        # P9.3: a system in production has a named system owner.
        result = do_import(
            org,
            sheet(
                record(Systemansvarig=""),
                record(System_id="SYS-0101", Nämnd="Socialnämnden"),  # department not under it
                record(System_id="SYS-0102", Systemansvarig="", Livscykelfas="Planned"),
            ),
        )
        assert errors(result) == [(2, "Systemansvarig"), (3, "Förvaltning")]
        assert "P9.3" in result.errors[0].message
        assert not System.objects.exists()

    def test_archived_system_is_refused_not_updated(self, org):
        archived = SystemFactory(
            municipality=org["municipality"],
            identifier="SYS-0100",
            board=org["board"],
            department=org["department"],
            archived_at=timezone.now(),
        )
        result = do_import(org, sheet(record(Namn="Väckt")))
        assert errors(result) == [(2, "System-id")]
        assert "archived" in result.errors[0].message
        archived.refresh_from_db()
        assert archived.name != "Väckt"

    def test_dependencies_may_point_further_down_the_file(self, org):
        log_before = LogEntry.objects.count()
        data = sheet(
            record(System_id="SYS-0100", Namn="Lönesystem", Beroenden="SYS-0101; SYS-0102"),
            record(System_id="SYS-0101", Namn="Katalogtjänst"),
            record(System_id="SYS-0102", Namn="Integrationsplattform", Beroenden="SYS-0101"),
        )
        result = do_import(org, data)
        assert result.ok, result.errors
        payroll = System.objects.get(identifier="SYS-0100")
        assert set(payroll.depends_on.values_list("identifier", flat=True)) == {
            "SYS-0101",
            "SYS-0102",
        }
        platform = System.objects.get(identifier="SYS-0102")
        assert list(platform.depends_on.values_list("identifier", flat=True)) == ["SYS-0101"]
        assert LogEntry.objects.count() > log_before

    def test_unknown_or_self_dependency(self, org):
        data = sheet(
            record(Beroenden="SYS-9999"),
            record(System_id="SYS-0101", Beroenden="SYS-0101"),
        )
        result = do_import(org, data)
        assert errors(result) == [(2, "Beroenden"), (3, "Beroenden")]
        assert "SYS-9999" in result.errors[0].message

    def test_blank_system_id_gets_the_next_free_key(self, org):
        SystemFactory(
            municipality=org["municipality"],
            identifier="SYS-0041",
            board=org["board"],
            department=org["department"],
        )
        data = sheet(record(System_id="SYS-0050"), record(System_id="", Namn="Utan id"))
        result = do_import(org, data)
        assert result.ok, result.errors
        assert result.plans[1].key == "SYS-0051"
        assert System.objects.get(identifier="SYS-0051").name == "Utan id"

    def test_people_by_email_and_ambiguous_names(self, org):
        PersonFactory(
            municipality=org["municipality"], name="Anna Berg", email="anna2@karlsborg.se"
        )
        result = do_import(org, sheet(record()))
        assert errors(result) == [(2, "Systemansvarig")]
        assert "e-mail" in result.errors[0].message
        result = do_import(org, sheet(record(Systemansvarig="anna@karlsborg.se")))
        assert result.ok, result.errors
        assert System.objects.get().system_owner == org["anna"]

    def test_contacts_with_a_comma_in_a_name(self, org):
        PersonFactory(municipality=org["municipality"], name="Berg, Anna", email="ab@karlsborg.se")
        data = sheet(
            record(**{"Övriga kontakter": "Berg, Anna"}),
            record(System_id="SYS-0101", **{"Övriga kontakter": "Bo Ek, Berg, Anna"}),
        )
        result = do_import(org, data)
        # "Bo Ek, Berg, Anna" is split on commas; "Berg" alone is nobody.
        assert errors(result) == [(3, "Övriga kontakter")]
        data = sheet(
            record(**{"Övriga kontakter": "Berg, Anna"}),
            record(System_id="SYS-0101", **{"Övriga kontakter": "Bo Ek; Berg, Anna"}),
        )
        assert do_import(org, data).ok


cells = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(),
    st.sampled_from(["ja", "Kommunstyrelsen", "Anna Berg", "SYS-0100", "2026-01-15", "; ,"]),
)


@pytest.mark.django_db
@hypothesis.settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture],
)
@hypothesis.given(
    st.lists(st.lists(cells, min_size=len(HEADERS), max_size=len(HEADERS)), max_size=4)
)
def test_any_cells_give_an_answer_not_an_exception(org, rows):
    """Whatever the cells hold, the import answers with a result (never an exception), and
    either writes every row or none."""
    before = System.objects.count()
    data = csv_bytes([HEADERS, *rows])
    result = do_import(org, data)
    if result.ok:
        assert result.created + result.updated + result.unchanged == len(
            [r for r in rows if any(v not in (None, "") and str(v).strip() for v in r)]
        )
    else:
        assert System.objects.count() == before
        assert all(isinstance(e.message, str) and e.message for e in result.errors)


# --- the command line ---------------------------------------------------------------------------


@pytest.mark.django_db
class TestCommand:
    def write(self, tmp_path, data: bytes, name: str = "register.xlsx") -> str:
        path = tmp_path / name
        path.write_bytes(data)
        return str(path)

    def test_errors_exit_non_zero_and_are_printed(self, org, tmp_path):
        path = self.write(tmp_path, sheet(record(), record(System_id="SYS-0101", Nämnd="Okänd")))
        stderr = StringIO()
        with pytest.raises(CommandError, match="1 error; nothing was imported"):
            call_command("import", "systems", path, municipality="karlsborg", stderr=stderr)
        assert "row 3, column “Nämnd”: There is no board named “Okänd”." in stderr.getvalue()
        assert not System.objects.exists()

    def test_exit_status_is_one(self, org, tmp_path):
        from django.core.management import ManagementUtility

        path = self.write(tmp_path, b"not a spreadsheet at all \x00\x01")
        utility = ManagementUtility(
            ["stadga", "import", "systems", path, "--municipality", "karlsborg"]
        )
        with pytest.raises(SystemExit) as exit_info:
            utility.execute()
        assert exit_info.value.code == 1

    def test_dry_run_writes_nothing(self, org, tmp_path):
        path = self.write(tmp_path, sheet(record()), "register.csv")
        stdout = StringIO()
        call_command(
            "import", "systems", path, municipality="karlsborg", dry_run=True, stdout=stdout
        )
        assert "Created: 1, updated: 0, unchanged: 0. Dry run" in stdout.getvalue()
        assert not System.objects.exists()

    def test_imports_and_names_the_actor(self, org, tmp_path):
        user = UserFactory(username="it-samordnare")
        path = self.write(tmp_path, sheet(record(), make=csv_bytes), "register.csv")
        stdout = StringIO()
        call_command(
            "import",
            "systems",
            path,
            "--format",
            "csv",
            municipality="karlsborg",
            user="it-samordnare",
            stdout=stdout,
        )
        assert "Created: 1" in stdout.getvalue()
        system = System.objects.get()
        assert {e.actor for e in LogEntry.objects.get_for_object(system)} == {user}

    def test_unknown_municipality_user_or_file(self, org, tmp_path):
        path = self.write(tmp_path, sheet(record()))
        with pytest.raises(CommandError, match="no municipality “nowhere”"):
            call_command("import", "systems", path, municipality="nowhere")
        with pytest.raises(CommandError, match="no active user"):
            call_command("import", "systems", path, municipality="karlsborg", user="nobody")
        with pytest.raises(CommandError, match="cannot be read"):
            call_command(
                "import", "systems", str(tmp_path / "missing.xlsx"), municipality="karlsborg"
            )


# --- the web pages ------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    """The private storage of pending imports, in a folder of the test's own."""
    settings.STORAGES = {
        **settings.STORAGES,
        "imports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    return tmp_path


def url(name: str, municipality: Any) -> str:
    return reverse(f"systems:{name}", kwargs={"municipality": municipality.slug})


def upload(client, municipality, data: bytes, name: str = "register.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(url("system_import", municipality), {"file": SimpleUploadedFile(name, data)})


@pytest.mark.django_db
class TestWebImport:
    def test_upload_preview_confirm(self, client, org, media):
        municipality = org["municipality"]
        SystemFactory(
            municipality=municipality,
            identifier="SYS-0001",
            name="Gammalt",
            board=org["board"],
            department=org["department"],
            system_owner=org["anna"],
        )
        client.force_login(member(municipality, Role.IT_COORDINATOR))

        page = client.get(url("system_import", municipality))
        assert page.status_code == 200
        html = page.content.decode()
        assert 'type="file"' in html and 'for="id_file"' in html
        assert url("system_import_template", municipality) + "?format=xlsx" in html

        data = sheet(record(System_id="SYS-0001", Namn="Nytt"), record(System_id="SYS-0002"))
        preview = upload(client, municipality, data)
        assert preview.status_code == 200
        html = preview.content.decode()
        assert "<caption>" in html and 'scope="col"' in html
        assert "Gammalt" in html and "Nytt" in html
        assert "SYS-0002" in html
        assert System.objects.count() == 1  # nothing written by the preview
        token = preview.context["token"]
        assert (media / UPLOAD_DIR / token).exists()

        done = client.post(url("system_import_confirm", municipality), {"token": token})
        assert done.status_code == 302
        assert done["Location"] == url("system_list", municipality)
        assert System.objects.get(identifier="SYS-0001").name == "Nytt"
        assert System.objects.filter(identifier="SYS-0002").exists()
        assert not (media / UPLOAD_DIR / token).exists()
        assert token not in client.session.get(SESSION_KEY, {})

    def test_errors_are_listed_with_row_column_and_reason(self, client, org, media):
        municipality = org["municipality"]
        client.force_login(member(municipality, Role.IT_COORDINATOR))
        response = upload(
            client, municipality, sheet(record(), record(System_id="SYS-0101", Nämnd="Okänd"))
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert 'class="error-summary"' in html and 'href="#import-errors"' in html
        assert 'id="import-errors"' in html
        assert "<td>3</td><td>Nämnd</td>" in html
        assert "Okänd" in html
        assert response.context["token"] is None
        assert not list((media).glob(f"{UPLOAD_DIR}/*"))
        assert not System.objects.exists()

    def test_not_a_spreadsheet_is_an_answer_not_a_500(self, client, org, media):
        municipality = org["municipality"]
        client.force_login(member(municipality, Role.IT_COORDINATOR))
        response = upload(client, municipality, b"\x89PNG\r\n\x1a\n" + bytes(100), "bild.xlsx")
        assert response.status_code == 200
        assert response.context["result"].errors[0].row is None
        missing = client.post(url("system_import", municipality), {})
        assert missing.status_code == 200
        assert missing.context["form"].errors

    def test_too_large_upload(self, client, org, media, settings):
        settings.STADGA_IMPORT_MAX_BYTES = 50
        municipality = org["municipality"]
        client.force_login(member(municipality, Role.IT_COORDINATOR))
        response = upload(client, municipality, sheet(record()))
        assert response.status_code == 200
        assert response.context["form"].errors["file"]

    def test_confirm_checks_again(self, client, org, media):
        municipality = org["municipality"]
        client.force_login(member(municipality, Role.IT_COORDINATOR))
        preview = upload(client, municipality, sheet(record()))
        token = preview.context["token"]
        # Meanwhile someone archives the board the file names.
        Board.objects.filter(pk=org["board"].pk).update(archived_at=timezone.now())
        response = client.post(url("system_import_confirm", municipality), {"token": token})
        assert response.status_code == 200
        assert response.context["changed_meanwhile"]
        assert [(e.row, e.column) for e in response.context["result"].errors] == [(2, "Nämnd")]
        assert not System.objects.exists()

    def test_cancel_and_unknown_tokens(self, client, org, media):
        municipality = org["municipality"]
        client.force_login(member(municipality, Role.IT_COORDINATOR))
        token = upload(client, municipality, sheet(record())).context["token"]
        response = client.post(
            url("system_import_confirm", municipality), {"token": token, "cancel": "1"}
        )
        assert response.status_code == 302
        assert not (media / UPLOAD_DIR / token).exists()
        for bogus in (token, "../../secret_key", "", "x" * 43):
            response = client.post(url("system_import_confirm", municipality), {"token": bogus})
            assert response.status_code == 302
            assert response["Location"] == url("system_import", municipality)
        assert not System.objects.exists()
        assert client.get(url("system_import_confirm", municipality)).status_code == 302

    def test_another_users_token_is_useless(self, client, org, media):
        municipality = org["municipality"]
        client.force_login(member(municipality, Role.IT_COORDINATOR))
        token = upload(client, municipality, sheet(record())).context["token"]
        client.logout()
        client.force_login(member(municipality, Role.IT_TECHNICIAN))
        response = client.post(url("system_import_confirm", municipality), {"token": token})
        assert response.status_code == 302
        assert not System.objects.exists()

    def test_a_token_is_bound_to_its_municipality(self, client, org, media):
        municipality = org["municipality"]
        other = MunicipalityFactory()
        user = member(municipality, Role.IT_COORDINATOR)
        PersonFactory(municipality=other, user=user).roles.create(
            municipality=other, role=Role.IT_COORDINATOR
        )
        client.force_login(user)
        token = upload(client, municipality, sheet(record())).context["token"]
        response = client.post(url("system_import_confirm", other), {"token": token})
        assert response.status_code == 302
        assert not System.objects.exists()

    @pytest.mark.parametrize("name", ["system_import", "system_import_confirm"])
    def test_permissions(self, client, org, media, name):
        municipality = org["municipality"]
        target = url(name, municipality)
        method = client.get if name == "system_import" else client.post

        response = method(target)
        assert response.status_code == 302
        assert reverse("login") in response["Location"]

        client.force_login(member(municipality, Role.EMPLOYEE))
        assert method(target).status_code == 403
        client.force_login(member(municipality, Role.AUDITOR))  # reads all, keeps nothing
        assert method(target).status_code == 403
        client.force_login(member(MunicipalityFactory(), Role.IT_COORDINATOR))
        assert method(target).status_code == 404
        client.force_login(member(municipality, Role.IT_TECHNICIAN))
        assert method(target).status_code in (200, 302)

    def test_employee_cannot_post_a_file(self, client, org, media):
        municipality = org["municipality"]
        client.force_login(member(municipality, Role.EMPLOYEE))
        assert upload(client, municipality, sheet(record())).status_code == 403
        assert not System.objects.exists()

    def test_list_links_to_import_for_keepers(self, client, org):
        municipality = org["municipality"]
        client.force_login(member(municipality, Role.IT_COORDINATOR))
        html = client.get(url("system_list", municipality)).content.decode()
        assert url("system_import", municipality) in html


@pytest.mark.django_db
def test_a_changed_row_costs_a_bounded_number_of_queries(org):
    """Validation asks the database only what it must per row: the unique key and that related
    rows exist (the check constraints' rules are checked in Python by clean()). Before that
    was so, a changed row cost 29 queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    municipality = org["municipality"]
    systems = [
        SystemFactory(
            municipality=municipality,
            board=org["board"],
            department=org["department"],
            system_owner=org["anna"],
        )
        for _ in range(30)
    ]
    header = ["System-id", "Namn", "Nämnd", "Förvaltning", "Systemansvarig", "Anteckningar"]

    def import_changed(count: int, note: str) -> int:
        rows = [
            [s.identifier, s.name, s.board.name, s.department.name, "Anna Berg", note]
            for s in systems[:count]
        ]
        spec = SystemTabular(municipality=municipality, actor=None)
        with CaptureQueriesContext(connection) as queries:
            result = spec.import_file(xlsx_bytes([header, *rows]))
        assert result.updated == count
        return len(queries)

    per_row = (import_changed(30, "andra") - import_changed(10, "första")) / 20
    assert per_row <= 14, per_row  # half what it was
