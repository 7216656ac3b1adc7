"""The register of processing activities (GDPR art. 30), kept per board as controller (P9.2).

Every write goes through these services: atomic, validated, logged. The systems an activity runs
in and the security measures that protect it are linked, never retyped; a link must point to an
object of the same municipality that the writer may see. A link the writer cannot see is kept as
it is on a change: they could not name it, so they cannot have meant to remove it.

The reads the pages, the exports and the API share are here too (`processing_activity_list`,
`processing_activity_get`), scoped by stadga.security.access.processing_q.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F, Model, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from stadga.core.services import object_archive, object_create, object_restore, object_update
from stadga.organisation.access import Access
from stadga.organisation.models import Board, Department, Municipality
from stadga.systems.models import System

from .access import can_keep_processing, processing_q, system_bound_q
from .models import Measure, ProcessingActivity

_LINKS = ("systems", "security_measures")

# --- reads ---------------------------------------------------------------------------------------


def processing_activity_list(
    *, access: Access, municipality: Municipality | None = None, archived: bool = False
) -> QuerySet[ProcessingActivity]:
    """The entries the user may read (P9.2: those who read everything, the board's members and
    its departments' heads), with what a list row shows fetched up front."""
    # processing_q joins the board's departments: a subquery keeps one row per entry.
    visible = ProcessingActivity.objects.filter(processing_q(access)).values("pk")
    qs = ProcessingActivity.objects.filter(pk__in=visible, archived_at__isnull=not archived)
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    return qs.select_related("municipality", "board")


def processing_activity_get(
    *, access: Access, municipality: Municipality, pk: int
) -> ProcessingActivity:
    """One entry, archived or not, with its links; another municipality's or one the user may
    not read is a 404."""
    visible = ProcessingActivity.objects.filter(processing_q(access)).values("pk")
    qs = ProcessingActivity.objects.filter(pk__in=visible, municipality=municipality)
    return get_object_or_404(
        qs.select_related("municipality", "board", "archived_by").prefetch_related(
            *link_prefetches()
        ),
        pk=pk,
    )


def link_prefetches(*, current_only: bool = False) -> list[Prefetch]:
    """The systems and measures of entries, in a fixed order, in two queries for any number of
    entries. `current_only` leaves archived ones out (the exports: the record as it stands)."""
    systems = System.objects.order_by("name", "pk")
    # The platform's measures (no system) first, on every database.
    measures = Measure.objects.select_related("system").order_by(
        F("system__name").asc(nulls_first=True), "title", "pk"
    )
    if current_only:
        systems = systems.filter(archived_at__isnull=True)
        measures = measures.filter(archived_at__isnull=True)
    return [Prefetch("systems", queryset=systems), Prefetch("security_measures", queryset=measures)]


def boards_kept(*, access: Access, municipality: Municipality) -> QuerySet[Board]:
    """The boards whose entries the user may keep (`can_keep_processing`): all for the IT
    department, the boards of their departments for a department head."""
    boards = Board.objects.filter(municipality=municipality, archived_at__isnull=True)
    if access.keeps_register(municipality.pk):
        return boards
    return boards.filter(departments__in=access.department_head_of).distinct()


def may_keep_any(access: Access, municipality: Municipality) -> bool:
    """May the user create entries here at all: the IT department, or a department head (for
    their department's board)?"""
    if access.keeps_register(municipality.pk):
        return True
    return Department.objects.filter(
        municipality=municipality, pk__in=access.department_head_of, archived_at__isnull=True
    ).exists()


def boards_read(*, access: Access, municipality: Municipality) -> QuerySet[Board]:
    """The current boards whose part of the register the user may read (and export)."""
    boards = Board.objects.filter(municipality=municipality, archived_at__isnull=True)
    if access.reads_all(municipality.pk):
        return boards
    mine = Q(pk__in=access.board_of) | Q(departments__in=access.department_head_of)
    return boards.filter(pk__in=Board.objects.filter(mine).values("pk"))


def reads_board_register(access: Access, board: Board) -> bool:
    """May the user read (and export) the board's part of the register?"""
    if access.reads_all(board.municipality_id) or board.pk in access.board_of:
        return True
    return board.departments.filter(pk__in=access.department_head_of).exists()


def linkable_systems(*, access: Access | None, municipality: Municipality) -> QuerySet[System]:
    """Systems an entry may newly link: current ones of the municipality the user reads."""
    qs = System.objects.filter(municipality=municipality, archived_at__isnull=True)
    return qs.filter(access.system_q()) if access is not None else qs


def linkable_measures(*, access: Access | None, municipality: Municipality) -> QuerySet[Measure]:
    """Measures an entry may newly link: current ones of the municipality the user reads."""
    qs = Measure.objects.filter(municipality=municipality, archived_at__isnull=True)
    return qs.filter(system_bound_q(access)) if access is not None else qs


# --- writes --------------------------------------------------------------------------------------


def _access(actor: Any) -> Access | None:
    """The writer's rights; None for the system itself (the demo loader, imports by command),
    which may link anything of the municipality."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    return Access.for_user(actor)


def _pks(values: Iterable[Any]) -> set[int]:
    return {v.pk if isinstance(v, Model) else int(v) for v in values}


def _check_links(
    *,
    municipality: Municipality,
    data: dict[str, Any],
    access: Access | None,
    current: ProcessingActivity | None,
) -> None:
    """Links point into the municipality and to what the writer may see; links the writer
    cannot see are kept as they are. Raises ValidationError keyed by field."""
    errors: dict[str, list[str]] = {}
    linkable: dict[str, QuerySet] = {
        "systems": linkable_systems(access=access, municipality=municipality),
        "security_measures": linkable_measures(access=access, municipality=municipality),
    }
    for name in _LINKS:
        if name not in data:
            continue
        wanted = _pks(data[name])
        existing = set(getattr(current, name).values_list("pk", flat=True)) if current else set()
        new = wanted - existing
        allowed = set(linkable[name].filter(pk__in=new).values_list("pk", flat=True))
        if new - allowed:
            errors[name] = [_("Choose only current objects of the municipality that you may see.")]
            continue
        if current is not None and access is not None:
            # What the writer cannot see stays linked: they could not have chosen to drop it.
            linked = getattr(current, name).filter(_visible_q(name, access))
            seen = set(linked.values_list("pk", flat=True))
            wanted |= existing - seen
        data[name] = sorted(wanted)
    if errors:
        raise ValidationError(errors)
    _check_measures_fit(municipality=municipality, data=data, current=current)


def _visible_q(name: str, access: Access) -> Q:
    return access.system_q() if name == "systems" else system_bound_q(access)


def _check_measures_fit(
    *, municipality: Municipality, data: dict[str, Any], current: ProcessingActivity | None
) -> None:
    """A linked measure protects the platform (P9.4) or one of the entry's own systems: a
    measure of an unrelated system says nothing about how this processing is secured."""
    if "security_measures" not in data and "systems" not in data:
        return
    systems = (
        set(data["systems"])
        if "systems" in data
        else (set(current.systems.values_list("pk", flat=True)) if current else set())
    )
    measures = (
        data["security_measures"]
        if "security_measures" in data
        else (list(current.security_measures.values_list("pk", flat=True)) if current else [])
    )
    misfits = (
        Measure.objects.filter(pk__in=measures, system__isnull=False)
        .exclude(system_id__in=systems)
        .order_by("title")
        .values_list("title", flat=True)
    )
    if misfits:
        raise ValidationError(
            {
                "security_measures": [
                    _(
                        "These measures protect a system that the processing does not use: "
                        "%(titles)s. Link the system too, or choose another measure."
                    )
                    % {"titles": ", ".join(f"“{t}”" for t in misfits)}
                ]
            }
        )


def _check_board(*, board: Any, municipality: Municipality, access: Access | None) -> None:
    if not isinstance(board, Board):
        return  # missing: full_clean() says so in the model's words
    if board.municipality_id != municipality.pk:
        raise ValidationError({"board": [_("It belongs to another municipality.")]})
    if access is not None and not can_keep_processing(access, board):
        raise ValidationError(
            {
                "board": [
                    _(
                        "You do not keep this board's register of processing activities; "
                        "choose a board whose department you lead."
                    )
                ]
            }
        )


def processing_activity_create(
    *, municipality: Municipality, data: Mapping[str, Any], actor: Any
) -> ProcessingActivity:
    """Record a processing activity of a board (GDPR art. 30, P9.2), with its systems and the
    security measures that protect it."""
    data = dict(data)
    access = _access(actor)
    _check_board(board=data.get("board"), municipality=municipality, access=access)
    _check_links(municipality=municipality, data=data, access=access, current=None)
    return object_create(
        model=ProcessingActivity, data=data, actor=actor, municipality=municipality
    )


def processing_activity_update(
    *, activity: ProcessingActivity, data: Mapping[str, Any], actor: Any
) -> tuple[ProcessingActivity, bool]:
    """Change an entry; returns whether anything changed. Moving it to another board needs the
    right to keep that board's register too."""
    data = dict(data)
    access = _access(actor)
    municipality = activity.municipality
    if "board" in data and getattr(data["board"], "pk", data["board"]) != activity.board_id:
        _check_board(board=data["board"], municipality=municipality, access=access)
    _check_links(municipality=municipality, data=data, access=access, current=activity)
    return object_update(instance=activity, data=data, actor=actor)


def processing_activity_archive(*, activity: ProcessingActivity, actor: Any) -> ProcessingActivity:
    """The processing has ended: the entry leaves the register, kept as a record."""
    return object_archive(instance=activity, actor=actor)


def processing_activity_restore(*, activity: ProcessingActivity, actor: Any) -> ProcessingActivity:
    return object_restore(instance=activity, actor=actor)
