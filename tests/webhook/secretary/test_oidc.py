"""Logging in with OpenID Connect, against a real provider on 127.0.0.1 (oidc_provider).

The test client plays the browser on our side; the provider's redirect back is followed
with requests, as a browser would follow it. The provider, discovery, token endpoint and
JWKS are real HTTP; the ID token is really signed and Authlib really checks it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import requests
from oidc_provider import CLIENT_ID, CLIENT_SECRET, OidcProvider, Person
from secretary_page import Secretary, make_office

CALLBACK = "http://localhost/sekreterare/logga-in/oidc/svar"


@pytest.fixture
def provider():
    with OidcProvider(redirect_uris=[CALLBACK]) as running:
        yield running


@pytest.fixture
def office(tmp_path, provider):
    yield from make_office(tmp_path, BESOKSRAPPORT_OIDC_ISSUER=provider.issuer,
                           BESOKSRAPPORT_OIDC_CLIENT_ID=CLIENT_ID,
                           BESOKSRAPPORT_OIDC_CLIENT_SECRET=CLIENT_SECRET)


def oidc_login(browser: Secretary, next_page: str = "/sekreterare/avvisade"):
    """Start at our login link, let the provider answer, come back to our callback."""
    start = browser.client.get("/sekreterare/logga-in/oidc", query_string={"next": next_page})
    assert start.status_code == 302
    back = requests.get(start.location, allow_redirects=False, timeout=10)
    assert back.status_code == 302
    assert back.headers["location"].startswith(CALLBACK + "?")
    callback = urlsplit(back.headers["location"])
    return browser.client.get(f"{callback.path}?{callback.query}")


def test_the_login_page_offers_the_municipalitys_login(visitor):
    page = visitor.get("/sekreterare/logga-in").get_data(as_text=True)
    assert "Logga in med kommunens konto" in page
    assert "Med lokalt konto" in page


def test_an_allowed_account_logs_in_with_the_identity_provider_and_lands_where_it_wanted(
        visitor, provider):
    answer = oidc_login(visitor)
    assert answer.status_code == 302
    assert answer.location == "/sekreterare/avvisade"
    assert provider.tokens_issued == 1
    assert visitor.get("/sekreterare/avvisade").status_code == 200


def test_an_account_not_among_the_secretaries_is_refused_with_403(visitor, provider):
    provider.person = Person(email="obehorig@exempelby.se")
    answer = oidc_login(visitor)
    assert answer.status_code == 403
    assert "inte behörighet" in answer.get_data(as_text=True)
    assert visitor.get("/sekreterare/").status_code == 302  # still not logged in


def test_an_email_the_provider_has_not_verified_is_refused(visitor, provider):
    provider.person = Person(email_verified=False)
    assert oidc_login(visitor).status_code == 403
    assert visitor.get("/sekreterare/").status_code == 302


def test_an_id_token_signed_with_another_key_is_refused(visitor, provider):
    provider.sign_with_stranger = True
    answer = oidc_login(visitor)
    assert answer.status_code == 403
    assert "Inloggningen misslyckades" in answer.get_data(as_text=True)
    assert visitor.get("/sekreterare/").status_code == 302


def test_a_callback_with_a_state_this_browser_never_got_is_refused(visitor, provider):
    stranger = Secretary(visitor.client.application.test_client())
    stranger.client.get("/sekreterare/logga-in/oidc")  # someone else's login, started elsewhere
    start = visitor.client.get("/sekreterare/logga-in/oidc")
    back = urlsplit(requests.get(start.location, allow_redirects=False,
                                 timeout=10).headers["location"])
    # The code and state are handed to another browser (login CSRF): it has no such state.
    assert stranger.client.get(f"{back.path}?{back.query}").status_code == 403
    assert stranger.get("/sekreterare/").status_code == 302
    assert provider.tokens_issued == 0
