"""Training and competence (P6), under /k/<municipality>/training/. Each area keeps its own
routes: courses, sessions, people's competence, requirements and coverage (`urls_courses`);
the departments' training plans and the IT department's watch log (`urls_plans`); imports
of attendance lists (`urls_imports`)."""

from django.urls import include, path

app_name = "training"

urlpatterns = [
    path("", include("stadga.training.urls_courses")),
    path("", include("stadga.training.urls_plans")),
    path("", include("stadga.training.urls_imports")),
    path("", include("stadga.training.urls_coverage")),
]
