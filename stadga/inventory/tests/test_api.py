"""The inventory's API (P5.4, P5.5): the software dictionary through the generic matrix (read by
those who read everything, written by the IT department, archived not deleted, another
municipality's rules 404s), the read-only sources, snapshots, titles and installations with their
filters and scoping, query counts that do not grow with rows, and the schema."""

from __future__ import annotations

import io
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from rest_framework.test import APIClient

from stadga.api.testing import ApiMatrix, api_url, client_for, ids
from stadga.catalogue.choices import Phase
from stadga.inventory.choices import Reconciliation, RuleAction, RuleField, RuleMatch
from stadga.inventory.models import (
    Device,
    Installation,
    InventorySource,
    NormalisationRule,
    Snapshot,
    SoftwareTitle,
)
from stadga.inventory.services import inventory_import
from stadga.inventory.services_rules import normalisation_rule_create
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality
from stadga.testing.factories import (
    DepartmentFactory,
    MunicipalityFactory,
    ProductFactory,
    member,
)

pytestmark = pytest.mark.django_db

HEADER = "Enhet;Användare;Förvaltning;Programvara;Version;Utgivare;Installerad\n"
SCHOOL = "Utbildningsförvaltningen"
SOCIAL = "Socialförvaltningen"


def expected_page(name: str, municipality: Municipality, pk: int) -> str | None:
    """The UI page the API links to, or None while that page is not mounted."""
    try:
        path = reverse(f"inventory:{name}", kwargs={"municipality": municipality.slug, "pk": pk})
    except NoReverseMatch:
        return None
    return f"http://testserver{path}"


def import_rows(municipality: Municipality, rows: list[str], *, source: str = "GLPI") -> Snapshot:
    stream = io.BytesIO((HEADER + "".join(row + "\n" for row in rows)).encode())
    return inventory_import(
        municipality=municipality,
        source_name=source,
        fmt="csv",
        stream=stream,
        file_name="inventering.csv",
        actor=None,
    )


def generated_rows(devices: int, *, per_device: int = 3) -> list[str]:
    """`per_device` titles on each of `devices` computers; more computers, more titles (the
    versions differ)."""
    names = ["Office", "Firefox", "Gammalt diarium", "Spotify", "Intel Graphics Driver"]
    return [
        f"PC-{d:04d};user{d};{SCHOOL};{names[(d + n) % len(names)]};{d % 40}.0;Leverantör AB;"
        for d in range(devices)
        for n in range(per_device)
    ]


def rule_data(position: int, pattern: str, action: str, **fields: Any) -> dict[str, Any]:
    return {
        "position": position,
        "field": RuleField.NAME,
        "match": RuleMatch.EXACT,
        "pattern": pattern,
        "action": action,
        **fields,
    }


@pytest.fixture
def world() -> dict[str, Any]:
    """Dalby's catalogue, dictionary and one imported GLPI export: Office approved, Firefox never
    approved, the old registry retired, Spotify unknown, the driver ignored."""
    m = MunicipalityFactory(slug="dalby")
    school = DepartmentFactory(municipality=m, board__municipality=m, name=SCHOOL)
    social = DepartmentFactory(municipality=m, board__municipality=m, name=SOCIAL)
    office = ProductFactory(municipality=m, name="Office", phase=Phase.APPROVED)
    firefox = ProductFactory(municipality=m, name="Firefox", phase=Phase.NOT_ASSESSED)
    registry = ProductFactory(municipality=m, name="Gammalt diarium", phase=Phase.RETIRED)
    for position, (pattern, action, product) in enumerate(
        [
            ("Intel Graphics Driver", RuleAction.IGNORE, None),
            ("Office", RuleAction.MAP, office),
            ("Firefox", RuleAction.MAP, firefox),
            ("Gammalt diarium", RuleAction.MAP, registry),
        ],
        start=1,
    ):
        normalisation_rule_create(
            municipality=m,
            data=rule_data(position, pattern, action, product=product),
            actor=None,
            replay=False,
        )
    snapshot = import_rows(
        m,
        [
            f"PC-001;anna;{SCHOOL};Office;16.0;Microsoft;2025-01-10",
            f"PC-001;anna;{SCHOOL};Firefox;133.0;Mozilla;2025-01-11",
            f"PC-001;anna;{SCHOOL};Spotify;1.2;Spotify AB;",
            f"PC-001;anna;{SCHOOL};Intel Graphics Driver;31.0;Intel;",
            f"PC-002;bertil;{SCHOOL};Office;16.0;Microsoft;",
            f"PC-002;bertil;{SCHOOL};Gammalt diarium;4.9;Dokumenta;",
            f"PC-003;cecilia;{SOCIAL};Office;16.0;Microsoft;",
            f"PC-003;cecilia;{SOCIAL};Firefox;133.0;Mozilla;",
        ],
    )
    elsewhere = MunicipalityFactory(slug="elsewhere")
    foreign = import_rows(elsewhere, ["PC-999;x;;Office;16.0;Microsoft;"])
    return {
        "municipality": m,
        "school": school,
        "social": social,
        "office": office,
        "firefox": firefox,
        "snapshot": snapshot,
        "source": snapshot.source,
        "reader": member(m, Role.AUDITOR),
        "keeper": member(m, Role.IT_COORDINATOR),
        "employee": member(m, Role.EMPLOYEE),
        "elsewhere": elsewhere,
        "foreign": foreign,
        "outsider": member(elsewhere, Role.IT_COORDINATOR),
    }


# --- the software dictionary: the generic matrix --------------------------------------------------


class TestNormalisationRuleApi(ApiMatrix):
    """Read by those who read everything (the auditor here), written by the IT department;
    an employee finds nothing (the inventory is not every member's)."""

    resource = "normalisationrule"
    reader_role = Role.AUDITOR
    member_sees = False

    def model_class(self) -> Any:
        return NormalisationRule

    def make(self, municipality: Municipality, **kwargs: Any) -> NormalisationRule:
        return self._make(municipality, replay=True, **kwargs)

    def _make(self, municipality: Municipality, *, replay: bool, **kwargs: Any) -> Any:
        position = NormalisationRule.objects.filter(municipality=municipality).count() + 1
        data = rule_data(position, f"Program {position}", RuleAction.IGNORE) | kwargs
        return normalisation_rule_create(
            municipality=municipality, data=data, actor=None, replay=replay
        )

    def make_many(self, municipality: Municipality, count: int) -> None:
        for _ in range(count):
            self._make(municipality, replay=False)

    def create_data(self, municipality: Municipality) -> dict[str, Any]:
        return {
            "municipality": municipality.slug,
            "field": RuleField.NAME,
            "match": RuleMatch.REGEX,
            "pattern": r"^Update for ",
            "action": RuleAction.IGNORE,
            "notes": "Windows-uppdateringar.",
        }

    def update_data(self, obj: NormalisationRule) -> dict[str, Any]:
        return {"pattern": "Något annat", "notes": "Ändrad"}

    def test_reader_reads_but_does_not_write(self, obj: Any) -> None:
        """As the matrix's, with the rule's page in the dictionary as its `url`."""
        client = client_for(member(obj.municipality, self.reader_role))
        assert obj.pk in ids(client.get(self.list_url()))
        detail = client.get(self.detail_url(obj))
        assert detail.status_code == 200
        assert detail.json()["id"] == obj.pk
        assert detail.json()["municipality"] == obj.municipality.slug
        assert detail.json()["url"] == expected_page("rule_update", obj.municipality, obj.pk)
        before = LogEntry.objects.count()
        body = self.create_data(obj.municipality)
        assert client.post(self.list_url(), body, format="json").status_code == 403
        update = client.patch(self.detail_url(obj), self.update_data(obj), format="json")
        assert update.status_code == 403
        assert "id" not in update.json()
        assert client.post(self.detail_url(obj, "archive")).status_code == 403
        self.assert_unchanged(obj, before)


# --- the software dictionary: what the services check ---------------------------------------------


def test_an_invalid_regular_expression_is_a_400_on_the_pattern(world: dict[str, Any]) -> None:
    """Regular-expression errors are reported at save time (issue 6), as a field error."""
    client = client_for(world["keeper"])
    before = NormalisationRule.objects.count()
    response = client.post(
        api_url("normalisationrule-list"),
        {
            "municipality": "dalby",
            "field": "name",
            "match": "regex",
            "pattern": "^Office (2016",
            "action": "ignore",
        },
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["pattern"]
    assert NormalisationRule.objects.count() == before


def test_a_map_rule_needs_a_product_of_the_municipality(world: dict[str, Any]) -> None:
    client = client_for(world["keeper"])
    body = {"municipality": "dalby", "field": "name", "pattern": "Zoom", "action": "map"}
    response = client.post(api_url("normalisationrule-list"), body, format="json")
    assert response.status_code == 400
    assert "product" in response.json()
    foreign = ProductFactory(municipality=world["elsewhere"], name="Zoom")
    response = client.post(
        api_url("normalisationrule-list"), body | {"product": foreign.pk}, format="json"
    )
    assert response.status_code == 400
    assert "product" in response.json()


def test_a_new_rule_goes_last_and_is_replayed_over_the_titles(world: dict[str, Any]) -> None:
    client = client_for(world["keeper"])
    spotify = SoftwareTitle.objects.get(municipality=world["municipality"], name="Spotify")
    assert not spotify.ignored
    response = client.post(
        api_url("normalisationrule-list"),
        {
            "municipality": "dalby",
            "field": "publisher",
            "pattern": "spotify ab",
            "action": "ignore",
        },
        format="json",
    )
    assert response.status_code == 201, response.content.decode()
    assert response.json()["position"] == 5
    spotify.refresh_from_db()
    assert spotify.ignored
    assert spotify.rule_id == response.json()["id"]
    entry = LogEntry.objects.get_for_object(NormalisationRule.objects.get(pk=spotify.rule_id))
    assert entry.get().actor == world["keeper"]


def test_a_taken_position_is_a_400(world: dict[str, Any]) -> None:
    client = client_for(world["keeper"])
    response = client.post(
        api_url("normalisationrule-list"),
        {
            "municipality": "dalby",
            "position": 2,
            "field": "name",
            "pattern": "X",
            "action": "ignore",
        },
        format="json",
    )
    assert response.status_code == 400


def test_the_it_technician_keeps_the_dictionary_the_board_reader_does_not(
    world: dict[str, Any],
) -> None:
    m = world["municipality"]
    body = {"municipality": "dalby", "field": "name", "pattern": "Zoom", "action": "ignore"}
    technician = client_for(member(m, Role.IT_TECHNICIAN))
    assert technician.post(api_url("normalisationrule-list"), body, format="json").status_code == (
        201
    )
    board_reader = client_for(member(m, Role.EXECUTIVE_BOARD_READER))
    assert len(ids(board_reader.get(api_url("normalisationrule-list")))) == 5
    response = board_reader.post(api_url("normalisationrule-list"), body, format="json")
    assert response.status_code == 403


def test_archiving_a_rule_replays_the_dictionary(world: dict[str, Any]) -> None:
    rule = NormalisationRule.objects.get(municipality=world["municipality"], pattern="Firefox")
    client = client_for(world["keeper"])
    assert client.post(api_url("normalisationrule-archive", rule.pk)).status_code == 200
    firefox = SoftwareTitle.objects.get(municipality=world["municipality"], name="Firefox")
    assert firefox.product_id is None


def test_rules_filter_by_action_and_product(world: dict[str, Any]) -> None:
    client = client_for(world["reader"])
    ignored = client.get(api_url("normalisationrule-list", action="ignore")).json()["results"]
    assert [r["pattern"] for r in ignored] == ["Intel Graphics Driver"]
    mapped = client.get(api_url("normalisationrule-list", product=world["office"].pk)).json()
    assert [r["product_name"] for r in mapped["results"]] == ["Office"]


# --- sources and snapshots ------------------------------------------------------------------------


def test_sources_are_listed_to_readers_of_their_municipality_only(world: dict[str, Any]) -> None:
    source, foreign = world["source"], world["foreign"].source
    reader = client_for(world["reader"])
    listed = reader.get(api_url("inventorysource-list")).json()["results"]
    assert [(s["id"], s["current_snapshot"]) for s in listed] == [(source.pk, world["snapshot"].pk)]
    detail = reader.get(api_url("inventorysource-detail", source.pk)).json()
    assert detail["format"] == "csv"
    assert detail["url"] == expected_page("source_detail", world["municipality"], source.pk)
    assert reader.get(api_url("inventorysource-detail", foreign.pk)).status_code == 404
    employee = client_for(world["employee"])
    assert ids(employee.get(api_url("inventorysource-list"))) == set()
    assert employee.get(api_url("inventorysource-detail", source.pk)).status_code == 404
    outsider = client_for(world["outsider"])
    assert ids(outsider.get(api_url("inventorysource-list", municipality="dalby"))) == set()
    assert outsider.get(api_url("inventorysource-detail", source.pk)).status_code == 404
    assert client_for(None).get(api_url("inventorysource-list")).status_code in (401, 403)


def test_sources_are_read_only(world: dict[str, Any]) -> None:
    client = client_for(world["keeper"])
    url = api_url("inventorysource-detail", world["source"].pk)
    assert client.post(api_url("inventorysource-list"), {"name": "X"}).status_code == 405
    assert client.patch(url, {"name": "X"}, format="json").status_code == 405
    assert client.delete(url).status_code == 405
    assert InventorySource.objects.get(pk=world["source"].pk).name == "GLPI"


def test_snapshots_filter_by_source_and_status(world: dict[str, Any]) -> None:
    m = world["municipality"]
    first = world["snapshot"]
    second = import_rows(m, [f"PC-001;anna;{SCHOOL};Office;16.0;Microsoft;"])
    intune = import_rows(m, ["PC-100;dan;;Office;16.0;Microsoft;"], source="Intune-export")
    client = client_for(world["reader"])
    assert ids(client.get(api_url("inventorysnapshot-list"))) == {first.pk, second.pk, intune.pk}
    glpi = client.get(api_url("inventorysnapshot-list", source=first.source_id)).json()["results"]
    assert [(s["id"], s["status"], s["is_current"]) for s in glpi] == [
        (second.pk, "complete", True),
        (first.pk, "superseded", False),
    ]
    superseded = api_url("inventorysnapshot-list", status="superseded")
    assert ids(client.get(superseded)) == {first.pk}
    detail = client.get(api_url("inventorysnapshot-detail", first.pk)).json()
    assert detail["source_name"] == "GLPI"
    assert detail["figures"][Reconciliation.UNAPPROVED] == 2
    assert detail["rows_imported"] == 8
    assert detail["imported_by_name"] is None  # the system imported it
    assert client.get(api_url("inventorysnapshot-detail", world["foreign"].pk)).status_code == 404
    assert ids(client_for(world["outsider"]).get(api_url("inventorysnapshot-list"))) == {
        world["foreign"].pk
    }


# --- software titles ------------------------------------------------------------------------------


def test_titles_filter_by_what_the_dictionary_made_of_them(world: dict[str, Any]) -> None:
    client = client_for(world["reader"])

    def names(**query: Any) -> set[str]:
        response = client.get(api_url("softwaretitle-list", **query))
        assert response.status_code == 200, response.content.decode()
        return {t["name"] for t in response.json()["results"]}

    assert names(outcome="unknown") == {"Spotify"}
    assert names(outcome="ignored") == {"Intel Graphics Driver"}
    assert names(outcome="mapped") == {"Office", "Firefox", "Gammalt diarium"}
    assert names(outcome=["unknown", "ignored"]) == {"Spotify", "Intel Graphics Driver"}
    assert names(product=world["firefox"].pk) == {"Firefox"}
    assert names(status="retired") == {"Gammalt diarium"}
    assert names(search="mozilla") == {"Firefox"}
    assert names(municipality="elsewhere") == set()
    rows = {t["name"]: t for t in client.get(api_url("softwaretitle-list")).json()["results"]}
    assert rows["Firefox"]["status"] == Reconciliation.UNAPPROVED
    assert rows["Firefox"]["outcome"] == "mapped"
    assert rows["Firefox"]["product_name"] == "Firefox"
    assert (rows["Firefox"]["installations"], rows["Firefox"]["devices"]) == (2, 2)
    assert rows["Spotify"]["status"] == Reconciliation.UNKNOWN
    assert rows["Intel Graphics Driver"]["status"] == Reconciliation.IGNORED


def test_titles_are_scoped(world: dict[str, Any]) -> None:
    foreign = SoftwareTitle.objects.get(municipality=world["elsewhere"])
    own = SoftwareTitle.objects.filter(municipality=world["municipality"])
    reader = client_for(world["reader"])
    assert ids(reader.get(api_url("softwaretitle-list", page_size=500))) == {t.pk for t in own}
    assert reader.get(api_url("softwaretitle-detail", foreign.pk)).status_code == 404
    assert ids(client_for(world["employee"]).get(api_url("softwaretitle-list"))) == set()
    assert client_for(world["outsider"]).get(
        api_url("softwaretitle-detail", own[0].pk)
    ).status_code == (404)


# --- installations --------------------------------------------------------------------------------


def installations(client: APIClient, **query: Any) -> list[dict[str, Any]]:
    response = client.get(api_url("installation-list", **query))
    assert response.status_code == 200, response.content.decode()
    return response.json()["results"]


def test_installations_of_the_current_snapshots_with_their_status(world: dict[str, Any]) -> None:
    client = client_for(world["reader"])
    rows = installations(client, municipality="dalby")
    assert len(rows) == 8
    by_name = {(r["device_name"], r["name"]): r for r in rows}
    firefox = by_name[("PC-001", "Firefox")]
    assert firefox["status"] == Reconciliation.UNAPPROVED
    assert firefox["department"] == world["school"].pk
    assert firefox["department_name"] == SCHOOL
    assert firefox["product_name"] == "Firefox"
    assert firefox["user"] == "anna"
    assert firefox["install_date"] == "2025-01-11"
    device = Device.objects.get(snapshot=world["snapshot"], name="PC-001")
    assert firefox["device_url"] == expected_page("device_detail", world["municipality"], device.pk)
    assert by_name[("PC-002", "Gammalt diarium")]["status"] == Reconciliation.RETIRED
    assert by_name[("PC-001", "Spotify")]["status"] == Reconciliation.UNKNOWN
    assert by_name[("PC-001", "Intel Graphics Driver")]["status"] == Reconciliation.IGNORED


def test_installations_filter_by_status_department_product_and_device(
    world: dict[str, Any],
) -> None:
    client = client_for(world["reader"])
    deviations = installations(client, municipality="dalby", status=["unapproved", "retired"])
    assert sorted((r["device_name"], r["name"]) for r in deviations) == [
        ("PC-001", "Firefox"),
        ("PC-002", "Gammalt diarium"),
        ("PC-003", "Firefox"),
    ]
    social = installations(client, municipality="dalby", department=world["social"].pk)
    assert {r["device_name"] for r in social} == {"PC-003"}
    office = installations(client, municipality="dalby", product=world["office"].pk)
    assert {r["device_name"] for r in office} == {"PC-001", "PC-002", "PC-003"}
    device = Device.objects.get(snapshot=world["snapshot"], name="PC-002")
    assert len(installations(client, municipality="dalby", device=device.pk)) == 2
    response = client.get(api_url("installation-list", municipality="dalby", status="bad"))
    assert response.status_code == 400
    assert "status" in response.json()


def test_installations_are_paged_by_cursor(world: dict[str, Any]) -> None:
    client = client_for(world["reader"])
    seen: list[int] = []
    url: str | None = api_url("installation-list", municipality="dalby", page_size=3)
    pages = 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        body = response.json()
        assert "count" not in body  # nobody counts a million rows for a page
        seen += [r["id"] for r in body["results"]]
        url = body["next"]
        pages += 1
    assert pages == 3
    assert seen == sorted(seen)
    assert set(seen) == set(
        Installation.objects.filter(snapshot=world["snapshot"]).values_list("pk", flat=True)
    )


def test_installations_need_a_municipality_the_user_reads(world: dict[str, Any]) -> None:
    reader = client_for(world["reader"])
    response = reader.get(api_url("installation-list"))
    assert response.status_code == 400
    with translation.override("en"):
        assert "municipality" in response.json()
    assert reader.get(api_url("installation-list", municipality="elsewhere")).status_code == 404
    assert reader.get(api_url("installation-list", municipality="nowhere")).status_code == 404
    employee = client_for(world["employee"])
    assert employee.get(api_url("installation-list", municipality="dalby")).status_code == 404
    outsider = client_for(world["outsider"])
    assert outsider.get(api_url("installation-list", municipality="dalby")).status_code == 404
    assert [r["device_name"] for r in installations(outsider, municipality="elsewhere")] == [
        "PC-999"
    ]
    anonymous = client_for(None).get(api_url("installation-list", municipality="dalby"))
    assert anonymous.status_code in (401, 403)


def test_installations_are_read_only(world: dict[str, Any]) -> None:
    client = client_for(world["keeper"])
    assert client.post(api_url("installation-list"), {}, format="json").status_code == 405


# --- query counts ---------------------------------------------------------------------------------


def _queries(client: APIClient, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content.decode()
    assert response.json()["results"]
    return len(queries)


@pytest.mark.parametrize(
    "resource",
    ["installation", "softwaretitle", "inventorysnapshot", "inventorysource", "normalisationrule"],
)
def test_list_query_counts_do_not_grow_with_rows(resource: str) -> None:
    m = MunicipalityFactory(slug="dalby")
    DepartmentFactory(municipality=m, board__municipality=m, name=SCHOOL)
    office = ProductFactory(municipality=m, name="Office")
    client = client_for(member(m, Role.IT_COORDINATOR))
    url = api_url(f"{resource}-list", municipality="dalby", page_size=500)
    counts = []
    for devices, sources, rules in ((4, 1, 1), (120, 3, 25)):
        for source in range(sources):
            import_rows(m, generated_rows(devices, per_device=3), source=f"Källa {source}")
        for position in range(NormalisationRule.objects.filter(municipality=m).count(), rules):
            normalisation_rule_create(
                municipality=m,
                data=rule_data(position + 1, f"Program {position}", RuleAction.MAP, product=office),
                actor=None,
                replay=False,
            )
        counts.append(_queries(client, url))
    assert counts[0] == counts[1], counts


# --- the schema -----------------------------------------------------------------------------------


def test_the_schema_documents_the_inventory_without_warnings(tmp_path: Any) -> None:
    call_command("spectacular", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    schema = APIClient().get(api_url("schema") + "?format=json").json()
    paths = schema["paths"]
    for resource in ("inventory-sources", "inventory-snapshots", "software-titles"):
        assert set(paths[f"/api/v1/{resource}/"]) == {"get"}, resource
        assert set(paths[f"/api/v1/{resource}/{{id}}/"]) == {"get"}, resource
    assert set(paths["/api/v1/installations/"]) == {"get"}
    assert "/api/v1/installations/{id}/" not in paths
    parameters = {p["name"]: p for p in paths["/api/v1/installations/"]["get"]["parameters"]}
    assert parameters["municipality"]["required"] is True
    assert {"cursor", "status", "department", "product", "device"} <= set(parameters)
    rules = paths["/api/v1/normalisation-rules/{id}/"]
    assert "delete" not in rules and {"get", "put", "patch"} <= set(rules)
    assert set(paths["/api/v1/normalisation-rules/{id}/archive/"]) == {"post"}
