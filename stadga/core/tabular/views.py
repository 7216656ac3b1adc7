"""Generic pages for importing and exporting a spec: upload → preview → confirm, the template
download and the export of a list. An app subclasses them with its spec, URL names and rights
(see stadga/systems/views_tabular.py); everything works without JavaScript.

Between preview and confirm the uploaded file is kept in the private `imports` storage
(var/imports/pending/<token>, never served), the token random and remembered in the uploader's
session with the municipality and kind it was checked for; confirm checks the file again, since
the register may have changed meanwhile.
"""

from __future__ import annotations

import re
import secrets
import tempfile
import time
from collections.abc import Iterable
from datetime import timedelta
from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db.models import Model, QuerySet
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stadga.core.views import MunicipalityView

from .importing import ImportResult
from .reading import CSV, FORMATS, XLSX
from .spec import TabularSpec

UPLOAD_DIR = "pending"
UPLOAD_LIFETIME = timedelta(hours=24)
SESSION_KEY = "stadga_tabular_uploads"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{40,64}$")
# The preview lists this many rows of each kind; the counts above it are always complete.
PREVIEW_LIMIT = 500
EXPORT_CHUNK = 1000

CONTENT_TYPES = {
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    CSV: "text/csv; charset=utf-8",
}


class ImportFileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet file"),
        widget=forms.FileInput(
            attrs={
                "accept": ".xlsx,.csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
            }
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "An Excel workbook (.xlsx) or a CSV file of at most %(limit)s, with the column "
            "headers in the first row. Nothing is saved until you have checked the preview "
            "and confirmed."
        ) % {"limit": filesizeformat(settings.STADGA_IMPORT_MAX_BYTES)}

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.STADGA_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s; split it into smaller files.")
                % {"limit": filesizeformat(settings.STADGA_IMPORT_MAX_BYTES)}
            )
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload


# --- the uploaded file between preview and confirm ------------------------------------------


def _path(token: str) -> str:
    return f"{UPLOAD_DIR}/{token}"


def purge_expired_uploads() -> None:
    """Uploads are personal data more often than not: none outlives a day."""
    try:
        _dirs, files = storages["imports"].listdir(UPLOAD_DIR)
    except (FileNotFoundError, NotADirectoryError):
        return
    limit = timezone.now() - UPLOAD_LIFETIME
    for name in files:
        if not _TOKEN.match(name):
            continue
        try:
            if storages["imports"].get_modified_time(_path(name)) < limit:
                storages["imports"].delete(_path(name))
        except OSError:
            continue  # removed meanwhile by another request


def store_upload(
    request: HttpRequest,
    data: bytes,
    *,
    kind: str,
    municipality: Model,
    name: str,
    file_format: str,
) -> str:
    purge_expired_uploads()
    token = secrets.token_urlsafe(32)
    saved = storages["imports"].save(_path(token), ContentFile(data))
    if saved != _path(token):  # never in practice: the token is random
        storages["imports"].delete(saved)
        raise OSError("Upload token collision")
    now = time.time()
    uploads = {
        t: entry
        for t, entry in request.session.get(SESSION_KEY, {}).items()
        if now - entry.get("at", 0) <= UPLOAD_LIFETIME.total_seconds()
    }
    uploads[token] = {
        "kind": kind,
        "municipality": municipality.pk,
        "name": name[:200],
        "format": file_format,
        "at": now,
    }
    request.session[SESSION_KEY] = uploads
    return token


def load_upload(
    request: HttpRequest, token: str, *, kind: str, municipality: Model
) -> tuple[bytes, dict[str, Any]] | None:
    """The stored file, if `token` is this session's upload for this municipality and kind."""
    if not _TOKEN.match(token or ""):
        return None
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if (
        not entry
        or entry.get("kind") != kind
        or entry.get("municipality") != municipality.pk
        or time.time() - entry.get("at", 0) > UPLOAD_LIFETIME.total_seconds()
    ):
        return None
    try:
        with storages["imports"].open(_path(token), "rb") as stored:
            return stored.read(), entry
    except OSError:
        return None


def discard_upload(request: HttpRequest, token: str) -> None:
    uploads = dict(request.session.get(SESSION_KEY, {}))
    if uploads.pop(token, None) is not None:
        request.session[SESSION_KEY] = uploads
    if _TOKEN.match(token or ""):
        storages["imports"].delete(_path(token))


# --- downloads ------------------------------------------------------------------------------


def download_response(
    spec: TabularSpec,
    objects: Iterable[Model],
    file_format: str,
    filename: str,
    *,
    template: bool = False,
) -> HttpResponseBase:
    """XLSX is built in a spooled temporary file (zip needs the whole); CSV streams row by row."""
    if isinstance(objects, QuerySet):
        objects = objects.iterator(chunk_size=EXPORT_CHUNK)
    if file_format == CSV:
        response = StreamingHttpResponse(spec.iter_csv(objects), content_type=CONTENT_TYPES[CSV])
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    buffer = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (FileResponse closes it)
    spec.write_xlsx(objects, buffer, template=template)
    buffer.seek(0)
    return FileResponse(
        buffer, as_attachment=True, filename=filename, content_type=CONTENT_TYPES[XLSX]
    )


# --- views ----------------------------------------------------------------------------------


class TabularView(MunicipalityView):
    """Base of the import and export pages. Subclasses set `spec_class`, `url_names` (keys:
    list, import, confirm, template, export → URL names) and `nav_section`, and decide
    `may_import()` and `export_queryset()`."""

    spec_class: ClassVar[type[TabularSpec]]
    url_names: ClassVar[dict[str, str]]
    import_template = "core/tabular/import.html"
    preview_template = "core/tabular/import_preview.html"

    def may_import(self) -> bool:
        raise NotImplementedError

    def export_queryset(self) -> QuerySet:
        raise NotImplementedError

    def spec(self) -> TabularSpec:
        return self.spec_class(municipality=self.municipality, actor=self.request.user)

    def url(self, name: str) -> str:
        return reverse(self.url_names[name], kwargs={"municipality": self.municipality.slug})

    def require_import(self) -> None:
        if not self.may_import():
            raise PermissionDenied(_("You may not import into this register."))

    def filename(self, file_format: str, *, template: bool = False) -> str:
        base = self.spec_class.filename
        if template:
            return f"{base}-mall.{file_format}"
        return f"{base}-{self.municipality.slug}-{timezone.localdate().isoformat()}.{file_format}"

    def context(self, **extra: Any) -> dict[str, Any]:
        return super().context(
            spec=self.spec_class,
            list_title=self.spec_class.title,
            list_url=self.url("list"),
            import_url=self.url("import"),
            confirm_url=self.url("confirm"),
            template_url=self.url("template"),
            **extra,
        )

    def render_form(self, form: ImportFileForm) -> HttpResponse:
        return TemplateResponse(self.request, self.import_template, self.context(form=form))

    def render_preview(
        self,
        result: ImportResult,
        *,
        form: ImportFileForm,
        name: str,
        token: str | None = None,
        changed_meanwhile: bool = False,
    ) -> HttpResponse:
        creates = [p for p in result.plans if p.action == "create"]
        updates = [p for p in result.plans if p.action == "update"]
        return TemplateResponse(
            self.request,
            self.preview_template,
            self.context(
                form=form,
                result=result,
                filename=name,
                token=token,
                creates=creates[:PREVIEW_LIMIT],
                creates_hidden=max(0, len(creates) - PREVIEW_LIMIT),
                updates=updates[:PREVIEW_LIMIT],
                updates_hidden=max(0, len(updates) - PREVIEW_LIMIT),
                errors=result.errors[:PREVIEW_LIMIT],
                errors_hidden=max(0, len(result.errors) - PREVIEW_LIMIT),
                changed_meanwhile=changed_meanwhile,
            ),
        )


class ImportView(TabularView):
    """GET: the upload form. POST: check the file and show what it would do (a dry run)."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.require_import()
        return self.render_form(ImportFileForm())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.require_import()
        form = ImportFileForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_form(form)
        upload = form.cleaned_data["file"]
        data = upload.read()
        result = self.spec().import_file(data, dry_run=True)
        token = None
        if result.ok and result.has_changes:
            token = store_upload(
                request,
                data,
                kind=self.spec_class.kind,
                municipality=self.municipality,
                name=upload.name or "",
                file_format=result.file_format or "",
            )
        return self.render_preview(result, form=ImportFileForm(), name=upload.name, token=token)


class ImportConfirmView(TabularView):
    """POST: write the previewed file, checked again; or cancel it."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return HttpResponseRedirect(self.url("import"))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.require_import()
        token = request.POST.get("token", "")
        if "cancel" in request.POST:
            discard_upload(request, token)
            messages.info(request, _("The import was cancelled; nothing was changed."))
            return HttpResponseRedirect(self.url("import"))
        stored = load_upload(
            request, token, kind=self.spec_class.kind, municipality=self.municipality
        )
        if stored is None:
            messages.error(
                request,
                _("The uploaded file is no longer available; upload it again to import it."),
            )
            return HttpResponseRedirect(self.url("import"))
        data, entry = stored
        result = self.spec().import_file(data, file_format=entry.get("format") or None)
        discard_upload(request, token)
        if not result.ok:
            return self.render_preview(
                result, form=ImportFileForm(), name=entry.get("name", ""), changed_meanwhile=True
            )
        if result.committed:
            messages.success(
                request,
                _(
                    "The import is done: %(created)s created, %(updated)s updated, "
                    "%(unchanged)s unchanged."
                )
                % {
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                },
            )
        else:
            messages.info(request, _("Nothing needed changing; the register already matched."))
        return HttpResponseRedirect(self.url("list"))


class TemplateDownloadView(TabularView):
    """The empty sheet with the headers (and, in XLSX, a sheet explaining each column)."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        file_format = request.GET.get("format", XLSX)
        if file_format not in FORMATS:
            return HttpResponseBadRequest(_("Unknown format; choose xlsx or csv."))
        return download_response(
            self.spec(), [], file_format, self.filename(file_format, template=True), template=True
        )


class ExportView(TabularView):
    """The list as the user filtered it, as XLSX or CSV: the columns an import reads."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        file_format = request.GET.get("format", XLSX)
        if file_format not in FORMATS:
            return HttpResponseBadRequest(_("Unknown format; choose xlsx or csv."))
        spec = self.spec()
        objects = spec.optimise(self.export_queryset())
        return download_response(spec, objects, file_format, self.filename(file_format))
