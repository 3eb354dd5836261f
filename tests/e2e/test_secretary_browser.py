"""The secretary's page in a real browser: headless Chromium against the page gunicorn serves.

Reports come in through the signed webhook, the local account is made with
``besoksrapport user add``, and the browser does what the secretary does: logs in (with
the keyboard), opens a meeting, moves a report with the confirmation step, and downloads
the bundle; both meeting folders are refiled by the service's own outbox. A second test
logs in through a local OpenID Connect provider. With BESOKSRAPPORT_SCREENSHOT_DIR set,
the meeting page is saved there as secretary-meeting.png (the README's screenshot).
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from chromium import chromium, downloaded, full_page_png, require_chromium
from flow import meeting_dir, post, visit_envelope, wait_for, wait_until_filed
from gunicorn_server import GunicornServer
from oidc_provider import CLIENT_ID, CLIENT_SECRET, OidcProvider
from secretary_page import ACCOUNT, PASSWORD, SESSION_SECRET
from webhook_helpers import committee_config, environment

from besoksrapport.swedish import long_date

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

TODAY = datetime.now(UTC).date()


@dataclass
class Service:
    server: GunicornServer
    data_dir: Path
    first: date
    second: date
    report_ids: list[str]


@pytest.fixture
def provider():
    with OidcProvider() as running:
        yield running


@pytest.fixture
def service(tmp_path, start_server, provider) -> Service:
    require_chromium()
    first, second = TODAY + timedelta(days=20), TODAY + timedelta(days=48)
    config = committee_config(tmp_path / "committee.toml", [first, second])
    data_dir = tmp_path / "data"
    page = {"BESOKSRAPPORT_SECRETARIES": f"{ACCOUNT} anna.berg@exempelby.se",
            "BESOKSRAPPORT_SESSION_SECRET": SESSION_SECRET,
            "BESOKSRAPPORT_OIDC_ISSUER": provider.issuer,
            "BESOKSRAPPORT_OIDC_CLIENT_ID": CLIENT_ID,
            "BESOKSRAPPORT_OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "BESOKSRAPPORT_WORKERS": "1"}
    made = subprocess.run(
        [sys.executable, "-m", "besoksrapport.cli", "user", "add", ACCOUNT, "--password-stdin"],
        input=PASSWORD + "\n", capture_output=True, text=True, timeout=60, check=False,
        env={**os.environ, **environment(data_dir, BESOKSRAPPORT_CONFIG=str(config), **page)})
    assert made.returncode == 0, made.stderr
    assert made.stdout == f"Kontot {ACCOUNT} skapades.\n"
    server = start_server(data_dir, config, **page)
    provider.redirect_uris.append(server.url + "/sekreterare/logga-in/oidc/svar")
    envelopes = [
        visit_envelope(0, joint_visit=True, other_participants=["Bengt Haraldsson"],
                       oral_summary=True),
        visit_envelope(1, operation="kost", unit="Centralköket", visit_date="2026-10-01",
                       joint_visit=True, other_participants=["Anna Lindqvist"]),
        visit_envelope(2, employed_in_operation=True),
        visit_envelope(3),
    ]
    ids = []
    for envelope in envelopes:
        answer = post(server, envelope)
        assert answer.status_code == 201, answer.text
        ids.append(answer.json()["report_id"])
    wait_until_filed(data_dir, first, ids)
    return Service(server, data_dir, first, second, ids)


def heading(driver) -> str:
    """The page's h1, or "" while a new page is still loading."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By

    try:
        return driver.find_element(By.TAG_NAME, "h1").text
    except WebDriverException:  # stale or gone: the click's navigation is under way
        return ""


def arrive(driver, title: str) -> None:
    """Wait until the page a click led to has loaded, naming its h1."""
    wait_for(lambda: heading(driver) == title, 20, f"the page «{title}»")


def test_the_secretary_logs_in_opens_a_meeting_moves_a_report_and_downloads_the_bundle(
        service, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    url, first, second = service.server.url, service.first, service.second
    moved, *staying = service.report_ids[2], *service.report_ids[:2], service.report_ids[3]
    downloads = tmp_path / "downloads"
    with chromium(tmp_path / "profile", downloads) as driver:
        driver.get(url + "/sekreterare/")
        assert "/sekreterare/logga-in" in driver.current_url
        assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "sv"
        driver.find_element(By.ID, "konto").send_keys(ACCOUNT)
        driver.find_element(By.ID, "losenord").send_keys(PASSWORD, Keys.ENTER)
        arrive(driver, "Kommande sammanträden")

        # The keyboard: the first Tab reaches the skip link, visibly focused; Enter skips.
        driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
        active = driver.switch_to.active_element
        assert active.text == "Hoppa till innehållet"
        assert driver.execute_script(
            "return getComputedStyle(document.activeElement).outlineStyle") == "solid"
        active.send_keys(Keys.ENTER)
        assert driver.switch_to.active_element.get_attribute("id") == "innehall"

        driver.find_element(By.LINK_TEXT, long_date(first)).click()
        arrive(driver, f"Sammanträdet den {long_date(first)}")
        page = driver.find_element(By.TAG_NAME, "main").text
        assert "4 rapporter." in page
        assert "Enligt riktlinjerna ska kontaktpolitikern inte vara anställd" in page
        assert f"Ja, med {service.report_ids[0]}" in page
        shot = full_page_png(driver)
        (tmp_path / "secretary-meeting.png").write_bytes(shot)
        if os.environ.get("BESOKSRAPPORT_SCREENSHOT_DIR"):
            target = Path(os.environ["BESOKSRAPPORT_SCREENSHOT_DIR"]) / "secretary-meeting.png"
            target.write_bytes(shot)

        driver.find_element(By.PARTIAL_LINK_TEXT, f"Flytta rapport {moved}").click()
        arrive(driver, f"Flytta rapport {moved}")
        Select(driver.find_element(By.ID, "till")).select_by_value(second.isoformat())
        driver.find_element(By.XPATH, "//button[text()='Gå vidare']").click()
        arrive(driver, "Bekräfta flytten")
        assert (meeting_dir(service.data_dir, first) / "index.json").exists()
        driver.find_element(By.XPATH, "//button[text()='Ja, flytta rapporten']").click()
        arrive(driver, f"Sammanträdet den {long_date(first)}")
        assert (f"Rapport {moved} flyttades från den {long_date(first)} till den "
                f"{long_date(second)}.") in driver.find_element(By.CSS_SELECTOR,
                                                                "[role=status]").text

        wait_until_filed(service.data_dir, first, staying)
        wait_until_filed(service.data_dir, second, [moved])
        driver.refresh()
        arrive(driver, f"Sammanträdet den {long_date(first)}")
        assert "3 rapporter." in driver.find_element(By.TAG_NAME, "main").text
        driver.find_element(By.XPATH,
                            "//button[text()='Ladda ner samlingsdokumentet (DOCX)']").click()
        bundle = downloaded(downloads, "*Samtliga återrapporter*.docx")
        [filed] = meeting_dir(service.data_dir, first).glob("*Samtliga återrapporter*.docx")
        assert bundle.read_bytes() == filed.read_bytes()

        driver.find_element(By.PARTIAL_LINK_TEXT, f"Ladda ner rapport {staying[0]}").click()
        report = downloaded(downloads, f"* {staying[0]}.docx")
        assert report.read_bytes() == next(meeting_dir(service.data_dir, first).glob(
            f"* {staying[0]}.docx")).read_bytes()


def test_the_secretary_logs_in_with_the_municipalitys_identity_provider(service, provider,
                                                                         tmp_path):
    from selenium.webdriver.common.by import By

    with chromium(tmp_path / "profile", tmp_path / "downloads") as driver:
        driver.get(service.server.url + "/sekreterare/avvisade")
        driver.find_element(By.LINK_TEXT, "Logga in med kommunens konto").click()
        arrive(driver, "Avvisade rapporter")
        assert provider.tokens_issued == 1
        driver.find_element(By.XPATH, "//button[text()='Logga ut']").click()
        arrive(driver, "Logga in")
        driver.get(service.server.url + "/sekreterare/")
        arrive(driver, "Logga in")
