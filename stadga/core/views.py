"""Declarative views: one registration per model gives its list, detail, create, edit, archive,
restore and history pages, all scoped to the municipality in the URL and to the user's rights."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from auditlog.models import LogEntry
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
)
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views import View
from django_filters import FilterSet
from django_tables2 import RequestConfig, Table

from stadga.organisation.access import Access, access_for
from stadga.organisation.models import Municipality
from stadga.organisation.selectors import municipality_get, municipality_list

from .forms import ScopedModelForm
from .htmx import render_page
from .views_health import health

PAGE_SIZE = 25


# The older address of the health endpoint (/healthz), kept for monitors already set up with it.
healthz = health


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Straight to the user's municipality; a chooser when they belong to several."""
    municipalities = list(municipality_list(access=access_for(request)))
    if len(municipalities) == 1:
        return redirect(municipalities[0].get_absolute_url())
    return TemplateResponse(request, "core/home.html", {"municipalities": municipalities})


class MunicipalityView(LoginRequiredMixin, View):
    """Resolves the municipality in the URL; a user who is not a member there gets a 404."""

    nav_section = ""
    request: HttpRequest
    access: Access
    municipality: Municipality

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.access = access_for(request)
        self.municipality = municipality_get(access=self.access, slug=kwargs["municipality"])
        request.municipality = self.municipality  # type: ignore[attr-defined]
        return super().dispatch(request, *args, **kwargs)

    def context(self, **extra: Any) -> dict[str, Any]:
        return {"municipality": self.municipality, "nav_section": self.nav_section, **extra}


@dataclass(frozen=True)
class Registration:
    """How one model appears in the UI. Apps declare one and include `registration.urls()`."""

    model: type[Model]
    nav_section: str
    list_queryset: Callable[..., QuerySet]  # (access=, municipality=, archived=) -> visible rows
    get_object: Callable[..., Model]  # (access=, municipality=, pk=) -> object or 404
    table: type[Table]
    filterset: type[FilterSet]
    form: type[ScopedModelForm]
    create: Callable[..., Model]  # (municipality=, data=, actor=)
    update: Callable[..., Any]  # (obj, data=, actor=)
    archive: Callable[..., Any]  # (obj, actor=)
    restore: Callable[..., Any]  # (obj, actor=)
    can_create: Callable[[Access, Municipality], bool]
    can_edit: Callable[[Access, Any], bool]
    can_archive: Callable[[Access, Any], bool]
    detail_fields: Sequence[str] = ()
    detail_template: str = "core/object_detail.html"
    list_template: str = "core/object_list.html"
    # (access, obj) -> extra context for the detail page, e.g. a board's departments
    detail_context: Callable[[Access, Any], dict[str, Any]] | None = None

    @property
    def name(self) -> str:
        return self.model._meta.model_name  # type: ignore[return-value]

    def url_name(self, action: str) -> str:
        return f"{self.name}_{action}"

    def urls(self) -> list:
        n = self.name
        return [
            path("", ObjectListView.as_view(registration=self), name=f"{n}_list"),
            path("new/", ObjectEditView.as_view(registration=self), name=f"{n}_create"),
            path("<int:pk>/", ObjectDetailView.as_view(registration=self), name=f"{n}_detail"),
            path("<int:pk>/edit/", ObjectEditView.as_view(registration=self), name=f"{n}_edit"),
            path(
                "<int:pk>/archive/",
                ObjectArchiveView.as_view(registration=self, archiving=True),
                name=f"{n}_archive",
            ),
            path(
                "<int:pk>/restore/",
                ObjectArchiveView.as_view(registration=self, archiving=False),
                name=f"{n}_restore",
            ),
            path(
                "<int:pk>/history/",
                ObjectHistoryView.as_view(registration=self),
                name=f"{n}_history",
            ),
        ]


class RegisteredView(MunicipalityView):
    registration: Registration = None  # type: ignore[assignment]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.nav_section = self.registration.nav_section
        return super().dispatch(request, *args, **kwargs)

    def url(self, action: str, **kwargs: Any) -> str:
        namespace = self.request.resolver_match.namespace  # type: ignore[union-attr]
        return reverse(
            f"{namespace}:{self.registration.url_name(action)}",
            kwargs={"municipality": self.municipality.slug, **kwargs},
        )

    def get_object(self, pk: int) -> Any:
        return self.registration.get_object(
            access=self.access, municipality=self.municipality, pk=pk
        )

    def context(self, **extra: Any) -> dict[str, Any]:
        meta = self.registration.model._meta
        return super().context(
            registration=self.registration,
            verbose_name=meta.verbose_name,
            verbose_name_plural=meta.verbose_name_plural,
            list_url=self.url("list"),
            **extra,
        )


class ObjectListView(RegisteredView):
    """Search, filter, sort and page through the visible objects; `?archived=1`: the archive."""

    def filtered(self) -> tuple[FilterSet, QuerySet]:
        archived = self.request.GET.get("archived") == "1"
        queryset = self.registration.list_queryset(
            access=self.access, municipality=self.municipality, archived=archived
        )
        filterset = self.registration.filterset(
            self.request.GET or None, queryset=queryset, municipality=self.municipality
        )
        return filterset, filterset.qs

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        filterset, queryset = self.filtered()
        table = self.registration.table(queryset, municipality=self.municipality)
        table.caption = self.registration.model._meta.verbose_name_plural
        RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
        context = self.context(
            filter=filterset,
            table=table,
            archived=request.GET.get("archived") == "1",
            can_create=self.registration.can_create(self.access, self.municipality),
            create_url=self.url("create"),
        )
        return render_page(
            request, self.registration.list_template, context, "core/partials/object_table.html"
        )


class ObjectDetailView(RegisteredView):
    def get(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        obj = self.get_object(pk)
        reg = self.registration
        rows = [(obj._meta.get_field(name), name) for name in reg.detail_fields]
        return TemplateResponse(
            request,
            reg.detail_template,
            self.context(
                object=obj,
                detail_rows=[(f.verbose_name, _display(obj, f, name)) for f, name in rows],
                can_edit=not obj.is_archived and reg.can_edit(self.access, obj),
                can_archive=reg.can_archive(self.access, obj),
                edit_url=self.url("edit", pk=obj.pk),
                archive_url=self.url("archive" if not obj.is_archived else "restore", pk=obj.pk),
                history_url=self.url("history", pk=obj.pk),
                **(reg.detail_context(self.access, obj) if reg.detail_context else {}),
            ),
        )


def _display(obj: Model, model_field: Any, name: str) -> Any:
    """A field's value as a page shows it: choice labels, linked objects, lists of objects."""
    if model_field.many_to_many:
        return list(getattr(obj, name).all())
    if model_field.choices:
        return getattr(obj, f"get_{name}_display")()
    return getattr(obj, name)


class ObjectEditView(RegisteredView):
    """Create (no pk) or edit through the app's service; invalid input re-renders with errors."""

    template = "core/object_form.html"

    def setup_object(self, pk: int | None) -> Any:
        reg = self.registration
        if pk is None:
            if not reg.can_create(self.access, self.municipality):
                raise PermissionDenied
            return None
        obj = self.get_object(pk)
        if obj.is_archived or not reg.can_edit(self.access, obj):
            raise PermissionDenied
        return obj

    def make_form(self, obj: Any, data: Any = None) -> ScopedModelForm:
        # The form validates a copy: ModelForm writes cleaned values onto its instance, and the
        # service must see the stored values to know what changed (and log only that).
        instance = type(obj)._default_manager.get(pk=obj.pk) if obj is not None else None
        return self.registration.form(
            data, instance=instance, municipality=self.municipality, access=self.access
        )

    def render(self, form: ScopedModelForm, obj: Any) -> HttpResponse:
        return TemplateResponse(
            self.request,
            self.template,
            self.context(
                form=form,
                object=obj,
                cancel_url=obj.get_absolute_url() if obj else self.url("list"),
            ),
            status=400 if form.is_bound and form.errors else 200,
        )

    def get(
        self, request: HttpRequest, *args: Any, pk: int | None = None, **kw: Any
    ) -> HttpResponse:
        obj = self.setup_object(pk)
        return self.render(self.make_form(obj), obj)

    def post(
        self, request: HttpRequest, *args: Any, pk: int | None = None, **kw: Any
    ) -> HttpResponse:
        obj = self.setup_object(pk)
        form = self.make_form(obj, request.POST)
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in form.fields}
            try:
                if obj is None:
                    obj = self.registration.create(
                        municipality=self.municipality, data=data, actor=request.user
                    )
                    messages.success(request, _("%(object)s was created.") % {"object": obj})
                else:
                    self.registration.update(obj, data=data, actor=request.user)
                    messages.success(request, _("%(object)s was saved.") % {"object": obj})
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return HttpResponseRedirect(obj.get_absolute_url())
        return self.render(form, obj)


class ObjectArchiveView(RegisteredView):
    """Archive or restore after a confirmation page; nothing is ever deleted."""

    archiving = True

    def setup_object(self, pk: int) -> Any:
        obj = self.get_object(pk)
        if not self.registration.can_archive(self.access, obj):
            raise PermissionDenied
        return obj

    def get(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        obj = self.setup_object(pk)
        return TemplateResponse(
            request,
            "core/object_archive.html",
            self.context(object=obj, archiving=self.archiving, cancel_url=obj.get_absolute_url()),
        )

    def post(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        obj = self.setup_object(pk)
        if self.archiving:
            self.registration.archive(obj, actor=request.user)
            messages.success(request, _("%(object)s was archived.") % {"object": obj})
        else:
            self.registration.restore(obj, actor=request.user)
            messages.success(request, _("%(object)s was restored.") % {"object": obj})
        return HttpResponseRedirect(obj.get_absolute_url())


class ObjectHistoryView(RegisteredView):
    """Who changed what and when: every change-log entry of the object, newest first."""

    def get(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        obj = self.get_object(pk)
        entries = (
            LogEntry.objects.get_for_object(obj).select_related("actor").order_by("-timestamp")
        )
        return TemplateResponse(
            request, "core/object_history.html", self.context(object=obj, entries=entries)
        )
