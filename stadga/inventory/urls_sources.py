"""The inventory's sources pages: the sources, each source's snapshots, a snapshot's page (with
its progress while it loads) and the web upload."""

from django.urls import path

from . import views_sources as views

urlpatterns = [
    path("sources/", views.SourceListView.as_view(), name="source_list"),
    path("sources/<int:pk>/", views.SourceDetailView.as_view(), name="source_detail"),
    path("snapshots/<int:pk>/", views.SnapshotDetailView.as_view(), name="snapshot_detail"),
    path("snapshots/<int:pk>/fail/", views.SnapshotFailView.as_view(), name="snapshot_fail"),
    path("upload/", views.UploadView.as_view(), name="upload"),
]
