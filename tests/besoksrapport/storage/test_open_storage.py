"""The storage is chosen by its URL: the data folder's SQLite file unless the setting says."""

from __future__ import annotations

import pytest

from besoksrapport.errors import ConfigError
from besoksrapport.settings import load_settings
from besoksrapport.storage import open_storage, sqlite_url
from besoksrapport.storage.sqlite import SqliteStorage


def test_a_sqlite_url_opens_that_file_relative_or_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    absolute = open_storage(sqlite_url(tmp_path / "a b" / "db.sqlite3"))
    relative = open_storage("sqlite:///rel.sqlite3")
    try:
        assert isinstance(absolute, SqliteStorage) and isinstance(relative, SqliteStorage)
        absolute.ping()
        relative.ping()
        assert (tmp_path / "a b" / "db.sqlite3").is_file()
        assert (tmp_path / "rel.sqlite3").is_file()
    finally:
        absolute.close()
        relative.close()


def test_by_default_the_storage_is_the_data_folders_file(tmp_path):
    config = tmp_path / "committee.toml"
    config.write_text("")
    settings = load_settings({"BESOKSRAPPORT_CONFIG": str(config),
                              "BESOKSRAPPORT_DATA_DIR": str(tmp_path / "data")},
                             require_secrets=False)
    assert settings.storage_url == sqlite_url(tmp_path / "data" / "besoksrapport.sqlite3")


@pytest.mark.parametrize("url", ["mysql://db/x", "sqlite:///", "/var/db.sqlite3"])
def test_opening_a_url_of_no_known_backend_is_refused_in_swedish(url):
    with pytest.raises(ConfigError) as refused:
        open_storage(url)
    assert refused.value.field == "BESOKSRAPPORT_DATABASE_URL"
    assert "ange en adress som börjar med sqlite:///" in str(refused.value)


@pytest.mark.parametrize("url", ["mysql://db/x", "/var/db.sqlite3"])
def test_the_setting_names_a_url_of_no_known_backend_at_start_up(url, tmp_path):
    config = tmp_path / "committee.toml"
    config.write_text("")
    with pytest.raises(ConfigError) as refused:
        load_settings({"BESOKSRAPPORT_CONFIG": str(config),
                       "BESOKSRAPPORT_DATABASE_URL": url}, require_secrets=False)
    assert str(refused.value).startswith(
        "Konfigurationsfel i inställningen BESOKSRAPPORT_DATABASE_URL: ange en adress som "
        "börjar med sqlite:///")
