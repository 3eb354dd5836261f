"""Settings from the environment (prefix ``BESOKSRAPPORT_``).

Read once at start-up; a bad or missing setting raises ``ConfigError`` naming the variable,
and the entry points print that one line and stop. Secrets come only from here.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from besoksrapport.errors import ConfigError

PREFIX = "BESOKSRAPPORT_"
OEP_PREFIX = PREFIX + "OEP_"
OEP_POLL_SECONDS = 300  # how often the web process asks the platform for new reports
OEP_SKEW_SECONDS = 300  # how far each poll reaches back before the last one (clock skew)
DATABASE_FILE = "besoksrapport.sqlite3"
SECRET_PREFIX = "whsec_"  # noqa: S105 (a prefix, not a secret)


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 587
    starttls: bool = True
    username: str | None = None
    password: str | None = None
    sender: str = "besoksrapport@localhost"


@dataclass(frozen=True)
class WebdavSettings:
    url: str  # base collection, e.g. https://dms.example.se/dav/namnd/
    username: str | None = None
    password: str | None = None
    token: str | None = None  # bearer token; wins over username/password


@dataclass(frozen=True)
class OepSettings:
    """The connection to Open ePlatform (``BESOKSRAPPORT_OEP_*``); None when it is off.

    The address and the API user are deployment, not committee configuration, and the
    password is a secret: all come from the environment only.
    """

    url: str  # the platform's base address, without a trailing slash
    username: str
    password: str
    poll_seconds: int = OEP_POLL_SECONDS
    skew_seconds: int = OEP_SKEW_SECONDS


@dataclass(frozen=True)
class RetentionSettings:
    """Gallring periods in days per kind of record (``BESOKSRAPPORT_RETENTION_*_DAYS``);
    None: the kind is kept (bevaras). Filed reports are always kept."""

    refused_days: int | None = None
    withdrawn_days: int | None = None
    audit_days: int | None = None
    oep_xml_days: int | None = None

    @property
    def any(self) -> bool:
        return any(days is not None for days in (self.refused_days, self.withdrawn_days,
                                                 self.audit_days, self.oep_xml_days))


def load_retention(env: Mapping[str, str]) -> RetentionSettings:
    def days(name: str) -> int | None:
        return env_int(env, name, 1) if env.get(PREFIX + name) else None
    return RetentionSettings(refused_days=days("RETENTION_REFUSED_DAYS"),
                             withdrawn_days=days("RETENTION_WITHDRAWN_DAYS"),
                             audit_days=days("RETENTION_AUDIT_DAYS"),
                             oep_xml_days=days("RETENTION_OEP_XML_DAYS"))


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    webhook_secrets: tuple[str, ...]
    config_path: Path
    template_path: Path | None = None
    max_body_bytes: int = 2 * 1024 * 1024
    smtp: SmtpSettings | None = None
    webdav: WebdavSettings | None = None
    run_worker: bool = True  # process the outbox beside the web app (see outbox_process)
    # Under gunicorn, run the outbox in one process of its own (``besoksrapport worker``,
    # started by the master) instead of a thread in every web worker.
    outbox_process: bool = True
    worker_nice: int = 10  # how much lower the outbox process's CPU priority is
    oep: OepSettings | None = None  # Open ePlatform (BESOKSRAPPORT_OEP_*)
    database_url: str | None = None  # BESOKSRAPPORT_DATABASE_URL; None: the data folder's file
    min_free_mb: int = 100  # /readyz says not ready with less free space in the data folder
    # How many reverse proxies in front of the service set X-Forwarded-For/-Proto/-Host
    # (BESOKSRAPPORT_TRUSTED_PROXIES): the client's address in the audit trail and the login
    # throttle is then the one they forwarded. 0: the headers are ignored (anyone can send them).
    trusted_proxies: int = 0
    # The bundle is rebuilt this long after the last filing of a burst (BUNDLE_DELAY_SECONDS),
    # and at the latest BUNDLE_MAX_WAIT_SECONDS after the first (see outbox.jobs).
    bundle_delay_seconds: int = 3
    bundle_max_wait_seconds: int = 60
    pdf: bool = False  # BESOKSRAPPORT_PDF: every document also as PDF/A-2b (needs LibreOffice)
    # A report with personal data is held out of the public files until the secretary has
    # reviewed it (BESOKSRAPPORT_HOLD_PERSONAL_DATA); false: published, flagged only.
    hold_personal_data: bool = True
    # The politician is mailed when the secretary withdraws a report (webhook reports with
    # the submitter's address; BESOKSRAPPORT_WITHDRAWAL_MAIL).
    withdrawal_mail: bool = True
    retention: RetentionSettings = RetentionSettings()  # gallring (BESOKSRAPPORT_RETENTION_*)

    @property
    def database_path(self) -> Path:
        return self.data_dir / DATABASE_FILE

    @property
    def storage_url(self) -> str:
        """Where the storage is: the setting, or by default the data folder's SQLite file."""
        if self.database_url:
            return self.database_url
        return "sqlite:///" + quote(str(self.database_path))  # as storage.sqlite_url

    @property
    def meetings_dir(self) -> Path:
        return self.data_dir / "meetings"


def env_bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    """``BESOKSRAPPORT_<name>`` as true or false; anything else is a Swedish ConfigError."""
    raw = env.get(PREFIX + name)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"ange true eller false, inte ”{raw}”",
                      field=PREFIX + name)


def env_int(env: Mapping[str, str], name: str, default: int, *, minimum: int = 1) -> int:
    """``BESOKSRAPPORT_<name>`` as a whole number from ``minimum`` up, or a Swedish
    ConfigError."""
    raw = env.get(PREFIX + name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"värdet ”{raw}” är inget heltal", field=PREFIX + name) from None
    if value < minimum:
        raise ConfigError(f"värdet {value} måste vara större än noll" if minimum == 1 else
                          f"värdet {value} får inte vara mindre än {minimum}",
                          field=PREFIX + name)
    return value


def parse_secrets(raw: str | None) -> tuple[str, ...]:
    """One or more ``whsec_<base64>`` secrets separated by spaces (several during rotation)."""
    import base64
    import binascii

    name = PREFIX + "WEBHOOK_SECRETS"
    if not raw or not raw.strip():
        raise ConfigError("den saknas; ange en eller flera hemligheter som börjar med "
                          f"{SECRET_PREFIX}, åtskilda av mellanslag", field=name)
    secrets = tuple(raw.split())
    for position, secret in enumerate(secrets, start=1):
        if not secret.startswith(SECRET_PREFIX):
            raise ConfigError(f"hemlighet nummer {position} börjar inte med {SECRET_PREFIX}",
                              field=name)
        try:
            key = base64.b64decode(secret[len(SECRET_PREFIX):], validate=True)
        except binascii.Error:
            raise ConfigError(f"hemlighet nummer {position} är inte giltig base64 efter "
                              f"{SECRET_PREFIX}", field=name) from None
        if len(key) < 16:
            raise ConfigError(f"hemlighet nummer {position} är kortare än 16 byte", field=name)
    return secrets


def load_settings(env: Mapping[str, str] | None = None, *,
                  require_secrets: bool = True) -> Settings:
    """The settings; the secretary's commands pass ``require_secrets=False`` (no webhook)."""
    from besoksrapport.settings import load_oep_settings

    env = os.environ if env is None else env
    data_dir = Path(env.get(PREFIX + "DATA_DIR") or "./var")
    config_raw = env.get(PREFIX + "CONFIG")
    if not config_raw:
        raise ConfigError("den saknas; ange sökvägen till nämndens konfiguration (TOML)",
                          field=PREFIX + "CONFIG")
    config_path = Path(config_raw)
    if not config_path.is_file():
        raise ConfigError(f"filen {config_path} finns inte", field=PREFIX + "CONFIG")
    template_raw = env.get(PREFIX + "TEMPLATE")
    template_path = Path(template_raw) if template_raw else None
    if template_path is not None and not template_path.is_file():
        raise ConfigError(f"filen {template_path} finns inte", field=PREFIX + "TEMPLATE")

    smtp = None
    if env.get(PREFIX + "SMTP_HOST"):
        smtp = SmtpSettings(
            host=env[PREFIX + "SMTP_HOST"],
            port=env_int(env, "SMTP_PORT", 587),
            starttls=env_bool(env, "SMTP_STARTTLS", True),
            username=env.get(PREFIX + "SMTP_USERNAME") or None,
            password=env.get(PREFIX + "SMTP_PASSWORD") or None,
            sender=env.get(PREFIX + "SMTP_FROM") or "besoksrapport@localhost",
        )
    webdav = None
    if env.get(PREFIX + "WEBDAV_URL"):
        url = env[PREFIX + "WEBDAV_URL"]
        if not url.startswith(("http://", "https://")):
            raise ConfigError("adressen måste börja med http:// eller https://",
                              field=PREFIX + "WEBDAV_URL")
        webdav = WebdavSettings(
            url=url if url.endswith("/") else url + "/",
            username=env.get(PREFIX + "WEBDAV_USERNAME") or None,
            password=env.get(PREFIX + "WEBDAV_PASSWORD") or None,
            token=env.get(PREFIX + "WEBDAV_TOKEN") or None,
        )
    return Settings(
        data_dir=data_dir,
        webhook_secrets=(parse_secrets(env.get(PREFIX + "WEBHOOK_SECRETS"))
                         if require_secrets or env.get(PREFIX + "WEBHOOK_SECRETS") else ()),
        config_path=config_path,
        template_path=template_path,
        max_body_bytes=env_int(env, "MAX_BODY_BYTES", 2 * 1024 * 1024),
        smtp=smtp,
        webdav=webdav,
        run_worker=env_bool(env, "RUN_WORKER", True),
        outbox_process=env_bool(env, "OUTBOX_PROCESS", True),
        worker_nice=env_int(env, "WORKER_NICE", 10, minimum=0),
        oep=load_oep_settings(env),
        database_url=_database_url(env),
        min_free_mb=env_int(env, "MIN_FREE_MB", 100),
        trusted_proxies=env_int(env, "TRUSTED_PROXIES", 0, minimum=0),
        bundle_delay_seconds=env_int(env, "BUNDLE_DELAY_SECONDS", 3),
        bundle_max_wait_seconds=env_int(env, "BUNDLE_MAX_WAIT_SECONDS", 60),
        pdf=env_bool(env, "PDF", False),
        hold_personal_data=env_bool(env, "HOLD_PERSONAL_DATA", True),
        withdrawal_mail=env_bool(env, "WITHDRAWAL_MAIL", True),
        retention=load_retention(env),
    )


def _database_url(env: Mapping[str, str]) -> str | None:
    """``BESOKSRAPPORT_DATABASE_URL``, checked for a scheme the storage knows."""
    raw = (env.get(PREFIX + "DATABASE_URL") or "").strip()
    if not raw:
        return None
    if not raw.startswith(("sqlite:///", "postgresql://", "postgres://")):
        raise ConfigError("ange en adress som börjar med sqlite:/// eller postgresql://, "
                          "till exempel sqlite:////var/lib/besoksrapport/besoksrapport.sqlite3 "
                          "eller postgresql://besoksrapport@db.example.se/besoksrapport",
                          field=PREFIX + "DATABASE_URL")
    return raw


def load_oep_settings(env: Mapping[str, str]) -> OepSettings | None:
    """The platform's address and API user, or None when the integration is off."""
    url = (env.get(OEP_PREFIX + "URL") or "").strip()
    if not url:
        return None
    if not url.startswith(("http://", "https://")):
        raise ConfigError("ange en adress som börjar med http:// eller https://",
                          field=OEP_PREFIX + "URL")
    username = env.get(OEP_PREFIX + "USERNAME") or ""
    password = env.get(OEP_PREFIX + "PASSWORD") or ""
    if not username:
        raise ConfigError("saknas: ange API-användaren som besoksrapport loggar in med i "
                          "Open ePlatform", field=OEP_PREFIX + "USERNAME")
    if not password:
        raise ConfigError("saknas: ange API-användarens lösenord", field=OEP_PREFIX + "PASSWORD")
    return OepSettings(url=url.rstrip("/"), username=username, password=password,
                       poll_seconds=env_int(env, "OEP_POLL_SECONDS", OEP_POLL_SECONDS),
                       skew_seconds=env_int(env, "OEP_SKEW_SECONDS", OEP_SKEW_SECONDS))
