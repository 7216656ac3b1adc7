"""The import's new titles: created in one statement per chunk, their ids returned; a title
another import created meanwhile is used but is not this import's new title (P5.4)."""

from __future__ import annotations

import io

import pytest

from stadga.inventory import services
from stadga.inventory.models import Installation, SoftwareTitle
from stadga.inventory.services import inventory_import
from stadga.testing.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

HEADER = "Enhet;Användare;Förvaltning;Programvara;Version;Utgivare;Installerad\n"
ROWS = [
    "PC1;anna;;Program A;1.0;Leverantör AB;2025-01-02",
    "PC1;anna;;Program B;2.0;;",
    "PC2;bo;;Program A;1.0;Leverantör AB;",
    "PC2;bo;;Program C;;Leverantör AB;",
]


def _import(municipality):
    data = (HEADER + "".join(row + "\n" for row in ROWS)).encode()
    return inventory_import(
        municipality=municipality,
        source_name="GLPI",
        fmt="csv",
        stream=io.BytesIO(data),
        file_name="inventering.csv",
        actor=None,
        on_error="refuse",
    )


def test_a_title_created_meanwhile_is_used_but_not_new(monkeypatch):
    municipality = MunicipalityFactory()
    create = services._Loader._create_titles
    loaders: list[services._Loader] = []
    meanwhile: list[SoftwareTitle] = []

    def with_a_concurrent_import(loader: services._Loader, keys: set) -> None:
        # Another import commits "Program A" after this one read the register, before it inserts.
        assert ("Program A", "1.0", "Leverantör AB") not in keys
        assert ("Program A", "Leverantör AB", "1.0") in keys
        meanwhile.append(
            SoftwareTitle.objects.create(
                municipality=municipality,
                name="Program A",
                publisher="Leverantör AB",
                version="1.0",
            )
        )
        loaders.append(loader)
        create(loader, keys)

    monkeypatch.setattr(services._Loader, "_create_titles", with_a_concurrent_import)
    snapshot = _import(municipality)

    titles = dict(SoftwareTitle.objects.filter(municipality=municipality).values_list("name", "pk"))
    assert set(titles) == {"Program A", "Program B", "Program C"}
    (loader,) = loaders
    assert loader.titles[("Program A", "Leverantör AB", "1.0")] == meanwhile[0].pk
    if services.connection.features.can_return_rows_from_bulk_insert:
        assert loader.new_titles == {titles["Program B"], titles["Program C"]}
    else:  # The fallback cannot tell a concurrent import's title from its own.
        assert loader.new_titles == set(titles.values())
    assert sorted(
        Installation.objects.filter(snapshot=snapshot).values_list("device__name", "title__name")
    ) == [
        ("PC1", "Program A"),
        ("PC1", "Program B"),
        ("PC2", "Program A"),
        ("PC2", "Program C"),
    ]


def test_a_second_import_creates_no_titles():
    municipality = MunicipalityFactory()
    _import(municipality)
    before = set(SoftwareTitle.objects.filter(municipality=municipality).values_list("pk"))
    loaders: list[services._Loader] = []
    create = services._Loader._create_titles

    def recording(loader: services._Loader, keys: set) -> None:
        loaders.append(loader)
        create(loader, keys)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(services._Loader, "_create_titles", recording)
        _import(municipality)
    assert set(SoftwareTitle.objects.filter(municipality=municipality).values_list("pk")) == before
    assert [loader.new_titles for loader in loaders] == [set()]
