"""Debian's headless Chromium, driven by selenium through /usr/bin/chromedriver.

Both paths are given explicitly, so selenium never looks for or downloads a browser or a
driver (SE_OFFLINE as well). The flags keep Chromium off the network it cannot reach here
(updates, sync, QUIC, background requests) and in a fresh profile. Without chromium a test
is skipped, except under CI=true, where it fails (scripts/ensure-system-deps installs it).
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1280,1000", "--lang=sv-SE")


def require_chromium() -> None:
    for program in (CHROMIUM, CHROMEDRIVER):
        if not shutil.which(program):
            if os.environ.get("CI") == "true":
                pytest.fail(f"{program} is required in CI")
            pytest.skip(f"{program} is not installed (Debian: chromium, chromium-driver)")


@contextmanager
def chromium(profile: Path, downloads: Path) -> Iterator:
    """A headless Chromium with its own profile; files it downloads land in ``downloads``."""
    require_chromium()
    os.environ.setdefault("SE_OFFLINE", "true")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    downloads.mkdir(parents=True, exist_ok=True)
    options.add_experimental_option("prefs", {
        "download.default_directory": str(downloads), "download.prompt_for_download": False,
        "intl.accept_languages": "sv-SE,sv"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.execute_cdp_cmd("Browser.setDownloadBehavior",
                           {"behavior": "allow", "downloadPath": str(downloads)})
    try:
        yield driver
    finally:
        driver.quit()


def downloaded(folder: Path, pattern: str, seconds: float = 30) -> Path:
    """The finished download matching ``pattern`` (Chromium writes *.crdownload first)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = [path for path in folder.glob(pattern) if not path.name.endswith(".crdownload")]
        if found:
            return found[0]
        time.sleep(0.1)
    raise AssertionError(f"no download matching {pattern} in {folder}: "
                         f"{sorted(p.name for p in folder.iterdir())}")


def full_page_png(driver) -> bytes:
    """The whole page as PNG, beyond the window's height."""
    import base64

    shot = driver.execute_cdp_cmd("Page.captureScreenshot",
                                  {"format": "png", "captureBeyondViewport": True})
    return base64.b64decode(shot["data"])
