"""The history page lists every changed field, whatever the field is called."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from stadga.core.templatetags.stadga import pairs


def test_pairs_keeps_a_key_named_items() -> None:
    changes = {"items": ["1", "2"], "name": ["a", "b"]}
    assert pairs(changes) == [("items", ["1", "2"]), ("name", ["a", "b"])]
    assert pairs(None) == []


def test_history_shows_a_field_named_items(rf: Any) -> None:
    entry = SimpleNamespace(
        pk=1,
        timestamp=timezone.now(),
        actor=None,
        get_action_display=lambda: "update",
        changes_display_dict={"items": ["three", "four"], "name": ["old", "new"]},
    )
    request = rf.get("/")
    html = render_to_string(
        "core/object_history.html",
        {"entries": [entry], "object": "Plan", "list_url": "/", "verbose_name_plural": "plans"},
        request=request,
    )
    assert '<th scope="row">Items</th>' in html
    assert "<td>three</td><td>four</td>" in html
    assert "<td>old</td><td>new</td>" in html
