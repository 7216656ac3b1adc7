"""Fixtures shared by the portal's tests."""

from __future__ import annotations

from typing import Any

import pytest

from stadga.organisation.models import Municipality
from stadga.testing.factories import MunicipalityFactory, PortalSettingsFactory


@pytest.fixture
def published(db: Any) -> Municipality:
    """A municipality whose public portal is published."""
    municipality = MunicipalityFactory()
    PortalSettingsFactory(municipality=municipality)
    return municipality


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    """Each test starts with an empty cache: the public pages and rate limits live there."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
