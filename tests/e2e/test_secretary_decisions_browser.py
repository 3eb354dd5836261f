"""Issue 21 B in a real browser: headless Chromium against the page gunicorn serves.

Reports come in through the signed webhook (one refused as invalid); the account is made
with ``besoksrapport user add``. The secretary reads the deadline in words, sorts and
filters the meeting's table, marks a flag and a refused delivery handled, opens a
politician's page, moves a report to a meeting whose deadline has passed (the browser
will not send the confirmation until it is ticked), downloads a report, gallrar and reads
the audit trail, which she downloads as CSV. Every one of those actions is in the trail.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from chromium import chromium, downloaded, require_chromium
from flow import post, visit_envelope, wait_for, wait_until_filed
from secretary_page import ACCOUNT, PASSWORD, SESSION_SECRET
from webhook_helpers import committee_config, environment

from besoksrapport.form.validation import validate_envelope
from besoksrapport.storage.sqlite import SqliteStorage
from besoksrapport.swedish import long_date

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

TODAY = datetime.now(UTC).date()


def heading(driver) -> str:
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By

    try:
        return driver.find_element(By.TAG_NAME, "h1").text
    except WebDriverException:
        return ""


def arrive(driver, title: str) -> None:
    wait_for(lambda: heading(driver) == title, 20, f"the page «{title}»")


def while_replaced(read, empty):
    """``read()``, or ``empty`` when the page is being replaced as it is read: the element
    went stale, is not there yet, or (Chromium) its node left the document between being
    found and being read. A wait_for that asks again then reads the new page."""
    from selenium.common.exceptions import (
        NoSuchElementException,
        StaleElementReferenceException,
        WebDriverException,
    )

    try:
        return read()
    except (StaleElementReferenceException, NoSuchElementException):
        return empty
    except WebDriverException as error:
        if "does not belong to the document" in (error.msg or ""):
            return empty
        raise


def main_text(driver) -> str:
    """The page's main text; empty while the page is being replaced (see ``table_names``)."""
    from selenium.webdriver.common.by import By

    return while_replaced(lambda: driver.find_element(By.TAG_NAME, "main").text, "")


def table_names(driver) -> list[str]:
    """The politicians' names in the table's order; none while the page is being replaced
    (a wait_for that asks again then reads the new page)."""
    from selenium.webdriver.common.by import By

    return while_replaced(lambda: [cell.text for cell in driver.find_elements(
        By.CSS_SELECTOR, "table.reports tbody td a[href*='/kontaktpolitiker/']")], [])


def test_the_secretary_decides_handles_moves_late_gallrar_and_reads_the_trail(
        tmp_path, start_server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    require_chromium()
    soon, first = TODAY + timedelta(days=3), TODAY + timedelta(days=20)
    config = committee_config(tmp_path / "committee.toml", [soon, first])
    data_dir = tmp_path / "data"
    page = {"BESOKSRAPPORT_SECRETARIES": ACCOUNT,
            "BESOKSRAPPORT_SESSION_SECRET": SESSION_SECRET, "BESOKSRAPPORT_WORKERS": "1",
            "BESOKSRAPPORT_RETENTION_REFUSED_DAYS": "30"}
    env = {**os.environ, **environment(data_dir, BESOKSRAPPORT_CONFIG=str(config), **page)}
    made = subprocess.run(
        [sys.executable, "-m", "besoksrapport.cli", "user", "add", ACCOUNT, "--password-stdin"],
        input=PASSWORD + "\n", capture_output=True, text=True, timeout=60, check=False, env=env)
    assert made.returncode == 0, made.stderr
    server = start_server(data_dir, config, **page)
    ids = []
    for number in range(4):
        answer = post(server, visit_envelope(number, employed_in_operation=number == 3))
        assert answer.status_code == 201, answer.text
        ids.append(answer.json()["report_id"])
    wait_until_filed(data_dir, first, ids)
    broken = visit_envelope(2)
    del broken["data"]["answers"]["unit"]
    assert post(server, broken).status_code == 422
    store = SqliteStorage(data_dir / "besoksrapport.sqlite3")  # a refusal from long ago
    store.record_quarantine(f"msg_{uuid.uuid4().hex}", json.dumps(broken).encode(),
                            validate_envelope(broken), datetime.now(UTC) - timedelta(days=90))
    flagged, moved = ids[3], ids[0]
    downloads = tmp_path / "downloads"

    with chromium(tmp_path / "profile", downloads) as driver:
        driver.get(server.url + "/sekreterare/")
        driver.find_element(By.ID, "konto").send_keys(ACCOUNT)
        driver.find_element(By.ID, "losenord").send_keys(PASSWORD, Keys.ENTER)
        arrive(driver, "Kommande sammanträden")
        text = main_text(driver)
        assert (f"Sista tiden har gått ut; nya rapporter går till sammanträdet den "
                f"{long_date(first)}.") in text
        assert "2 avvisade rapporter som inte är hanterade" in text

        # The table: sorted by a header link, filtered by the form, without JavaScript.
        driver.find_element(By.LINK_TEXT, long_date(first)).click()
        arrive(driver, f"Sammanträdet den {long_date(first)}")
        assert table_names(driver) == ["Anna Lindqvist", "Bengt Haraldsson", "Cecilia Öberg",
                                       "Dragan Petrović"]
        driver.find_element(By.PARTIAL_LINK_TEXT, "Kontaktpolitiker").click()
        wait_for(lambda: "ordning=politiker" in driver.current_url, 20, "the sorted table")
        driver.find_element(By.PARTIAL_LINK_TEXT, "Kontaktpolitiker").click()
        wait_for(lambda: table_names(driver)[:1] == ["Dragan Petrović"], 20, "descending")
        driver.find_element(By.ID, "sok").send_keys("ishallen", Keys.ENTER)
        wait_for(lambda: table_names(driver) == ["Dragan Petrović"], 20, "the filter")
        assert "1 rapport visas av 4" in main_text(driver)

        # A flag handled with a note: the count goes down.
        driver.find_element(By.PARTIAL_LINK_TEXT,
                            f"Hantera kontrollpunkter för rapport {flagged}").click()
        arrive(driver, f"Kontrollpunkter för rapport {flagged}")
        driver.find_element(By.TAG_NAME, "textarea").send_keys("Talat med politikern.")
        driver.find_element(By.XPATH, "//button[text()='Markera som hanterad']").click()
        wait_for(lambda: "Kontrollpunkten är markerad som hanterad." in main_text(driver), 20,
                 "the flag handled")
        assert f"Hanterad av {ACCOUNT}" in main_text(driver)
        driver.find_element(By.LINK_TEXT, "Sammanträden").click()
        arrive(driver, "Kommande sammanträden")
        row = driver.find_element(By.XPATH, f"//tr[th/a[text()='{long_date(first)}']]")
        assert [c.text for c in row.find_elements(By.TAG_NAME, "td")][1:3] == ["4", "0"]

        # The politician's page.
        driver.find_element(By.LINK_TEXT, long_date(first)).click()
        arrive(driver, f"Sammanträdet den {long_date(first)}")
        driver.find_element(By.LINK_TEXT, "Anna Lindqvist").click()
        arrive(driver, "Anna Lindqvist")
        assert "Inom 1–2" in main_text(driver)
        driver.back()
        arrive(driver, f"Sammanträdet den {long_date(first)}")

        # A move to the meeting whose deadline has passed must be ticked to be sent.
        driver.find_element(By.PARTIAL_LINK_TEXT, f"Flytta rapport {moved}").click()
        arrive(driver, f"Flytta rapport {moved}")
        Select(driver.find_element(By.ID, "till")).select_by_value(soon.isoformat())
        driver.find_element(By.XPATH, "//button[text()='Gå vidare']").click()
        arrive(driver, "Bekräfta flytten")
        assert f"Sista tiden för sammanträdet den {long_date(soon)} gick ut" in \
            main_text(driver)
        driver.find_element(By.XPATH, "//button[text()='Ja, flytta rapporten']").click()
        assert heading(driver) == "Bekräfta flytten"  # the browser holds the unticked form
        assert store.get_report(moved).meeting_date == first
        driver.find_element(By.ID, "efter_sista_tid").click()
        driver.find_element(By.XPATH, "//button[text()='Ja, flytta rapporten']").click()
        arrive(driver, f"Sammanträdet den {long_date(first)}")
        assert f"Rapport {moved} flyttades från den {long_date(first)} till den " \
               f"{long_date(soon)}." in main_text(driver)
        wait_until_filed(data_dir, soon, [moved])
        driver.refresh()
        arrive(driver, f"Sammanträdet den {long_date(first)}")
        driver.find_element(By.PARTIAL_LINK_TEXT, f"Ladda ner rapport {flagged}").click()
        downloaded(downloads, f"* {flagged}.docx")

        # A refused delivery, readable, handled.
        driver.find_element(By.LINK_TEXT, "Avvisade rapporter").click()
        arrive(driver, "Avvisade rapporter")
        text = main_text(driver)
        assert "Cecilia Öberg: Kultur, besök den 3 oktober 2026" in text
        assert "Vilken enhet eller plats besökte du? Ange vilken enhet eller plats du besökte." \
            in text
        [newest] = [item for item in store.quarantined()
                    if item.received_at > datetime.now(UTC) - timedelta(days=1)]
        driver.find_element(By.ID, f"anteckning-{newest.id}").send_keys("Skickad igen.")
        driver.find_element(By.XPATH, f"//button[@aria-label='Markera avvisad leverans nr "
                                      f"{newest.id} som hanterad']").click()
        wait_for(lambda: f"nr {newest.id} är markerad som hanterad" in main_text(driver), 20,
                 "the refusal handled")

        # Gallring: the old refusal goes, the new one stays.
        driver.find_element(By.LINK_TEXT, "Gallring").click()
        arrive(driver, "Gallring")
        assert "Avvisade leveranser: gallras efter 30 dagar; 1 st" in main_text(driver)
        driver.find_element(By.XPATH, "//button[text()='Gallra nu (1 post)']").click()
        wait_for(lambda: "Gallringen är gjord: 1 post togs bort." in main_text(driver), 20,
                 "the gallring")
        assert [item.id for item in store.quarantined()] == [newest.id]

        # The trail, on the page and as CSV.
        driver.find_element(By.LINK_TEXT, "Logg").click()
        arrive(driver, "Logg över ändringar och nedladdningar")
        text = main_text(driver)
        for words in ("loggade in", "markerade kontrollpunkt som hanterad",
                      "flyttade rapport efter sista tiden", "laddade ner rapport",
                      "markerade avvisad leverans som hanterad", "gallrade",
                      "skapade lokalt konto"):
            assert words in text, words
        driver.find_element(By.XPATH, "//button[text()='Ladda ner loggen (CSV)']").click()
        trail_csv = downloaded(downloads, "logg_*.csv")

    with trail_csv.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream, delimiter=";"))
    assert rows[0] == ["Tidpunkt", "Vem", "Åtgärd", "Vad", "Varifrån", "Detaljer"]
    assert [ACCOUNT, "flyttade rapport efter sista tiden", moved, "127.0.0.1"] in \
        [row[1:5] for row in rows]
    wait_for(lambda: any(e.action == "download_audit" for e in store.audit_entries()), 60,
             "the CSV download in the trail")
    entries = store.audit_entries()
    page_actions = [(e.action, e.target) for e in entries if e.actor == ACCOUNT]
    assert page_actions == [
        ("login", ""), ("flag_handled", f"{flagged}:employed_in_operation"),
        ("move_late", moved), ("download_report", flagged),
        ("refused_handled", str(newest.id)), ("gallring", ""),
        ("download_audit", page_actions[-1][1])]
    assert {e.address for e in entries if e.actor == ACCOUNT} == {"127.0.0.1"}
    [made_account] = [e for e in entries if e.action == "user_add"]
    assert (made_account.target, made_account.address.startswith("kommandorad på ")) == (
        ACCOUNT, True)
    log = (tmp_path / "gunicorn.log").read_text(encoding="utf-8")
    assert "Talat med politikern" not in log and "Skickad igen" not in log
    store.close()
