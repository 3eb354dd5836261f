"""Account names, password rules, the Argon2id hash and the list of allowed accounts."""

from __future__ import annotations

import pytest

from besoksrapport.secretary.accounts import (
    AccountError,
    account_name,
    allowed_accounts,
    hash_password,
    password_matches,
)


def test_an_account_name_is_kept_in_lower_case_without_surrounding_space():
    assert account_name("  Anna.Lindqvist@Exempelby.se ") == "anna.lindqvist@exempelby.se"


@pytest.mark.parametrize("name", ["", "anna lindqvist", ".anna", "anna/../x", "a" * 101, "åsa"])
def test_a_name_that_cannot_be_an_account_is_refused_in_swedish(name):
    with pytest.raises(AccountError, match="kan inte användas som kontonamn"):
        account_name(name)


def test_a_password_needs_twelve_characters_and_is_stored_salted():
    with pytest.raises(AccountError, match="minst 12 tecken"):
        hash_password("elva tecken")
    first, second = hash_password("tolv tecken!"), hash_password("tolv tecken!")
    assert first != second and first.startswith("$argon2id$")
    assert password_matches(first, "tolv tecken!") and password_matches(second, "tolv tecken!")


def test_an_unknown_account_or_a_broken_hash_never_matches():
    assert not password_matches(None, "ett lösenord som inget konto har")
    assert not password_matches("inte en hash", "vad som helst här")
    assert not password_matches(hash_password("x" * 12), "x" * 5000)


def test_the_allowed_accounts_are_split_on_spaces_and_commas_in_lower_case():
    env = {"BESOKSRAPPORT_SECRETARIES": " Anna,  bengt@Exempelby.se\ncecilia ,,"}
    assert allowed_accounts(env) == {"anna", "bengt@exempelby.se", "cecilia"}
    assert allowed_accounts({}) == frozenset()
