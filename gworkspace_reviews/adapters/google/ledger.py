"""GoogleLedger: the service's append-only record as a ``_ledger`` tab (key | value) of a spreadsheet."""

from __future__ import annotations

from collections.abc import Sequence

from gworkspace_reviews.adapters.google import sheets
from gworkspace_reviews.adapters.google.apierrors import GoogleCallError
from gworkspace_reviews.adapters.google.gateway import Gateway

LEDGER_TAB = "_ledger"
HEADER = ("key", "value")
# Sheets refuses a cell over 50,000 characters; a long value (a 1,000-member draw is ~56,000) spans the
# columns after the key, CHUNK characters each, and is joined back on reading.
CHUNK = 45_000
COLUMNS = 26


def chunks(value: str) -> list[str]:
    """``value`` cut into cell-sized parts (at least one, possibly empty)."""
    parts = [value[i:i + CHUNK] for i in range(0, len(value), CHUNK)] or [""]
    if len(parts) > COLUMNS - 1:
        raise ValueError(f"a ledger value of {len(value)} characters does not fit in one row")
    return parts


class GoogleLedger:
    """Entries are read with one values.get and appended with one values.append (RAW); the latest row wins."""

    def __init__(self, gateway: Gateway, spreadsheet_id: str, tab: str = LEDGER_TAB) -> None:
        self.gw = gateway
        self.spreadsheet_id = spreadsheet_id
        self.tab = tab
        self._range = "'" + tab.replace("'", "''") + "'!A:Z"
        self._has_tab: bool | None = None  # None: not known yet

    def entries(self) -> dict[str, str]:
        """Every key with its latest value (an absent tab is an empty ledger)."""
        request = (
            self.gw.sheets.spreadsheets()
            .values()
            .get(
                spreadsheetId=self.spreadsheet_id,
                range=self._range,
                valueRenderOption="UNFORMATTED_VALUE",
            )
        )
        try:
            reply = self.gw.execute(
                request, what="reading the ledger", target=self.spreadsheet_id, quota="sheets.read"
            )
        except GoogleCallError as exc:
            if exc.failure is not None and exc.failure.status == 400:  # "Unable to parse range": no tab yet
                self._has_tab = False
                return {}
            raise
        self._has_tab = True
        out: dict[str, str] = {}
        for row in reply.get("values") or []:
            if not row or tuple(row[:2]) == HEADER:
                continue
            out[str(row[0])] = "".join(str(part) for part in row[1:])
        return out

    def put(self, key: str, value: str) -> None:
        """Record ``value`` under ``key``."""
        self.put_many([(key, value)])

    def put_many(self, items: Sequence[tuple[str, str]]) -> None:
        """Record several key/value pairs with one values.append (plus one addSheet the very first time)."""
        if not items:
            return
        rows = [[k, *chunks(v)] for k, v in items]
        if self._has_tab is False:
            self._add_tab()
            self._append([list(HEADER), *rows])
        else:
            try:
                self._append(rows)
            except GoogleCallError as exc:
                if self._has_tab or exc.failure is None or exc.failure.status != 400:
                    raise
                self._add_tab()
                self._append([list(HEADER), *rows])
        self._has_tab = True

    def _append(self, rows: list[list[str]]) -> None:
        request = (
            self.gw.sheets.spreadsheets()
            .values()
            .append(
                spreadsheetId=self.spreadsheet_id,
                range=self._range,
                valueInputOption="RAW",
                insertDataOption="INSERT_ROWS",
                body={"values": rows},
            )
        )
        self.gw.execute(
            request, what="recording in the ledger", target=self.spreadsheet_id, quota="sheets.write"
        )

    def _add_tab(self) -> None:
        sheets.batch_update(
            self.gw,
            self.spreadsheet_id,
            [
                {
                    "addSheet": {
                        "properties": {
                            "title": self.tab,
                            "hidden": True,
                            "gridProperties": {"columnCount": COLUMNS},
                        }
                    }
                }
            ],
            what=f"adding the {self.tab} tab",
        )
