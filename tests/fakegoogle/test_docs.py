"""The fake's Docs v1 engine, driven through the real googleapiclient over HTTP."""

from __future__ import annotations

from typing import Any

import pytest
from googleapiclient.errors import HttpError

from tests.fakegoogle.fixtures import GoogleClients
from tests.fakegoogle.server import FakeGoogle

DOCUMENT = "application/vnd.google-apps.document"


@pytest.fixture
def doc_id(google_clients: GoogleClients, fake_google: FakeGoogle) -> str:
    """A new empty document in the seeded shared drive."""
    created = (
        google_clients.drive.files()
        .create(
            body={"name": "Review C-1", "mimeType": DOCUMENT, "parents": [fake_google.seed["folder_id"]]},
            supportsAllDrives=True,
        )
        .execute()
    )
    return str(created["id"])


def _update(c: GoogleClients, doc: str, *requests: dict[str, Any], **extra: Any) -> Any:
    return c.docs.documents().batchUpdate(documentId=doc, body={"requests": list(requests), **extra}).execute()


def _get(c: GoogleClients, doc: str) -> Any:
    return c.docs.documents().get(documentId=doc).execute()


def _text(elements: list[dict[str, Any]]) -> str:
    return "".join(e["textRun"]["content"] for e in elements if "textRun" in e)


def _table_rows(doc: dict[str, Any]) -> list[list[str]]:
    table = next(e["table"] for e in doc["body"]["content"] if "table" in e)
    return [
        ["".join(_text(p["paragraph"]["elements"]) for p in cell["content"]).rstrip("\n") for cell in row["tableCells"]]
        for row in table["tableRows"]
    ]


def _build_template(c: GoogleClients, doc: str) -> None:
    """What the project's template builder does: heading, placeholder paragraphs, then the rubric table."""
    _update(
        c,
        doc,
        {
            "insertText": {
                "location": {"index": 1},
                "text": "Peer review of {{case_id}}\nReviewer: {{reviewer}}\nCase: {{Case_ID}}\n",
            }
        },
        {
            "updateParagraphStyle": {
                "range": {"startIndex": 1, "endIndex": 2},
                "paragraphStyle": {"namedStyleType": "HEADING_1"},
                "fields": "namedStyleType",
            }
        },
        {"insertTable": {"endOfSegmentLocation": {"segmentId": ""}, "rows": 3, "columns": 3}},
    )
    table = next(e for e in _get(c, doc)["body"]["content"] if "table" in e)
    cells = [cell["content"][0]["startIndex"] for row in table["table"]["tableRows"] for cell in row["tableCells"]]
    texts = ["Criterion", "Answer", "Comments", "Greeting", "", "", "Resolution", "", ""]
    # Fill from the last cell backwards so earlier indices stay valid.
    _update(
        c,
        doc,
        *(
            {"insertText": {"location": {"index": i}, "text": t}}
            for i, t in sorted(zip(cells, texts, strict=True), reverse=True)
            if t
        ),
    )


def test_new_document_structure(google_clients: GoogleClients, doc_id: str) -> None:
    doc = _get(google_clients, doc_id)
    assert doc["title"] == "Review C-1" and doc["documentId"] == doc_id
    content = doc["body"]["content"]
    assert content[0] == {
        "endIndex": 1,
        "sectionBreak": {
            "sectionStyle": {
                "columnSeparatorStyle": "NONE",
                "contentDirection": "LEFT_TO_RIGHT",
                "sectionType": "CONTINUOUS",
            }
        },
    }
    assert content[1]["startIndex"] == 1 and content[1]["endIndex"] == 2
    assert content[1]["paragraph"]["elements"] == [
        {"startIndex": 1, "endIndex": 2, "textRun": {"content": "\n", "textStyle": {}}}
    ]


def test_template_heading_placeholders_and_rubric_table(google_clients: GoogleClients, doc_id: str) -> None:
    _build_template(google_clients, doc_id)
    doc = _get(google_clients, doc_id)
    content = doc["body"]["content"]
    heading = content[1]["paragraph"]
    assert _text(heading["elements"]) == "Peer review of {{case_id}}\n"
    assert heading["paragraphStyle"]["namedStyleType"] == "HEADING_1"
    assert heading["paragraphStyle"]["headingId"].startswith("h.")
    assert [_text(e["paragraph"]["elements"]) for e in content[2:5]] == [
        "Reviewer: {{reviewer}}\n",
        "Case: {{Case_ID}}\n",
        "\n",
    ]
    assert _table_rows(doc) == [
        ["Criterion", "Answer", "Comments"],
        ["Greeting", "", ""],
        ["Resolution", "", ""],
    ]
    # Indices are contiguous: each element starts where the previous one ended; a paragraph follows the table.
    ends = [e["endIndex"] for e in content]
    assert [e["startIndex"] for e in content[1:]] == ends[:-1]
    assert "paragraph" in content[-1]
    table = next(e for e in content if "table" in e)
    first_row = table["table"]["tableRows"][0]
    assert first_row["startIndex"] == table["startIndex"] + 1
    assert first_row["tableCells"][0]["startIndex"] == table["startIndex"] + 2
    assert first_row["tableCells"][0]["content"][0]["startIndex"] == table["startIndex"] + 3


def test_replace_all_text_counts_and_match_case(google_clients: GoogleClients, doc_id: str) -> None:
    _build_template(google_clients, doc_id)
    reply = _update(
        google_clients,
        doc_id,
        {
            "replaceAllText": {
                "containsText": {"text": "{{case_id}}", "matchCase": True},
                "replaceText": "C-1",
            }
        },
        {
            "replaceAllText": {
                "containsText": {"text": "{{REVIEWER}}", "matchCase": False},
                "replaceText": "Ana",
            }
        },
        {"replaceAllText": {"containsText": {"text": "{{absent}}"}, "replaceText": "x"}},
        {"replaceAllText": {"containsText": {"text": "{{case_id}}"}, "replaceText": "C-9"}},
    )
    assert reply["replies"] == [
        {"replaceAllText": {"occurrencesChanged": 1}},
        {"replaceAllText": {"occurrencesChanged": 1}},
        {"replaceAllText": {}},
        {"replaceAllText": {"occurrencesChanged": 1}},
    ]
    texts = [_text(e["paragraph"]["elements"]) for e in _get(google_clients, doc_id)["body"]["content"][1:4]]
    assert texts == ["Peer review of C-1\n", "Reviewer: Ana\n", "Case: C-9\n"]


def test_answers_written_into_table_cells_read_back(google_clients: GoogleClients, doc_id: str) -> None:
    _build_template(google_clients, doc_id)
    table = next(e for e in _get(google_clients, doc_id)["body"]["content"] if "table" in e)
    answer_cell = table["table"]["tableRows"][1]["tableCells"][1]["content"][0]["startIndex"]
    _update(
        google_clients,
        doc_id,
        {"insertText": {"location": {"index": answer_cell}, "text": "Yes"}},
        {
            "insertTableRow": {
                "tableCellLocation": {
                    "tableStartLocation": {"index": table["startIndex"]},
                    "rowIndex": 2,
                    "columnIndex": 0,
                },
                "insertBelow": True,
            }
        },
    )
    assert _table_rows(_get(google_clients, doc_id)) == [
        ["Criterion", "Answer", "Comments"],
        ["Greeting", "Yes", ""],
        ["Resolution", "", ""],
        ["", "", ""],
    ]


def test_indices_count_utf16_code_units(google_clients: GoogleClients, doc_id: str) -> None:
    _update(google_clients, doc_id, {"insertText": {"location": {"index": 1}, "text": "😀é\nx"}})
    content = _get(google_clients, doc_id)["body"]["content"]
    assert [(e["startIndex"], e["endIndex"]) for e in content[1:]] == [(1, 5), (5, 7)]
    _update(google_clients, doc_id, {"deleteContentRange": {"range": {"startIndex": 1, "endIndex": 3}}})
    content = _get(google_clients, doc_id)["body"]["content"]
    assert _text(content[1]["paragraph"]["elements"]) == "é\n"


def test_delete_across_paragraphs_merges_them(google_clients: GoogleClients, doc_id: str) -> None:
    _update(google_clients, doc_id, {"insertText": {"location": {"index": 1}, "text": "ab\ncd\n"}})
    _update(google_clients, doc_id, {"deleteContentRange": {"range": {"startIndex": 2, "endIndex": 5}}})
    content = _get(google_clients, doc_id)["body"]["content"]
    assert [_text(e["paragraph"]["elements"]) for e in content[1:]] == ["ad\n", "\n"]


def test_write_control_and_revision_ids(google_clients: GoogleClients, doc_id: str) -> None:
    first = _get(google_clients, doc_id)["revisionId"]
    reply = _update(
        google_clients,
        doc_id,
        {"insertText": {"location": {"index": 1}, "text": "a"}},
        writeControl={"requiredRevisionId": first},
    )
    second = reply["writeControl"]["requiredRevisionId"]
    assert second != first and _get(google_clients, doc_id)["revisionId"] == second
    with pytest.raises(HttpError) as exc:
        _update(
            google_clients,
            doc_id,
            {"insertText": {"location": {"index": 1}, "text": "b"}},
            writeControl={"requiredRevisionId": first},
        )
    assert exc.value.resp.status == 400
    assert _text(_get(google_clients, doc_id)["body"]["content"][1]["paragraph"]["elements"]) == "a\n"


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (
            {"insertText": {"location": {"index": 5}, "text": "x"}},
            "Index 5 must be less than the end index of the referenced segment, 4.",
        ),  # after "ok"
        (
            {"insertText": {"location": {"index": 0}, "text": "x"}},
            "Index 0 must be greater than or equal to 1.",
        ),
        (
            {"deleteContentRange": {"range": {"startIndex": 3, "endIndex": 4}}},
            "The range cannot include the newline character at the end of the segment.",
        ),
        (
            {"replaceAllText": {"containsText": {"text": ""}, "replaceText": "x"}},
            "containsText.text must not be empty",
        ),
    ],
)
def test_bad_requests_are_400_and_change_nothing(
    google_clients: GoogleClients, doc_id: str, request_: dict[str, Any], message: str
) -> None:
    before = _get(google_clients, doc_id)
    with pytest.raises(HttpError) as exc:
        _update(google_clients, doc_id, {"insertText": {"location": {"index": 1}, "text": "ok"}}, request_)
    assert exc.value.resp.status == 400 and message in str(exc.value)
    assert _get(google_clients, doc_id) == before


def test_insert_at_a_table_start_is_refused(google_clients: GoogleClients, doc_id: str) -> None:
    _update(google_clients, doc_id, {"insertTable": {"location": {"index": 1}, "rows": 1, "columns": 1}})
    table = next(e for e in _get(google_clients, doc_id)["body"]["content"] if "table" in e)
    with pytest.raises(HttpError) as exc:
        _update(google_clients, doc_id, {"insertText": {"location": {"index": table["startIndex"]}, "text": "x"}})
    assert "must be inside the bounds of an existing paragraph" in str(exc.value)


def test_copy_keeps_content_and_edits_move_modified_time(
    google_clients: GoogleClients, doc_id: str, fake_google: FakeGoogle
) -> None:
    _build_template(google_clients, doc_id)
    drive = google_clients.drive.files()
    copy = drive.copy(fileId=doc_id, body={"name": "Review C-2"}, supportsAllDrives=True).execute()
    before = drive.get(fileId=copy["id"], fields="modifiedTime", supportsAllDrives=True).execute()
    _update(
        google_clients,
        copy["id"],
        {"replaceAllText": {"containsText": {"text": "Greeting"}, "replaceText": "Opening"}},
    )
    after = drive.get(fileId=copy["id"], fields="modifiedTime", supportsAllDrives=True).execute()
    assert before["modifiedTime"] < after["modifiedTime"]
    assert _table_rows(_get(google_clients, copy["id"]))[1][0] == "Opening"
    assert _table_rows(_get(google_clients, doc_id))[1][0] == "Greeting"
    assert fake_google.calls("docs.documents.batchUpdate") == 3


def test_documents_create_makes_a_drive_file(google_clients: GoogleClients, fake_google: FakeGoogle) -> None:
    fake_google.service_account_mode = False
    doc = google_clients.docs.documents().create(body={"title": "Scratch"}).execute()
    rec = fake_google.store.files[doc["documentId"]]
    assert (rec.name, rec.mimeType, doc["title"]) == ("Scratch", DOCUMENT, "Scratch")
    with pytest.raises(HttpError) as exc:
        google_clients.docs.documents().get(documentId="missing").execute()
    assert exc.value.resp.status == 404
