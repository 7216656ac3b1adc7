"""The shortfall notices' pages (P9.6): who sees, files, acknowledges and decides; no edit, no
archive, nothing deleted; another municipality is a 404 everywhere."""

from __future__ import annotations

from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from stadga.notifications.models import Notification
from stadga.organisation.choices import Role
from stadga.security.choices import NoticeStatus
from stadga.security.models import ShortfallNotice
from stadga.security.services_notices import shortfall_notice_decide
from stadga.testing.factories import MunicipalityFactory, member

from .test_notices import Setting, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def s() -> Setting:
    return Setting()


@pytest.fixture
def notice(s: Setting) -> ShortfallNotice:
    return s.file()


def urls(notice: ShortfallNotice) -> dict[str, str]:
    base = f"/k/{notice.municipality.slug}/security/shortfall-notices/"
    return {
        "list": base,
        "new": base + "new/",
        "detail": base + f"{notice.pk}/",
        "history": base + f"{notice.pk}/history/",
        "acknowledge": base + f"{notice.pk}/acknowledge/",
        "decide": base + f"{notice.pk}/decide/",
    }


def test_url_names(notice: ShortfallNotice) -> None:
    slug = notice.municipality.slug
    u = urls(notice)
    assert reverse("security:shortfallnotice_list", kwargs={"municipality": slug}) == u["list"]
    assert reverse("security:shortfallnotice_create", kwargs={"municipality": slug}) == u["new"]
    assert notice.get_absolute_url() == u["detail"]


def test_no_edit_and_no_archive(client: Any, s: Setting, notice: ShortfallNotice) -> None:
    """A notice is a written record: no page changes what it says, none archives it."""
    for name in ("edit", "archive", "restore", "delete"):
        with pytest.raises(NoReverseMatch):
            reverse(
                f"security:shortfallnotice_{name}",
                kwargs={"municipality": s.municipality.slug, "pk": notice.pk},
            )
    client.force_login(s.coordinator)
    detail = urls(notice)["detail"]
    for action in ("edit/", "archive/", "delete/"):
        assert client.get(detail + action).status_code == 404
        assert client.post(detail + action, {"title": "Ändrad"}).status_code == 404
    page = client.get(detail).content.decode()
    assert "/edit/" not in page and "/archive/" not in page
    notice.refresh_from_db()
    assert notice.title == "Backup utan återläsningstest"


def test_anonymous_is_sent_to_login(client: Any, notice: ShortfallNotice) -> None:
    for name, url in urls(notice).items():
        response = client.post(url) if name in ("acknowledge", "decide") else client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url


def test_another_municipality_gets_404_everywhere(client: Any, notice: ShortfallNotice) -> None:
    client.force_login(member(MunicipalityFactory(), Role.IT_COORDINATOR))
    before = LogEntry.objects.count()
    for name, url in urls(notice).items():
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"status": "funded"}).status_code == 404, name
    assert LogEntry.objects.count() == before


def test_own_municipality_slug_with_a_foreign_id_is_404(
    client: Any, notice: ShortfallNotice
) -> None:
    own = Setting()
    client.force_login(own.head)
    base = f"/k/{own.municipality.slug}/security/shortfall-notices/{notice.pk}/"
    for suffix in ("", "history/"):
        assert client.get(base + suffix).status_code == 404
    for suffix in ("acknowledge/", "decide/"):
        assert client.post(base + suffix, {"status": "funded"}).status_code == 404


# who: (sees it, may file, may acknowledge and decide)
MATRIX = {
    "writer": (True, True, False),
    "head": (True, False, True),
    "board_member": (False, False, False),  # addressed to the department only
    "executive": (True, False, False),  # open notices are visible to the executive board
    "auditor": (True, False, False),
    "coordinator": (True, True, False),
    "technician": (True, True, False),
    "member": (False, False, False),
    "other_head": (False, False, False),
}


def user_for(s: Setting, who: str) -> Any:
    m = s.municipality
    return {
        "writer": lambda: s.owner,
        "head": lambda: s.head,
        "board_member": lambda: s.board_member,
        "executive": lambda: s.executive,
        "auditor": lambda: member(m, Role.AUDITOR),
        "coordinator": lambda: s.coordinator,
        "technician": lambda: member(m, Role.IT_TECHNICIAN),
        "member": lambda: member(m),
        "other_head": lambda: Setting(m).head,
    }[who]()


@pytest.mark.parametrize("who", MATRIX)
def test_permission_matrix(client: Any, s: Setting, notice: ShortfallNotice, who: str) -> None:
    sees, files, decides = MATRIX[who]
    client.force_login(user_for(s, who))
    u = urls(notice)
    listing = client.get(u["list"])
    assert listing.status_code == 200
    assert (f'href="{u["detail"]}"' in listing.content.decode()) is sees
    assert client.get(u["detail"]).status_code == (200 if sees else 404)
    assert client.get(u["history"]).status_code == (200 if sees else 404)
    assert client.get(u["new"]).status_code == (200 if files else 403)
    assert (_("File a shortfall notice") in listing.content.decode()) is files
    page = client.get(u["detail"]).content.decode() if sees else ""
    assert (u["decide"] in page) is decides
    assert (u["acknowledge"] in page) is decides
    if not decides:
        expected = 403 if sees else 404
        assert client.post(u["acknowledge"]).status_code == expected
        assert client.post(u["decide"], {"status": "funded"}).status_code == expected
        notice.refresh_from_db()
        assert notice.status == NoticeStatus.OPEN


def test_file_through_the_form(
    client: Any, s: Setting, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(s.owner)
    url = f"/k/{s.municipality.slug}/security/shortfall-notices/new/"
    form = client.get(url).content.decode()
    assert s.system.name in form
    data = {
        "title": "Brandvägg utan support",
        "need": "Supportavtal för brandväggen.",
        "risk": "Säkerhetsuppdateringar uteblir.",
        "estimated_cost": "12000",
        "department": s.department.pk,
        "systems": [s.system.pk],
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    notice = ShortfallNotice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == notice.get_absolute_url()
    assert notice.written_by == person(s.owner)
    assert Notification.objects.get(recipient=person(s.head)).link == notice.get_absolute_url()
    assert mail.outbox[0].to == [person(s.head).email]
    # The head finds it in the inbox.
    client.force_login(s.head)
    inbox = client.get(f"/k/{s.municipality.slug}/inbox/").content.decode()
    assert "Brandvägg utan support" in inbox


def test_file_form_errors(client: Any, s: Setting) -> None:
    client.force_login(s.owner)
    url = f"/k/{s.municipality.slug}/security/shortfall-notices/new/"
    response = client.post(url, {"title": "", "need": "x", "risk": "y"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'class="error-summary"' in body
    # No addressee, and no system of the owner's own: said in words, nothing written.
    response = client.post(url, {"title": "T", "need": "x", "risk": "y"})
    assert response.status_code == 400
    assert "P9.6" in response.content.decode()
    assert not ShortfallNotice.objects.exists()


def test_acknowledge_and_decide_through_the_page(
    client: Any, s: Setting, notice: ShortfallNotice
) -> None:
    client.force_login(s.head)
    u = urls(notice)
    page = client.get(u["detail"]).content.decode()
    assert person(s.head).name in page  # notified
    response = client.post(u["acknowledge"])
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.ACKNOWLEDGED
    page = client.get(u["detail"]).content.decode()
    assert u["acknowledge"] not in page and u["decide"] in page
    # A second acknowledgement is refused in words.
    assert client.post(u["acknowledge"]).status_code == 400

    response = client.post(u["decide"], {"status": "risk_accepted", "reason": ""})
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.ACKNOWLEDGED

    response = client.post(u["decide"], {"status": "rejected", "reason": "Ej prioriterat."})
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.REJECTED
    page = client.get(u["detail"]).content.decode()
    assert "Ej prioriterat." in page
    assert u["decide"] not in page
    assert client.post(u["decide"], {"status": "funded"}).status_code == 400
    history = client.get(u["history"]).content.decode()
    assert s.head.username in history


def test_decide_form_needs_a_choice(client: Any, s: Setting, notice: ShortfallNotice) -> None:
    client.force_login(s.head)
    response = client.post(urls(notice)["decide"], {"status": "open"})
    assert response.status_code == 400
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.OPEN


def test_list_filters_and_open_first(client: Any, s: Setting) -> None:
    decided = s.file(title="Avgjord brist")
    shortfall_notice_decide(notice=decided, status="funded", reason="", actor=s.head)
    to_board = s.file(title="Brist hos nämnden", department=None, board=s.board)
    open_one = s.file(title="Obesvarad brist")
    client.force_login(s.coordinator)
    base = urls(open_one)["list"]
    page = client.get(base).content.decode()
    assert (
        page.index("Obesvarad brist")
        < page.index("Brist hos nämnden")
        < page.index("Avgjord brist")
    )
    page = client.get(base + "?status=funded").content.decode()
    assert "Avgjord brist" in page and "Obesvarad brist" not in page
    page = client.get(base + f"?board={s.board.pk}").content.decode()
    assert "Brist hos nämnden" in page and "Obesvarad brist" not in page
    page = client.get(base + f"?department={s.department.pk}").content.decode()
    assert "Obesvarad brist" in page and "Brist hos nämnden" not in page
    assert to_board.pk


def test_list_query_count_does_not_grow(client: Any, s: Setting) -> None:
    client.force_login(s.executive)
    counts = []
    made = 0
    for rows in (5, 40):
        for i in range(rows - made):
            s.file(title=f"Behov {i}", board=s.board if i % 2 else None)
        made = rows
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/k/{s.municipality.slug}/security/shortfall-notices/")
            assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_timeline(client: Any, s: Setting, notice: ShortfallNotice) -> None:
    shortfall_notice_decide(
        notice=notice, status="risk_accepted", reason="Accepteras t.o.m. 2027.", actor=s.head
    )
    client.force_login(s.owner)
    page = client.get(urls(notice)["detail"]).content.decode()
    timeline = page[page.index('id="timeline-title"') :]
    filed, acknowledged = timeline.index(_("Filed")), timeline.index(_("Acknowledged"))
    assert filed < acknowledged < timeline.index("Accepteras t.o.m. 2027.")
    assert "Accepteras t.o.m. 2027." in timeline
    assert urls(notice)["history"] in timeline
