"""The fake's Sheets v4 engine, driven through the real googleapiclient and gspread clients over HTTP."""

from __future__ import annotations

from typing import Any

import gspread
import pytest
from googleapiclient.errors import HttpError

from tests.fakegoogle.fixtures import GoogleClients
from tests.fakegoogle.server import FakeGoogle

SPREADSHEET = "application/vnd.google-apps.spreadsheet"


@pytest.fixture
def sheet_id(google_clients: GoogleClients, fake_google: FakeGoogle) -> str:
    """A new spreadsheet in the seeded shared drive (service accounts cannot own files elsewhere)."""
    created = (
        google_clients.drive.files()
        .create(
            body={
                "name": "Cycle 2026-12",
                "mimeType": SPREADSHEET,
                "parents": [fake_google.seed["folder_id"]],
            },
            supportsAllDrives=True,
        )
        .execute()
    )
    fake_google.reset_counters()
    return str(created["id"])


def _values(c: GoogleClients) -> Any:
    return c.sheets.spreadsheets().values()


def _batch(c: GoogleClients, sid: str, *requests: dict[str, Any]) -> Any:
    return c.sheets.spreadsheets().batchUpdate(spreadsheetId=sid, body={"requests": list(requests)}).execute()


def _error(exc: pytest.ExceptionInfo[HttpError]) -> tuple[int, str]:
    return exc.value.resp.status, exc.value.error_details if isinstance(exc.value.error_details, str) else str(
        exc.value.reason
    )


def test_new_spreadsheet_has_google_defaults(google_clients: GoogleClients, sheet_id: str) -> None:
    got = google_clients.sheets.spreadsheets().get(spreadsheetId=sheet_id).execute()
    assert got["properties"]["title"] == "Cycle 2026-12"
    assert got["properties"]["locale"] == "en_US"
    assert got["sheets"] == [
        {
            "properties": {
                "sheetId": 0,
                "title": "Sheet1",
                "index": 0,
                "sheetType": "GRID",
                "gridProperties": {"rowCount": 1000, "columnCount": 26},
            }
        }
    ]
    assert got["spreadsheetUrl"].endswith(f"/d/{sheet_id}/edit")


def test_raw_stores_text_as_given_user_entered_parses(google_clients: GoogleClients, sheet_id: str) -> None:
    row = ["=1+2", "0042", "TRUE", "'007", "1.50", "2020-01-01", "50%"]
    for rng, option in (("Sheet1!A1", "RAW"), ("Sheet1!A2", "USER_ENTERED")):
        _values(google_clients).update(
            spreadsheetId=sheet_id, range=rng, valueInputOption=option, body={"values": [row]}
        ).execute()
    get = _values(google_clients).get
    unformatted = get(spreadsheetId=sheet_id, range="A1:G2", valueRenderOption="UNFORMATTED_VALUE").execute()
    assert unformatted["values"] == [row, [3, 42, True, "007", 1.5, 43831, 0.5]]
    formatted = get(spreadsheetId=sheet_id, range="A1:G2").execute()
    assert formatted["values"][1] == ["3", "42", "TRUE", "007", "1.5", "2020-01-01", "50%"]
    formula = get(spreadsheetId=sheet_id, range="A2", valueRenderOption="FORMULA").execute()
    assert formula["values"] == [["=1+2"]]
    strings = get(
        spreadsheetId=sheet_id,
        range="F2",
        valueRenderOption="UNFORMATTED_VALUE",
        dateTimeRenderOption="FORMATTED_STRING",
    ).execute()
    assert strings["values"] == [["2020-01-01"]]


def test_formulas_follow_referenced_cells(google_clients: GoogleClients, sheet_id: str) -> None:
    _values(google_clients).update(
        spreadsheetId=sheet_id,
        range="A1",
        valueInputOption="USER_ENTERED",
        body={"values": [[2, 3, "=A1*B1+1", "=A1/0"]]},
    ).execute()
    _values(google_clients).update(
        spreadsheetId=sheet_id, range="B1", valueInputOption="RAW", body={"values": [[10]]}
    ).execute()
    got = _values(google_clients).get(spreadsheetId=sheet_id, range="A1:D1").execute()
    assert got["values"] == [["2", "10", "21", "#DIV/0!"]]


def test_numbers_and_booleans_format_like_google(google_clients: GoogleClients, sheet_id: str) -> None:
    _values(google_clients).update(
        spreadsheetId=sheet_id,
        range="A1",
        valueInputOption="RAW",
        body={"values": [[1, 1.5, 0.1, True, False, 1e20, -3]]},
    ).execute()
    got = _values(google_clients).get(spreadsheetId=sheet_id, range="A1:G1").execute()
    assert got["values"] == [["1", "1.5", "0.1", "TRUE", "FALSE", "1E+20", "-3"]]


def test_a1_quoting_open_ranges_and_normalised_response(google_clients: GoogleClients, sheet_id: str) -> None:
    _batch(
        google_clients,
        sheet_id,
        {"addSheet": {"properties": {"title": "It's Q4", "gridProperties": {"rowCount": 10, "columnCount": 5}}}},
    )
    update = (
        _values(google_clients)
        .update(
            spreadsheetId=sheet_id,
            range="'It''s Q4'!B2",
            valueInputOption="RAW",
            body={"values": [["b2", "c2"], ["b3", "", "d3"]]},
        )
        .execute()
    )
    assert (
        update["updatedRange"],
        update["updatedRows"],
        update["updatedColumns"],
        update["updatedCells"],
    ) == ("'It''s Q4'!B2:D3", 2, 3, 5)
    get = _values(google_clients).get
    assert get(spreadsheetId=sheet_id, range="'It''s Q4'!B2:C").execute() == {
        "range": "'It''s Q4'!B2:C10",
        "majorDimension": "ROWS",
        "values": [["b2", "c2"], ["b3"]],
    }
    assert get(spreadsheetId=sheet_id, range="'It''s Q4'!C:C").execute()["range"] == "'It''s Q4'!C1:C10"
    assert get(spreadsheetId=sheet_id, range="'It''s Q4'!3:3").execute()["values"] == [["", "b3", "", "d3"]]
    assert get(spreadsheetId=sheet_id, range="'It''s Q4'").execute()["range"] == "'It''s Q4'!A1:E10"
    assert get(spreadsheetId=sheet_id, range="'It''s Q4'!D3:B2", majorDimension="COLUMNS").execute()["values"] == [
        ["b2", "b3"],
        ["c2"],
        ["", "d3"],
    ]
    # Nothing in range: no "values" key at all, as Google answers.
    assert get(spreadsheetId=sheet_id, range="Sheet1!A1:B2").execute() == {
        "range": "Sheet1!A1:B2",
        "majorDimension": "ROWS",
    }


def test_named_ranges_read_and_write(google_clients: GoogleClients, sheet_id: str) -> None:
    reply = _batch(
        google_clients,
        sheet_id,
        {
            "addNamedRange": {
                "namedRange": {
                    "name": "Answers",
                    "range": {
                        "sheetId": 0,
                        "startRowIndex": 1,
                        "endRowIndex": 3,
                        "startColumnIndex": 0,
                        "endColumnIndex": 2,
                    },
                }
            }
        },
    )
    named = reply["replies"][0]["addNamedRange"]["namedRange"]
    assert named["name"] == "Answers" and named["range"] == {
        "startRowIndex": 1,
        "endRowIndex": 3,
        "startColumnIndex": 0,
        "endColumnIndex": 2,
    }
    _values(google_clients).update(
        spreadsheetId=sheet_id, range="Answers", valueInputOption="RAW", body={"values": [["yes", "ok"]]}
    ).execute()
    assert _values(google_clients).get(spreadsheetId=sheet_id, range="Answers").execute() == {
        "range": "Sheet1!A2:B3",
        "majorDimension": "ROWS",
        "values": [["yes", "ok"]],
    }
    got = google_clients.sheets.spreadsheets().get(spreadsheetId=sheet_id, fields="namedRanges").execute()
    assert got == {"namedRanges": [named]}
    _batch(google_clients, sheet_id, {"deleteNamedRange": {"namedRangeId": named["namedRangeId"]}})
    with pytest.raises(HttpError) as exc:
        _values(google_clients).get(spreadsheetId=sheet_id, range="Answers").execute()
    assert exc.value.resp.status == 400 and "Unable to parse range: Answers" in str(exc.value)


@pytest.mark.parametrize(
    ("rng", "message"),
    [
        ("Sheet1!A0", "Unable to parse range: Sheet1!A0"),
        ("Nope!A1", "Unable to parse range: Nope!A1"),
        ("'Sheet1!A1", "Unable to parse range: 'Sheet1!A1"),
        ("NoSuchName", "Unable to parse range: NoSuchName"),
        ("Sheet1!A1:AA2", "Range ('Sheet1'!A1:AA2) exceeds grid limits. Max rows: 1000, max columns: 26"),
    ],
)
def test_bad_ranges_are_400_with_google_wording(
    google_clients: GoogleClients, sheet_id: str, rng: str, message: str
) -> None:
    with pytest.raises(HttpError) as exc:
        _values(google_clients).get(spreadsheetId=sheet_id, range=rng).execute()
    assert exc.value.resp.status == 400
    assert message in str(exc.value)


def test_writing_past_the_given_range_is_refused(google_clients: GoogleClients, sheet_id: str) -> None:
    with pytest.raises(HttpError) as exc:
        _values(google_clients).update(
            spreadsheetId=sheet_id,
            range="Sheet1!A1:B1",
            valueInputOption="RAW",
            body={"values": [["a", "b", "c"]]},
        ).execute()
    assert exc.value.resp.status == 400
    assert "Requested writing within range [Sheet1!A1:B1], but tried writing to column [C]" in str(exc.value)
    assert _values(google_clients).get(spreadsheetId=sheet_id, range="A1:C1").execute().get("values") is None


def test_missing_spreadsheet_is_404(google_clients: GoogleClients) -> None:
    with pytest.raises(HttpError) as exc:
        google_clients.sheets.spreadsheets().get(spreadsheetId="nope").execute()
    assert exc.value.resp.status == 404 and "Requested entity was not found." in str(exc.value)


def test_append_finds_the_table_and_counts(
    google_clients: GoogleClients, sheet_id: str, fake_google: FakeGoogle
) -> None:
    append = _values(google_clients).append
    first = append(
        spreadsheetId=sheet_id, range="Sheet1", valueInputOption="RAW", body={"values": [["case", "score"]]}
    ).execute()
    assert "tableRange" not in first and first["updates"]["updatedRange"] == "Sheet1!A1:B1"
    second = append(
        spreadsheetId=sheet_id,
        range="Sheet1!A1",
        valueInputOption="USER_ENTERED",
        body={"values": [["C-1", "4"], ["C-2", "5"]]},
    ).execute()
    assert second["tableRange"] == "Sheet1!A1:B1"
    assert second["updates"] == {
        "spreadsheetId": sheet_id,
        "updatedRange": "Sheet1!A2:B3",
        "updatedRows": 2,
        "updatedColumns": 2,
        "updatedCells": 4,
    }
    got = (
        _values(google_clients)
        .get(spreadsheetId=sheet_id, range="B2:B3", valueRenderOption="UNFORMATTED_VALUE")
        .execute()
    )
    assert got["values"] == [[4], [5]]
    assert fake_google.calls("sheets.spreadsheets.values.append") == 2


def test_batch_get_batch_update_and_batch_clear(google_clients: GoogleClients, sheet_id: str) -> None:
    values = _values(google_clients)
    out = values.batchUpdate(
        spreadsheetId=sheet_id,
        body={
            "valueInputOption": "RAW",
            "data": [{"range": "A1", "values": [["a"]]}, {"range": "C3:D3", "values": [["c", "d"]]}],
        },
    ).execute()
    assert (out["totalUpdatedCells"], out["totalUpdatedRows"], out["totalUpdatedSheets"]) == (3, 2, 1)
    assert [r["updatedRange"] for r in out["responses"]] == ["Sheet1!A1", "Sheet1!C3:D3"]
    got = values.batchGet(spreadsheetId=sheet_id, ranges=["A1:A2", "C3:D3"]).execute()
    assert [v.get("values") for v in got["valueRanges"]] == [[["a"]], [["c", "d"]]]
    cleared = values.batchClear(spreadsheetId=sheet_id, body={"ranges": ["A1", "C:C"]}).execute()
    assert cleared["clearedRanges"] == ["Sheet1!A1", "Sheet1!C1:C1000"]
    assert values.get(spreadsheetId=sheet_id, range="A1:D3").execute()["values"] == [
        [],
        [],
        ["", "", "", "d"],
    ]


def test_batch_update_is_all_or_nothing(google_clients: GoogleClients, sheet_id: str) -> None:
    before = google_clients.drive.files().get(fileId=sheet_id, fields="modifiedTime", supportsAllDrives=True).execute()
    with pytest.raises(HttpError) as exc:
        _batch(
            google_clients,
            sheet_id,
            {"addSheet": {"properties": {"title": "Peer"}}},
            {"deleteSheet": {"sheetId": 999}},
        )
    assert exc.value.resp.status == 400
    assert "Invalid requests[1].deleteSheet: No grid with id: 999" in str(exc.value)
    got = google_clients.sheets.spreadsheets().get(spreadsheetId=sheet_id).execute()
    assert [s["properties"]["title"] for s in got["sheets"]] == ["Sheet1"]
    after = google_clients.drive.files().get(fileId=sheet_id, fields="modifiedTime", supportsAllDrives=True).execute()
    assert after == before


def test_batch_update_replies_and_metadata(google_clients: GoogleClients, sheet_id: str) -> None:
    reply = _batch(
        google_clients,
        sheet_id,
        {
            "addSheet": {
                "properties": {
                    "title": "Rollup",
                    "gridProperties": {"rowCount": 20, "columnCount": 4, "frozenRowCount": 1},
                }
            }
        },
        {"updateSpreadsheetProperties": {"properties": {"title": "KR1 rollup"}, "fields": "title"}},
        {"updateSheetProperties": {"properties": {"sheetId": 0, "title": "Raw"}, "fields": "title"}},
        {
            "setDataValidation": {
                "range": {
                    "sheetId": 0,
                    "startRowIndex": 0,
                    "endRowIndex": 1,
                    "startColumnIndex": 0,
                    "endColumnIndex": 1,
                },
                "rule": {
                    "condition": {
                        "type": "ONE_OF_LIST",
                        "values": [{"userEnteredValue": "Yes"}, {"userEnteredValue": "No"}],
                    },
                    "strict": True,
                },
            }
        },
        {
            "repeatCell": {
                "range": {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 1},
                "cell": {"userEnteredFormat": {"textFormat": {"bold": True}}},
                "fields": "userEnteredFormat.textFormat.bold",
            }
        },
        {
            "addChart": {
                "chart": {
                    "spec": {"title": "Compliance", "basicChart": {"chartType": "COLUMN"}},
                    "position": {"overlayPosition": {"anchorCell": {"sheetId": 0}}},
                }
            }
        },
    )
    replies = reply["replies"]
    new_sheet = replies[0]["addSheet"]["properties"]
    assert new_sheet["title"] == "Rollup" and new_sheet["index"] == 1
    assert new_sheet["gridProperties"] == {"rowCount": 20, "columnCount": 4, "frozenRowCount": 1}
    assert replies[1:5] == [{}, {}, {}, {}]
    chart = replies[5]["addChart"]["chart"]
    assert chart["spec"]["title"] == "Compliance" and isinstance(chart["chartId"], int)
    # The spreadsheet title is the Drive file's name.
    assert google_clients.drive.files().get(fileId=sheet_id, supportsAllDrives=True).execute()["name"] == ("KR1 rollup")
    got = (
        google_clients.sheets.spreadsheets()
        .get(spreadsheetId=sheet_id, ranges=["Raw!A1:B1"], includeGridData=True)
        .execute()
    )
    sheet = got["sheets"][0]
    assert sheet["properties"]["title"] == "Raw"
    assert sheet["charts"][0]["chartId"] == chart["chartId"]
    cells = sheet["data"][0]["rowData"][0]["values"]
    assert cells[0]["dataValidation"]["condition"]["type"] == "ONE_OF_LIST"
    assert cells[1]["userEnteredFormat"] == {"textFormat": {"bold": True}}


def test_dimensions_merges_and_sort(google_clients: GoogleClients, sheet_id: str) -> None:
    _values(google_clients).update(
        spreadsheetId=sheet_id,
        range="A1",
        valueInputOption="RAW",
        body={"values": [["b", 2], ["a", 1], ["c", 3]]},
    ).execute()
    _batch(
        google_clients,
        sheet_id,
        {
            "sortRange": {
                "range": {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 3},
                "sortSpecs": [{"dimensionIndex": 1, "sortOrder": "DESCENDING"}],
            }
        },
        {"insertDimension": {"range": {"sheetId": 0, "dimension": "ROWS", "startIndex": 0, "endIndex": 1}}},
        {"deleteDimension": {"range": {"sheetId": 0, "dimension": "COLUMNS", "startIndex": 1, "endIndex": 2}}},
        {"appendDimension": {"sheetId": 0, "dimension": "COLUMNS", "length": 4}},
        {
            "mergeCells": {
                "range": {
                    "sheetId": 0,
                    "startRowIndex": 1,
                    "endRowIndex": 3,
                    "startColumnIndex": 0,
                    "endColumnIndex": 1,
                },
                "mergeType": "MERGE_ALL",
            }
        },
    )
    got = _values(google_clients).get(spreadsheetId=sheet_id, range="Sheet1").execute()
    assert got == {"range": "Sheet1!A1:AC1001", "majorDimension": "ROWS", "values": [[], ["c"], [], ["a"]]}
    meta = google_clients.sheets.spreadsheets().get(spreadsheetId=sheet_id).execute()["sheets"][0]
    assert meta["merges"] == [{"startRowIndex": 1, "endRowIndex": 3, "startColumnIndex": 0, "endColumnIndex": 1}]


def test_spreadsheets_create_makes_a_drive_file(google_clients: GoogleClients, fake_google: FakeGoogle) -> None:
    fake_google.service_account_mode = False
    created = (
        google_clients.sheets.spreadsheets()
        .create(body={"properties": {"title": "Scratch"}, "sheets": [{"properties": {"title": "Data"}}]})
        .execute()
    )
    assert created["sheets"][0]["properties"] == {
        "sheetId": 0,
        "title": "Data",
        "index": 0,
        "sheetType": "GRID",
        "gridProperties": {"rowCount": 1000, "columnCount": 26},
    }
    rec = fake_google.store.files[created["spreadsheetId"]]
    assert (rec.name, rec.mimeType, rec.parents) == ("Scratch", SPREADSHEET, [])


def test_content_changes_move_drive_modified_time(google_clients: GoogleClients, sheet_id: str) -> None:
    def modified() -> str:
        return str(
            google_clients.drive.files()
            .get(fileId=sheet_id, fields="modifiedTime", supportsAllDrives=True)
            .execute()["modifiedTime"]
        )

    first = modified()
    _values(google_clients).update(
        spreadsheetId=sheet_id, range="A1", valueInputOption="RAW", body={"values": [["x"]]}
    ).execute()
    second = modified()
    _values(google_clients).get(spreadsheetId=sheet_id, range="A1").execute()
    assert first < second == modified()


def test_gspread_round_trip(google_clients: GoogleClients, sheet_id: str, fake_google: FakeGoogle) -> None:
    sh = google_clients.gc.open_by_key(sheet_id)
    ws = sh.add_worksheet("Peer reviews", rows=10, cols=4)
    ws.update([["Reviewer", "Case", "Score"], ["ana", "C-1", 4]], "A1")
    ws.append_row(["ben", "C-2", "=2+3"], value_input_option="USER_ENTERED")
    assert ws.get_all_values() == [["Reviewer", "Case", "Score"], ["ana", "C-1", "4"], ["ben", "C-2", "5"]]
    assert ws.get_all_records(numericise_ignore=["all"]) == [
        {"Reviewer": "ana", "Case": "C-1", "Score": "4"},
        {"Reviewer": "ben", "Case": "C-2", "Score": "5"},
    ]
    ranges = ws.batch_get(["A2:A3", "C2:C3"])
    assert [list(r) for r in ranges] == [[["ana"], ["ben"]], [["4"], ["5"]]]
    assert fake_google.calls("sheets.spreadsheets.values.batchGet") == 1
    assert [w.title for w in sh.worksheets()] == ["Sheet1", "Peer reviews"]
    with pytest.raises(gspread.exceptions.APIError) as exc:
        ws.get("Missing!A1")
    assert exc.value.response.status_code == 400
