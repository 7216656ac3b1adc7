"""The catalogue itself, under k/<municipality>/catalogue/ in the `catalogue` namespace: the
search every member uses (P5.4), vendors, categories, products with their versions and phase
decisions, the import and export of products, and the products each system runs on."""

from django.urls import include, path

from . import views_catalogue as views

product_urls = [
    path("import/", views.ProductImportView.as_view(), name="product_import"),
    path(
        "import/confirm/", views.ProductImportConfirmView.as_view(), name="product_import_confirm"
    ),
    path(
        "import/template/",
        views.ProductImportTemplateView.as_view(),
        name="product_import_template",
    ),
    path("export/", views.ProductExportView.as_view(), name="product_export"),
    path("<int:pk>/phase/", views.ProductPhaseView.as_view(), name="product_phase"),
    path(
        "<int:pk>/versions/new/",
        views.ProductVersionCreateView.as_view(),
        name="productversion_create",
    ),
    path(
        "versions/<int:pk>/edit/",
        views.ProductVersionEditView.as_view(),
        name="productversion_edit",
    ),
    path(
        "versions/<int:pk>/archive/",
        views.ProductVersionArchiveView.as_view(archiving=True),
        name="productversion_archive",
    ),
    path(
        "versions/<int:pk>/restore/",
        views.ProductVersionArchiveView.as_view(archiving=False),
        name="productversion_restore",
    ),
    *views.product_views.urls(),
]

urlpatterns = [
    path("", views.CatalogueSearchView.as_view(), name="search"),
    path("vendors/", include(views.vendor_views.urls())),
    path("categories/", include(views.productcategory_views.urls())),
    path("products/", include(product_urls)),
    path(
        "systems/<int:system_pk>/products/",
        views.SystemProductsView.as_view(),
        name="system_products",
    ),
]
