"""The fake's OAuth side: service-account keys, the JWT-bearer token endpoint, and bearer-token -> Caller."""

from __future__ import annotations

import base64
import json
import os
import secrets
import threading
import time
import urllib.parse
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from tests.fakegoogle.store import ApiError, Caller

JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
TOKEN_LIFETIME_S = 3600
GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"


class TokenError(Exception):
    """An OAuth error answered as ``{"error": ..., "error_description": ...}`` with HTTP 400."""

    def __init__(self, error: str, description: str, code: int = 400) -> None:
        super().__init__(description)
        self.error = error
        self.description = description
        self.code = code


@dataclass
class _Key:
    email: str
    public_key: rsa.RSAPublicKey


@dataclass
class _Token:
    caller: Caller
    expires: float


def _b64decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


class Auth:
    """Keys the fake issued, access tokens it minted, and the checks Google's token endpoint makes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._keys: dict[str, _Key] = {}  # private_key_id -> key
        self._tokens: dict[str, _Token] = {}
        self.token_uri = ""
        self.denied_subjects: set[str] = set()  # delegation not granted for these users

    def make_key(self, path: str, email: str, token_uri: str) -> str:
        """Write a service-account key JSON (fresh RSA key) whose public half this fake trusts."""
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode()
        key_id = secrets.token_hex(20)
        project = email.split("@", 1)[1].split(".", 1)[0] if "@" in email else "fake-project"
        info = {
            "type": "service_account",
            "project_id": project,
            "private_key_id": key_id,
            "private_key": pem,
            "client_email": email,
            "client_id": str(100000000000000000000 + len(self._keys)),
            "auth_uri": "https://accounts.google.com/o/oauth2/auth",
            "token_uri": token_uri,
            "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
            "client_x509_cert_url": "https://www.googleapis.com/robot/v1/metadata/x509/" + urllib.parse.quote(email),
            "universe_domain": "googleapis.com",
        }
        with self._lock:
            self._keys[key_id] = _Key(email, private.public_key())
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(info, fh, indent=2)
        os.chmod(path, 0o600)
        return path

    def issue(self, caller: Caller) -> str:
        """Mint an access token for ``caller`` directly (for raw-HTTP tests)."""
        token = "ya29.fake-" + secrets.token_urlsafe(24)
        with self._lock:
            self._tokens[token] = _Token(caller, time.time() + TOKEN_LIFETIME_S)
        return token

    def _verify_jwt(self, assertion: str) -> tuple[dict[str, Any], _Key]:
        parts = assertion.split(".")
        if len(parts) != 3:
            raise TokenError(
                "invalid_grant",
                "Invalid JWT: Token must be a short-lived token and in a reasonable timeframe.",
            )
        try:
            header = json.loads(_b64decode(parts[0]))
            claims = json.loads(_b64decode(parts[1]))
            signature = _b64decode(parts[2])
        except ValueError:
            raise TokenError("invalid_grant", "Invalid JWT: malformed segments.") from None
        if header.get("alg") != "RS256":
            raise TokenError("invalid_grant", f"Invalid JWT: unsupported alg {header.get('alg')!r}.")
        key = self._keys.get(str(header.get("kid", "")))
        if key is None:
            key = next((k for k in self._keys.values() if k.email == claims.get("iss")), None)
        if key is None:
            raise TokenError("invalid_grant", "Invalid JWT Signature.")
        try:
            key.public_key.verify(signature, f"{parts[0]}.{parts[1]}".encode(), padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature:
            raise TokenError("invalid_grant", "Invalid JWT Signature.") from None
        if claims.get("iss") != key.email:
            raise TokenError("invalid_grant", "Invalid JWT: iss does not match the key's service account.")
        now = time.time()
        exp, iat = claims.get("exp"), claims.get("iat")
        if (
            not isinstance(exp, int | float)
            or not isinstance(iat, int | float)
            or exp < now - 30
            or iat > now + 300
            or exp - iat > TOKEN_LIFETIME_S
        ):
            raise TokenError(
                "invalid_grant",
                "Invalid JWT: Token must be a short-lived token (60 minutes) and in "
                "a reasonable timeframe. Check your iat and exp values in the JWT "
                "claim.",
            )
        return claims, key

    def token_endpoint(self, form: dict[str, list[str]]) -> dict[str, Any]:
        """Answer the JWT-bearer grant as oauth2.googleapis.com/token does."""
        grant = form.get("grant_type", [""])[0]
        if grant != JWT_BEARER:
            raise TokenError("unsupported_grant_type", f"Invalid grant_type: {grant}")
        claims, key = self._verify_jwt(form.get("assertion", [""])[0])
        # google-auth always signs aud = Google's token endpoint, whatever token_uri the key file names;
        # Google accepts that, and so does the fake, besides its own token_uri.
        if claims.get("aud") not in (GOOGLE_TOKEN_URI, self.token_uri):
            raise TokenError(
                "invalid_grant",
                f"Invalid JWT: aud must be {GOOGLE_TOKEN_URI} or {self.token_uri}, got {claims.get('aud')!r}.",
            )
        scope = str(claims.get("scope", "")).split()
        if not scope:
            raise TokenError("invalid_scope", "Invalid OAuth scope or ID token audience provided.")
        subject = claims.get("sub")
        if subject and subject != key.email:
            if subject in self.denied_subjects:
                raise TokenError(
                    "unauthorized_client",
                    "Client is unauthorized to retrieve access tokens using "
                    "this method, or client not authorized for any of the "
                    "scopes requested.",
                )
            caller = Caller(email=str(subject), scopes=tuple(scope), service_account=False)
        else:
            caller = Caller(email=key.email, scopes=tuple(scope), service_account=True)
        return {"access_token": self.issue(caller), "expires_in": TOKEN_LIFETIME_S, "token_type": "Bearer"}

    def caller_for(self, authorization: str | None) -> Caller:
        """The caller behind an ``Authorization`` header; Google's 401 if there is no valid bearer token."""
        if not authorization:
            raise ApiError(
                401,
                "Request is missing required authentication credential. Expected OAuth 2 access "
                "token, login cookie or other valid authentication credential. See "
                "https://developers.google.com/identity/sign-in/web/devconsole-project.",
                reason="required",
                headers={"WWW-Authenticate": 'Bearer realm="https://accounts.google.com/"'},
            )
        scheme, _, token = authorization.partition(" ")
        invalid = ApiError(
            401,
            "Request had invalid authentication credentials. Expected OAuth 2 access token, "
            "login cookie or other valid authentication credential. See "
            "https://developers.google.com/identity/sign-in/web/devconsole-project.",
            reason="authError",
            headers={"WWW-Authenticate": 'Bearer realm="https://accounts.google.com/", error="invalid_token"'},
        )
        if scheme.lower() != "bearer" or not token:
            raise invalid
        with self._lock:
            found = self._tokens.get(token.strip())
        if found is not None:
            if found.expires < time.time():
                raise invalid
            return found.caller
        if token.count(".") == 2:
            # A self-signed JWT used directly as the bearer token (google-auth does this without scopes).
            try:
                claims, key = self._verify_jwt(token.strip())
            except TokenError:
                raise invalid from None
            scope = tuple(str(claims.get("scope", "")).split())
            return Caller(email=key.email, scopes=scope, service_account=True)
        raise invalid
