"""The public pages' cache generation: a number per municipality that is part of every cached
public page's key. Bumping it (after the portal's own writes: an answer published, the
settings changed) makes every cached page of that municipality stale at once; other changes
reach the portal when the cached copy expires (`PORTAL_CACHE_SECONDS`)."""

from __future__ import annotations

from django.core.cache import cache


def _key(municipality_id: int) -> str:
    return f"portal:generation:{municipality_id}"


def generation(municipality_id: int) -> int:
    return int(cache.get_or_set(_key(municipality_id), 1, timeout=None) or 1)


def invalidate(municipality_id: int) -> None:
    """Make the municipality's cached public pages stale (called after the commit)."""
    key = _key(municipality_id)
    try:
        cache.incr(key)
    except ValueError:  # not cached yet, or evicted: start a new generation
        cache.set(key, 2, timeout=None)
