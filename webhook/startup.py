"""Start-up checks shared by the app factory and gunicorn's master process.

A bad or missing setting must stop start-up with one line naming it, before any worker
forks; ``check`` raises ``ConfigError`` with that line.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from besoksrapport.committee_config import load_committee
from besoksrapport.errors import ConfigError
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
        raise ConfigError(f"cannot create {settings.data_dir}: {error.strerror}",
                          field=PREFIX + "DATA_DIR") from None
    if not os.access(settings.data_dir, os.W_OK | os.X_OK):
        raise ConfigError(f"{settings.data_dir} is not writable", field=PREFIX + "DATA_DIR")


def check(config: Settings | Mapping[str, str] | None = None) -> Settings:
    """Everything start-up needs, read and checked once; raises ConfigError."""
    from besoksrapport.pipeline import load_template

    settings = settings_from(config)
    load_committee(settings.config_path)
    load_template(settings)
    check_data_dir(settings)
    return settings
