"""Template helpers of the catalogue: a phase as a badge, the answer to "is this approved?" in
words, and a system's products with today's flags (for the register's system page)."""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode

from ..choices import Phase
from ..selectors import ProductOfSystem, system_product_flags

register = template.Library()

# The stylesheet's status colours: green approved, amber with conditions, red no, grey undecided.
_PHASE_CLASS: dict[str, str] = {
    Phase.APPROVED: "met",
    Phase.APPROVED_WITH_CONSTRAINTS: "partly_met",
    Phase.PHASE_OUT: "partly_met",
    Phase.RETIRED: "not_met",
    Phase.REJECTED: "not_met",
    Phase.EVALUATION: "not_applicable",
    Phase.NOT_ASSESSED: "not_applicable",
}


@register.filter
def phase_class(phase: str) -> str:
    return f"status status--{_PHASE_CLASS.get(phase, 'not_applicable')}"


@register.simple_tag
def system_products(system: Any) -> list[ProductOfSystem]:
    """`{% system_products object as products %}`: the system's products, versions and flags."""
    return system_product_flags([system], timezone.localdate())[system.pk]


@register.simple_tag
def today() -> datetime.date:
    return timezone.localdate()


@register.simple_tag
def product_request_url(municipality: Any, name: str = "") -> str:
    """The page to request a product (built by the product requests' part), with the name
    filled in; empty if that page does not exist yet."""
    try:
        url = reverse("catalogue:productrequest_create", kwargs={"municipality": municipality.slug})
    except NoReverseMatch:
        return ""
    return f"{url}?{urlencode({'name': name})}" if name else url
