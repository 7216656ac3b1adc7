"""The accessibility statement's standard texts (tillgänglighetsredogörelse; lag 2018:1937 and
DIGG's regulation MDFFS 2019:2), and what a statement page shows.

A municipality writes its own text where it knows better; where it leaves a text blank, Stadga's
standard wording is shown, in the reader's language. The standard wording describes Stadga
itself: how its pages are built and tested, and what is known not to be accessible.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .choices import ComplianceLevel
from .models import SUPERVISORY_AUTHORITY_URL, AccessibilityStatement, PortalSettings

# The law the statement answers to, as the statement names it.
LAW = gettext_lazy("the Act on accessibility to digital public services (2018:1937)")


def standard_shortcomings() -> list[str]:
    """What is known not to be accessible in Stadga's pages, and the alternative."""
    return [
        _(
            "PDF exports of IT plans and status reports may lack tags for headings and tables, "
            "so a screen reader may not read them in the right order. The same content is on "
            "the web page the file was exported from."
        ),
        _(
            "Texts written by the municipality's staff (purposes, plan items, answers) are not "
            "checked for plain language or for a correct language attribute when they are "
            "written in another language than the page."
        ),
        _(
            "Spreadsheets exported from lists are machine-readable data; the same information "
            "is on the list page they come from."
        ),
    ]


def standard_assessment() -> list[str]:
    """How Stadga's pages are tested (the statement's evaluation method)."""
    return [
        _(
            "Self-assessment. Every page of the public portal and every main page of the "
            "application are checked automatically with axe-core against the WCAG 2.1 level A "
            "and AA rules, in the Chromium browser, at every change to Stadga."
        ),
        _(
            "The resident's form is tested at every change using only the keyboard, and with "
            "JavaScript turned off."
        ),
        _(
            "Automated tests find only some accessibility problems; what they cannot judge, "
            "such as whether a text is easy to understand, is not covered by them."
        ),
    ]


def standard_out_of_scope() -> str:
    """Content the law does not cover (its 9 §), as it applies to Stadga's pages."""
    return _(
        "The pages hold no pre-recorded audio or video, no maps and no content from third "
        "parties that the municipality does not control. Open data files (CSV, JSON and "
        "RDF) are data for reuse, not documents; the same information is on the web pages."
    )


def compliance_sentence(level: str, service: str) -> str:
    """The statement's required wording of the compliance status (helt, delvis or inte
    förenlig)."""
    if level == ComplianceLevel.FULL:
        text = _("%(service)s is fully compliant with %(law)s.")
    elif level == ComplianceLevel.NONE:
        text = _("%(service)s is not compliant with %(law)s.")
    else:
        text = _(
            "%(service)s is partially compliant with %(law)s, because of the shortcomings "
            "described below."
        )
    # The service's name starts the sentence, and in Swedish it is written in lower case.
    return capfirst(text % {"service": service, "law": LAW})


def paragraphs(text: str) -> list[str]:
    """A text the municipality wrote, as paragraphs (blank lines separate them)."""
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


@dataclass(frozen=True)
class StatementPage:
    """What a statement page says: each element the regulation requires, with the
    municipality's own text or the standard one."""

    organisation: str
    service: str
    scope: str
    compliance: str
    compliance_label: str
    shortcomings: list[str]
    shortcomings_standard: bool
    disproportionate_burden: list[str]
    out_of_scope: str
    assessment: list[str]
    assessment_standard: bool
    assessed_on: Any
    prepared_on: Any
    updated_on: Any
    feedback_email: str
    feedback_phone: str
    answer_days: int | None
    supervisory_url: str = SUPERVISORY_AUTHORITY_URL


def municipality_statement(
    statement: AccessibilityStatement, portal: PortalSettings
) -> StatementPage:
    """The statement of one municipality's portal and of Stadga's pages for its staff."""
    municipality = statement.municipality
    service = _("%(municipality)s's public portal on IT") % {"municipality": municipality.name}
    own_shortcomings = paragraphs(statement.shortcomings)
    # Fully compliant and nothing written: the standard list of shortcomings would contradict it.
    fully = statement.compliance == ComplianceLevel.FULL
    shortcomings = own_shortcomings or ([] if fully else standard_shortcomings())
    own_assessment = paragraphs(statement.assessment_method)
    updated = statement.updated_at.date() if statement.pk and statement.updated_at else None
    return StatementPage(
        organisation=municipality.name,
        service=service,
        scope=_(
            "This statement covers %(municipality)s's public portal on IT, under "
            "/p/%(slug)s/, and the pages of Stadga that the municipality's staff use, under "
            "/k/%(slug)s/."
        )
        % {"municipality": municipality.name, "slug": municipality.slug},
        compliance=compliance_sentence(statement.compliance, service),
        compliance_label=str(ComplianceLevel(statement.compliance).label),
        shortcomings=shortcomings,
        shortcomings_standard=bool(shortcomings) and not own_shortcomings,
        disproportionate_burden=paragraphs(statement.disproportionate_burden),
        out_of_scope=standard_out_of_scope(),
        assessment=own_assessment or standard_assessment(),
        assessment_standard=not own_assessment,
        assessed_on=statement.assessed_on,
        prepared_on=statement.prepared_on,
        updated_on=updated,
        feedback_email=statement.feedback_email or portal.contact_email,
        feedback_phone=statement.feedback_phone or portal.contact_phone,
        answer_days=portal.answer_target_days if portal.is_published else None,
    )


def installation_statement() -> StatementPage:
    """The statement of the pages outside any municipality (the login page, the policy
    library): the standard texts, and the installation's contact if it is configured
    (`STADGA_ACCESSIBILITY_EMAIL`, `STADGA_ACCESSIBILITY_PHONE`)."""
    service = _("Stadga at this address")
    return StatementPage(
        organisation=getattr(settings, "STADGA_ACCESSIBILITY_ORGANISATION", "") or "Stadga",
        service=service,
        scope=_(
            "This statement covers the pages of Stadga that are outside any municipality, such "
            "as the login page. Each municipality's pages have their own statement, linked at "
            "the foot of every page."
        ),
        compliance=compliance_sentence(ComplianceLevel.PARTIAL, service),
        compliance_label=str(ComplianceLevel.PARTIAL.label),
        shortcomings=standard_shortcomings(),
        shortcomings_standard=True,
        disproportionate_burden=[],
        out_of_scope=standard_out_of_scope(),
        assessment=standard_assessment(),
        assessment_standard=True,
        assessed_on=None,
        prepared_on=None,
        updated_on=None,
        feedback_email=getattr(settings, "STADGA_ACCESSIBILITY_EMAIL", ""),
        feedback_phone=getattr(settings, "STADGA_ACCESSIBILITY_PHONE", ""),
        answer_days=None,
    )
