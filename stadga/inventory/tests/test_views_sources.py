"""The inventory's sources, snapshots and web upload pages (issue 6 items 1 and 4): who sees
them (the IT department, the executive board's readers, auditors), who uploads (the IT
department, P3.2), the upload run as a background task with its progress, and fixed query
counts however many imports a source has."""

from __future__ import annotations

import datetime
import os
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stadga.inventory import services, views_sources
from stadga.inventory.choices import SnapshotStatus
from stadga.inventory.models import Installation, InventorySource, Snapshot
from stadga.organisation.choices import Role
from stadga.testing.factories import DepartmentFactory, MunicipalityFactory, member

from .test_import import FIRST, SECOND, csv_file

pytestmark = pytest.mark.django_db

REFRESH = '<meta http-equiv="refresh" content="2">'
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Queues and never runs: the snapshot stays loading, as while a worker is busy with it.
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = IMMEDIATE


@pytest.fixture
def municipality() -> Any:
    return MunicipalityFactory()


@pytest.fixture
def keeper(municipality: Any) -> Any:
    return member(municipality, Role.IT_COORDINATOR)


def url(municipality: Any, path: str) -> str:
    return f"/k/{municipality.slug}/inventory/{path}"


def upload_file(rows: list[str] | None = None, *, data: bytes | None = None) -> SimpleUploadedFile:
    content = data if data is not None else csv_file(rows or FIRST).getvalue()
    return SimpleUploadedFile("inventering.csv", content, content_type="text/csv")


def post_upload(client: Any, municipality: Any, **fields: Any) -> Any:
    data = {"format": "csv", "source": "", "new_source": "GLPI", **fields}
    if "file" not in data:
        data["file"] = upload_file()
    elif data["file"] is None:
        del data["file"]
    elif isinstance(data["file"], bytes):
        data["file"] = upload_file(data=data["file"])
    return client.post(url(municipality, "upload/"), data)


def imported(municipality: Any, rows: list[str], *, source: str = "GLPI") -> Snapshot:
    return services.inventory_import(
        municipality=municipality,
        source_name=source,
        fmt="csv",
        stream=csv_file(rows),
        file_name="inventering.csv",
        actor=None,
    )


def loading(municipality: Any, *, source: str = "GLPI", **fields: Any) -> Snapshot:
    snapshot = services.inventory_snapshot_start(
        municipality=municipality,
        source_name=source,
        fmt="csv",
        file_name="pågår.csv",
        actor=None,
        bytes_total=1000,
    )
    if fields:
        Snapshot.objects.filter(pk=snapshot.pk).update(**fields)
        snapshot.refresh_from_db()
    return snapshot


# --- the upload ------------------------------------------------------------------------------


def stored_files(settings: Any) -> list[str]:
    return [name for _dir, _dirs, names in os.walk(settings.MEDIA_ROOT) for name in names]


def test_upload_runs_the_import_and_the_snapshot_becomes_current(
    client, municipality, keeper, settings
):
    client.force_login(keeper)
    previous = imported(municipality, SECOND)

    response = post_upload(client, municipality)

    snapshot = Snapshot.objects.exclude(pk=previous.pk).get()
    assert response.status_code == 302
    assert response["Location"] == url(municipality, f"snapshots/{snapshot.pk}/")
    assert snapshot.status == SnapshotStatus.COMPLETE
    assert snapshot.imported_by == keeper
    assert snapshot.file_name == "inventering.csv"
    assert InventorySource.objects.get(name="GLPI").current_snapshot == snapshot
    assert Installation.objects.filter(snapshot=snapshot).count() == 3
    assert (snapshot.rows_read, snapshot.bytes_read) == (3, snapshot.bytes_total)
    assert snapshot.bytes_total == len(csv_file(FIRST).getvalue())
    assert not snapshot.upload  # deleted once the rows are in
    assert stored_files(settings) == []

    page = client.get(response["Location"])
    assert page.status_code == 200
    content = page.content.decode()
    assert REFRESH not in content
    assert '<dd id="rows-imported">3</dd>' in content
    assert '<dd id="devices">2</dd>' in content


def test_upload_into_an_existing_source_and_the_default_name(client, municipality, keeper):
    client.force_login(keeper)
    source = imported(municipality, SECOND, source="Intune-export").source

    post_upload(client, municipality, source=str(source.pk), new_source="")
    post_upload(client, municipality, new_source="")  # no source at all: the format's name

    source.refresh_from_db()
    assert source.current_snapshot.rows_imported == 3
    assert source.snapshots.count() == 2
    assert InventorySource.objects.get(name="csv").current_snapshot.rows_imported == 3


def test_upload_form_offers_the_sources_and_preselects_one(client, municipality, keeper):
    client.force_login(keeper)
    source = imported(municipality, FIRST).source
    other = MunicipalityFactory()
    theirs = imported(other, FIRST, source="Theirs").source

    content = client.get(url(municipality, f"upload/?source={source.pk}")).content.decode()
    assert f'<option value="{source.pk}" selected>' in content
    assert f'value="{theirs.pk}"' not in content
    assert 'enctype="multipart/form-data"' in content
    response = post_upload(client, municipality, source=str(theirs.pk), new_source="")
    assert response.status_code == 400
    assert "source" in response.context["form"].errors
    assert theirs.snapshots.count() == 1


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"file": None}, "file", "Choose the inventory file to upload."),
        ({"file": b""}, "file", "The file is empty."),
        ({"format": "xlsx"}, "format", "Select a valid choice"),
    ],
)
def test_bad_uploads_are_form_errors(
    client, municipality, keeper, settings, fields, field, message
):
    client.force_login(keeper)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = post_upload(client, municipality, **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert field in response.context["form"].errors
    assert not Snapshot.objects.exists()


def test_a_source_that_takes_another_format_is_refused(client, municipality, keeper, settings):
    client.force_login(keeper)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    source = imported(municipality, FIRST).source  # GLPI takes csv
    chosen = post_upload(
        client, municipality, source=str(source.pk), new_source="", format="intune-csv"
    )
    typed = post_upload(client, municipality, new_source="GLPI", format="intune-csv")
    both = post_upload(client, municipality, source=str(source.pk), new_source="Other")

    assert chosen.status_code == typed.status_code == both.status_code == 400
    assert "takes files of the format" in chosen.content.decode()
    assert "takes csv files" in typed.content.decode()  # the service's own words
    assert "not both" in both.content.decode()
    assert Snapshot.objects.count() == 1
    assert not default_storage.exists("inventory")


def test_a_failing_upload_leaves_the_previous_snapshot_and_keeps_the_file(
    client, municipality, keeper
):
    client.force_login(keeper)
    previous = imported(municipality, SECOND)

    response = post_upload(client, municipality, file=upload_file([*FIRST, ";anna;;;;;"]))

    failed = Snapshot.objects.exclude(pk=previous.pk).get()
    assert failed.status == SnapshotStatus.FAILED
    assert InventorySource.objects.get().current_snapshot == previous
    assert failed.upload and default_storage.exists(failed.upload.name)
    content = client.get(response["Location"]).content.decode()
    assert REFRESH not in content
    assert 'id="errors"' in content
    assert "5" in content.split('id="errors"')[1]  # the broken row's line number


def test_skipping_broken_rows_from_the_form(client, municipality, keeper):
    client.force_login(keeper)
    response = post_upload(
        client, municipality, file=upload_file([*FIRST, ";anna;;;;;"]), skip_broken_rows="on"
    )
    snapshot = Snapshot.objects.get()
    assert (snapshot.status, snapshot.rows_imported, snapshot.rows_skipped) == ("complete", 3, 1)
    content = client.get(response["Location"]).content.decode()
    assert '<dd id="rows-skipped">1</dd>' in content
    assert 'id="errors"' in content


def test_a_queued_upload_waits_loading(client, municipality, keeper, settings):
    settings.TASKS = DUMMY
    client.force_login(keeper)
    response = post_upload(client, municipality)
    snapshot = Snapshot.objects.get()
    assert snapshot.status == SnapshotStatus.LOADING
    assert default_storage.exists(snapshot.upload.name)
    assert REFRESH in client.get(response["Location"]).content.decode()


def test_an_upload_that_cannot_be_queued_fails_at_once(client, municipality, keeper, monkeypatch):
    def broken(*args: Any) -> None:
        raise RuntimeError("the queue is down")

    monkeypatch.setattr(
        views_sources,
        "tasks",
        SimpleNamespace(inventory_upload_import=SimpleNamespace(enqueue=broken)),
    )
    client.force_login(keeper)
    response = post_upload(client, municipality)
    snapshot = Snapshot.objects.get()
    assert response.status_code == 302
    assert snapshot.status == SnapshotStatus.FAILED
    assert "the queue is down" in snapshot.error


# --- the snapshot's page ---------------------------------------------------------------------


def test_progress_and_refresh_only_while_loading(client, municipality, keeper):
    client.force_login(keeper)
    snapshot = loading(municipality, rows_read=1234, bytes_read=250)
    page = url(municipality, f"snapshots/{snapshot.pk}/")

    content = client.get(page).content.decode()
    head = content.split("</head>")[0]
    assert REFRESH in head
    assert '<progress id="progress-bar" max="1000" value="250">' in content
    assert 'role="status"' in content
    assert "1234" in content and "25 %" in content
    # The user can stop the updates (WCAG 2.2.2) and get them back.
    assert 'href="?follow=0"' in content
    assert REFRESH not in client.get(page + "?follow=0").content.decode()

    complete = imported(municipality, FIRST)
    content = client.get(url(municipality, f"snapshots/{complete.pk}/")).content.decode()
    assert REFRESH not in content
    assert "<progress" not in content


def test_a_stalled_import_is_shown_and_the_keeper_marks_it_failed(client, municipality, keeper):
    previous = imported(municipality, FIRST)
    snapshot = loading(
        municipality, updated_at=timezone.now() - datetime.timedelta(hours=7), rows_read=10
    )
    page = url(municipality, f"snapshots/{snapshot.pk}/")
    fail = url(municipality, f"snapshots/{snapshot.pk}/fail/")
    reader = member(municipality, Role.EXECUTIVE_BOARD_READER)

    client.force_login(reader)
    content = client.get(page).content.decode()
    assert 'id="stalled"' in content
    assert REFRESH not in content
    assert fail not in content
    assert client.post(fail).status_code == 403

    client.force_login(keeper)
    content = client.get(page).content.decode()
    assert f'action="{fail}"' in content
    assert client.post(fail)["Location"] == page
    snapshot.refresh_from_db()
    assert snapshot.status == SnapshotStatus.FAILED
    assert InventorySource.objects.get().current_snapshot == previous
    assert 'id="stalled"' not in client.get(page).content.decode()


def test_an_import_making_progress_cannot_be_marked_failed(client, municipality, keeper):
    snapshot = loading(municipality)
    client.force_login(keeper)
    response = client.post(url(municipality, f"snapshots/{snapshot.pk}/fail/"), follow=True)
    assert response.status_code == 200
    snapshot.refresh_from_db()
    assert snapshot.status == SnapshotStatus.LOADING


def test_complete_snapshot_page(client, municipality, keeper):
    first = imported(municipality, FIRST)
    second = imported(municipality, SECOND)
    client.force_login(keeper)

    current = client.get(url(municipality, f"snapshots/{second.pk}/"))
    superseded = client.get(url(municipality, f"snapshots/{first.pk}/"))
    assert current.context["is_current"] and not superseded.context["is_current"]
    assert '<dd id="rows-imported">2</dd>' in current.content.decode()
    assert '<dd id="rows-imported">3</dd>' in superseded.content.decode()
    assert 'id="errors"' not in current.content.decode()


# --- the lists -------------------------------------------------------------------------------


def test_source_list_and_history(client, municipality, keeper):
    first = imported(municipality, FIRST)
    second = imported(municipality, SECOND)
    failing = loading(municipality)
    services.inventory_snapshot_fail(snapshot=failing, error="Rad 7 saknar enhet.", actor=None)
    imported(municipality, FIRST, source="Intune")
    client.force_login(keeper)

    listing = client.get(url(municipality, "sources/")).content.decode()
    source = InventorySource.objects.get(name="GLPI")
    assert f'href="{url(municipality, f"sources/{source.pk}/")}"' in listing
    assert f'href="{url(municipality, f"snapshots/{second.pk}/")}"' in listing  # current
    assert f'href="{url(municipality, f"snapshots/{failing.pk}/")}"' in listing  # last import
    assert f'href="{url(municipality, "upload/")}"' in listing

    history = client.get(url(municipality, f"sources/{source.pk}/")).content.decode()
    positions = [
        history.index(f'href="{url(municipality, f"snapshots/{s.pk}/")}"')
        for s in (failing, second, first)
    ]
    assert positions == sorted(positions)  # newest first
    assert f"upload/?source={source.pk}" in history


def test_source_history_is_paginated(client, municipality, keeper):
    source = imported(municipality, FIRST).source
    make_snapshots(source, 30)
    client.force_login(keeper)
    first = client.get(url(municipality, f"sources/{source.pk}/"))
    second = client.get(url(municipality, f"sources/{source.pk}/?page=2"))
    assert len(first.context["rows"]) == 25
    assert len(second.context["rows"]) == 6
    assert 'rel="next"' in first.content.decode()


def make_snapshots(source: InventorySource, count: int) -> None:
    now = timezone.now()
    Snapshot.objects.bulk_create(
        Snapshot(
            municipality_id=source.municipality_id,
            source=source,
            status=SnapshotStatus.SUPERSEDED,
            started_at=now - datetime.timedelta(days=i + 1),
            rows_imported=i,
        )
        for i in range(count)
    )


def queries(client: Any, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_query_counts_do_not_grow_with_snapshots(client, municipality, keeper):
    client.force_login(keeper)
    source = imported(municipality, FIRST).source
    imported(municipality, FIRST, source="Intune")
    make_snapshots(source, 3)
    small = queries(client, url(municipality, "sources/"))
    small_history = queries(client, url(municipality, f"sources/{source.pk}/"))

    for i in range(8):
        other = imported(municipality, FIRST, source=f"Källa {i}").source
        make_snapshots(other, 5)
    make_snapshots(source, 40)
    loading(municipality, source="Källa 1")

    assert queries(client, url(municipality, "sources/")) == small
    assert queries(client, url(municipality, f"sources/{source.pk}/")) == small_history
    assert small <= 12 and small_history <= 12


# --- who may do what -------------------------------------------------------------------------


def all_pages(municipality: Any, source: InventorySource, snapshot: Snapshot) -> list[str]:
    return [
        url(municipality, "sources/"),
        url(municipality, f"sources/{source.pk}/"),
        url(municipality, f"snapshots/{snapshot.pk}/"),
        url(municipality, "upload/"),
    ]


@pytest.mark.parametrize(
    ("role", "reads", "keeps"),
    [
        (Role.IT_COORDINATOR, True, True),
        (Role.IT_TECHNICIAN, True, True),
        (Role.EXECUTIVE_BOARD_READER, True, False),
        (Role.AUDITOR, True, False),
        (Role.DEPARTMENT_HEAD, False, False),
        (Role.EMPLOYEE, False, False),
        (None, False, False),
    ],
)
def test_who_reads_and_who_uploads(client, municipality, role, reads, keeps):
    snapshot = imported(municipality, FIRST)
    stalled = loading(municipality, updated_at=timezone.now() - datetime.timedelta(hours=7))
    scope = {}
    if role == Role.DEPARTMENT_HEAD:
        scope["department"] = DepartmentFactory(
            municipality=municipality, board__municipality=municipality
        )
    client.force_login(member(municipality, role, **scope))
    *reading, upload = all_pages(municipality, snapshot.source, snapshot)

    for page in reading:
        assert client.get(page).status_code == (200 if reads else 403), page
    assert client.get(upload).status_code == (200 if keeps else 403)
    assert post_upload(client, municipality).status_code == (302 if keeps else 403)
    fail = client.post(url(municipality, f"snapshots/{stalled.pk}/fail/"))
    assert fail.status_code == (302 if keeps else 403)
    stalled.refresh_from_db()
    assert stalled.status == (SnapshotStatus.FAILED if keeps else SnapshotStatus.LOADING)
    assert Snapshot.objects.count() == (3 if keeps else 2)
    listing = client.get(url(municipality, "sources/")).content.decode()
    if reads:
        assert (f'href="{upload}"' in listing) == keeps


def test_anonymous_is_sent_to_login(client, municipality):
    snapshot = imported(municipality, FIRST)
    for page in all_pages(municipality, snapshot.source, snapshot):
        response = client.get(page)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_another_municipalitys_user_gets_404_everywhere(client, municipality):
    snapshot = imported(municipality, FIRST)
    stalled = loading(municipality, updated_at=timezone.now() - datetime.timedelta(hours=7))
    outsider_home = MunicipalityFactory()
    client.force_login(member(outsider_home, Role.IT_COORDINATOR))

    for page in all_pages(municipality, snapshot.source, snapshot):
        assert client.get(page).status_code == 404, page
    assert post_upload(client, municipality).status_code == 404
    assert client.post(url(municipality, f"snapshots/{stalled.pk}/fail/")).status_code == 404
    # Their ids under the outsider's own municipality are not found either.
    assert client.get(url(outsider_home, f"sources/{snapshot.source_id}/")).status_code == 404
    assert client.get(url(outsider_home, f"snapshots/{snapshot.pk}/")).status_code == 404
    assert client.post(url(outsider_home, f"snapshots/{stalled.pk}/fail/")).status_code == 404
    stalled.refresh_from_db()
    assert stalled.status == SnapshotStatus.LOADING
    assert Snapshot.objects.count() == 2
