"""Routes of the public portal's open data (P7.1); see urls_public.py. The catalogue's routes
come before the datasets' so that `catalog.jsonld` is never read as a dataset."""

from django.urls import path

from . import views_public_data

urlpatterns = [
    path("data/", views_public_data.DataView.as_view(), name="data"),
    path("data/catalog.jsonld", views_public_data.CatalogView.as_view(), name="catalog"),
    path("data/catalog.rdf", views_public_data.CatalogRdfView.as_view(), name="catalog_rdf"),
    path(
        "data/<slug:dataset>.<str:fmt>",
        views_public_data.DatasetView.as_view(),
        name="dataset",
    ),
]
