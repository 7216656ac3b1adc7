"""Measures (P9.5, P9.4), their follow-ups, the gap and the action plan."""

from django.urls import path

from stadga.core.views import ObjectArchiveView, ObjectDetailView, ObjectHistoryView

from .views_measures import (
    ActionPlanView,
    FollowUpCreateView,
    GapView,
    MeasureEditView,
    MeasureEvidenceView,
    MeasureListView,
    measure_views,
)

_reg = measure_views

urlpatterns = [
    path("measures/", MeasureListView.as_view(registration=_reg), name="measure_list"),
    path("measures/new/", MeasureEditView.as_view(registration=_reg), name="measure_create"),
    path("measures/<int:pk>/", ObjectDetailView.as_view(registration=_reg), name="measure_detail"),
    path(
        "measures/<int:pk>/edit/", MeasureEditView.as_view(registration=_reg), name="measure_edit"
    ),
    path(
        "measures/<int:pk>/archive/",
        ObjectArchiveView.as_view(registration=_reg, archiving=True),
        name="measure_archive",
    ),
    path(
        "measures/<int:pk>/restore/",
        ObjectArchiveView.as_view(registration=_reg, archiving=False),
        name="measure_restore",
    ),
    path(
        "measures/<int:pk>/history/",
        ObjectHistoryView.as_view(registration=_reg),
        name="measure_history",
    ),
    path("measures/<int:pk>/evidence/", MeasureEvidenceView.as_view(), name="measure_evidence"),
    path("measures/<int:pk>/follow-up/", FollowUpCreateView.as_view(), name="followup_create"),
    path("gap/", GapView.as_view(), name="gap"),
    path("gap/action-plan/", ActionPlanView.as_view(), name="action_plan"),
]
