"""The inventory parsers read real files, row by row, and say which row is wrong."""

import datetime
import json
import tracemalloc
from pathlib import Path

import pytest

from stadga.inventory.parsers import (
    FileFormatError,
    RawInstallation,
    RowError,
    parse,
    parse_date,
)


def _parse(path: Path, fmt: str) -> list[RawInstallation | RowError]:
    with path.open("rb") as stream:
        return list(parse(stream, fmt))


def _write(tmp_path: Path, content: str | bytes, name: str = "inventory.csv") -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


SWEDISH_CSV = (
    "Enhet;Användare;Förvaltning;Programvara;Version;Utgivare;Installerad\n"
    "DATOR-ÅSA-01;åsa.öberg;Miljöförvaltningen;Kartverktyg Ängsö;2.1;Lantmäteriet;2024-03-05\n"
    "DATOR-ÅSA-01;åsa.öberg;Miljöförvaltningen;LibreOffice;24.2;The Document Foundation;\n"
)


# --- generic CSV ---------------------------------------------------------------------------------


def test_csv_swedish_headers_and_characters(tmp_path):
    rows = _parse(_write(tmp_path, SWEDISH_CSV), "csv")
    assert rows == [
        RawInstallation(
            line=2,
            device="DATOR-ÅSA-01",
            user="åsa.öberg",
            department="Miljöförvaltningen",
            name="Kartverktyg Ängsö",
            version="2.1",
            publisher="Lantmäteriet",
            install_date=datetime.date(2024, 3, 5),
            arch="",
            category="",
        ),
        RawInstallation(
            line=3,
            device="DATOR-ÅSA-01",
            user="åsa.öberg",
            department="Miljöförvaltningen",
            name="LibreOffice",
            version="24.2",
            publisher="The Document Foundation",
            install_date=None,
            arch="",
            category="",
        ),
    ]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_english_headers_any_delimiter(tmp_path, delimiter):
    header = ["  device ", "USER", "Department", "Software name", "version", "Publisher"]
    header.append("Install date")
    row = ["pc-7", "bo", "Skola", "Notepad++", "8.6", "Don Ho", "05.03.2024"]
    content = delimiter.join(header) + "\r\n" + delimiter.join(row) + "\r\n"
    [installation] = _parse(_write(tmp_path, content), "csv")
    assert isinstance(installation, RawInstallation)
    assert (installation.device, installation.name, installation.version) == (
        "pc-7",
        "Notepad++",
        "8.6",
    )
    assert installation.department == "Skola"
    assert installation.install_date == datetime.date(2024, 3, 5)


def test_csv_quoted_fields_with_delimiter_inside(tmp_path):
    content = 'Device,Name,Publisher\npc-1,"Office, svensk",Microsoft\n'
    [installation] = _parse(_write(tmp_path, content), "csv")
    assert isinstance(installation, RawInstallation)
    assert installation.name == "Office, svensk"


def test_csv_utf8_with_bom(tmp_path):
    rows = _parse(_write(tmp_path, b"\xef\xbb\xbf" + SWEDISH_CSV.encode()), "csv")
    assert [row.device for row in rows if isinstance(row, RawInstallation)] == ["DATOR-ÅSA-01"] * 2


def test_csv_windows_1252(tmp_path):
    rows = _parse(_write(tmp_path, SWEDISH_CSV.encode("cp1252")), "csv")
    assert all(isinstance(row, RawInstallation) for row in rows)
    first = rows[0]
    assert isinstance(first, RawInstallation)
    assert (first.user, first.name) == ("åsa.öberg", "Kartverktyg Ängsö")


def test_csv_later_line_in_wrong_encoding_is_a_row_error(tmp_path):
    # The encoding is chosen from the first 64 KiB, which here are UTF-8.
    padding = "".join(f"pc-{number};;;Åtgärdsprogram {number};1;;\n" for number in range(3000))
    content = SWEDISH_CSV.encode() + padding.encode() + "pc-9;;;Ölprogram;1;;\n".encode("cp1252")
    content += b"pc-9;;;Paint;1;;\n"
    rows = _parse(_write(tmp_path, content), "csv")
    assert [type(row) for row in rows] == [RawInstallation] * 3002 + [RowError, RawInstallation]
    error = rows[3002]
    assert isinstance(error, RowError)
    assert error.line == 3004
    assert "3004" in error.message
    assert isinstance(rows[5], RawInstallation)
    assert rows[5].name == "Åtgärdsprogram 3"


def test_csv_broken_rows_in_the_middle(tmp_path):
    content = (
        "Device,User,Software,Install date\n"
        "pc-1,anna,Firefox,2024-01-02\n"
        "pc-2,bengt,Chrome,den tredje mars\n"
        ",cecilia,Zoom,2024-01-02\n"
        "pc-4,david,,2024-01-02\n"
        "\n"
        "pc-6,erik,Teams,20240107\n"
    )
    rows = _parse(_write(tmp_path, content), "csv")
    assert [(type(row).__name__, row.line) for row in rows] == [
        ("RawInstallation", 2),
        ("RowError", 3),
        ("RowError", 4),
        ("RowError", 5),
        ("RawInstallation", 7),
    ]
    assert "den tredje mars" in rows[1].message
    last = rows[-1]
    assert isinstance(last, RawInstallation)
    assert last.install_date == datetime.date(2024, 1, 7)


def test_csv_missing_columns_are_named(tmp_path):
    path = _write(tmp_path, "Användare;Version\nanna;1.0\n")
    with pytest.raises(FileFormatError) as raised:
        _parse(path, "csv")
    message = str(raised.value)
    assert "Enhet/Device" in message
    assert "Programvara/Software" in message
    assert "Användare" in message


@pytest.mark.parametrize("content", [b"", b"   \n\r\n"])
def test_csv_empty_file(tmp_path, content):
    with pytest.raises(FileFormatError):
        _parse(_write(tmp_path, content), "csv")


def test_csv_only_header_yields_nothing(tmp_path):
    assert _parse(_write(tmp_path, "Enhet;Programvara\n"), "csv") == []


def test_csv_given_json(tmp_path):
    path = _write(tmp_path, json.dumps({"content": {"softwares": []}}))
    with pytest.raises(FileFormatError, match="JSON"):
        _parse(path, "csv")


def test_csv_given_an_intune_export_suggests_the_intune_format(tmp_path):
    path = _write(tmp_path, "ApplicationName,DeviceName\nZoom,pc-1\n")
    with pytest.raises(FileFormatError, match="Intune"):
        _parse(path, "csv")


def test_csv_given_a_workbook(tmp_path):
    with pytest.raises(FileFormatError):
        _parse(_write(tmp_path, b"PK\x03\x04" + b"\x00" * 100), "csv")


def test_csv_streams_without_holding_the_file(tmp_path):
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8") as out:
        out.write("Enhet;Användare;Förvaltning;Programvara;Version;Utgivare;Installerad\n")
        for number in range(200_000):
            out.write(
                f"DATOR-{number % 5000:05};användare{number % 900};Förvaltning {number % 12};"
                f"Program {number % 3000};1.{number % 40};Utgivare {number % 200};2024-01-15\n"
            )
    assert path.stat().st_size > 15 * 1024 * 1024
    count = 0
    tracemalloc.start()
    try:
        with path.open("rb") as stream:
            for row in parse(stream, "csv"):
                assert isinstance(row, RawInstallation)
                count += 1
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 200_000
    assert peak < 20 * 1024 * 1024, peak
    assert peak < path.stat().st_size / 4, peak


# --- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-05", datetime.date(2024, 3, 5)),
        ("2024-03-05T10:11:12Z", datetime.date(2024, 3, 5)),
        ("2024-03-05 10:11", datetime.date(2024, 3, 5)),
        ("20240305", datetime.date(2024, 3, 5)),
        ("2024/03/05", datetime.date(2024, 3, 5)),
        ("05/03/2024", datetime.date(2024, 3, 5)),
        ("5.3.2024", datetime.date(2024, 3, 5)),
        ("12/31/2024", datetime.date(2024, 12, 31)),
        ("", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["2024-02-30", "igår", "31/31/2024", "2024"])
def test_parse_date_rejects_nonsense(text):
    with pytest.raises(ValueError):
        parse_date(text)


# --- GLPI JSON -----------------------------------------------------------------------------------


def _glpi_document(device: str, *softwares: dict, user: str = "åsa") -> dict:
    return {
        "action": "inventory",
        "deviceid": f"{device}-2024-01-01-00-00-00",
        "itemtype": "Computer",
        "content": {
            "hardware": {"name": device, "lastloggeduser": user},
            "softwares": list(softwares),
        },
    }


KARTA = {
    "name": "Kartverktyg Ängsö",
    "version": "2.1",
    "publisher": "Lantmäteriet",
    "arch": "x86_64",
    "install_date": "2024-03-05",
    "system_category": "Application",
}
GIT = {
    "name": "git",
    "version": "2.43",
    "publisher": "Fedora Project",
    "install_date": "05/03/2024",
}


def test_glpi_single_document(tmp_path):
    document = _glpi_document("DATOR-ÖRE-1", KARTA, GIT)
    path = _write(tmp_path, json.dumps(document, indent=4, ensure_ascii=False), "inv.json")
    rows = _parse(path, "glpi-json")
    assert rows[0] == RawInstallation(
        line=1,
        device="DATOR-ÖRE-1",
        user="åsa",
        department="",
        name="Kartverktyg Ängsö",
        version="2.1",
        publisher="Lantmäteriet",
        install_date=datetime.date(2024, 3, 5),
        arch="x86_64",
        category="Application",
    )
    assert isinstance(rows[1], RawInstallation)
    assert rows[1].install_date == datetime.date(2024, 3, 5)
    assert len(rows) == 2


def test_glpi_array_and_json_lines_give_the_same_rows(tmp_path):
    documents = [
        _glpi_document("pc-1", KARTA),
        _glpi_document("pc-2", GIT, KARTA),
        _glpi_document("pc-3", GIT),
    ]
    array = _write(tmp_path, json.dumps(documents, indent=2, ensure_ascii=False), "a.json")
    lines = "\n".join(json.dumps(document, ensure_ascii=False) for document in documents)
    jsonl = _write(tmp_path, b"\xef\xbb\xbf" + lines.encode() + b"\n", "b.jsonl")
    from_array, from_lines = _parse(array, "glpi-json"), _parse(jsonl, "glpi-json")
    assert from_array == from_lines
    assert [(row.line, row.device) for row in from_array] == [
        (1, "pc-1"),
        (2, "pc-2"),
        (2, "pc-2"),
        (3, "pc-3"),
    ]


def test_glpi_device_and_user_fallbacks(tmp_path):
    document = {
        "deviceid": "glpixps-2018-07-09",
        "content": {"users": [{"login": "örjan"}], "softwares": [GIT]},
    }
    [row] = _parse(_write(tmp_path, json.dumps(document), "x.json"), "glpi-json")
    assert isinstance(row, RawInstallation)
    assert (row.device, row.user) == ("glpixps-2018-07-09", "örjan")


def test_glpi_truncated_array_yields_what_was_read(tmp_path):
    documents = [_glpi_document("pc-1", KARTA), _glpi_document("pc-2", GIT)]
    text = json.dumps(documents, ensure_ascii=False)
    cut = text[: text.index('"pc-2"') + 20]
    rows = _parse(_write(tmp_path, cut, "cut.json"), "glpi-json")
    assert isinstance(rows[0], RawInstallation)
    assert rows[0].device == "pc-1"
    error = rows[-1]
    assert isinstance(error, RowError)
    assert error.line == 2
    assert "avkortad" in error.message
    assert len(rows) == 2


def test_glpi_truncated_json_lines(tmp_path):
    lines = [json.dumps(_glpi_document(f"pc-{number}", GIT)) for number in (1, 2, 3)]
    text = "\n".join(lines)
    rows = _parse(_write(tmp_path, text[:-30], "cut.jsonl"), "glpi-json")
    assert [(type(row).__name__, row.line) for row in rows] == [
        ("RawInstallation", 1),
        ("RawInstallation", 2),
        ("RowError", 3),
    ]


def test_glpi_later_document_not_utf8(tmp_path):
    content = json.dumps(_glpi_document("pc-1", GIT)).encode() + b"\n"
    content += (
        b" " * (70 * 1024) + b"\n" + '{"content": {"hardware": {"name": "Ö"}}}'.encode("cp1252")
    )
    rows = _parse(_write(tmp_path, content, "x.jsonl"), "glpi-json")
    assert isinstance(rows[0], RawInstallation)
    error = rows[-1]
    assert isinstance(error, RowError)
    assert error.line == 2


def test_glpi_truncated_first_document_is_a_file_error(tmp_path):
    text = json.dumps(_glpi_document("pc-1", KARTA))
    with pytest.raises(FileFormatError, match="avkortad"):
        _parse(_write(tmp_path, text[:50], "cut.json"), "glpi-json")


def test_glpi_broken_line_in_json_lines(tmp_path):
    lines = [
        json.dumps(_glpi_document("pc-1", KARTA)),
        '{"content": {"hardware": {"name": "pc-2"}, "softwares": [{"name": }]}}',
        json.dumps(_glpi_document("pc-3", GIT)),
    ]
    rows = _parse(_write(tmp_path, "\n".join(lines), "x.jsonl"), "glpi-json")
    assert [(type(row).__name__, row.line) for row in rows] == [
        ("RawInstallation", 1),
        ("RowError", 2),
        ("RawInstallation", 3),
    ]


def test_glpi_bad_entries_are_row_errors(tmp_path):
    document = _glpi_document("pc-1", {"version": "1"}, {**GIT, "install_date": "okänt"}, KARTA)
    rows = _parse(_write(tmp_path, json.dumps(document), "x.json"), "glpi-json")
    assert [type(row).__name__ for row in rows] == ["RowError", "RowError", "RawInstallation"]
    assert "okänt" in rows[1].message


@pytest.mark.parametrize(
    "content",
    [b"", b"  \n", b"Enhet;Programvara\npc;x\n", b'{"hello": "world"}', b"\xff\xfe{\x00"],
)
def test_glpi_unusable_files(tmp_path, content):
    with pytest.raises(FileFormatError):
        _parse(_write(tmp_path, content, "x.json"), "glpi-json")


def test_glpi_large_document_across_many_reads(tmp_path):
    softwares = [{**KARTA, "name": f"Program {number}"} for number in range(5000)]
    path = _write(tmp_path, json.dumps([_glpi_document("pc-1", *softwares)] * 3), "big.json")
    rows = _parse(path, "glpi-json")
    assert len(rows) == 15_000
    assert all(isinstance(row, RawInstallation) for row in rows)


# --- Intune --------------------------------------------------------------------------------------

INTUNE_RAW = (
    "ApplicationKey,ApplicationName,ApplicationPublisher,ApplicationShortVersion,"
    "ApplicationVersion,DeviceId,DeviceName,OSDescription,OSVersion,Platform,UserId,"
    "EmailAddress,UserName\n"
    "k1,Kartverktyg Ängsö,Lantmäteriet,2.1,2.1.0.4,d-1,DATOR-ÅSA-01,Windows,10.0,Windows,"
    "u-1,asa.oberg@kommun.se,Åsa Öberg\n"
    "k2,Teams,Microsoft,,,d-2,,Windows,10.0,Windows,u-2,,Bo Ek\n"
    "k3,,Microsoft,,,d-3,DATOR-3,Windows,10.0,Windows,u-3,,Bo Ek\n"
)


def test_intune_raw_export(tmp_path):
    rows = _parse(_write(tmp_path, b"\xef\xbb\xbf" + INTUNE_RAW.encode()), "intune-csv")
    assert rows[0] == RawInstallation(
        line=2,
        device="DATOR-ÅSA-01",
        user="asa.oberg@kommun.se",
        department="",
        name="Kartverktyg Ängsö",
        version="2.1.0.4",
        publisher="Lantmäteriet",
        install_date=None,
        arch="",
        category="Windows",
    )
    # No device name: the device ID identifies it; no e-mail: the user name.
    second = rows[1]
    assert isinstance(second, RawInstallation)
    assert (second.device, second.user) == ("d-2", "Bo Ek")
    error = rows[2]
    assert isinstance(error, RowError)
    assert error.line == 4


def test_intune_portal_export_with_spaced_names(tmp_path):
    content = (
        "Application Name;Application Version;Application Publisher;Device name;Device ID;"
        "User name;Platform\n"
        "Zoom Workplace;6.1;Zoom;LAPTOP-ÖST;abc;Örjan;Windows\n"
    )
    [row] = _parse(_write(tmp_path, content.encode("cp1252")), "intune-csv")
    assert isinstance(row, RawInstallation)
    assert (row.name, row.version, row.device, row.user) == (
        "Zoom Workplace",
        "6.1",
        "LAPTOP-ÖST",
        "Örjan",
    )


def test_intune_missing_columns(tmp_path):
    path = _write(tmp_path, "ApplicationName,Platform\nZoom,Windows\n")
    with pytest.raises(FileFormatError, match="DeviceName"):
        _parse(path, "intune-csv")


def test_intune_given_the_generic_csv(tmp_path):
    with pytest.raises(FileFormatError, match="CSV"):
        _parse(_write(tmp_path, SWEDISH_CSV), "intune-csv")


def test_intune_empty_file(tmp_path):
    with pytest.raises(FileFormatError):
        _parse(_write(tmp_path, b""), "intune-csv")


def test_unknown_format(tmp_path):
    with pytest.raises(ValueError):
        _parse(_write(tmp_path, SWEDISH_CSV), "xlsx")
