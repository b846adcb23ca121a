"""A string written RAW that starts with "=" is text, not a formula, everywhere the fake shows it.

Google stores a RAW-written "=1+1" as the string "=1+1": spreadsheets.get answers it as a stringValue (user
entered and effective), and values.get returns the string under every valueRenderOption. Only USER_ENTERED
input (or a CellData formulaValue) makes a formula. Driven through the real googleapiclient and gspread.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.fakegoogle.fixtures import GoogleClients
from tests.fakegoogle.server import FakeGoogle

SPREADSHEET = "application/vnd.google-apps.spreadsheet"


@pytest.fixture
def sheet_id(google_clients: GoogleClients, fake_google: FakeGoogle) -> str:
    """A spreadsheet in the seeded shared drive with A1 = "=1+1" written RAW, B1 = "=1+1" USER_ENTERED."""
    created = (
        google_clients.drive.files()
        .create(
            body={"name": "raw", "mimeType": SPREADSHEET, "parents": [fake_google.seed["folder_id"]]},
            supportsAllDrives=True,
        )
        .execute()
    )
    sid = str(created["id"])
    values = google_clients.sheets.spreadsheets().values()
    values.update(spreadsheetId=sid, range="A1", valueInputOption="RAW", body={"values": [["=1+1"]]}).execute()
    values.update(
        spreadsheetId=sid, range="B1", valueInputOption="USER_ENTERED", body={"values": [["=1+1"]]}
    ).execute()
    fake_google.reset_counters()
    return sid


def _row1(c: GoogleClients, sid: str) -> list[dict[str, Any]]:
    got = c.sheets.spreadsheets().get(spreadsheetId=sid, ranges=["A1:C1"], includeGridData=True).execute()
    return list(got["sheets"][0]["data"][0]["rowData"][0]["values"])


def _get(c: GoogleClients, sid: str, option: str, rng: str = "A1:B1") -> Any:
    values = c.sheets.spreadsheets().values()
    return values.get(spreadsheetId=sid, range=rng, valueRenderOption=option).execute().get("values")


def test_grid_data_shows_a_raw_equals_string_as_a_string_and_a_user_entered_one_as_a_formula(
    google_clients: GoogleClients, sheet_id: str, fake_google: FakeGoogle
) -> None:
    raw, entered = _row1(google_clients, sheet_id)
    assert raw == {
        "userEnteredValue": {"stringValue": "=1+1"},
        "effectiveValue": {"stringValue": "=1+1"},
        "formattedValue": "=1+1",
    }
    assert entered == {
        "userEnteredValue": {"formulaValue": "=1+1"},
        "effectiveValue": {"numberValue": 2},
        "formattedValue": "2",
    }
    assert dict(fake_google.counters) == {"sheets.spreadsheets.get": 1}


@pytest.mark.parametrize(
    ("option", "expected"),
    [
        ("FORMULA", [["=1+1", "=1+1"]]),
        ("FORMATTED_VALUE", [["=1+1", "2"]]),
        ("UNFORMATTED_VALUE", [["=1+1", 2]]),
    ],
)
def test_values_get_returns_the_raw_string_under_every_render_option(
    google_clients: GoogleClients, sheet_id: str, option: str, expected: list[list[Any]]
) -> None:
    assert _get(google_clients, sheet_id, option) == expected


def test_a_format_only_repeat_cell_keeps_the_raw_string_a_string(
    google_clients: GoogleClients, sheet_id: str
) -> None:
    # repeatCell rewrites each cell through its CellData; the value must not come back as a formula.
    google_clients.sheets.spreadsheets().batchUpdate(
        spreadsheetId=sheet_id,
        body={
            "requests": [
                {
                    "repeatCell": {
                        "range": {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 1, "endColumnIndex": 2},
                        "cell": {"userEnteredFormat": {"textFormat": {"bold": True}}},
                        "fields": "userEnteredFormat.textFormat.bold",
                    }
                }
            ]
        },
    ).execute()
    raw, entered = _row1(google_clients, sheet_id)
    assert raw["userEnteredValue"] == {"stringValue": "=1+1"}
    assert raw["userEnteredFormat"] == {"textFormat": {"bold": True}}
    assert entered["userEnteredValue"] == {"formulaValue": "=1+1"}
    assert _get(google_clients, sheet_id, "UNFORMATTED_VALUE") == [["=1+1", 2]]


def test_update_cells_string_value_and_raw_append_stay_text_and_arithmetic_on_them_is_an_error(
    google_clients: GoogleClients, sheet_id: str
) -> None:
    sheets = google_clients.sheets.spreadsheets()
    sheets.batchUpdate(
        spreadsheetId=sheet_id,
        body={
            "requests": [
                {
                    "updateCells": {
                        "start": {"sheetId": 0, "rowIndex": 1, "columnIndex": 0},
                        "rows": [
                            {
                                "values": [
                                    {"userEnteredValue": {"stringValue": "=2*3"}},
                                    {"userEnteredValue": {"formulaValue": "=2*3"}},
                                ]
                            }
                        ],
                        "fields": "userEnteredValue",
                    }
                }
            ]
        },
    ).execute()
    sheets.values().append(
        spreadsheetId=sheet_id, range="A1", valueInputOption="RAW", body={"values": [["=4-1", "=A1"]]}
    ).execute()
    sheets.values().update(
        spreadsheetId=sheet_id, range="C1", valueInputOption="USER_ENTERED", body={"values": [["=A1+1"]]}
    ).execute()
    assert _get(google_clients, sheet_id, "UNFORMATTED_VALUE", "A1:C3") == [
        ["=1+1", 2, "#VALUE!"],
        ["=2*3", 6],
        ["=4-1", "=A1"],
    ]
    assert _row1(google_clients, sheet_id)[2]["effectiveValue"] == {
        "errorValue": {"type": "VALUE", "message": "A value is not a number."}
    }


def test_gspread_raw_update_reads_back_the_string_with_the_formula_option(
    google_clients: GoogleClients, sheet_id: str
) -> None:
    ws = google_clients.gc.open_by_key(sheet_id).sheet1
    ws.update([["=10/4"]], "D1", raw=True)
    ws.update([["=10/4"]], "E1", raw=False)
    assert ws.get("D1:E1", value_render_option="FORMULA") == [["=10/4", "=10/4"]]
    assert ws.get("D1:E1", value_render_option="UNFORMATTED_VALUE") == [["=10/4", 2.5]]


def test_a_cell_holds_at_most_50000_characters_as_on_google(google_clients: GoogleClients, sheet_id: str) -> None:
    from googleapiclient.errors import HttpError

    values = google_clients.sheets.spreadsheets().values()
    values.update(spreadsheetId=sheet_id, range="C1", valueInputOption="RAW",
                  body={"values": [["x" * 50_000]]}).execute()
    with pytest.raises(HttpError) as info:
        values.update(spreadsheetId=sheet_id, range="C2", valueInputOption="RAW",
                      body={"values": [["ok", "x" * 50_001]]}).execute()
    assert info.value.resp.status == 400
    assert "more than the maximum of 50000 characters in a single cell" in str(info.value)
    assert _get(google_clients, sheet_id, "FORMATTED_VALUE", "C2:D2") is None  # the whole request was refused
    with pytest.raises(HttpError):
        google_clients.sheets.spreadsheets().batchUpdate(spreadsheetId=sheet_id, body={"requests": [{
            "updateCells": {"start": {"sheetId": 0, "rowIndex": 3, "columnIndex": 0}, "fields": "userEnteredValue",
                            "rows": [{"values": [{"userEnteredValue": {"stringValue": "y" * 50_001}}]}]}}]}).execute()
