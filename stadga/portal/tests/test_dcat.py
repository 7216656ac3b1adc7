"""The DCAT-AP-SE catalogue of the portal's open data (P7.1), read back as RDF: what a data
portal such as dataportal.se harvests."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

import pytest
from defusedxml import ElementTree
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

from stadga.organisation.models import Municipality
from stadga.portal import dcat, opendata
from stadga.portal.models import PortalSettings
from stadga.testing.factories import MunicipalityFactory, PortalSettingsFactory, SystemFactory

# Open namespaces (rdflib's closed ones trip pytest's look for mocks at collection); a term that
# is also a str method (title, format) is read with [].
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
CC0 = URIRef("http://creativecommons.org/publicdomain/zero/1.0/")
EU = "http://publications.europa.eu/resource/authority"

# rdflib's own JSON-LD parser uses its deprecated ConjunctiveGraph inside; nothing of ours.
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")


def jsonld(client: Client, municipality: Municipality, **extra: Any) -> tuple[Any, Graph]:
    response = client.get(reverse("public:catalog", args=[municipality.slug]), **extra)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    document = json.loads(response.content)
    # The context is inline: reading the catalogue fetches nothing from elsewhere.
    assert isinstance(document["@context"], dict)
    return response, Graph().parse(data=response.content, format="json-ld")


def rdf_xml(client: Client, municipality: Municipality) -> tuple[Any, Graph]:
    response = client.get(reverse("public:catalog_rdf", args=[municipality.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/rdf+xml; charset=utf-8"
    root = ElementTree.fromstring(response.content)  # well-formed XML
    assert root.tag == "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}RDF"
    return response, Graph().parse(data=response.content, format="xml")


def one(graph: Graph, subject: Any, predicate: Any) -> Any:
    values = list(graph.objects(subject, predicate))
    assert len(values) == 1, (subject, predicate, values)
    return values[0]


def languages(graph: Graph, subject: Any, predicate: Any) -> set[str]:
    return {o.language for o in graph.objects(subject, predicate) if isinstance(o, Literal)}


@pytest.mark.django_db
def test_catalogue_has_every_dataset_with_two_distributions(
    client: Client, published: Municipality
) -> None:
    response, graph = jsonld(client, published)
    assert response["Link"] == f'<{CC0}>; rel="license"'
    [catalog] = graph.subjects(RDF.type, DCAT.Catalog)
    assert languages(graph, catalog, DCTERMS["title"]) == {"sv", "en"}
    assert languages(graph, catalog, DCTERMS.description) == {"sv", "en"}
    assert one(graph, catalog, DCTERMS.license) == CC0
    assert set(graph.objects(catalog, DCTERMS.language)) == {
        URIRef(f"{EU}/language/SWE"),
        URIRef(f"{EU}/language/ENG"),
    }
    assert one(graph, catalog, DCTERMS.modified).datatype is not None
    assert one(graph, catalog, FOAF.homepage)

    publisher = one(graph, catalog, DCTERMS.publisher)
    assert (publisher, RDF.type, FOAF.Agent) in graph
    assert one(graph, publisher, FOAF.name) == Literal(published.name)
    assert one(graph, publisher, DCTERMS.type) == URIRef(
        "http://purl.org/adms/publishertype/LocalAuthority"
    )

    datasets = set(graph.objects(catalog, DCAT.dataset))
    assert datasets == set(graph.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) == len(opendata.DATASETS) == 8
    identifiers = set()
    for dataset in datasets:
        assert languages(graph, dataset, DCTERMS["title"]) == {"sv", "en"}
        assert languages(graph, dataset, DCTERMS.description) == {"sv", "en"}
        assert one(graph, dataset, DCTERMS.publisher) == publisher
        assert one(graph, dataset, DCAT.theme) == URIRef(f"{EU}/data-theme/GOVE")
        assert one(graph, dataset, DCTERMS.accessRights) == URIRef(f"{EU}/access-right/PUBLIC")
        assert languages(graph, dataset, DCAT.keyword) == {"sv", "en"}
        identifiers.add(one(graph, dataset, DCTERMS.identifier))
        assert one(graph, dataset, DCAT.landingPage)
        contact = one(graph, dataset, DCAT.contactPoint)
        assert (contact, RDF.type, VCARD.Organization) in graph
        assert languages(graph, contact, VCARD.fn) == {"sv", "en"}
        assert one(graph, contact, VCARD.hasEmail) == URIRef("mailto:it@kommun.example")

        distributions = list(graph.objects(dataset, DCAT.distribution))
        assert len(distributions) == 2
        formats = set()
        for distribution in distributions:
            assert (distribution, RDF.type, DCAT.Distribution) in graph
            assert one(graph, distribution, DCTERMS.license) == CC0
            download = one(graph, distribution, DCAT.downloadURL)
            assert one(graph, distribution, DCAT.accessURL) == download
            formats.add(
                (
                    one(graph, distribution, DCTERMS["format"]),
                    one(graph, distribution, DCAT.mediaType),
                )
            )
            assert languages(graph, distribution, DCTERMS["title"]) == {"sv", "en"}
        assert formats == {
            (
                URIRef(f"{EU}/file-type/CSV"),
                URIRef("https://www.iana.org/assignments/media-types/text/csv"),
            ),
            (
                URIRef(f"{EU}/file-type/JSON"),
                URIRef("https://www.iana.org/assignments/media-types/application/json"),
            ),
        }
    assert len(identifiers) == 8


@pytest.mark.django_db
def test_every_address_in_the_catalogue_answers(client: Client, published: Municipality) -> None:
    """Every absolute address of the portal in the catalogue resolves: the downloads, the
    landing pages, the homepage and the identifiers (fragments of the data page)."""
    SystemFactory(municipality=published, is_public=True)
    _, graph = jsonld(client, published)
    ours = {
        str(term)
        for triple in graph
        for term in triple
        if isinstance(term, URIRef) and str(term).startswith("http://testserver/")
    }
    downloads = {str(o) for o in graph.objects(None, DCAT.downloadURL)}
    assert len(downloads) == 16
    assert downloads <= ours
    for address in ours:
        response = client.get(urlsplit(address)._replace(fragment="").geturl())
        assert response.status_code == 200, address
        assert urlsplit(address).path.startswith(f"/p/{published.slug}/")


@pytest.mark.django_db
def test_download_addresses_serve_their_format(client: Client, published: Municipality) -> None:
    _, graph = jsonld(client, published)
    for distribution in graph.subjects(RDF.type, DCAT.Distribution):
        download = str(one(graph, distribution, DCAT.downloadURL))
        media_type = str(one(graph, distribution, DCAT.mediaType)).rsplit("media-types/", 1)[1]
        response = client.get(download)
        assert response["Content-Type"].split(";")[0] == media_type


@pytest.mark.django_db
def test_rdf_xml_is_the_same_graph(client: Client, published: Municipality) -> None:
    _, from_jsonld = jsonld(client, published)
    response, from_xml = rdf_xml(client, published)
    assert response["Link"] == f'<{CC0}>; rel="license"'
    assert isomorphic(from_jsonld, from_xml)
    assert len(list(from_xml.subjects(RDF.type, DCAT.Dataset))) == 8
    assert len(list(from_xml.subjects(RDF.type, DCAT.Distribution))) == 16
    assert b"xmlns:dcat=" in response.content


@pytest.mark.django_db
def test_titles_in_swedish_and_english(client: Client, published: Municipality) -> None:
    _, graph = jsonld(client, published)
    systems = URIRef(f"http://testserver/p/{published.slug}/data/#dataset-systems")
    titles = {t.language: str(t) for t in graph.objects(systems, DCTERMS["title"])}
    assert titles["en"] == "IT systems"
    assert titles["sv"]  # Swedish once translated; never missing


@pytest.mark.django_db
def test_without_contact_address_no_contact_point(client: Client, published: Municipality) -> None:
    """DCAT-AP-SE's contact point needs an e-mail address: none is better than an empty one."""
    PortalSettings.objects.filter(municipality=published).update(contact_email="")
    _, graph = jsonld(client, published)
    assert not list(graph.objects(None, DCAT.contactPoint))
    assert len(list(graph.subjects(RDF.type, DCAT.Dataset))) == 8


@pytest.mark.django_db
def test_addresses_follow_the_host_even_when_cached(
    client: Client, published: Municipality
) -> None:
    _, first = jsonld(client, published)
    _, other = jsonld(client, published, HTTP_HOST="localhost")
    [catalog] = other.subjects(RDF.type, DCAT.Catalog)
    assert str(catalog).startswith("http://localhost/")
    [catalog] = first.subjects(RDF.type, DCAT.Catalog)
    assert str(catalog).startswith("http://testserver/")


@pytest.mark.django_db
def test_unpublished_portal_has_no_catalogue(client: Client) -> None:
    hidden = MunicipalityFactory()
    PortalSettingsFactory(municipality=hidden, is_published=False)
    for name in ("public:catalog", "public:catalog_rdf"):
        assert client.get(reverse(name, args=[hidden.slug])).status_code == 404
        assert client.get(reverse(name, args=["no-such-kommun"])).status_code == 404


@pytest.mark.django_db
def test_catalogue_reads_no_rows(
    client: Client, published: Municipality, django_assert_max_num_queries: Any
) -> None:
    for _ in range(5):
        SystemFactory(municipality=published, is_public=True)
    for name in ("public:catalog", "public:catalog_rdf"):
        cache.clear()
        with django_assert_max_num_queries(1):  # the municipality and its portal
            assert client.get(reverse(name, args=[published.slug])).status_code == 200


def test_context_names_the_namespaces_rdflib_knows() -> None:
    from rdflib.namespace import DCAT as KNOWN_DCAT
    from rdflib.namespace import DCTERMS as KNOWN_DCTERMS
    from rdflib.namespace import FOAF as KNOWN_FOAF

    assert dcat.CONTEXT["dcat"] == str(KNOWN_DCAT) == str(DCAT)
    assert dcat.CONTEXT["dcterms"] == str(KNOWN_DCTERMS) == str(DCTERMS)
    assert dcat.CONTEXT["foaf"] == str(KNOWN_FOAF) == str(FOAF)
    assert dcat.CONTEXT["vcard"] == str(VCARD)
