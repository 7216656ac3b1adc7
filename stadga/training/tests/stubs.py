"""Stand-ins for pages other parts of the training app provide (the courses' pages), so that
these tests run before those routes exist and unchanged once they do."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.urls import NoReverseMatch, reverse

from stadga.training.models import Course


@pytest.fixture(autouse=True)
def course_pages_or_stand_in(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Where `training:course_detail` is not routed, a course links to where it will be."""
    try:
        reverse("training:course_detail", kwargs={"municipality": "x", "pk": 1})
    except NoReverseMatch:
        monkeypatch.setattr(
            Course,
            "get_absolute_url",
            lambda self: f"/k/{self.municipality.slug}/training/courses/{self.pk}/",
        )
    yield
