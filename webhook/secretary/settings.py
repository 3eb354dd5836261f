"""The secretary's page's settings, from the environment like every other setting.

The page is off unless ``BESOKSRAPPORT_SECRETARIES`` lists who may use it; then a session
secret is required, and at least one way to log in: local accounts (on by default) or
OpenID Connect (issuer, client id and secret). Secrets come only from the environment.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from besoksrapport.errors import ConfigError
from besoksrapport.secretary.accounts import SECRETARIES, allowed_accounts
from besoksrapport.settings import PREFIX, Settings, env_bool, env_int

MIN_SECRET_LENGTH = 32
LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class OidcSettings:
    issuer: str  # discovery at <issuer>/.well-known/openid-configuration
    client_id: str
    client_secret: str
    claim: str = "email"  # the ID token's claim matched against BESOKSRAPPORT_SECRETARIES

    @property
    def metadata_url(self) -> str:
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"


@dataclass(frozen=True)
class PageSettings:
    allowed: frozenset[str]
    session_secret: str
    local_accounts: bool = True
    oidc: OidcSettings | None = None
    public_url: str | None = None  # e.g. https://besoksrapport.kommun.se (OIDC callback)
    session_hours: int = 8
    export_seconds: int = 30  # a heavy export's time limit (``export_runner``)


def environment(config: Settings | Mapping[str, str] | None) -> Mapping[str, str]:
    """The environment with the app factory's overrides, as ``startup.settings_from`` reads it."""
    if isinstance(config, Settings) or not config:
        return os.environ
    return {**os.environ, **config}


def _https_url(env: Mapping[str, str], name: str) -> str | None:
    """An https:// address (http:// only on this machine, for trying things out)."""
    raw = env.get(PREFIX + name) or None
    if raw is None:
        return None
    parts = urlsplit(raw)
    if not parts.hostname or not (parts.scheme == "https" or
                                  (parts.scheme == "http" and parts.hostname in LOOPBACK)):
        raise ConfigError("ange en adress som börjar med https:// (http:// bara för 127.0.0.1)",
                          field=PREFIX + name)
    return raw.rstrip("/")


def _oidc(env: Mapping[str, str]) -> OidcSettings | None:
    names = ("OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET")
    given = {name: env.get(PREFIX + name) or "" for name in names}
    if not any(given.values()):
        return None
    for name, value in given.items():
        if not value:
            raise ConfigError("saknas: inloggning med OpenID Connect behöver utfärdaren, "
                              "klientens id och klientens hemlighet", field=PREFIX + name)
    issuer = _https_url(env, "OIDC_ISSUER")
    assert issuer is not None  # checked above
    return OidcSettings(issuer=issuer, client_id=given["OIDC_CLIENT_ID"],
                        client_secret=given["OIDC_CLIENT_SECRET"],
                        claim=env.get(PREFIX + "OIDC_ACCOUNT_CLAIM") or "email")


def page_settings(env: Mapping[str, str]) -> PageSettings | None:
    """The page's settings, or None when it is off; raises ConfigError naming a bad one."""
    allowed = allowed_accounts(env)
    if not allowed:
        return None
    secret = env.get(PREFIX + "SESSION_SECRET") or ""
    if len(secret) < MIN_SECRET_LENGTH:
        raise ConfigError(f"saknas eller är kortare än {MIN_SECRET_LENGTH} tecken (behövs "
                          f"när {SECRETARIES} är satt)", field=PREFIX + "SESSION_SECRET")
    local = env_bool(env, "LOCAL_ACCOUNTS", True)
    oidc = _oidc(env)
    if not local and oidc is None:
        raise ConfigError("sidan skulle inte gå att logga in på: ställ in OpenID Connect "
                          "eller behåll de lokala kontona", field=PREFIX + "LOCAL_ACCOUNTS")
    return PageSettings(allowed=allowed, session_secret=secret, local_accounts=local,
                        oidc=oidc, public_url=_https_url(env, "PUBLIC_URL"),
                        export_seconds=env_int(env, "EXPORT_SECONDS", 30))
