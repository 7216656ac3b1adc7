"""The requirement catalogue as data: the shipped file, the checks with line numbers, loading
(idempotent, a changed text under the same version refused) and the command (P9.1)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from stadga.security.catalogue import (
    ISO_27002_2022_CONTROLS,
    CatalogueError,
    parse_catalogue,
    read_catalogue,
    shipped_catalogues,
)
from stadga.security.choices import RequirementCategory
from stadga.security.models import Requirement, RequirementCatalogue
from stadga.security.services_classification import requirement_catalogue_load
from stadga.systems.choices import Aspect

SHIPPED = Path(__file__).resolve().parents[1] / "library" / "baseline-requirements.yaml"

SMALL = """\
format: 1
key: test-catalogue
version: "1"
title: Testkrav
requirements:
  - code: T-01
    category: backup
    aspect: availability
    level: 2
    iso_control: "8.13"
    text: Återläsning provas.
    text_en: Restores are tested.
  - code: T-02
    category: personal_data
    aspect: confidentiality
    level: 4
    iso_control: "5.34"
    personal_data: true
    text: Biträdesavtal finns.
"""


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):  # the messages asserted are the English msgids
        yield


def messages(error: CatalogueError) -> str:
    return "\n".join(error.messages)


# --- The shipped catalogue ---------------------------------------------------------------------


def test_the_shipped_catalogue_is_found_and_checks() -> None:
    assert SHIPPED in shipped_catalogues()
    catalogue = read_catalogue(SHIPPED)
    assert catalogue.key == "stadga-baseline"
    assert catalogue.version == "2026.1"
    assert catalogue.title and catalogue.title_en


def test_the_shipped_catalogue_has_40_requirements_in_every_category() -> None:
    catalogue = read_catalogue(SHIPPED)
    assert len(catalogue.requirements) >= 40
    assert {r.category for r in catalogue.requirements} == set(RequirementCategory.values)
    assert {r.aspect for r in catalogue.requirements} == set(Aspect.values)
    assert {r.level for r in catalogue.requirements} == {1, 2, 3, 4}
    assert any(r.personal_data for r in catalogue.requirements)


def test_every_shipped_requirement_is_complete_and_cites_a_control_by_number() -> None:
    for r in read_catalogue(SHIPPED).requirements:
        assert re.fullmatch(r"KR-\d{2}", r.code), r.code
        assert r.text and r.text_en, r.code
        # A control number, never the standard's text.
        clause, number = r.iso_control.split(".")
        assert 1 <= int(number) <= ISO_27002_2022_CONTROLS[int(clause)], r.code
        assert "ISO" not in r.text and "27002" not in r.text


@pytest.mark.django_db
def test_loading_stores_every_requirement_in_order() -> None:
    result = requirement_catalogue_load(catalogue=read_catalogue(SHIPPED), actor=None)
    assert result.created
    stored = result.catalogue
    assert stored.checksum == read_catalogue(SHIPPED).checksum
    codes = list(stored.requirements.values_list("code", flat=True))
    assert codes == [r.code for r in read_catalogue(SHIPPED).requirements]
    first = stored.requirements.get(code="KR-01")
    assert (first.order, first.category, first.aspect, first.level) == (
        1,
        "access_control",
        "confidentiality",
        1,
    )


# --- Loading is idempotent; a changed text needs a new version ---------------------------------


@pytest.mark.django_db
def test_loading_the_same_content_again_writes_nothing() -> None:
    requirement_catalogue_load(catalogue=parse_catalogue(SMALL), actor=None)
    # Comments and layout are not content.
    again = parse_catalogue("# a comment\n" + SMALL.replace("title: Testkrav", "title:  Testkrav"))
    result = requirement_catalogue_load(catalogue=again, actor=None)
    assert not result.created
    assert RequirementCatalogue.objects.count() == 1
    assert Requirement.objects.count() == 2


@pytest.mark.django_db
def test_changed_content_under_the_same_version_is_refused() -> None:
    requirement_catalogue_load(catalogue=parse_catalogue(SMALL), actor=None)
    changed = parse_catalogue(SMALL.replace("level: 2", "level: 3"))
    with pytest.raises(CatalogueError, match="already loaded with different requirements"):
        requirement_catalogue_load(catalogue=changed, actor=None)
    assert Requirement.objects.get(code="T-01").level == 2
    # Under a new version it loads next to the old one.
    newer = parse_catalogue(SMALL.replace("level: 2", "level: 3").replace('"1"', '"2"'))
    assert requirement_catalogue_load(catalogue=newer, actor=None).created
    assert RequirementCatalogue.objects.count() == 2


# --- Checks with line numbers ----------------------------------------------------------------


def test_schema_errors_name_their_line_and_field() -> None:
    broken = (
        SMALL.replace("category: backup", "category: backups")  # line 7
        .replace("level: 2", "level: 7")  # line 9
        .replace("    text: Biträdesavtal finns.\n", "")  # T-02 has no text (item on line 13)
    )
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(broken, source="krav.yaml")
    text = messages(caught.value)
    assert "line 7, requirements[0].category:" in text
    assert "line 9, requirements[0].level:" in text
    assert "line 13, requirements[1]:" in text and "'text' is a required property" in text
    assert str(caught.value).startswith("krav.yaml: line 7")


def test_an_unknown_field_is_reported_on_its_own_line() -> None:
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(SMALL.replace("    text_en: Restores", "    txt_en: Restores"))
    assert "line 12, requirements[0].txt_en: unknown field" in messages(caught.value)


def test_duplicate_codes_and_unknown_controls_are_reported() -> None:
    broken = SMALL.replace("code: T-02", "code: T-01").replace('"5.34"', '"5.38"')
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(broken)
    text = messages(caught.value)
    assert "line 13, requirements[1].code: requirement T-01 appears twice (first on line 6)" in text
    assert "line 17, requirements[1].iso_control: 5.38 is not a control" in text


def test_an_unquoted_control_number_is_explained() -> None:
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(SMALL.replace('"8.13"', "8.10"))
    assert "line 10, requirements[0].iso_control: write the control number in quotes" in (
        messages(caught.value)
    )


def test_yaml_syntax_errors_name_their_line() -> None:
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(SMALL.replace("    level: 4\n", "    level: [4\n"))
    assert re.search(r"line \d+: YAML syntax error", messages(caught.value))


def test_an_empty_or_unreadable_file() -> None:
    with pytest.raises(CatalogueError, match="line 1: the file is empty"):
        parse_catalogue("")
    with pytest.raises(CatalogueError, match="cannot be read"):
        read_catalogue("/nonexistent/krav.yaml")


# --- The command ----------------------------------------------------------------------------


def run(*args: str) -> str:
    out = StringIO()
    call_command("security", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_command_loads_the_shipped_catalogue_once() -> None:
    assert "Loaded stadga-baseline version 2026.1" in run("load-requirements", "--shipped")
    assert "already loaded" in run("load-requirements", "--shipped")
    assert RequirementCatalogue.objects.count() == 1


@pytest.mark.django_db
def test_command_reports_every_error_and_loads_nothing_from_a_broken_file(
    tmp_path: Any,
) -> None:
    broken = tmp_path / "krav.yaml"
    broken.write_text(SMALL.replace("level: 2", "level: 0"), encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        run("load-requirements", str(broken))
    assert "krav.yaml: line 9, requirements[0].level" in str(caught.value)
    assert "1 of 1 files could not be loaded" in str(caught.value)
    assert not RequirementCatalogue.objects.exists()


@pytest.mark.django_db
def test_command_needs_a_file_or_shipped() -> None:
    with pytest.raises(CommandError, match="--shipped"):
        run("load-requirements")
