"""The departments' training plans (P6.2), the IT department's competence plan and its watch log
(P6.4), under /k/<municipality>/training/ in the `training` namespace."""

from django.urls import URLPattern, URLResolver, include, path

from . import views_plans as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("plans/<int:pk>/adopt/", views.PlanAdoptView.as_view(), name="plan_adopt"),
    path("plans/<int:pk>/follow-up/", views.PlanFollowUpView.as_view(), name="plan_follow_up"),
    path("plans/<int:pk>/lines/new/", views.PlanLineView.as_view(), name="planline_create"),
    path(
        "plans/<int:pk>/lines/<int:line>/edit/", views.PlanLineView.as_view(), name="planline_edit"
    ),
    path(
        "plans/<int:pk>/lines/<int:line>/archive/",
        views.PlanLineArchiveView.as_view(),
        name="planline_archive",
    ),
    path("plans/", include(views.plan_views.urls())),
    path("watch/", include(views.watch_views.urls())),
]
