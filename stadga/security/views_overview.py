"""The security hub: every part of information security management in figures, with a link to
each (P9.1–P9.6), scoped to what the user may read.

A fixed number of queries whatever the size of the register: one aggregate per kind of record,
and one list of the user's own systems.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from stadga.core.dates import months_before
from stadga.core.views import MunicipalityView
from stadga.systems.choices import Aspect
from stadga.systems.models import System
from stadga.systems.rules import IN_USE

from .access import incident_q, notice_q, processing_q, system_bound_q
from .choices import MeasureStatus, NoticeStatus
from .models import (
    Incident,
    InformationType,
    Measure,
    ProcessingActivity,
    Requirement,
    RequirementCatalogue,
    SecuritySettings,
    ShortfallNotice,
)

# Follow-ups due this soon are listed as coming up.
DUE_SOON_DAYS = 30
# Listed at most on the page; the figures count them all.
OWN_SYSTEMS_SHOWN = 50
# The Cybersecurity Act's first deadline for a significant incident: early warning in 24 hours.
EARLY_WARNING = datetime.timedelta(hours=24)


class OverviewView(MunicipalityView):
    """`k/<municipality>/security/`: the figures of each part and the way to it."""

    nav_section = "security"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        municipality = self.municipality
        access = self.access
        today = timezone.localdate()
        now = timezone.now()
        settings = SecuritySettings.for_municipality(municipality)
        cutoff = months_before(today, settings.classification_review_months)

        # P9.1: the systems in use the user reads, and their information types.
        types = InformationType.objects.filter(system=OuterRef("pk"), archived_at__isnull=True)
        incomplete = Q(classified_on__isnull=True) | Q(
            *(Q(**{f"{aspect}__isnull": True}) for aspect in Aspect.values), _connector=Q.OR
        )
        has_types = Exists(types)
        unclassified = Exists(types.filter(incomplete))
        overdue = Exists(types.filter(classified_on__lte=cutoff))
        systems = System.objects.filter(
            access.system_q(),
            municipality=municipality,
            archived_at__isnull=True,
            lifecycle_phase__in=IN_USE,
        )
        classification = systems.aggregate(
            total=Count("pk"),
            without_types=Count("pk", filter=~Q(has_types)),
            unclassified=Count("pk", filter=Q(unclassified)),
            due_for_review=Count("pk", filter=Q(overdue)),
            current=Count("pk", filter=Q(has_types) & ~Q(unclassified) & ~Q(overdue)),
        )
        person_ids = access.persons.get(municipality.pk, set())
        own_systems = list(
            systems.filter(Q(system_owner_id__in=person_ids) | Q(pk__in=access.system_owner_of))
            .annotate(
                has_types=has_types,
                unclassified=unclassified,
                overdue=overdue,
                measure_count=Count(
                    "measures", filter=Q(measures__archived_at__isnull=True), distinct=True
                ),
            )
            .select_related("municipality")
            .order_by("name", "pk")[:OWN_SYSTEMS_SHOWN]
        )

        # P9.4, P9.5: the measures the user reads (the platform's to those who read all).
        measures = Measure.objects.filter(
            system_bound_q(access), municipality=municipality, archived_at__isnull=True
        ).aggregate(
            total=Count("pk"),
            implemented=Count("pk", filter=Q(status=MeasureStatus.IMPLEMENTED)),
            partly=Count("pk", filter=Q(status=MeasureStatus.PARTLY)),
            planned=Count("pk", filter=Q(status=MeasureStatus.PLANNED)),
            not_applicable=Count("pk", filter=Q(status=MeasureStatus.NOT_APPLICABLE)),
            platform=Count("pk", filter=Q(system__isnull=True)),
            follow_ups_overdue=Count("pk", filter=Q(next_follow_up__lt=today)),
            follow_ups_soon=Count(
                "pk",
                filter=Q(
                    next_follow_up__gte=today,
                    next_follow_up__lte=today + datetime.timedelta(days=DUE_SOON_DAYS),
                ),
            ),
        )

        # P9.6: the notices the user reads; those addressed to them are theirs to acknowledge.
        escalate_before = now - datetime.timedelta(days=settings.shortfall_escalation_days)
        unacknowledged = Q(status=NoticeStatus.OPEN, acknowledged_at__isnull=True)
        to_me = Q(department_id__in=access.department_head_of) | Q(
            board_id__in=access.board_member_of
        )
        notices = ShortfallNotice.objects.filter(
            notice_q(access), municipality=municipality, archived_at__isnull=True
        ).aggregate(
            total=Count("pk"),
            unacknowledged=Count("pk", filter=unacknowledged),
            undecided=Count(
                "pk", filter=Q(status__in=[NoticeStatus.OPEN, NoticeStatus.ACKNOWLEDGED])
            ),
            overdue=Count("pk", filter=unacknowledged & Q(created_at__lt=escalate_before)),
            to_me=Count("pk", filter=unacknowledged & to_me),
        )

        # Incidents and the register of processing activities: their visibility joins through
        # many-to-many relations, so each row is counted once.
        incidents = (
            Incident.objects.filter(municipality=municipality, archived_at__isnull=True)
            .filter(pk__in=Incident.objects.filter(incident_q(access)).values("pk"))
            .aggregate(
                total=Count("pk"),
                open=Count("pk", filter=Q(closed_at__isnull=True)),
                significant_open=Count("pk", filter=Q(closed_at__isnull=True, significant=True)),
                early_warning_late=Count(
                    "pk",
                    filter=Q(
                        significant=True,
                        early_warning_sent_at__isnull=True,
                        discovered_at__lt=now - EARLY_WARNING,
                    ),
                ),
            )
        )
        processing = (
            ProcessingActivity.objects.filter(municipality=municipality, archived_at__isnull=True)
            .filter(pk__in=ProcessingActivity.objects.filter(processing_q(access)).values("pk"))
            .aggregate(
                total=Count("pk"),
                boards=Count("board", distinct=True),
                sensitive=Count("pk", filter=Q(sensitive_data=True)),
                without_dpia=Count("pk", filter=Q(sensitive_data=True, dpia_done=False)),
            )
        )
        catalogues = RequirementCatalogue.objects.aggregate(total=Count("pk"))
        catalogues["requirements"] = Requirement.objects.count()

        return TemplateResponse(
            request,
            "security/overview.html",
            self.context(
                settings=settings,
                classification=classification,
                own_systems=own_systems,
                measures=measures,
                notices=notices,
                incidents=incidents,
                processing=processing,
                catalogues=catalogues,
                reads_all=access.reads_all(municipality.pk),
                keeps_register=access.keeps_register(municipality.pk),
                own_systems_shown=OWN_SYSTEMS_SHOWN,
                due_soon_days=DUE_SOON_DAYS,
            ),
        )
