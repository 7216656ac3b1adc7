"""The software dictionary: matching (exact, regex, case, first match wins), validation at save
time, trying rules without writing, replaying over the titles with a fixed number of queries, the
import hook, the services' permission checks and the rules spreadsheet."""

from __future__ import annotations

import io
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from stadga.inventory.choices import RuleAction, RuleField, RuleMatch
from stadga.inventory.dictionary import compile_rules, dictionary_apply, try_rules
from stadga.inventory.models import NormalisationRule, SoftwareTitle
from stadga.inventory.services import inventory_import
from stadga.inventory.services_rules import (
    normalisation_rule_archive,
    normalisation_rule_create,
    normalisation_rule_restore,
    normalisation_rule_update,
    rules_reorder,
)
from stadga.inventory.tabular import NormalisationRuleTabular
from stadga.organisation.choices import Role
from stadga.testing.factories import (
    MunicipalityFactory,
    ProductFactory,
    ProductVersionFactory,
    member,
)
from stadga.testing.spreadsheets import csv_bytes, read_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def org() -> dict[str, Any]:
    m = MunicipalityFactory(slug="dalby")
    office = ProductFactory(municipality=m, name="LibreOffice")
    return {
        "municipality": m,
        "keeper": member(m, Role.IT_COORDINATOR),
        "office": office,
        "office_24": ProductVersionFactory(product=office, municipality=m, version="24.2"),
        "firefox": ProductFactory(municipality=m, name="Firefox"),
    }


def rule(m, position: int, **fields: Any) -> NormalisationRule:
    """An unsaved rule (for `try_rules` and `compile_rules`)."""
    fields.setdefault("field", RuleField.NAME)
    fields.setdefault("match", RuleMatch.EXACT)
    fields.setdefault("action", RuleAction.IGNORE)
    return NormalisationRule(municipality=m, position=position, **fields)


def create(org, position: int, **fields: Any) -> NormalisationRule:
    fields.setdefault("field", RuleField.NAME)
    fields.setdefault("match", RuleMatch.EXACT)
    fields.setdefault("action", RuleAction.IGNORE)
    return normalisation_rule_create(
        municipality=org["municipality"],
        data={"position": position, **fields},
        actor=org["keeper"],
    )


def titles(m, *names: str, publisher: str = "", version: str = "") -> list[SoftwareTitle]:
    return SoftwareTitle.objects.bulk_create(
        [
            SoftwareTitle(municipality=m, name=name, publisher=publisher, version=version)
            for name in names
        ]
    )


def results(m) -> dict[str, tuple]:
    return {
        t.name: (t.rule_id, t.product_id, t.ignored, t.display_name)
        for t in SoftwareTitle.objects.filter(municipality=m)
    }


# --- matching -----------------------------------------------------------------------------------


def test_exact_is_whole_value_trimmed_and_case_insensitive(org):
    m = org["municipality"]
    d = compile_rules([rule(m, 1, pattern="  mozilla firefox ")])
    assert d.match("Mozilla Firefox", "", "") is not None
    assert d.match("MOZILLA FIREFOX", "", "") is not None
    assert d.match("Mozilla Firefox ESR", "", "") is None


def test_regex_searches_anywhere_ignoring_case_unless_anchored(org):
    m = org["municipality"]
    d = compile_rules([rule(m, 1, match=RuleMatch.REGEX, pattern=r"update for")])
    assert d.match("Security UPDATE for Windows (KB50123)", "", "") is not None
    anchored = compile_rules([rule(m, 1, match=RuleMatch.REGEX, pattern=r"^update for")])
    assert anchored.match("Security Update for Windows", "", "") is None
    assert anchored.match("Update for Office", "", "") is not None


def test_rules_read_their_own_field(org):
    m = org["municipality"]
    d = compile_rules(
        [
            rule(m, 1, field=RuleField.PUBLISHER, pattern="Intel Corporation"),
            rule(m, 2, field=RuleField.VERSION, match=RuleMatch.REGEX, pattern=r"^0\."),
        ]
    )
    assert d.match("Graphics Driver", "intel corporation", "31.0").rule.position == 1
    assert d.match("Beta tool", "Someone", "0.9").rule.position == 2
    assert d.match("Intel Corporation", "Someone", "1.0") is None


def test_first_match_wins_whatever_the_action(org):
    m = org["municipality"]
    rename = rule(
        m, 1, match=RuleMatch.REGEX, pattern="libreoffice", action="rename", new_name="LO"
    )
    to_product = rule(
        m, 2, match=RuleMatch.REGEX, pattern="office", action="map", product=org["office"]
    )
    found = compile_rules([to_product, rename]).match("LibreOffice 24.2", "", "")
    assert found is not None
    assert (found.action, found.display_name, found.product_id) == ("rename", "LO", None)
    # Order matters: with the map rule first it decides.
    to_product.position, rename.position = 1, 2
    found = compile_rules([rename, to_product]).match("LibreOffice 24.2", "", "")
    assert found is not None
    assert (found.action, found.product_id, found.display_name) == (
        "map",
        org["office"].pk,
        "LibreOffice",
    )


def test_try_rules_writes_nothing(org, django_assert_num_queries):
    m = org["municipality"]
    sample = titles(m, "Firefox", "Intel Driver")
    draft = [
        rule(m, 1, pattern="firefox", action="map", product=org["firefox"]),
        rule(m, 2, match=RuleMatch.REGEX, pattern="driver"),
    ]
    with django_assert_num_queries(0):
        tried = try_rules(draft, sample)
    assert [(t.name, mt.action if mt else None) for t, mt in tried] == [
        ("Firefox", "map"),
        ("Intel Driver", "ignore"),
    ]
    assert not NormalisationRule.objects.exists()
    assert all(r == (None, None, False, "") for r in results(m).values())


# --- validation at save time ---------------------------------------------------------------------


def test_invalid_regex_is_a_field_error_on_pattern(org):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        create(org, 1, match=RuleMatch.REGEX, pattern="Office (365")
    assert list(error.value.error_dict) == ["pattern"]
    assert "not a valid regular expression" in str(error.value.messages[0])
    assert "missing )" in str(error.value.messages[0])
    # The same text as exact text is fine.
    create(org, 1, pattern="Office (365")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"action": "map"}, "product"),
        ({"action": "rename"}, "new_name"),
        ({"action": "ignore", "new_name": "X"}, "new_name"),
        ({"action": "rename", "new_name": "X", "product": "office"}, "product"),
        (
            {"action": "map", "product": "firefox", "product_version": "office_24"},
            "product_version",
        ),
    ],
)
def test_required_fields_per_action(org, fields, field):
    fields = {k: org[v] if k.startswith("product") else v for k, v in fields.items()}
    with pytest.raises(ValidationError) as error:
        create(org, 1, pattern="x", **fields)
    assert field in error.value.error_dict


def test_another_municipalitys_product_is_refused(org):
    foreign = ProductFactory(name="Firefox")
    with pytest.raises(ValidationError) as error:
        create(org, 1, pattern="x", action="map", product=foreign)
    assert "product" in error.value.error_dict


def test_position_is_unique_per_municipality(org):
    create(org, 1, pattern="a")
    with pytest.raises(ValidationError) as error:
        create(org, 1, pattern="b")
    assert "__all__" in error.value.error_dict or "position" in error.value.error_dict


# --- applying ------------------------------------------------------------------------------------


def test_services_replay_and_store_results(org):
    m = org["municipality"]
    titles(m, "Firefox", "LibreOffice", "Intel Driver", "Notepad++")
    firefox = create(org, 1, pattern="firefox", action="map", product=org["firefox"])
    driver = create(org, 2, match=RuleMatch.REGEX, pattern="driver")
    create(org, 3, pattern="notepad++", action="rename", new_name="Notepad++ (Don Ho)")
    assert results(m) == {
        "Firefox": (firefox.pk, org["firefox"].pk, False, "Firefox"),
        "LibreOffice": (None, None, False, ""),
        "Intel Driver": (driver.pk, None, True, ""),
        "Notepad++": (
            NormalisationRule.objects.get(position=3).pk,
            None,
            False,
            "Notepad++ (Don Ho)",
        ),
    }
    normalisation_rule_archive(rule=driver, actor=org["keeper"])
    assert results(m)["Intel Driver"] == (None, None, False, "")
    normalisation_rule_restore(rule=driver, actor=org["keeper"])
    assert results(m)["Intel Driver"] == (driver.pk, None, True, "")
    _rule, changed = normalisation_rule_update(
        rule=firefox, data={"pattern": "FIREFOX ESR"}, actor=org["keeper"]
    )
    assert changed
    assert results(m)["Firefox"] == (None, None, False, "")


def test_reordering_changes_the_result(org):
    m = org["municipality"]
    titles(m, "Firefox Updater")
    ignore = create(org, 1, match=RuleMatch.REGEX, pattern="updater")
    to_product = create(
        org, 2, match=RuleMatch.REGEX, pattern="firefox", action="map", product=org["firefox"]
    )
    assert results(m)["Firefox Updater"][0] == ignore.pk
    rules_reorder(municipality=m, ordered_ids=[to_product.pk, ignore.pk], actor=org["keeper"])
    assert list(NormalisationRule.objects.values_list("pk", "position")) == [
        (to_product.pk, 1),
        (ignore.pk, 2),
    ]
    assert results(m)["Firefox Updater"] == (to_product.pk, org["firefox"].pk, False, "Firefox")
    with pytest.raises(ValidationError):
        rules_reorder(municipality=m, ordered_ids=[to_product.pk], actor=org["keeper"])


def test_apply_writes_only_changed_titles(org):
    m = org["municipality"]
    titles(m, "Firefox", "Other")
    create(org, 1, pattern="firefox", action="map", product=org["firefox"])
    assert dictionary_apply(municipality=m) == 0
    with CaptureQueriesContext(connection) as queries:
        dictionary_apply(municipality=m)
    assert not [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    titles(m, "firefox")
    assert dictionary_apply(municipality=m) == 1


@pytest.mark.parametrize("count", [10, 300])
def test_apply_query_count_does_not_grow_with_titles(org, count):
    m = org["municipality"]
    create(org, 1, match=RuleMatch.REGEX, pattern="^tool", action="map", product=org["office"])
    create(org, 2, match=RuleMatch.REGEX, pattern="driver")
    titles(m, *[f"Tool {i}" for i in range(count)], *[f"Driver {i}" for i in range(count)])
    titles(m, *[f"Other {i}" for i in range(count)])
    with CaptureQueriesContext(connection) as queries:
        changed = dictionary_apply(municipality=m)
    assert changed == 2 * count
    # Rules, one batch of titles, the end of the titles, one UPDATE per distinct result, and
    # the savepoint around it all.
    assert len(queries) == 7, [q["sql"][:80] for q in queries.captured_queries]


def test_import_classifies_new_titles_only(org):
    m = org["municipality"]
    create(org, 1, pattern="firefox", action="map", product=org["firefox"])
    header = "Enhet;Användare;Förvaltning;Programvara;Version;Utgivare;Installerad\n"
    data = header + "PC-1;anna;;Firefox;128.0;Mozilla;\nPC-1;anna;;Paint;1;MS;\n"
    inventory_import(
        municipality=m,
        source_name="GLPI",
        fmt="csv",
        stream=io.BytesIO(data.encode()),
        file_name="a.csv",
        actor=None,
    )
    firefox = SoftwareTitle.objects.get(municipality=m, name="Firefox")
    assert (firefox.product_id, firefox.display_name) == (org["firefox"].pk, "Firefox")
    # An existing title keeps its stored result on the next import; only rule changes replay.
    SoftwareTitle.objects.filter(pk=firefox.pk).update(display_name="kept")
    data2 = data + "PC-2;bo;;Firefox;128.0;Mozilla;\nPC-2;bo;;firefox;2;Mozilla;\n"
    inventory_import(
        municipality=m,
        source_name="GLPI",
        fmt="csv",
        stream=io.BytesIO(data2.encode()),
        file_name="b.csv",
        actor=None,
    )
    firefox.refresh_from_db()
    assert firefox.display_name == "kept"
    assert SoftwareTitle.objects.get(name="firefox", version="2").product_id == org["firefox"].pk


# --- permissions --------------------------------------------------------------------------------


def test_only_the_it_department_edits_rules(org):
    m = org["municipality"]
    outsider = member(m)
    foreign_keeper = member(MunicipalityFactory(), Role.IT_COORDINATOR)
    kept = create(org, 1, pattern="a")
    for actor in (outsider, foreign_keeper):
        with pytest.raises(PermissionDenied):
            normalisation_rule_create(
                municipality=m,
                data={
                    "position": 2,
                    "field": "name",
                    "pattern": "b",
                    "match": "exact",
                    "action": "ignore",
                },
                actor=actor,
            )
        with pytest.raises(PermissionDenied):
            normalisation_rule_update(rule=kept, data={"pattern": "c"}, actor=actor)
        with pytest.raises(PermissionDenied):
            normalisation_rule_archive(rule=kept, actor=actor)
        with pytest.raises(PermissionDenied):
            rules_reorder(municipality=m, ordered_ids=[kept.pk], actor=actor)
    assert NormalisationRule.objects.count() == 1
    technician = member(m, Role.IT_TECHNICIAN)
    normalisation_rule_update(rule=kept, data={"pattern": "c"}, actor=technician)


# --- spreadsheet ---------------------------------------------------------------------------------


def test_rules_round_trip_and_reimport_changes_nothing(org):
    m = org["municipality"]
    titles(m, "LibreOffice 24.2", "Intel Driver")
    keeper = org["keeper"]
    spec = NormalisationRuleTabular
    rows = [
        [
            "Ordning",
            "Fält",
            "Matchning",
            "Mönster",
            "Åtgärd",
            "Produkt",
            "Version",
            "Nytt namn",
            "Anteckningar",
        ],
        ["1", "name", "regex", "^libreoffice", "map", "LibreOffice", "24.2", "", "Kontor"],
        ["2", "name", "regex", "driver", "ignore", "", "", "", ""],
        ["3", "publisher", "exact", "Don Ho", "rename", "", "", "Notepad++", ""],
    ]
    with CaptureQueriesContext(connection) as queries:
        result = spec(municipality=m, actor=keeper).import_file(csv_bytes(rows))
    assert result.ok, [str(e) for e in result.errors]
    assert result.created == 3
    # Replayed once, not once per row: one batch of titles read.
    assert (
        sum(
            '"inventory_softwaretitle"' in q["sql"] and q["sql"].startswith("SELECT")
            for q in queries.captured_queries
        )
        == 2
    )
    office = NormalisationRule.objects.get(position=1)
    assert office.product_version == org["office_24"]
    assert results(m)["LibreOffice 24.2"] == (office.pk, org["office"].pk, False, "LibreOffice")
    assert results(m)["Intel Driver"][2] is True

    exported = b"".join(spec(municipality=m).iter_csv(spec(municipality=m).export_queryset()))
    first = read_csv(exported)[1]
    assert [first[0], first[3], *first[5:]] == [
        "1",
        "^libreoffice",
        "LibreOffice",
        "24.2",
        "",
        "Kontor",
    ]
    log_entries = LogEntry.objects.count()
    again = spec(municipality=m, actor=keeper).import_file(exported)
    assert again.ok, [str(e) for e in again.errors]
    assert (again.created, again.updated) == (0, 0)
    assert LogEntry.objects.count() == log_entries


def test_rules_import_reports_errors_by_row(org):
    rows = [
        ["Ordning", "Fält", "Matchning", "Mönster", "Åtgärd", "Produkt", "Version"],
        ["1", "name", "regex", "Office (", "ignore", "", ""],
        ["2", "name", "exact", "x", "map", "LibreOffice", "99"],
    ]
    with translation.override("en"):
        result = NormalisationRuleTabular(
            municipality=org["municipality"], actor=org["keeper"]
        ).import_file(csv_bytes(rows))
    assert not result.ok
    assert {(e.row, e.column) for e in result.errors} == {(2, "Mönster"), (3, "Version")}
    assert not NormalisationRule.objects.exists()


def test_command_line_export(org, tmp_path):
    create(org, 1, pattern="a")
    out = tmp_path / "regler.csv"
    call_command(
        "export", "software-rules", "--municipality", "dalby", "--format", "csv", "-o", str(out)
    )
    assert read_csv(out.read_bytes())[1][3] == "a"


def test_command_line_import_replays(org, tmp_path):
    titles(org["municipality"], "Intel Driver")
    path = tmp_path / "regler.csv"
    path.write_bytes(
        csv_bytes(
            [
                ["Ordning", "Fält", "Matchning", "Mönster", "Åtgärd"],
                ["1", "name", "regex", "driver", "ignore"],
            ]
        )
    )
    call_command(
        "import",
        "software-rules",
        str(path),
        "--municipality",
        "dalby",
        "--user",
        org["keeper"].username,
        stdout=io.StringIO(),
    )
    assert results(org["municipality"])["Intel Driver"][2] is True
