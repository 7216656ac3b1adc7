"""The software dictionary's pages and the software titles list (issue 6 item 2): who may see
and do what (readers of the whole municipality read, the IT department keeps the rules, P3.2;
another municipality's users get a 404), trying a draft without saving, regular-expression
errors on the form, moving rules, import and export through the web, replaying, and the titles
list the IT coordinator works through to reconcile installations with the catalogue (P5.4,
P5.5) — with query counts that do not grow with the rows."""

from __future__ import annotations

from typing import Any

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stadga.inventory.choices import RuleAction, RuleField, RuleMatch, SnapshotStatus
from stadga.inventory.dictionary import dictionary_try, place_rule
from stadga.inventory.models import (
    InventorySource,
    NormalisationRule,
    Snapshot,
    SoftwareTitle,
    Tally,
)
from stadga.inventory.services_rules import (
    dictionary_replay,
    normalisation_rule_archive,
    normalisation_rule_create,
    normalisation_rule_move,
    normalisation_rule_save,
)
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
    firefox = ProductFactory(municipality=m, name="Firefox")
    office = ProductFactory(municipality=m, name="LibreOffice")
    keeper = member(m, Role.IT_COORDINATOR)
    org = {
        "m": m,
        "keeper": keeper,
        "reader": member(m, Role.AUDITOR),
        "employee": member(m, Role.EMPLOYEE),
        "outsider": member(MunicipalityFactory(), Role.IT_COORDINATOR),
        "firefox": firefox,
        "office": office,
        "office_24": ProductVersionFactory(product=office, municipality=m, version="24.2"),
    }
    SoftwareTitle.objects.bulk_create(
        [
            SoftwareTitle(municipality=m, name="Mozilla Firefox", publisher="Mozilla"),
            SoftwareTitle(municipality=m, name="Firefox Nightly", publisher="Mozilla"),
            SoftwareTitle(municipality=m, name="LibreOffice 24.2", publisher="TDF"),
            SoftwareTitle(municipality=m, name="Intel Graphics Driver", publisher="Intel"),
            SoftwareTitle(municipality=m, name="Okänt verktyg", publisher="Någon"),
        ]
    )
    org["firefox_rule"] = create(
        org, 1, pattern="Mozilla Firefox", action=RuleAction.MAP, product=firefox
    )
    org["driver_rule"] = create(
        org, 2, field=RuleField.PUBLISHER, pattern="Intel", action=RuleAction.IGNORE
    )
    return org


def create(org: dict[str, Any], position: int, **fields: Any) -> NormalisationRule:
    fields.setdefault("field", RuleField.NAME)
    fields.setdefault("match", RuleMatch.EXACT)
    return normalisation_rule_create(
        municipality=org["m"], data={"position": position, **fields}, actor=org["keeper"]
    )


def url(name: str, m: Any, **kwargs: Any) -> str:
    return reverse(f"inventory:{name}", kwargs={"municipality": m.slug, **kwargs})


def title(m: Any, name: str) -> SoftwareTitle:
    return SoftwareTitle.objects.get(municipality=m, name=name)


def results(m: Any) -> dict[str, tuple]:
    return {
        t.name: (t.rule_id, t.product_id, t.product_version_id, t.ignored, t.display_name)
        for t in SoftwareTitle.objects.filter(municipality=m)
    }


def form_data(**fields: Any) -> dict[str, Any]:
    data = {
        "position": 3,
        "field": RuleField.NAME,
        "match": RuleMatch.EXACT,
        "pattern": "",
        "action": RuleAction.IGNORE,
        "product": "",
        "product_version": "",
        "new_name": "",
        "notes": "",
    }
    data.update(fields)
    return data


def english(client: Any) -> Any:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def messages_of(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- who may see and do what --------------------------------------------------------------------


def read_urls(org: dict[str, Any]) -> list[str]:
    m = org["m"]
    return [
        url("rule_list", m),
        url("rule_list", m) + "?archived=1",
        url("title_list", m),
        url("rule_export", m) + "?format=csv",
        url("rule_import_template", m) + "?format=csv",
    ]


def write_gets(org: dict[str, Any]) -> list[str]:
    m, pk = org["m"], org["firefox_rule"].pk
    return [
        url("rule_create", m),
        url("rule_update", m, pk=pk),
        url("rule_archive", m, pk=pk),
        url("rule_restore", m, pk=pk),
        url("rule_import", m),
    ]


def write_posts(org: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    m, pk = org["m"], org["firefox_rule"].pk
    return [
        (url("rule_create", m), form_data(pattern="Okänt verktyg")),
        (url("rule_create", m), form_data(pattern="Okänt verktyg", **{"try": "1"})),
        (url("rule_update", m, pk=pk), form_data(position=1, pattern="X")),
        (url("rule_archive", m, pk=pk), {}),
        (url("rule_restore", m, pk=pk), {}),
        (url("rule_reorder", m), {"rule": pk, "direction": "down"}),
        (url("rules_replay", m), {}),
        (url("rule_import", m), {}),
        (url("rule_import_confirm", m), {"token": "x" * 43}),
    ]


def test_readers_see_the_rules_and_titles_read_only(client: Any, org: dict[str, Any]) -> None:
    m = org["m"]
    client.force_login(org["reader"])
    for address in read_urls(org):
        assert client.get(address).status_code == 200, address
    html = client.get(url("rule_list", m)).content.decode()
    assert "Mozilla Firefox" in html
    assert url("rule_update", m, pk=org["firefox_rule"].pk) not in html
    assert url("rule_reorder", m) not in html and url("rules_replay", m) not in html
    assert url("rule_create", m) not in client.get(url("title_list", m)).content.decode()


def test_keepers_see_the_edit_controls(client: Any, org: dict[str, Any]) -> None:
    m = org["m"]
    client.force_login(org["keeper"])
    html = client.get(url("rule_list", m)).content.decode()
    assert url("rule_update", m, pk=org["firefox_rule"].pk) in html
    assert url("rule_archive", m, pk=org["driver_rule"].pk) in html
    assert url("rule_reorder", m) in html and url("rules_replay", m) in html
    assert 'name="direction" value="down"' in html and 'name="direction" value="up"' in html
    for address in write_gets(org):
        assert client.get(address).status_code == 200, address


def test_reader_gets_403_on_every_write_and_nothing_changes(
    client: Any, org: dict[str, Any]
) -> None:
    client.force_login(org["reader"])
    before, logged = results(org["m"]), LogEntry.objects.count()
    for address in write_gets(org):
        assert client.get(address).status_code == 403, address
    for address, data in write_posts(org):
        assert client.post(address, data).status_code == 403, address
    assert NormalisationRule.objects.filter(municipality=org["m"]).count() == 2
    assert results(org["m"]) == before and LogEntry.objects.count() == logged


def test_a_member_who_does_not_read_everything_gets_403(client: Any, org: dict[str, Any]) -> None:
    client.force_login(org["employee"])
    for address in [*read_urls(org), *write_gets(org)]:
        assert client.get(address).status_code == 403, address
    for address, data in write_posts(org):
        assert client.post(address, data).status_code == 403, address


def test_another_municipalitys_user_gets_404_on_every_url(client: Any, org: dict[str, Any]) -> None:
    client.force_login(org["outsider"])
    for address in [*read_urls(org), *write_gets(org)]:
        assert client.get(address).status_code == 404, address
    for address, data in write_posts(org):
        assert client.post(address, data).status_code == 404, address


def test_a_rule_of_another_municipality_is_a_404(client: Any, org: dict[str, Any]) -> None:
    other = MunicipalityFactory()
    foreign = normalisation_rule_create(
        municipality=other,
        data={"position": 1, "field": "name", "match": "exact", "pattern": "X", "action": "ignore"},
        actor=None,
    )
    client.force_login(org["keeper"])
    m = org["m"]
    assert client.get(url("rule_update", m, pk=foreign.pk)).status_code == 404
    assert client.post(url("rule_archive", m, pk=foreign.pk)).status_code == 404
    assert (
        client.post(url("rule_reorder", m), {"rule": foreign.pk, "direction": "up"}).status_code
        == 404
    )


def test_anonymous_is_sent_to_log_in(client: Any, org: dict[str, Any]) -> None:
    for address in [*read_urls(org), *write_gets(org)]:
        response = client.get(address)
        assert response.status_code == 302 and "login" in response["Location"], address
    response = client.post(url("rules_replay", org["m"]))
    assert response.status_code == 302 and "login" in response["Location"]


# --- the rule form: try and save ----------------------------------------------------------------


def test_the_form_offers_only_the_municipalitys_current_products(
    client: Any, org: dict[str, Any]
) -> None:
    other = ProductFactory(municipality=MunicipalityFactory(), name="Främmande")
    archived = ProductFactory(municipality=org["m"], name="Arkiverad", archived_at=timezone.now())
    client.force_login(org["keeper"])
    form = client.get(url("rule_create", org["m"])).context["form"]
    products = set(form.fields["product"].queryset)
    assert org["firefox"] in products and other not in products and archived not in products
    assert set(form.fields["product_version"].queryset) == {org["office_24"]}
    assert form.initial["position"] == 3  # after every rule


def test_try_shows_what_would_change_and_saves_nothing(client: Any, org: dict[str, Any]) -> None:
    m = org["m"]
    client.force_login(org["keeper"])
    before, logged = results(m), LogEntry.objects.count()
    response = client.post(
        url("rule_create", m),
        form_data(
            position=1,
            match=RuleMatch.REGEX,
            pattern="firefox",
            action=RuleAction.RENAME,
            new_name="Firefox (alla)",
            **{"try": "1"},
        ),
    )
    assert response.status_code == 200
    trial = response.context["trial"]
    # Put first, the draft takes both Firefox titles, the mapped one included.
    assert trial["result"].changed == 2 and trial["result"].matched == 2
    changed = {row["change"].name: row for row in trial["changes"]}
    assert set(changed) == {"Mozilla Firefox", "Firefox Nightly"}
    assert changed["Mozilla Firefox"]["before"].kind == "map"
    assert changed["Mozilla Firefox"]["after"].kind == "rename"
    assert changed["Mozilla Firefox"]["after"].by_draft
    assert changed["Firefox Nightly"]["before"].kind == "unknown"
    html = response.content.decode()
    assert 'id="trial-changes"' in html and "Firefox (alla)" in html
    assert NormalisationRule.objects.filter(municipality=m).count() == 2
    assert results(m) == before and LogEntry.objects.count() == logged


def test_try_placed_after_an_earlier_rule_changes_only_what_it_decides(
    client: Any, org: dict[str, Any]
) -> None:
    client.force_login(org["keeper"])
    response = client.post(
        url("rule_create", org["m"]),
        form_data(match=RuleMatch.REGEX, pattern="firefox", **{"try": "1"}),
    )
    trial = response.context["trial"]
    assert [row["change"].name for row in trial["changes"]] == ["Firefox Nightly"]
    shadowed = {row["match"].name: row["match"].decided_by_draft for row in trial["matches"]}
    assert shadowed == {"Mozilla Firefox": False, "Firefox Nightly": True}


def test_try_on_an_edit_replaces_the_rule(client: Any, org: dict[str, Any]) -> None:
    m, rule = org["m"], org["firefox_rule"]
    client.force_login(org["keeper"])
    response = client.post(
        url("rule_update", m, pk=rule.pk),
        form_data(
            position=1,
            pattern="LibreOffice 24.2",
            action=RuleAction.MAP,
            product=org["office"].pk,
            product_version=org["office_24"].pk,
            **{"try": "1"},
        ),
    )
    trial = response.context["trial"]
    changed = {row["change"].name: row for row in trial["changes"]}
    assert set(changed) == {"Mozilla Firefox", "LibreOffice 24.2"}
    assert changed["Mozilla Firefox"]["after"].kind == "unknown"
    assert changed["LibreOffice 24.2"]["after"].label == "LibreOffice 24.2"
    assert NormalisationRule.objects.get(pk=rule.pk).pattern == "Mozilla Firefox"


def test_an_invalid_regular_expression_is_reported_on_the_field(
    client: Any, org: dict[str, Any]
) -> None:
    client.force_login(org["keeper"])
    for extra in ({}, {"try": "1"}):
        response = client.post(
            url("rule_create", org["m"]),
            form_data(match=RuleMatch.REGEX, pattern="office(", **extra),
        )
        assert response.status_code == 400
        assert response.context["form"].errors["pattern"]
        assert 'id="id_pattern_error"' in response.content.decode()
        assert "trial" not in response.context
    assert NormalisationRule.objects.filter(municipality=org["m"]).count() == 2


def test_save_creates_the_rule_replays_and_says_how_many_titles_changed(
    client: Any, org: dict[str, Any]
) -> None:
    m = org["m"]
    english(client).force_login(org["keeper"])
    response = client.post(
        url("rule_create", m),
        form_data(
            pattern="libreoffice 24.2",
            action=RuleAction.MAP,
            product=org["office"].pk,
            product_version=org["office_24"].pk,
            new_name="dropped: the rule maps",
        ),
    )
    assert response.status_code == 302
    rule = NormalisationRule.objects.get(municipality=m, position=3)
    assert rule.new_name == "" and rule.product_version == org["office_24"]
    assert response["Location"].endswith(f"#rule-{rule.pk}")
    assert title(m, "LibreOffice 24.2").product_version == org["office_24"]
    assert any("1 software title changed" in text for text in messages_of(response))
    assert LogEntry.objects.get_for_object(rule).count() == 1


def test_save_at_a_position_another_rule_holds_puts_the_rule_in_its_place(
    client: Any, org: dict[str, Any]
) -> None:
    m = org["m"]
    client.force_login(org["keeper"])
    response = client.post(
        url("rule_create", m),
        form_data(position=1, match=RuleMatch.REGEX, pattern="firefox", action=RuleAction.IGNORE),
    )
    assert response.status_code == 302
    order = list(
        NormalisationRule.objects.filter(municipality=m)
        .order_by("position")
        .values_list("pattern", "position")
    )
    assert order == [("firefox", 1), ("Mozilla Firefox", 2), ("Intel", 3)]
    assert title(m, "Mozilla Firefox").ignored


def test_edit_saves_through_the_service(client: Any, org: dict[str, Any]) -> None:
    m, rule = org["m"], org["driver_rule"]
    client.force_login(org["keeper"])
    response = client.post(
        url("rule_update", m, pk=rule.pk),
        form_data(position=2, field=RuleField.PUBLISHER, pattern="Någon", action=RuleAction.IGNORE),
    )
    assert response.status_code == 302
    assert title(m, "Okänt verktyg").ignored and not title(m, "Intel Graphics Driver").ignored


def test_the_titles_list_links_a_prefilled_new_rule(client: Any, org: dict[str, Any]) -> None:
    m = org["m"]
    client.force_login(org["keeper"])
    html = client.get(url("title_list", m)).content.decode()
    link = url("rule_create", m) + "?field=name&amp;match=exact&amp;pattern=Ok%C3%A4nt%20verktyg"
    assert link in html
    form = client.get(link.replace("&amp;", "&")).context["form"]
    assert form.initial["pattern"] == "Okänt verktyg" and form.initial["match"] == "exact"


# --- order, archive, replay -----------------------------------------------------------------


def test_moving_a_rule_changes_positions_and_results(client: Any, org: dict[str, Any]) -> None:
    m = org["m"]
    catch_all = create(org, 3, match=RuleMatch.REGEX, pattern="firefox", action=RuleAction.IGNORE)
    assert not title(m, "Mozilla Firefox").ignored  # the map rule comes first
    english(client).force_login(org["keeper"])
    response = client.post(url("rule_reorder", m), {"rule": catch_all.pk, "direction": "up"})
    assert response.status_code == 302
    assert NormalisationRule.objects.get(pk=catch_all.pk).position == 2
    response = client.post(url("rule_reorder", m), {"rule": catch_all.pk, "direction": "up"})
    positions = dict(
        NormalisationRule.objects.filter(municipality=m).values_list("pattern", "position")
    )
    assert positions == {"firefox": 1, "Mozilla Firefox": 2, "Intel": 3}
    assert title(m, "Mozilla Firefox").ignored
    assert any("1 software title changed" in text for text in messages_of(response))
    # Back down to the end by its number.
    client.post(url("rule_reorder", m), {"rule": catch_all.pk, "direction": "to", "position": "3"})
    positions = dict(
        NormalisationRule.objects.filter(municipality=m).values_list("pattern", "position")
    )
    assert positions == {"Mozilla Firefox": 1, "Intel": 2, "firefox": 3}
    assert not title(m, "Mozilla Firefox").ignored


def test_the_first_rule_does_not_move_up(client: Any, org: dict[str, Any]) -> None:
    client.force_login(org["keeper"])
    rule = org["firefox_rule"]
    client.post(url("rule_reorder", org["m"]), {"rule": rule.pk, "direction": "up"})
    assert NormalisationRule.objects.get(pk=rule.pk).position == 1
    response = client.post(url("rule_reorder", org["m"]), {"rule": rule.pk, "direction": "to"})
    assert response.status_code == 302  # no position given: a message, nothing moved
    assert NormalisationRule.objects.get(pk=rule.pk).position == 1


def test_archive_and_restore_replay_the_dictionary(client: Any, org: dict[str, Any]) -> None:
    m, rule = org["m"], org["driver_rule"]
    client.force_login(org["keeper"])
    assert client.post(url("rule_archive", m, pk=rule.pk)).status_code == 302
    assert not title(m, "Intel Graphics Driver").ignored
    archive = client.get(url("rule_list", m) + "?archived=1").content.decode()
    assert url("rule_restore", m, pk=rule.pk) in archive
    assert client.get(url("rule_update", m, pk=rule.pk)).status_code == 403
    assert client.post(url("rule_restore", m, pk=rule.pk)).status_code == 302
    assert title(m, "Intel Graphics Driver").ignored


def test_replay_says_how_many_titles_changed(client: Any, org: dict[str, Any]) -> None:
    m = org["m"]
    # Titles out of step with the rules, as after a bulk change outside the services.
    SoftwareTitle.objects.filter(municipality=m).update(
        rule=None, product=None, product_version=None, ignored=False, display_name=""
    )
    english(client).force_login(org["keeper"])
    response = client.post(url("rules_replay", m))
    assert response.status_code == 302
    assert any("2 software titles changed" in text for text in messages_of(response))
    assert title(m, "Mozilla Firefox").product == org["firefox"]


# --- import and export through the web ----------------------------------------------------------


@pytest.fixture
def imports(settings: Any, tmp_path: Any) -> Any:
    settings.STORAGES = {
        **settings.STORAGES,
        "imports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    return tmp_path


def test_export_and_import_round_trip_through_the_web(
    client: Any, org: dict[str, Any], imports: Any
) -> None:
    m = org["m"]
    client.force_login(org["keeper"])
    response = client.get(url("rule_export", m) + "?format=csv")
    rows = read_csv(b"".join(response.streaming_content))
    assert [row[rows[0].index("Mönster")] for row in rows[1:]] == ["Mozilla Firefox", "Intel"]
    xlsx = client.get(url("rule_export", m) + "?format=xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd")

    unchanged = client.post(
        url("rule_import", m), {"file": SimpleUploadedFile("regler.csv", csv_bytes(rows))}
    )
    assert unchanged.status_code == 200 and unchanged.context["token"] is None
    assert unchanged.context["result"].unchanged == 2

    rows.append(["3", "name", "exact", "Okänt verktyg", "rename", "", "", "Verktyget", ""])
    preview = client.post(
        url("rule_import", m), {"file": SimpleUploadedFile("regler.csv", csv_bytes(rows))}
    )
    assert preview.context["result"].created == 1
    assert not NormalisationRule.objects.filter(municipality=m, position=3).exists()
    done = client.post(url("rule_import_confirm", m), {"token": preview.context["token"]})
    assert done.status_code == 302 and done["Location"] == url("rule_list", m)
    assert NormalisationRule.objects.get(municipality=m, position=3).new_name == "Verktyget"
    assert title(m, "Okänt verktyg").display_name == "Verktyget"


# --- the rule list and the titles list: filters and query counts ---------------------------------


def snapshot(m: Any, *, current: bool = True) -> Snapshot:
    source, _created = InventorySource.objects.get_or_create(
        municipality=m, name="GLPI", defaults={"format": "csv"}
    )
    snap = Snapshot.objects.create(
        municipality=m,
        source=source,
        status=SnapshotStatus.COMPLETE if current else SnapshotStatus.SUPERSEDED,
        started_at=timezone.now(),
    )
    if current:
        source.current_snapshot = snap
        source.save(update_fields=["current_snapshot"])
    return snap


def test_titles_default_to_the_unknown_ones_most_installed_first(
    client: Any, org: dict[str, Any]
) -> None:
    m = org["m"]
    SoftwareTitle.objects.create(municipality=m, name="Sällsynt", publisher="X")
    current, old = snapshot(m), snapshot(m, current=False)
    Tally.objects.create(snapshot=current, title=title(m, "Sällsynt"), installations=2, devices=2)
    Tally.objects.create(
        snapshot=current, title=title(m, "Okänt verktyg"), installations=5, devices=5
    )
    Tally.objects.create(
        snapshot=current, title=title(m, "Okänt verktyg"), installations=4, devices=4
    )
    # A superseded snapshot counts for nothing.
    Tally.objects.create(snapshot=old, title=title(m, "Sällsynt"), installations=100, devices=1)
    client.force_login(org["reader"])
    page = client.get(url("title_list", m)).context["page"]
    listed = [(t.name, t.installations) for t in page]
    assert listed == [
        ("Okänt verktyg", 9),
        ("Sällsynt", 2),
        ("Firefox Nightly", 0),
        ("LibreOffice 24.2", 0),
    ]


def test_titles_filters_by_outcome_search_and_rule(client: Any, org: dict[str, Any]) -> None:
    m = org["m"]
    client.force_login(org["reader"])

    def names(query: str) -> list[str]:
        return [t.name for t in client.get(url("title_list", m) + query).context["page"]]

    assert names("?outcome=mapped") == ["Mozilla Firefox"]
    assert names("?outcome=ignored") == ["Intel Graphics Driver"]
    assert names("?outcome=renamed") == []
    assert names("?outcome=all&sort=name&q=mozilla") == ["Firefox Nightly", "Mozilla Firefox"]
    assert names("?outcome=all&sort=name&q=firefox") == ["Firefox Nightly", "Mozilla Firefox"]
    assert names(f"?rule={org['driver_rule'].pk}") == ["Intel Graphics Driver"]
    assert names("?outcome=nonsense&sort=name") == [
        "Firefox Nightly",
        "LibreOffice 24.2",
        "Okänt verktyg",
    ]


def test_titles_are_paged_25_at_a_time(client: Any, org: dict[str, Any]) -> None:
    m = org["m"]
    SoftwareTitle.objects.bulk_create(
        [SoftwareTitle(municipality=m, name=f"Verktyg {i:02}") for i in range(30)]
    )
    client.force_login(org["reader"])
    first = client.get(url("title_list", m) + "?sort=name")
    assert len(first.context["page"]) == 25 and 'rel="next"' in first.content.decode()
    second = client.get(url("title_list", m) + "?sort=name&page=2")
    assert len(second.context["page"]) == 33 - 25


def add_titles(m: Any, count: int, start: int) -> None:
    titles = SoftwareTitle.objects.bulk_create(
        [
            SoftwareTitle(municipality=m, name=f"Program {start + i}", publisher="P")
            for i in range(count)
        ]
    )
    current = InventorySource.objects.get(municipality=m).current_snapshot
    Tally.objects.bulk_create(
        [Tally(snapshot=current, title=t, installations=3, devices=3) for t in titles]
    )


def queries(client: Any, address: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    return len(captured)


@pytest.mark.parametrize("query", ["", "?outcome=all&sort=name", "?outcome=mapped"])
def test_the_titles_list_queries_do_not_grow_with_rows(
    client: Any, org: dict[str, Any], query: str
) -> None:
    m = org["m"]
    snapshot(m)
    client.force_login(org["keeper"])
    add_titles(m, 3, 0)
    address = url("title_list", m) + query
    few = queries(client, address)
    add_titles(m, 60, 100)
    for i in range(4, 8):
        create(org, i, pattern=f"Program {100 + i}", action=RuleAction.MAP, product=org["office"])
    assert queries(client, address) == few
    assert few <= 12


def test_the_rule_list_queries_do_not_grow_with_rules(client: Any, org: dict[str, Any]) -> None:
    m = org["m"]
    client.force_login(org["keeper"])
    address = url("rule_list", m)
    few = queries(client, address)
    for i in range(3, 23):
        product = ProductFactory(municipality=m)
        create(
            org,
            i,
            pattern=f"Program {i}",
            action=RuleAction.MAP,
            product=product,
            product_version=ProductVersionFactory(product=product, municipality=m),
        )
    html = client.get(address).content.decode()
    assert html.count('id="rule-') == 22
    assert queries(client, address) == few


# --- the services and engine functions the pages use --------------------------------------------


def test_place_rule_puts_a_draft_before_the_holder_or_after_it_moving_down(
    org: dict[str, Any],
) -> None:
    m = org["m"]
    rules = [NormalisationRule(municipality=m, pk=pk, position=pk) for pk in (1, 2, 3, 4)]

    def order(pk: int | None, position: int) -> list[Any]:
        draft = NormalisationRule(municipality=m, pk=pk, position=position)
        return ["draft" if rule is draft else rule.pk for rule in place_rule(rules, draft)]

    assert order(None, 2) == [1, "draft", 2, 3, 4]  # new: before the holder
    assert order(None, 9) == [1, 2, 3, 4, "draft"]  # a free position: by number
    assert order(3, 1) == ["draft", 1, 2, 4]  # moving up: before the holder
    assert order(1, 3) == [2, 3, "draft", 4]  # moving down: after the holder
    assert order(2, 2) == [1, "draft", 3, 4]  # staying: replaces itself


def test_an_edit_moving_down_takes_the_holders_place(org: dict[str, Any]) -> None:
    m = org["m"]
    third = create(org, 3, pattern="Okänt verktyg", action=RuleAction.IGNORE)
    rule = org["firefox_rule"]
    data = {
        "position": 3,
        "field": "name",
        "match": "exact",
        "pattern": rule.pattern,
        "action": "map",
        "product": org["firefox"],
    }
    saved, changed = normalisation_rule_save(
        municipality=m, rule=rule, data=data, actor=org["keeper"]
    )
    positions = dict(NormalisationRule.objects.filter(municipality=m).values_list("pk", "position"))
    assert positions == {org["driver_rule"].pk: 1, third.pk: 2, rule.pk: 3}
    assert saved.position == 3 and changed == 0  # no title is decided by two of them


def test_a_position_an_archived_rule_holds_is_still_offered(org: dict[str, Any]) -> None:
    m = org["m"]
    normalisation_rule_archive(rule=org["driver_rule"], actor=org["keeper"])
    rule, changed = normalisation_rule_save(
        municipality=m,
        rule=None,
        data={
            "position": 2,
            "field": "publisher",
            "match": "exact",
            "pattern": "Intel",
            "action": "ignore",
        },
        actor=org["keeper"],
    )
    assert changed == 1 and title(m, "Intel Graphics Driver").ignored
    assert NormalisationRule.objects.get(pk=org["driver_rule"].pk).position == 2  # kept
    assert rule.position == 3


def test_the_trial_predicts_what_saving_changes(org: dict[str, Any]) -> None:
    m = org["m"]
    create(org, 3, match=RuleMatch.REGEX, pattern="o", action=RuleAction.RENAME, new_name="O")
    data = {
        "position": 2,
        "field": "name",
        "match": "regex",
        "pattern": "fire|office",
        "action": "map",
        "product": org["office"],
        "product_version": org["office_24"],
    }
    draft = NormalisationRule(municipality=m, **data)
    trial = dictionary_try(municipality=m, draft=draft)
    assert not NormalisationRule.objects.filter(pattern="fire|office").exists()
    _rule, changed = normalisation_rule_save(
        municipality=m, rule=None, data=data, actor=org["keeper"]
    )
    assert trial.changed == changed == 2  # Firefox Nightly, LibreOffice 24.2


def test_only_the_it_department_replays_or_moves(org: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied):
        dictionary_replay(municipality=org["m"], actor=org["reader"])
    with pytest.raises(PermissionDenied):
        normalisation_rule_move(rule=org["driver_rule"], position=1, actor=org["reader"])
    normalisation_rule_archive(rule=org["driver_rule"], actor=org["keeper"])
    with pytest.raises(ValidationError):
        normalisation_rule_move(rule=org["driver_rule"], position=1, actor=org["keeper"])
