"""The portal's open data (P7.1): the open-data page, each dataset as CSV and JSON, and the
DCAT-AP-SE catalogue. All public: no login, no session, no token; cached as every public page."""

from __future__ import annotations

import json
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils import timezone

from . import dcat, opendata
from .views_public_base import PublicView


class PublicDataView(PublicView):
    """A public data view: open to any site's scripts (the data is open), and cached per host
    as well, since the catalogue's addresses are absolute."""

    public_section = "data"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = super().dispatch(request, *args, **kwargs)
        if response.status_code in (200, 304):
            response["Access-Control-Allow-Origin"] = "*"
        return response

    def cache_key(self, request: HttpRequest) -> str:
        return f"{super().cache_key(request)}:{request.get_host()}"

    def licence_headers(self, response: HttpResponse) -> HttpResponse:
        response["Link"] = f'<{dcat.licence_url(self.portal)}>; rel="license"'
        return response


class DataView(PublicDataView):
    """The open-data page: every dataset with what its fields mean, its formats, the licence
    and the catalogue."""

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        urls = dcat.Addresses(request, self.municipality)
        datasets = [
            {
                "definition": dataset,
                "downloads": [
                    (dcat.FORMAT_NAMES[fmt], urls.download(dataset, fmt), fmt)
                    for fmt in opendata.FORMATS
                ],
            }
            for dataset in opendata.DATASETS
        ]
        return render(
            request,
            "portal/public/data.html",
            self.context(
                datasets=datasets,
                licence_url=dcat.licence_url(self.portal),
                licence_name=self.portal.get_data_licence_display(),
            ),
        )


class DatasetView(PublicDataView):
    """One dataset in one format: `<dataset>.csv` or `<dataset>.json`; any other a 404."""

    def get(self, request: HttpRequest, *, dataset: str, fmt: str, **kwargs: Any) -> HttpResponse:
        definition = opendata.get_dataset(dataset)
        if definition is None or fmt not in opendata.FORMATS:
            raise Http404
        items = definition.items(self.municipality)
        if fmt == "csv":
            response = HttpResponse(
                opendata.render_csv(definition, items), content_type=opendata.FORMATS["csv"]
            )
            filename = definition.filename(self.municipality, "csv")
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
        else:
            document = {
                "dataset": definition.id,
                "title": str(definition.title),
                "publisher": self.municipality.name,
                "licence": dcat.licence_url(self.portal),
                "generated": timezone.localtime().isoformat(timespec="seconds"),
                "items": items,
            }
            response = HttpResponse(
                json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8"),
                content_type=opendata.FORMATS["json"],
            )
        return self.licence_headers(response)


class CatalogView(PublicDataView):
    """The DCAT-AP-SE catalogue in JSON-LD."""

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        document = dcat.catalog(request, self.municipality, self.portal)
        response = HttpResponse(dcat.render_jsonld(document), content_type=dcat.JSONLD_CONTENT_TYPE)
        return self.licence_headers(response)


class CatalogRdfView(PublicDataView):
    """The DCAT-AP-SE catalogue in RDF/XML, the form dataportal.se harvests."""

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        document = dcat.catalog(request, self.municipality, self.portal)
        response = HttpResponse(
            dcat.render_rdf_xml(document), content_type=dcat.RDF_XML_CONTENT_TYPE
        )
        return self.licence_headers(response)
