"""Behind a reverse proxy (``BESOKSRAPPORT_TRUSTED_PROXIES``): the login throttle and the
audit trail see the client's address the proxy forwarded, and without the setting nobody
can choose their address by sending the header."""

from __future__ import annotations

import pytest
from secretary_page import ACCOUNT, PASSWORD, Secretary, make_office
from webhook_helpers import environment

from besoksrapport.errors import ConfigError
from besoksrapport.secretary import login_throttle
from besoksrapport.settings import load_settings


def through_proxy(office, client_address: str) -> Secretary:
    """A browser whose requests reach us through one proxy at 10.0.0.1."""
    browser = Secretary(office.app.test_client())
    browser.client.environ_base.update({"REMOTE_ADDR": "10.0.0.1",
                                        "HTTP_X_FORWARDED_FOR": client_address})
    return browser


@pytest.fixture
def proxied(tmp_path):
    yield from make_office(tmp_path, BESOKSRAPPORT_TRUSTED_PROXIES="1")


def test_behind_a_proxy_one_clients_failed_logins_do_not_lock_out_the_others(proxied):
    attacker = through_proxy(proxied, "203.0.113.9")
    for number in range(login_throttle.ADDRESS_LIMIT):
        assert attacker.login(f"okand{number}", PASSWORD).status_code == 200
    assert attacker.login(ACCOUNT, PASSWORD).status_code == 429
    colleague = through_proxy(proxied, "198.51.100.4")
    assert colleague.login().status_code == 302


def test_without_the_setting_a_forwarded_address_is_not_believed(office):
    for number in range(login_throttle.ADDRESS_LIMIT):
        sender = through_proxy(office, f"203.0.113.{number}")  # a new made-up address each time
        assert sender.login(f"okand{number}", PASSWORD).status_code == 200
    assert through_proxy(office, "198.51.100.4").login().status_code == 429


def test_the_audit_trail_names_the_forwarded_address(proxied):
    browser = through_proxy(proxied, "198.51.100.4")
    assert browser.login().status_code == 302
    logins = [entry for entry in proxied.ctx.storage.audit_entries()
              if entry.action == "login"]
    assert [entry.address for entry in logins] == ["198.51.100.4"]


def test_a_negative_number_of_proxies_is_refused_in_swedish(tmp_path):
    with pytest.raises(ConfigError) as refused:
        load_settings(environment(tmp_path / "data", BESOKSRAPPORT_TRUSTED_PROXIES="-1"))
    assert "BESOKSRAPPORT_TRUSTED_PROXIES" in str(refused.value)
    assert "får inte vara mindre än 0" in str(refused.value)
