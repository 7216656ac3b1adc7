"""The platform uniformity page (P4.1) at k/<municipality>/catalogue/uniformity/."""

from django.urls import path

from .views_uniformity import UniformityView

urlpatterns = [
    path("uniformity/", UniformityView.as_view(), name="uniformity"),
]
