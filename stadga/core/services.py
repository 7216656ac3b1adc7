"""The shared machinery of every write: one transaction, validation, and a change-log entry.

Apps' services (`system_create`, `board_update`, …) are built from these helpers so that no view,
form, serializer or importer ever calls `.save()` on a governed model itself.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from auditlog.context import set_actor
from django.db import models, transaction
from django.utils import timezone

M = TypeVar("M", bound=models.Model)


# The actor of the outermost governed write in progress. auditlog's `set_actor` cannot nest:
# leaving an inner one disconnects the outer one's receiver, and later saves in the outer
# write would be logged without their actor. So only the outermost write sets it.
_acting: ContextVar[Any] = ContextVar("stadga_acting", default=None)


@contextmanager
def governed_write(actor: Any) -> Iterator[None]:
    """One atomic unit of work whose change-log entries name `actor` (a user, or None for the
    system itself, e.g. the demo loader). Services may call services inside it."""
    with transaction.atomic():
        if (
            actor is not None
            and getattr(actor, "is_authenticated", False)
            and _acting.get() is not actor
        ):
            token = _acting.set(actor)
            try:
                with set_actor(actor):
                    yield
            finally:
                _acting.reset(token)
        else:
            yield


def _split_m2m(model: type[models.Model], data: Mapping[str, Any]) -> tuple[dict, dict]:
    m2m_names = {f.name for f in model._meta.many_to_many}
    plain = {k: v for k, v in data.items() if k not in m2m_names}
    m2m = {k: v for k, v in data.items() if k in m2m_names}
    return plain, m2m


def object_create(*, model: type[M], data: Mapping[str, Any], actor: Any, **fixed: Any) -> M:
    """Create and validate a governed object from `data` (many-to-many fields included)."""
    plain, m2m = _split_m2m(model, data)
    instance = model(**fixed, **plain)
    with governed_write(actor):
        instance.full_clean()
        instance.save()
        for name, values in m2m.items():
            getattr(instance, name).set(values)
    return instance


def object_update(*, instance: M, data: Mapping[str, Any], actor: Any) -> tuple[M, bool]:
    """Apply the fields in `data` that differ; save and log only if something changed."""
    plain, m2m = _split_m2m(type(instance), data)
    changed = [name for name, value in plain.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, plain[name])
    with governed_write(actor):
        if changed:
            instance.full_clean()
            instance.save(update_fields=[*changed, "updated_at"])
        for name, values in m2m.items():
            manager = getattr(instance, name)
            wanted = {v.pk if isinstance(v, models.Model) else v for v in values}
            if {o.pk for o in manager.all()} != wanted:
                manager.set(wanted)
                changed.append(name)
    return instance, bool(changed)


def object_archive(*, instance: M, actor: Any) -> M:
    """Archive: hidden from lists, kept as a public record, restorable."""
    if instance.archived_at is None:  # type: ignore[attr-defined]
        with governed_write(actor):
            instance.archived_at = timezone.now()  # type: ignore[attr-defined]
            instance.archived_by = actor if getattr(actor, "pk", None) else None  # type: ignore[attr-defined]
            instance.save(update_fields=["archived_at", "archived_by", "updated_at"])
    return instance


def object_restore(*, instance: M, actor: Any) -> M:
    if instance.archived_at is not None:  # type: ignore[attr-defined]
        with governed_write(actor):
            instance.archived_at = None  # type: ignore[attr-defined]
            instance.archived_by = None  # type: ignore[attr-defined]
            instance.save(update_fields=["archived_at", "archived_by", "updated_at"])
    return instance
