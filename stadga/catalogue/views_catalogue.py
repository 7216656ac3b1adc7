"""Pages of the catalogue itself: "is this approved?" for every member (P5.4), the IT department's
vendors, categories and products with their versions and dated phase decisions, and the products
each system runs on. Product requests and uniformity have their own modules."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from stadga.core.tabular import views as tabular_views
from stadga.core.views import MunicipalityView, RegisteredView, Registration
from stadga.organisation.access import Access
from stadga.organisation.models import Municipality
from stadga.organisation.selectors import person_of
from stadga.systems.models import System
from stadga.systems.selectors import system_get

from . import selectors
from . import services_catalogue as services
from .access import keeps_catalogue
from .choices import APPROVED_PHASES, Phase
from .filters_catalogue import ProductCategoryFilterSet, ProductFilterSet, VendorFilterSet
from .forms_catalogue import (
    PhaseDecisionForm,
    ProductCategoryForm,
    ProductForm,
    ProductVersionForm,
    SearchForm,
    SystemProductForm,
    VendorForm,
)
from .models import Product, ProductCategory, ProductVersion, SystemProduct, Vendor
from .services_phases import product_phase_set
from .tables_catalogue import ProductCategoryTable, ProductTable, VendorTable
from .tabular import ProductTabular
from .templatetags.catalogue_core import product_request_url

NAV_SECTION = "catalogue"


def _keeps(access: Access, obj: Any) -> bool:
    """The IT department keeps the catalogue (P5.4)."""
    return keeps_catalogue(access, obj.municipality_id)


def _keeps_in(access: Access, municipality: Municipality) -> bool:
    return keeps_catalogue(access, municipality.pk)


# --- "Is this approved?" (P5.4) --------------------------------------------------------------


class CatalogueSearchView(MunicipalityView):
    """Every member asks whether a product is approved and sees the answer with its conditions,
    and for a product that is not, the approved products of the same category (P4.1, P5.3)."""

    nav_section = NAV_SECTION

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = SearchForm(request.GET or None)
        q = form.cleaned_data["q"].strip() if form.is_valid() else ""
        result = (
            selectors.product_search(access=self.access, municipality=self.municipality, q=q)
            if q
            else None
        )
        return TemplateResponse(
            request,
            "catalogue/search.html",
            self.context(
                form=form,
                q=q,
                result=result,
                today=timezone.localdate(),
                request_url=product_request_url(self.municipality, q),
                can_keep=_keeps_in(self.access, self.municipality),
            ),
        )


# --- vendors, categories, products -----------------------------------------------------------


def _vendor_context(access: Access, vendor: Vendor) -> dict[str, Any]:
    return {
        "products": vendor.products.filter(archived_at__isnull=True).select_related("category"),
    }


def _category_context(access: Access, category: ProductCategory) -> dict[str, Any]:
    products = list(category.products.filter(archived_at__isnull=True).select_related("vendor"))
    return {
        "products": products,
        "approved_count": sum(1 for p in products if p.phase in APPROVED_PHASES),
    }


def _product_context(access: Access, product: Product) -> dict[str, Any]:
    today = timezone.localdate()
    versions = list(product.versions.order_by("archived_at", "-general_availability", "version"))
    alternatives: list[Product] | QuerySet[Product] = []
    if not product.is_approved and product.category_id:
        alternatives = (
            Product.objects.filter(
                municipality_id=product.municipality_id,
                category_id=product.category_id,
                phase__in=APPROVED_PHASES,
                archived_at__isnull=True,
            )
            .exclude(pk=product.pk)
            .select_related("vendor")
        )
    return {
        "today": today,
        "flags": product.flags_on(today),
        "decisions": product.decisions.select_related("decided_by", "request").order_by(
            "-effective_from", "-pk"
        ),
        "versions": [
            (v, v.end_of_support is not None and v.end_of_support < today) for v in versions
        ],
        "system_links": selectors.systems_on_product(access=access, product=product),
        "alternatives": alternatives,
        "can_keep": _keeps(access, product) and not product.is_archived,
        "phase_ended": product.phase == Phase.PHASE_OUT
        and product.phase_ends_on is not None
        and product.phase_ends_on < today,
        "support_ended": product.end_of_support is not None and product.end_of_support < today,
    }


vendor_views = Registration(
    model=Vendor,
    nav_section=NAV_SECTION,
    list_queryset=selectors.vendor_list,
    get_object=selectors.vendor_get,
    table=VendorTable,
    filterset=VendorFilterSet,
    form=VendorForm,
    create=services.vendor_create,
    update=lambda vendor, data, actor: services.vendor_update(
        vendor=vendor, data=data, actor=actor
    ),
    archive=lambda vendor, actor: services.vendor_archive(vendor=vendor, actor=actor),
    restore=lambda vendor, actor: services.vendor_restore(vendor=vendor, actor=actor),
    can_create=_keeps_in,
    can_edit=_keeps,
    can_archive=_keeps,
    detail_template="catalogue/vendor_detail.html",
    detail_context=_vendor_context,
)

productcategory_views = Registration(
    model=ProductCategory,
    nav_section=NAV_SECTION,
    list_queryset=selectors.category_list,
    get_object=selectors.category_get,
    table=ProductCategoryTable,
    filterset=ProductCategoryFilterSet,
    form=ProductCategoryForm,
    create=services.product_category_create,
    update=lambda category, data, actor: services.product_category_update(
        category=category, data=data, actor=actor
    ),
    archive=lambda category, actor: services.product_category_archive(
        category=category, actor=actor
    ),
    restore=lambda category, actor: services.product_category_restore(
        category=category, actor=actor
    ),
    can_create=_keeps_in,
    can_edit=_keeps,
    can_archive=_keeps,
    detail_template="catalogue/productcategory_detail.html",
    detail_context=_category_context,
)

product_views = Registration(
    model=Product,
    nav_section=NAV_SECTION,
    list_queryset=selectors.product_list,
    get_object=selectors.product_get,
    table=ProductTable,
    filterset=ProductFilterSet,
    form=ProductForm,
    create=services.product_create,
    update=lambda product, data, actor: services.product_update(
        product=product, data=data, actor=actor
    ),
    archive=lambda product, actor: services.product_archive(product=product, actor=actor),
    restore=lambda product, actor: services.product_restore(product=product, actor=actor),
    can_create=_keeps_in,
    can_edit=_keeps,
    can_archive=_keeps,
    detail_template="catalogue/product_detail.html",
    list_template="catalogue/product_list.html",
    detail_context=_product_context,
)


# --- a product's phase (P5.4) ----------------------------------------------------------------


class ProductPhaseView(RegisteredView):
    """The IT department records a dated decision on a product's phase, with its reasons."""

    registration = product_views
    template = "catalogue/product_phase.html"

    def setup_product(self, pk: int) -> Product:
        product = self.get_object(pk)
        if product.is_archived or not _keeps(self.access, product):
            raise PermissionDenied
        return product

    def render(self, form: PhaseDecisionForm, product: Product) -> HttpResponse:
        return TemplateResponse(
            self.request,
            self.template,
            self.context(form=form, object=product, cancel_url=product.get_absolute_url()),
            status=400 if form.is_bound and form.errors else 200,
        )

    def get(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        product = self.setup_product(pk)
        initial = {"phase": product.phase} if product.phase != Phase.NOT_ASSESSED else {}
        if product.phase == Phase.APPROVED_WITH_CONSTRAINTS:
            initial["constraints"] = product.constraints
        return self.render(PhaseDecisionForm(initial=initial), product)

    def post(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        product = self.setup_product(pk)
        form = PhaseDecisionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                product_phase_set(
                    product=product,
                    phase=data["phase"],
                    reason=data["reason"],
                    effective_from=data["effective_from"],
                    ends_on=data["ends_on"],
                    constraints=data["constraints"],
                    decided_by=person_of(self.municipality, self.request.user),
                    actor=request.user,
                )
            except ValidationError as error:
                add_errors(form, error)
                product.refresh_from_db()
            else:
                messages.success(
                    request,
                    _("The decision on %(product)s was recorded.") % {"product": product},
                )
                return HttpResponseRedirect(product.get_absolute_url())
        return self.render(form, product)


def add_errors(form: Any, error: ValidationError) -> None:
    """A service's errors on the form's fields where it has them, else on the whole form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, messages_ in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages_)


# --- versions ------------------------------------------------------------------------------


class _VersionView(RegisteredView):
    registration = product_views

    def render(
        self, form: ProductVersionForm, product: Product, version: ProductVersion | None
    ) -> HttpResponse:
        return TemplateResponse(
            self.request,
            "catalogue/productversion_form.html",
            self.context(
                form=form,
                object=version,
                product=product,
                cancel_url=product.get_absolute_url(),
            ),
            status=400 if form.is_bound and form.errors else 200,
        )

    def require_keeper(self, obj: Any) -> None:
        if obj.is_archived or not _keeps(self.access, obj):
            raise PermissionDenied

    def make_form(
        self, product: Product, version: ProductVersion | None, data: Any = None
    ) -> ProductVersionForm:
        # As the generic edit page: the form validates a copy, the service compares with the
        # stored values and logs only what changed.
        instance = ProductVersion.objects.get(pk=version.pk) if version else None
        return ProductVersionForm(
            data,
            instance=instance,
            municipality=self.municipality,
            access=self.access,
            product=product,
        )

    def save(
        self, form: ProductVersionForm, product: Product, version: ProductVersion | None
    ) -> HttpResponse:
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in form.fields}
            try:
                if version is None:
                    version = services.product_version_create(
                        product=product, data=data, actor=self.request.user
                    )
                    messages.success(
                        self.request, _("%(object)s was created.") % {"object": version}
                    )
                else:
                    services.product_version_update(
                        version=version, data=data, actor=self.request.user
                    )
                    messages.success(self.request, _("%(object)s was saved.") % {"object": version})
            except ValidationError as error:
                add_errors(form, error)
            else:
                return HttpResponseRedirect(product.get_absolute_url())
        return self.render(form, product, version)


class ProductVersionCreateView(_VersionView):
    def get(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        product = self.get_object(pk)
        self.require_keeper(product)
        return self.render(self.make_form(product, None), product, None)

    def post(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        product = self.get_object(pk)
        self.require_keeper(product)
        return self.save(self.make_form(product, None, request.POST), product, None)


class ProductVersionEditView(_VersionView):
    def get_version(self, pk: int) -> ProductVersion:
        return selectors.version_get(access=self.access, municipality=self.municipality, pk=pk)

    def get(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        version = self.get_version(pk)
        self.require_keeper(version)
        return self.render(self.make_form(version.product, version), version.product, version)

    def post(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        version = self.get_version(pk)
        self.require_keeper(version)
        form = self.make_form(version.product, version, request.POST)
        return self.save(form, version.product, version)


class ProductVersionArchiveView(RegisteredView):
    """Archive or restore a version after a confirmation page; nothing is deleted."""

    registration = product_views
    archiving = True

    def setup_version(self, pk: int) -> ProductVersion:
        version = selectors.version_get(access=self.access, municipality=self.municipality, pk=pk)
        if not _keeps(self.access, version):
            raise PermissionDenied
        return version

    def get(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        version = self.setup_version(pk)
        return TemplateResponse(
            request,
            "core/object_archive.html",
            self.context(
                object=version,
                archiving=self.archiving,
                cancel_url=version.product.get_absolute_url(),
            ),
        )

    def post(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        version = self.setup_version(pk)
        if self.archiving:
            services.product_version_archive(version=version, actor=request.user)
            messages.success(request, _("%(object)s was archived.") % {"object": version})
        else:
            services.product_version_restore(version=version, actor=request.user)
            messages.success(request, _("%(object)s was restored.") % {"object": version})
        return HttpResponseRedirect(version.product.get_absolute_url())


# --- the products a system runs on -----------------------------------------------------------


class SystemProductsView(MunicipalityView):
    """The products and versions a system runs on, kept by whoever may edit the system. A
    system the user cannot see is a 404; one they see but may not edit is a 403."""

    nav_section = "systems"

    def setup_system(self, pk: int) -> System:
        system = system_get(access=self.access, municipality=self.municipality, pk=pk)
        if system.is_archived or not self.access.can_edit_system(system):
            raise PermissionDenied
        return system

    def current_links(self, system: System) -> list[SystemProduct]:
        return list(
            SystemProduct.objects.filter(system=system)
            .select_related("product__vendor", "version")
            .order_by("product__name", "pk")
        )

    def render(self, system: System, form: SystemProductForm, status: int = 200) -> HttpResponse:
        today = timezone.localdate()
        rows = selectors.system_product_flags([system], today)[system.pk]
        return TemplateResponse(
            self.request,
            "catalogue/system_products.html",
            self.context(
                system=system,
                rows=rows,
                form=form,
                catalogue_url=reverse(
                    "catalogue:product_list", kwargs={"municipality": self.municipality.slug}
                ),
            ),
            status=status,
        )

    def get(self, request: HttpRequest, *args: Any, system_pk: int, **kwargs: Any) -> HttpResponse:
        system = self.setup_system(system_pk)
        return self.render(system, SystemProductForm(municipality=self.municipality))

    def post(self, request: HttpRequest, *args: Any, system_pk: int, **kwargs: Any) -> HttpResponse:
        system = self.setup_system(system_pk)
        links = [(link.product, link.version) for link in self.current_links(system)]
        form = SystemProductForm(municipality=self.municipality)
        if request.POST.get("action") == "remove":
            remove = request.POST.get("product", "")
            kept = [(p, v) for p, v in links if str(p.pk) != remove]
            if len(kept) == len(links):
                form.add_error(None, _("The system does not run on that product."))
                return self.render(system, form, status=400)
            message = _("The product was removed from the system.")
        else:
            form = SystemProductForm(request.POST, municipality=self.municipality)
            if not form.is_valid():
                return self.render(system, form, status=400)
            product, version = form.cleaned_data["product"], form.cleaned_data["version"]
            kept = [(p, v) for p, v in links if p.pk != product.pk] + [(product, version)]
            message = _("%(product)s was added to the system.") % {"product": product}
        try:
            services.system_products_set(system=system, links=kept, actor=request.user)
        except ValidationError as error:
            form.add_error(None, error.messages)
            return self.render(system, form, status=400)
        messages.success(request, message)
        return HttpResponseRedirect(
            reverse(
                "catalogue:system_products",
                kwargs={"municipality": self.municipality.slug, "system_pk": system.pk},
            )
        )


# --- import and export of the catalogue ------------------------------------------------------


def export_queryset(
    request: HttpRequest, municipality: Municipality, access: Access
) -> QuerySet[Product]:
    """The products the list page shows for the same query string."""
    archived = request.GET.get("archived") == "1"
    queryset = selectors.product_list(access=access, municipality=municipality, archived=archived)
    return ProductFilterSet(request.GET or None, queryset=queryset, municipality=municipality).qs


class _ProductTabular(tabular_views.TabularView):
    spec_class = ProductTabular
    nav_section = NAV_SECTION
    url_names = {
        "list": "catalogue:product_list",
        "import": "catalogue:product_import",
        "confirm": "catalogue:product_import_confirm",
        "template": "catalogue:product_import_template",
        "export": "catalogue:product_export",
    }
    import_template = "catalogue/product_import.html"
    preview_template = "catalogue/product_import_preview.html"
    _spec: ProductTabular | None = None

    def may_import(self) -> bool:
        return keeps_catalogue(self.access, self.municipality.pk)  # P5.4: the IT department's

    def export_queryset(self) -> Any:
        return export_queryset(self.request, self.municipality, self.access)

    def spec(self) -> Any:
        self._spec = ProductTabular(municipality=self.municipality, actor=self.request.user)
        return self._spec

    def context(self, **extra: Any) -> dict[str, Any]:
        # The vendors and categories the file names that the catalogue does not have yet.
        new = self._spec.new_names() if self._spec is not None else {}
        return super().context(new_names=new, **extra)


class ProductImportView(_ProductTabular, tabular_views.ImportView):
    pass


class ProductImportConfirmView(_ProductTabular, tabular_views.ImportConfirmView):
    pass


class ProductImportTemplateView(_ProductTabular, tabular_views.TemplateDownloadView):
    pass


class ProductExportView(_ProductTabular, tabular_views.ExportView):
    pass
