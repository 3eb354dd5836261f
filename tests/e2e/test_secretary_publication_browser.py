"""What becomes public, decided in a real browser: headless Chromium against gunicorn.

Reports come in through the signed webhook, one with a phone number and a personnummer in
its text; the service files and delivers them to a real WebDAV server (wsgidav) with its
own outbox. The secretary logs in, sees the report held back, publishes a masked copy,
withdraws a duplicate with a reason, sets the meeting's diarienummer and reads the kallelse
text; the test reads the meeting folder and the WebDAV server after each step.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
import requests
from chromium import chromium, full_page_png, require_chromium
from davserver import DavServer
from flow import meeting_dir, post, visit_envelope, wait_for, wait_until_filed
from public_text import docx_text, folder_texts
from secretary_page import ACCOUNT, PASSWORD, SESSION_SECRET
from webhook_helpers import committee_config, environment

from besoksrapport.privacy.screening import MASK
from besoksrapport.swedish import long_date

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

TODAY = datetime.now(UTC).date()
PERSONAL = "Brukaren vill bli uppringd på 070-123 45 67; hans personnummer är 19800101-1234."


def remote_files(dav: DavServer, day) -> dict[str, str]:
    """The report ids in the document system's index.json, each with its file name.

    The test's WebDAV server writes a PUT's body into the file as it arrives, so a read
    can catch index.json halfway through a new upload: then it is as if not there yet."""
    answer = requests.get(f"{dav.url}{day.isoformat()}/index.json", timeout=10)
    try:
        files = json.loads(answer.content)["auxiliaryFile"] if answer.ok else []
    except ValueError:
        return {}
    return {item["besoksrapport:reportId"]: item["fileName"] for item in files
            if item.get("besoksrapport:reportId")}


def remote_report_ids(dav: DavServer, day) -> set[str]:
    return set(remote_files(dav, day))


def remote_text(dav: DavServer, day, report_id: str) -> str:
    name = wait_for(lambda: remote_files(dav, day).get(report_id), 30, "a whole index.json")

    def whole() -> str | None:  # the DOCX too may be caught while it is uploaded again
        data = requests.get(f"{dav.url}{day.isoformat()}/{requests.utils.quote(name)}",
                            timeout=10).content
        try:
            return docx_text(data)
        except zipfile.BadZipFile:
            return None

    return wait_for(whole, 30, "a whole DOCX")


def arrive(driver, title: str) -> None:
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By

    def heading() -> str:
        try:
            return driver.find_element(By.TAG_NAME, "h1").text
        except WebDriverException:
            return ""

    wait_for(lambda: heading() == title, 20, f"the page «{title}»")


def test_the_secretary_masks_personal_data_withdraws_a_duplicate_and_gets_the_kallelse(
        tmp_path, start_server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    require_chromium()
    first = TODAY + timedelta(days=20)
    config = committee_config(tmp_path / "committee.toml", [first, first + timedelta(days=28)])
    data_dir = tmp_path / "data"
    (tmp_path / "dav").mkdir()
    with DavServer(tmp_path / "dav") as dav:
        page = {"BESOKSRAPPORT_SECRETARIES": ACCOUNT,
                "BESOKSRAPPORT_SESSION_SECRET": SESSION_SECRET,
                "BESOKSRAPPORT_WEBDAV_URL": dav.url, "BESOKSRAPPORT_WORKERS": "1"}
        made = subprocess.run(
            [sys.executable, "-m", "besoksrapport.cli", "user", "add", ACCOUNT,
             "--password-stdin"], input=PASSWORD + "\n", capture_output=True, text=True,
            timeout=60, check=False,
            env={**os.environ, **environment(data_dir, BESOKSRAPPORT_CONFIG=str(config), **page)})
        assert made.returncode == 0, made.stderr
        server = start_server(data_dir, config, **page)
        ids = []
        for envelope in (visit_envelope(0, oral_summary=True),
                         visit_envelope(1, other_observations=PERSONAL),
                         visit_envelope(2)):
            answer = post(server, envelope)
            assert answer.status_code == 201, answer.text
            ids.append(answer.json()["report_id"])
        kept, personal, duplicate = ids
        wait_until_filed(data_dir, first, [kept, duplicate])  # the personal one is held
        wait_for(lambda: remote_report_ids(dav, first) == {kept, duplicate}, 60,
                 "the document system without the held report")

        with chromium(tmp_path / "profile", tmp_path / "downloads") as driver:
            driver.get(server.url + "/sekreterare/")
            driver.find_element(By.ID, "konto").send_keys(ACCOUNT)
            driver.find_element(By.ID, "losenord").send_keys(PASSWORD, Keys.ENTER)
            arrive(driver, "Kommande sammanträden")
            main = driver.find_element(By.TAG_NAME, "main").text
            assert (f"1 rapport till sammanträdet den {long_date(first)} väntar på granskning "
                    "av personuppgifter") in main

            driver.find_element(By.PARTIAL_LINK_TEXT, "Granska rapporterna till").click()
            arrive(driver, f"Sammanträdet den {long_date(first)}")
            driver.find_element(By.PARTIAL_LINK_TEXT, f"Hantera rapport {personal}").click()
            arrive(driver, f"Rapport {personal}")
            assert "ett telefonnummer och ett möjligt personnummer" in driver.find_element(
                By.TAG_NAME, "main").text
            (tmp_path / "secretary-report.png").write_bytes(full_page_png(driver))
            driver.find_element(
                By.XPATH, "//button[text()='Publicera med uppgifterna borttagna']").click()
            arrive(driver, f"Rapport {personal}")
            assert "publiceras med uppgifterna borttagna" in driver.find_element(
                By.CSS_SELECTOR, "[role=status]").text
            wait_until_filed(data_dir, first, [kept, personal, duplicate])
            [local] = [t for n, t in folder_texts(meeting_dir(data_dir, first)).items()
                       if personal in n]
            assert f"uppringd på {MASK}; hans personnummer är {MASK}." in local
            wait_for(lambda: personal in remote_report_ids(dav, first), 60, "the masked copy")
            remote = remote_text(dav, first, personal)
            assert MASK in remote and "19800101" not in remote and "070-123" not in remote

            driver.get(f"{server.url}/sekreterare/rapporter/{duplicate}")
            arrive(driver, f"Rapport {duplicate}")
            driver.find_element(By.ID, "skal").send_keys(f"Dubblett av {kept}.")
            driver.find_element(By.XPATH, "//button[text()='Makulera rapporten']").click()
            arrive(driver, f"Rapport {duplicate}")
            assert f"Skäl: Dubblett av {kept}." in driver.find_element(By.ID, "makulerad").text
            wait_until_filed(data_dir, first, [kept, personal])
            wait_for(lambda: remote_report_ids(dav, first) == {kept, personal}, 60,
                     "the document system without the withdrawn report")
            assert not list((tmp_path / "dav" / first.isoformat()).glob(f"*{duplicate}*"))

            driver.get(f"{server.url}/sekreterare/sammantraden/{first.isoformat()}")
            arrive(driver, f"Sammanträdet den {long_date(first)}")
            driver.find_element(By.PARTIAL_LINK_TEXT, "Kallelsens text").click()
            arrive(driver, f"Kallelse till sammanträdet den {long_date(first)}")
            field = driver.find_element(By.ID, "diarienummer")
            field.send_keys("VSN 2026/143")
            driver.find_element(By.XPATH, "//button[text()='Spara diarienumret']").click()
            arrive(driver, f"Kallelse till sammanträdet den {long_date(first)}")
            kallelse = driver.find_element(By.ID, "kallelsetext").get_attribute("value")
            assert ("Återrapporter från kontaktpolitikers verksamhetsbesök, 2 st, "
                    "Dnr VSN 2026/143") in kallelse
            assert kept in kallelse and personal in kallelse and duplicate not in kallelse
            assert "Muntlig återrapport önskas av" in kallelse
            (tmp_path / "secretary-agenda.png").write_bytes(full_page_png(driver))
            wait_for(lambda: "Dnr VSN 2026/143" in "".join(
                t for n, t in folder_texts(meeting_dir(data_dir, first)).items()
                if "Förteckning" in n), 60, "the Förteckning with the diarienummer")
