"""The connection to Open ePlatform, from the environment (``BESOKSRAPPORT_OEP_*``).

The address and the API user are deployment, not committee configuration, and the password
is a secret: all come from the environment only. Without ``BESOKSRAPPORT_OEP_URL`` the
integration is off.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..errors import ConfigError
from ..settings import _int

PREFIX = "BESOKSRAPPORT_OEP_"  # the settings' own PREFIX plus OEP_
POLL_SECONDS = 300  # how often the web process asks the platform for new reports
SKEW_SECONDS = 300  # how far each poll reaches back before the last one (clock skew)


@dataclass(frozen=True)
class OepSettings:
    url: str  # the platform's base address, without a trailing slash
    username: str
    password: str
    poll_seconds: int = POLL_SECONDS
    skew_seconds: int = SKEW_SECONDS


def load_oep_settings(env: Mapping[str, str]) -> OepSettings | None:
    """The platform's address and API user, or None when the integration is off."""
    url = (env.get(PREFIX + "URL") or "").strip()
    if not url:
        return None
    if not url.startswith(("http://", "https://")):
        raise ConfigError("ange en adress som börjar med http:// eller https://",
                          field=PREFIX + "URL")
    username = env.get(PREFIX + "USERNAME") or ""
    password = env.get(PREFIX + "PASSWORD") or ""
    if not username:
        raise ConfigError("saknas: ange API-användaren som besoksrapport loggar in med i "
                          "Open ePlatform", field=PREFIX + "USERNAME")
    if not password:
        raise ConfigError("saknas: ange API-användarens lösenord", field=PREFIX + "PASSWORD")
    return OepSettings(url=url.rstrip("/"), username=username, password=password,
                       poll_seconds=_int(env, "OEP_POLL_SECONDS", POLL_SECONDS),
                       skew_seconds=_int(env, "OEP_SKEW_SECONDS", SKEW_SECONDS))
