"""Credentials: a service-account key file (optionally delegated to a user), else application-default."""

from __future__ import annotations

import json
import logging
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from google.auth import default as application_default
from google.auth import exceptions as auth_exceptions
from google.auth.credentials import Credentials
from google.oauth2 import service_account

from gworkspace_reviews.config_types import GoogleConfig
from gworkspace_reviews.errors import ConfigError

DRIVE_SCOPE = "https://www.googleapis.com/auth/drive"  # copying a template a person made needs full drive
SHEETS_SCOPE = "https://www.googleapis.com/auth/spreadsheets"
DOCS_SCOPE = "https://www.googleapis.com/auth/documents"
SCOPES: tuple[str, ...] = (DRIVE_SCOPE, SHEETS_SCOPE, DOCS_SCOPE)
KEY_ENV = "GOOGLE_APPLICATION_CREDENTIALS"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Identity:
    """Who the calls act as: the email to share files with, and where the credentials came from."""

    email: str
    source: str  # key file path, or "application-default credentials"


def key_file(google: GoogleConfig) -> Path | None:
    """The key file to use: google.credentials, else $GOOGLE_APPLICATION_CREDENTIALS, else None."""
    if google.credentials is not None:
        return Path(google.credentials).expanduser()
    env = os.environ.get(KEY_ENV, "").strip()
    return Path(env).expanduser() if env else None


def warn_if_exposed(path: Path) -> bool:
    """Log a warning when the key file can be read by group or others; True when it can."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        log.warning(
            "service-account key file %s is readable by group or others (mode %03o): run `chmod 600 %s`",
            path,
            stat.S_IMODE(mode),
            path,
        )
        return True
    return False


def _problem(path: Path, text: str) -> ConfigError:
    return ConfigError(str(path), [text])


def _read_key(path: Path) -> dict[str, Any]:
    where = "google.credentials" if os.environ.get(KEY_ENV, "") != str(path) else KEY_ENV
    if not path.is_file():
        raise _problem(
            path,
            (
                f"{where}: the service-account key file {path} does not exist; point {where} at the JSON key "
                "downloaded from Google Cloud (IAM & Admin > Service accounts > Keys > Add key > JSON)."
            ),
        )
    warn_if_exposed(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        # The parse error could quote key material, so it is not repeated here.
        data = None
    if not isinstance(data, dict):
        raise _problem(
            path,
            (
                f"{where}: {path} is not a JSON key file; download a new JSON key for the service account "
                "(IAM & Admin > Service accounts > Keys > Add key > JSON) and point the setting at it."
            ),
        )
    return data


def load_credentials(google: GoogleConfig) -> tuple[Credentials, Identity]:
    """Scoped credentials per the config, and the identity they act as; ConfigError (exit 2) when unusable."""
    path = key_file(google)
    if path is None:
        return _default_credentials(google)
    info = _read_key(path)
    if info.get("type") != "service_account":
        raise _problem(
            path,
            (
                f"{path} is a {info.get('type') or 'unknown'!s} credential, not a service-account key "
                '("type": "service_account"); create a service-account JSON key, or unset google.credentials '
                "to use application-default credentials."
            ),
        )
    try:
        creds = service_account.Credentials.from_service_account_info(  # type: ignore[no-untyped-call]
            info, scopes=list(SCOPES)
        )
    except (ValueError, KeyError, TypeError) as exc:
        missing = sorted({"client_email", "private_key", "token_uri"} - set(info))
        detail = (
            f"missing {', '.join(missing)}" if missing else f"unreadable private key ({type(exc).__name__})"
        )
        raise _problem(
            path,
            (
                f"{path} is not a usable service-account key ({detail}); download a new JSON key for the "
                "service "
                "account and point google.credentials at it."
            ),
        ) from None
    if google.subject:
        creds = creds.with_subject(google.subject)
    email = google.subject or str(creds.service_account_email)
    return creds, Identity(email=email, source=str(path))


def _default_credentials(google: GoogleConfig) -> tuple[Credentials, Identity]:
    try:
        creds, _project = application_default(scopes=list(SCOPES))
    except auth_exceptions.DefaultCredentialsError:
        raise ConfigError(
            "google.credentials",
            [
                (
                    "no Google credentials: set google.credentials in reviews.toml (or "
                    "GOOGLE_APPLICATION_CREDENTIALS) "
                    "to a service-account JSON key file, or run `gcloud auth application-default login`."
                )
            ],
        ) from None
    if google.subject:
        with_subject = getattr(creds, "with_subject", None)
        if with_subject is None:
            raise ConfigError(
                "google.subject",
                [
                    (
                        f"google.subject = {google.subject!r} needs a service-account key file for "
                        "domain-wide "
                        "delegation; set google.credentials to the key, or remove google.subject."
                    )
                ],
            )
        creds = with_subject(google.subject)
    email = google.subject or str(
        getattr(creds, "service_account_email", "") or "the application-default account"
    )
    return creds, Identity(email=email, source="application-default credentials")


def token_refused(identity: Identity, exc: auth_exceptions.RefreshError, subject: str | None) -> ConfigError:
    """The configuration error for a token request Google refused (bad key, delegation not granted)."""
    first = exc.args[0] if exc.args else exc
    text = str(first)[:200]
    hint = (
        "a Workspace admin must allow the service account's client id the drive, spreadsheets and documents "
        "scopes (Admin console > Security > API controls > Domain-wide delegation), and google.subject must "
        "be "
        "a user of that domain"
        if subject
        else "the key may be deleted or disabled: create a new JSON key for the service account"
    )
    return ConfigError(
        identity.source, [f"Google refused a token for {identity.email}: {text}. Fix: {hint}."]
    )
