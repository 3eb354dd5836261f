"""Start-up checks shared by the app factory and gunicorn's master process.

A bad or missing setting must stop start-up with one line naming it, before any worker
forks; ``check`` raises ``ConfigError`` with that line.
"""

from __future__ import annotations

import errno
import os
import socket
import time
from collections.abc import Iterable, Mapping

from besoksrapport.committee.config import load_committee
from besoksrapport.errors import ConfigError
from besoksrapport.failure_reasons import os_reason
from besoksrapport.filing.renderers import load_renderers
from besoksrapport.oep.loop import check_configured
from besoksrapport.settings import PREFIX, Settings, load_settings


def settings_from(config: Settings | Mapping[str, str] | None) -> Settings:
    """A Settings as given, or read from the environment with optional overrides."""
    if isinstance(config, Settings):
        return config
    env = dict(os.environ)
    if config:
        env.update(config)
    return load_settings(env)


def check_data_dir(settings: Settings) -> None:
    try:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigError(f"mappen {settings.data_dir} går inte att skapa: {os_reason(error)}",
                          field=PREFIX + "DATA_DIR") from None
    if not os.access(settings.data_dir, os.W_OK | os.X_OK):
        raise ConfigError(f"det går inte att skriva i mappen {settings.data_dir}",
                          field=PREFIX + "DATA_DIR")


def check(config: Settings | Mapping[str, str] | None = None) -> Settings:
    """Everything start-up needs, read and checked once; raises ConfigError."""
    settings = settings_from(config)
    check_configured(settings.oep, load_committee(settings.config_path).oep)
    load_renderers(settings.template_path)
    check_data_dir(settings)
    from .secretary.settings import environment, page_settings

    page_settings(environment(config))  # the secretary's page, when it is turned on
    return settings


def use_reuse_port(addresses: Iterable[object], environ: Mapping[str, str]) -> bool:
    """SO_REUSEPORT only when every bind is TCP and no socket is handed over by systemd.

    Linux refuses the option on a Unix socket (the workers would fail to bind for ever), and
    with it gunicorn ignores sockets passed by systemd socket activation; there the
    workers share the master's socket as usual.
    """
    tcp = all(isinstance(address, tuple) and len(address) == 2 for address in addresses)
    return tcp and "LISTEN_FDS" not in environ


def _shown(address: object) -> str:
    """«http://127.0.0.1:8000», «http://[::1]:8000», or a Unix socket's path."""
    if isinstance(address, tuple) and len(address) == 2:
        host, port = address
        return f"http://[{host}]:{port}" if ":" in str(host) else f"http://{host}:{port}"
    return f"unix:{address}" if isinstance(address, str) else str(address)


def listening_line(addresses: Iterable[object]) -> str:
    """«Besöksrapport tar emot på http://127.0.0.1:8000»: printed when gunicorn is ready."""
    return "Besöksrapport tar emot på " + " och ".join(_shown(a) for a in addresses)


def _make_hint(environ: Mapping[str, str]) -> str:
    """Under ``make run`` (it sets BESOKSRAPPORT_MAKE_RUN) the address comes from its PORT
    and HOST: say how to change it."""
    return " (make run: välj en annan port med make run PORT=8001)" \
        if environ.get("BESOKSRAPPORT_MAKE_RUN") == "1" else ""


def check_addresses_free(addresses: Iterable[object], wait_seconds: float = 0) -> None:
    """Refuse TCP addresses that something already listens on; raises ConfigError.

    With ``reuse_port`` the workers bind, not the master: an address in use would make them
    fail and be restarted over and over instead of stopping start-up. A trial bind without
    SO_REUSEPORT fails on any listener there, ours with SO_REUSEPORT included, so a second
    instance cannot quietly share the port and half the deliveries either. (For the same
    reason a USR2 upgrade, a new master beside the old workers, is refused: restart.)
    """
    for address in addresses:
        if not (isinstance(address, tuple) and len(address) == 2):
            continue  # a Unix socket path or an inherited file descriptor
        host, port = address
        family = socket.AF_INET6 if ":" in str(host) else socket.AF_INET
        shown = f"[{host}]:{port}" if family == socket.AF_INET6 else f"{host}:{port}"
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                _try_bind(family, host, port)
                break
            except OverflowError:
                raise ConfigError(f"det går inte att lyssna på {shown}: porten finns inte",
                                  field="--bind / BESOKSRAPPORT_BIND") from None
            except OSError as error:
                # Workers orphaned by a killed master let go of the port within a second
                # or two (``gunicorn_worker``): wait for them rather than refuse the restart.
                if error.errno == errno.EADDRINUSE and time.monotonic() < deadline:
                    time.sleep(0.1)
                    continue
                raise ConfigError(f"det går inte att lyssna på {shown}: {os_reason(error)}"
                                  + _make_hint(os.environ),
                                  field="--bind / BESOKSRAPPORT_BIND") from None


def _try_bind(family: socket.AddressFamily, host: str, port: int) -> None:
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))
