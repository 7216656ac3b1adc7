"""The portal's open data described as a DCAT-AP-SE catalogue (P7.1), the Swedish profile of
DCAT-AP that Sweden's data portal (dataportal.se) harvests.

The catalogue is built once, as a JSON-LD document with an inline context (so that reading it
fetches nothing), from the dataset declarations in `opendata.py`. The RDF/XML form is the same
graph, written by rdflib from that document: the two can never say different things.

Every address in it is absolute, built from the request. Titles, descriptions and keywords are
given in Swedish and English, language-tagged, as DCAT-AP-SE asks.
"""

from __future__ import annotations

import json
import warnings
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from stadga.organisation.models import Municipality

from .choices import LICENCE_URLS
from .models import PortalSettings
from .opendata import DATASETS, FORMATS, Dataset

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
# The metadata's languages: Swedish first, English for everyone else (DCAT-AP-SE asks for at
# least English beside Swedish).
LANGUAGES = ("sv", "en")

# The EU's controlled vocabularies that DCAT-AP and DCAT-AP-SE require.
AUTHORITY = "http://publications.europa.eu/resource/authority"
LANGUAGE_URIS = {"sv": f"{AUTHORITY}/language/SWE", "en": f"{AUTHORITY}/language/ENG"}
THEME_TAXONOMY = f"{AUTHORITY}/data-theme"
THEME_GOVERNMENT = f"{AUTHORITY}/data-theme/GOVE"  # Government and public sector
ACCESS_PUBLIC = f"{AUTHORITY}/access-right/PUBLIC"
# The data is read live from the municipality's register: it changes whenever the register does.
UPDATED_CONTINUOUSLY = f"{AUTHORITY}/frequency/UPDATE_CONT"
FILE_TYPES = {"csv": f"{AUTHORITY}/file-type/CSV", "json": f"{AUTHORITY}/file-type/JSON"}
MEDIA_TYPES = {
    "csv": "https://www.iana.org/assignments/media-types/text/csv",
    "json": "https://www.iana.org/assignments/media-types/application/json",
}
FORMAT_NAMES = {"csv": "CSV", "json": "JSON"}
# The kind of publisher (ADMS publisher type): a municipality is a local authority.
LOCAL_AUTHORITY = "http://purl.org/adms/publishertype/LocalAuthority"

JSONLD_CONTENT_TYPE = "application/ld+json"
RDF_XML_CONTENT_TYPE = "application/rdf+xml; charset=utf-8"


def tagged(text: str | Promise, **values: Any) -> list[dict[str, str]]:
    """A translatable text in each of the metadata's languages, language-tagged."""
    result = []
    for language in LANGUAGES:
        with translation.override(language):
            value = str(text) % values if values else str(text)
        result.append({"@value": value, "@language": language})
    return result


def _ref(uri: str) -> dict[str, str]:
    return {"@id": uri}


def _absolute(request: HttpRequest, name: str, **kwargs: Any) -> str:
    return request.build_absolute_uri(reverse(name, kwargs=kwargs))


class Addresses:
    """The absolute addresses of one municipality's open data, from the request."""

    def __init__(self, request: HttpRequest, municipality: Municipality) -> None:
        self.request = request
        self.slug = municipality.slug
        self.data_page = _absolute(request, "public:data", municipality=self.slug)

    def download(self, dataset: Dataset, fmt: str) -> str:
        return _absolute(
            self.request, "public:dataset", municipality=self.slug, dataset=dataset.id, fmt=fmt
        )

    def homepage(self) -> str:
        """The portal's first page, or the data page while there is none."""
        try:
            return _absolute(self.request, "public:home", municipality=self.slug)
        except NoReverseMatch:
            return self.data_page

    # Identifiers of the things described; fragments of the data page, where each is described.
    @property
    def catalog(self) -> str:
        return f"{self.data_page}#catalog"

    @property
    def publisher(self) -> str:
        return f"{self.data_page}#publisher"

    @property
    def contact(self) -> str:
        return f"{self.data_page}#contact"

    def dataset(self, dataset: Dataset) -> str:
        return f"{self.data_page}#dataset-{dataset.id}"

    def landing_page(self, dataset: Dataset) -> str:
        return f"{self.data_page}#{dataset.id}"

    def distribution(self, dataset: Dataset, fmt: str) -> str:
        return f"{self.data_page}#dataset-{dataset.id}-{fmt}"


def licence_url(portal: PortalSettings) -> str:
    return LICENCE_URLS[portal.data_licence]  # type: ignore[index]


def catalog(request: HttpRequest, municipality: Municipality, portal: PortalSettings) -> dict:
    """The municipality's open data as a DCAT-AP-SE catalogue, in JSON-LD."""
    urls = Addresses(request, municipality)
    licence = licence_url(portal)
    publisher = {
        "@id": urls.publisher,
        "@type": "foaf:Agent",
        "foaf:name": municipality.name,
        "dcterms:type": _ref(LOCAL_AUTHORITY),
    }
    if portal.contact_email:
        publisher["foaf:mbox"] = _ref(f"mailto:{portal.contact_email}")
    contact = None
    if portal.contact_email:
        # DCAT-AP-SE: a contact point has a name and an e-mail address.
        contact = {
            "@id": urls.contact,
            "@type": "vcard:Organization",
            "vcard:fn": tagged(_("%(municipality)s, IT"), municipality=municipality.name),
            "vcard:hasEmail": _ref(f"mailto:{portal.contact_email}"),
        }
    return {
        "@context": CONTEXT,
        "@id": urls.catalog,
        "@type": "dcat:Catalog",
        "dcterms:title": tagged(
            _("Open data on IT in %(municipality)s"), municipality=municipality.name
        ),
        "dcterms:description": tagged(
            _(
                "What %(municipality)s publishes about its IT on its public portal, as open "
                "data: its public IT systems, product decisions, IT plans, status reports, "
                "contacts and answers to residents."
            ),
            municipality=municipality.name,
        ),
        "dcterms:publisher": publisher,
        "dcterms:language": [_ref(LANGUAGE_URIS[lang]) for lang in LANGUAGES],
        "dcterms:license": _ref(licence),
        "foaf:homepage": _ref(urls.homepage()),
        "dcterms:modified": {"@value": timezone.localdate().isoformat(), "@type": "xsd:date"},
        "dcat:themeTaxonomy": _ref(THEME_TAXONOMY),
        "dcat:dataset": [_dataset(urls, d, licence, contact) for d in DATASETS],
    }


def _dataset(urls: Addresses, dataset: Dataset, licence: str, contact: dict | None) -> dict:
    node: dict[str, Any] = {
        "@id": urls.dataset(dataset),
        "@type": "dcat:Dataset",
        "dcterms:identifier": urls.dataset(dataset),
        "dcterms:title": tagged(dataset.title),
        "dcterms:description": tagged(dataset.description),
        "dcterms:publisher": _ref(urls.publisher),
        "dcat:theme": _ref(THEME_GOVERNMENT),
        "dcat:keyword": [k for keyword in dataset.keywords for k in tagged(keyword)],
        "dcterms:accessRights": _ref(ACCESS_PUBLIC),
        "dcat:landingPage": _ref(urls.landing_page(dataset)),
        "dcterms:language": _ref(LANGUAGE_URIS["sv"]),
        "dcterms:accrualPeriodicity": _ref(UPDATED_CONTINUOUSLY),
        "dcat:distribution": [_distribution(urls, dataset, fmt, licence) for fmt in FORMATS],
    }
    if contact is not None:
        node["dcat:contactPoint"] = contact
    return node


def _distribution(urls: Addresses, dataset: Dataset, fmt: str, licence: str) -> dict:
    download = urls.download(dataset, fmt)
    return {
        "@id": urls.distribution(dataset, fmt),
        "@type": "dcat:Distribution",
        "dcterms:title": tagged(
            _("%(dataset)s (%(format)s)"), dataset=dataset.title, format=FORMAT_NAMES[fmt]
        ),
        "dcat:accessURL": _ref(download),
        "dcat:downloadURL": _ref(download),
        "dcterms:format": _ref(FILE_TYPES[fmt]),
        "dcat:mediaType": _ref(MEDIA_TYPES[fmt]),
        "dcterms:license": _ref(licence),
    }


def render_jsonld(document: dict) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def render_rdf_xml(document: dict) -> bytes:
    """The same catalogue as RDF/XML, the form dataportal.se harvests."""
    from rdflib import Graph

    graph = Graph()
    with warnings.catch_warnings():
        # rdflib 7's own JSON-LD parser uses its deprecated ConjunctiveGraph inside; not ours.
        warnings.filterwarnings("ignore", category=DeprecationWarning, module="rdflib")
        graph.parse(data=json.dumps(document), format="json-ld")
    for prefix, namespace in CONTEXT.items():
        graph.bind(prefix, namespace)
    return graph.serialize(format="pretty-xml", encoding="utf-8")
