"""``besoksrapport migrate-storage``: an installation moved from SQLite to a real PostgreSQL
server with every count and checksum equal, the meeting folders in the shared store, and
the service running on the new database as it did on the old."""

from __future__ import annotations

from datetime import UTC, datetime

from besoksrapport.filing.shared import meeting_folders
from besoksrapport.runtime import build_context
from besoksrapport.secretary.meeting_files import filed_files
from besoksrapport.settings import load_settings
from besoksrapport.storage import open_storage, sqlite_url
from besoksrapport.storage.transfer import compare

from .conftest import run


def installation(desk, busy):
    """The example installation as the commands' tests fill it, and a little more."""
    desk.ctx.storage.set_meeting_diary_number(desk.first, "VSN 2026/143", lambda day: [])
    desk.ctx.storage.save_account("sekreterare", "$argon2id$v=19$hash", datetime.now(UTC))
    desk.ctx.storage.close()
    return sqlite_url(desk.data_dir / "besoksrapport.sqlite3")


def test_an_installation_moves_to_postgresql_with_every_count_and_checksum_equal(
        desk, busy, capsys, postgres_url, tmp_path):
    source = installation(desk, busy)
    code, out, err = run(capsys, "migrate-storage", "--from", source, "--to", postgres_url)
    assert (code, err) == (0, "")
    assert "rapporter: 4 rader kopierade" in out
    assert "avvisade inskick: 1 rad kopierad" in out
    assert "avvisade inskick: 1 → 1 rad, kontrollsumma lika" in out
    assert "OLIKA" not in out
    assert "kontrollsumma lika" in out
    assert "Klart: allt är flyttat, och varje antal och kontrollsumma stämmer." in out
    folders = meeting_folders(desk.data_dir / "meetings")
    files = sum(len(contents) for contents in folders.values())
    assert f"Sammanträdenas filer: {files} filer i {len(folders)} sammanträde" in out

    # Checked again from outside the command: every table, both sides.
    old, new = open_storage(source), open_storage(postgres_url)
    checks = compare(old, new)
    assert {check.name for check in checks} >= {"reports", "deliveries", "jobs", "quarantine",
                                                 "accounts", "meeting_diary_numbers"}
    assert all(check.equal for check in checks), [c for c in checks if not c.equal]
    assert new.get_report(busy["plain"].report_id) == old.get_report(busy["plain"].report_id)
    old.close()
    new.close()

    # A host with an empty data folder on the new database serves the same documents.
    host = build_context(load_settings(
        {"BESOKSRAPPORT_DATA_DIR": str(tmp_path / "new-host"),
         "BESOKSRAPPORT_CONFIG": str(desk.config), "BESOKSRAPPORT_DATABASE_URL": postgres_url},
        require_secrets=False))
    desk.ctx = build_context(load_settings(require_secrets=False))
    assert [f.sha512 for f in filed_files(host, desk.first)] == \
        [f.sha512 for f in filed_files(desk.ctx, desk.first)]
    assert host.storage.meeting_diary_number(desk.first) == "VSN 2026/143"
    # New jobs get new ids after the copied ones.
    assert host.storage.enqueue("x", {}) > max(j.id for j in host.storage.pending_jobs()
                                                if j.kind != "x")
    host.storage.close()


def test_a_move_to_a_server_that_sorts_text_in_swedish_checks_equal(
        desk, busy, capsys, swedish_postgres_url):
    for name in ("Åsa", "anna", "Bertil"):  # bytes and sv-SE put these in other orders
        desk.ctx.storage.save_account(name, "$argon2id$v=19$hash", datetime.now(UTC))
    source = installation(desk, busy)
    code, out, err = run(capsys, "migrate-storage", "--from", source,
                         "--to", swedish_postgres_url)
    assert (code, err) == (0, "")
    assert "OLIKA" not in out
    assert "Klart: allt är flyttat, och varje antal och kontrollsumma stämmer." in out


def test_a_move_back_from_postgresql_writes_the_meeting_folders_into_the_data_folder(
        desk, busy, capsys, postgres_url, tmp_path):
    source = installation(desk, busy)
    before = meeting_folders(desk.data_dir / "meetings")
    assert before and run(capsys, "migrate-storage", "--from", source,
                          "--to", postgres_url)[0] == 0
    back = tmp_path / "tillbaka"
    back.mkdir()
    code, out, err = run(capsys, "migrate-storage", "--from", postgres_url,
                         "--to", sqlite_url(back / "besoksrapport.sqlite3"),
                         "--data-dir", str(back))
    assert (code, err) == (0, "")
    assert f"hämtade till {back / 'meetings'}, kontrollsummor lika" in out
    assert "OLIKA" not in out
    assert meeting_folders(back / "meetings") == before


def test_a_target_with_data_is_refused_and_left_as_it_was(desk, busy, capsys, postgres_url):
    source = installation(desk, busy)
    assert run(capsys, "migrate-storage", "--from", source, "--to", postgres_url)[0] == 0
    code, out, _ = run(capsys, "migrate-storage", "--from", source, "--to", postgres_url)
    assert code == 1
    assert "Måldatabasen innehåller redan data" in out and "inget har ändrats" in out


def test_a_missing_source_file_is_a_configuration_error_in_swedish(capsys, tmp_path,
                                                                  postgres_url):
    missing = sqlite_url(tmp_path / "finns-inte.sqlite3")
    code, out, err = run(capsys, "migrate-storage", "--from", missing, "--to", postgres_url)
    assert code == 2 and out == ""
    assert "databasfilen finns inte" in err
    assert not (tmp_path / "finns-inte.sqlite3").exists()


def test_an_unreachable_target_is_said_in_swedish(desk, busy, capsys):
    from ports import free_port

    source = installation(desk, busy)
    target = f"postgresql://besoksrapport:hemligt@127.0.0.1:{free_port()}/x?connect_timeout=2"
    code, _, err = run(capsys, "migrate-storage", "--from", source, "--to", target)
    assert code == 3
    assert "databasservern går inte att nå" in err and "hemligt" not in err
