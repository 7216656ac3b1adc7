"""Fixtures of the training tests."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation


@pytest.fixture
def in_english(client: Any, settings: Any) -> Any:
    """Pages and messages in English, so the tests do not depend on the Swedish translation of
    the texts they look for."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def english() -> Any:
    """Messages in English (rules and services, no page), whatever the Swedish translation."""
    with translation.override("en"):
        yield
