"""The CSV parsers' row building (cells read by index, install dates remembered, blank rows found
only when a required field is missing) gives the same rows as reading each by name would:
short rows, extra cells, columns in any order, missing optional columns, a bad date repeated."""

import datetime
import io

from stadga.inventory.parsers import RawInstallation, RowError, parse


def _rows(text: str, fmt: str = "csv") -> list[RawInstallation | RowError]:
    return list(parse(io.BytesIO(text.encode()), fmt))


def test_columns_in_any_order_short_and_long_rows():
    rows = _rows(
        "Installerad,Programvara,Enhet,Version\n"
        "2024-03-05,Firefox,PC-1,128.0,an extra cell\n"
        "2024-03-05,Firefox,PC-2\n"  # short: no version
        " , ,\n"  # blank
        "2024-03-06,Firefox\n"  # no device
        "05.03.2024,Paint,PC-3,1\n"
    )
    march_5 = datetime.date(2024, 3, 5)
    assert rows == [
        RawInstallation(2, "PC-1", "", "", "Firefox", "128.0", "", march_5, "", ""),
        RawInstallation(3, "PC-2", "", "", "Firefox", "", "", march_5, "", ""),
        RowError(5, rows[2].message),  # type: ignore[union-attr]
        RawInstallation(6, "PC-3", "", "", "Paint", "1", "", march_5, "", ""),
    ]
    assert isinstance(rows[2], RowError)


def test_a_bad_date_is_an_error_on_every_row_it_is_on():
    rows = _rows(
        "Enhet;Programvara;Installerad\n"
        "PC-1;Firefox;igår\n"
        "PC-2;Firefox;2024-03-05\n"
        "PC-3;Firefox;igår\n"
        "PC-4;Firefox;2024-03-05 \n"
    )
    assert [type(row).__name__ for row in rows] == [
        "RowError",
        "RawInstallation",
        "RowError",
        "RawInstallation",
    ]
    assert [row.line for row in rows] == [2, 3, 4, 5]
    assert rows[1].install_date == rows[3].install_date == datetime.date(2024, 3, 5)  # type: ignore[union-attr]


def test_intune_falls_back_per_row():
    rows = _rows(
        "DeviceName,DeviceId,ApplicationName,ApplicationVersion,ApplicationShortVersion,"
        "UserName,EmailAddress,Platform\n"
        "PC-1,id-1,Teams,1.2.3,1.2,Åsa,asa@dalby.se,Windows\n"
        ",id-2,Teams,,1.2,Åsa,,Windows\n"
        ",,,,,,,\n",
        "intune-csv",
    )
    assert rows == [
        RawInstallation(2, "PC-1", "asa@dalby.se", "", "Teams", "1.2.3", "", None, "", "Windows"),
        RawInstallation(3, "id-2", "Åsa", "", "Teams", "1.2", "", None, "", "Windows"),
    ]
