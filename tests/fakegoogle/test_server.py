"""The fake server's contract checks, auth, batch and instrumentation, driven through the real clients."""

from __future__ import annotations


def test_fixture_clients_reach_the_seeded_drive(fake_google, google_clients):
    got = google_clients.drive.drives().get(driveId=fake_google.seed["drive_id"]).execute()
    assert got == {"kind": "drive#drive", "id": fake_google.seed["drive_id"], "name": "Customer Support Reviews"}
    assert fake_google.counters["drive.drives.get"] == 1
    assert fake_google.counters["oauth2.token"] == 1
