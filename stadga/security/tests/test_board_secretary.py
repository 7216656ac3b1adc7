"""What the board secretary (nämndsekreterare) reads of security and compliance: the board's
share, as a member of the board reads it (its shortfall notices, P9.6; its part of the register of
processing; its incidents; the compliance view narrowed to the board). Deciding a notice stays the
members' (P9.6), and another board's share stays out of sight."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from stadga.organisation.access import Access
from stadga.organisation.choices import Role
from stadga.policy.tests.test_views import adopt, live
from stadga.security.access import can_decide_notice, notice_q, processing_q
from stadga.security.models import ProcessingActivity, ShortfallNotice
from stadga.security.services_notices import (
    shortfall_notice_acknowledge,
    shortfall_notice_addressees,
)
from stadga.security.services_register import boards_read, reads_board_register
from stadga.testing.factories import (
    BoardFactory,
    MunicipalityFactory,
    PersonFactory,
    SystemFactory,
    member,
)

from .test_register import make_activity

pytestmark = pytest.mark.django_db


@pytest.fixture
def boards() -> dict[str, Any]:
    m = MunicipalityFactory()
    own, other = BoardFactory(municipality=m), BoardFactory(municipality=m)
    return {
        "municipality": m,
        "own": own,
        "other": other,
        "secretary": member(m, Role.BOARD_SECRETARY, board=own),
    }


def notice(municipality: Any, board: Any) -> ShortfallNotice:
    return ShortfallNotice.objects.create(
        municipality=municipality,
        written_by=PersonFactory(municipality=municipality),
        title="Loggserver saknas",
        need="Pengar till loggserver.",
        risk="Intrång syns inte.",
        board=board,
    )


def test_the_secretary_reads_the_boards_notices_and_decides_none(boards: dict[str, Any]) -> None:
    m = boards["municipality"]
    own, other = notice(m, boards["own"]), notice(m, boards["other"])
    board_member = member(m, Role.BOARD_MEMBER, board=boards["own"])
    access = Access.for_user(boards["secretary"])
    assert list(ShortfallNotice.objects.filter(notice_q(access))) == [own]
    assert other not in ShortfallNotice.objects.filter(notice_q(access))
    assert not can_decide_notice(access, own)
    with pytest.raises(PermissionDenied):
        shortfall_notice_acknowledge(notice=own, actor=boards["secretary"])
    # Addressed to the members, who decide; the secretary is not an addressee.
    assert [p.user for p in shortfall_notice_addressees(own)] == [board_member]


def test_the_secretary_reads_the_boards_register_of_processing(boards: dict[str, Any]) -> None:
    m, own_board, other_board = boards["municipality"], boards["own"], boards["other"]
    own, _other = make_activity(m, board=own_board), make_activity(m, board=other_board)
    access = Access.for_user(boards["secretary"])
    assert list(ProcessingActivity.objects.filter(processing_q(access))) == [own]
    assert list(boards_read(access=access, municipality=m)) == [own_board]
    assert reads_board_register(access, own_board)
    assert not reads_board_register(access, other_board)


def test_the_secretary_reads_the_boards_pages_and_not_another_boards(
    client: Any, boards: dict[str, Any]
) -> None:
    m = boards["municipality"]
    own = SystemFactory(municipality=m, board=boards["own"])
    other = SystemFactory(municipality=m, board=boards["other"])
    client.force_login(boards["secretary"])
    assert client.get(own.get_absolute_url()).status_code == 200
    assert client.get(f"{own.get_absolute_url()}edit/").status_code == 403
    assert client.get(other.get_absolute_url()).status_code == 404
    listing = client.get(f"/k/{m.slug}/systems/").content.decode()
    assert own.get_absolute_url() in listing and other.get_absolute_url() not in listing


def test_the_secretary_follows_the_boards_compliance_only(client: Any) -> None:
    """The live policy page, narrowed to the secretary's board as to a member's (P3.1)."""
    m = MunicipalityFactory()
    adopt(m)
    board = BoardFactory(municipality=m)
    SystemFactory(municipality=m, board=board)
    other = SystemFactory(municipality=m, lifecycle_phase="planned", system_owner=None)
    client.force_login(member(m, Role.BOARD_SECRETARY, board=board))
    page = client.get(live(m) + f"?board={other.board_id}").content.decode()
    assert 'class="clause clause--met" id="T1.1"' in page
    assert other.get_absolute_url() not in page
    client.force_login(member(m, Role.BOARD_MEMBER, board=other.board))
    page = client.get(live(m)).content.decode()
    assert 'class="clause clause--met" id="T1.1"' not in page  # the other board's is broken
