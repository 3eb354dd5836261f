"""Start-up checks of the listening addresses (see webhook/gunicorn_conf.py: reuse_port)."""

from __future__ import annotations

import gc
import socket
import weakref
from types import SimpleNamespace

import pytest

from besoksrapport.errors import ConfigError
from webhook import gunicorn_conf
from webhook.startup import check_addresses_free, use_reuse_port


@pytest.mark.parametrize(("addresses", "environ", "expected"), [
    ([("127.0.0.1", 8000)], {}, True),
    ([("::1", 8000), ("127.0.0.2", 8001)], {}, True),
    (["/run/besoksrapport.sock"], {}, False),
    ([("127.0.0.1", 8000), "/run/besoksrapport.sock"], {}, False),
    ([3], {}, False),
    ([("127.0.0.1", 8000)], {"LISTEN_FDS": "1"}, False),
], ids=["tcp", "ipv6 and another", "unix", "tcp and unix", "fd", "systemd"])
def test_reuse_port_only_for_tcp_binds_not_handed_over(addresses, environ, expected):
    assert use_reuse_port(addresses, environ) is expected


def test_free_addresses_and_non_tcp_binds_pass():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    check_addresses_free([("127.0.0.1", port), "/run/x.sock", 3])


def test_an_address_in_use_is_one_line_naming_the_setting():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        with pytest.raises(ConfigError) as caught:
            check_addresses_free([("127.0.0.1", port)])
    assert str(caught.value) == (f"Konfigurationsfel i inställningen --bind / "
                                 f"BESOKSRAPPORT_BIND: det går inte att lyssna på "
                                 f"127.0.0.1:{port}: adressen används redan av ett annat "
                                 "program (errno 98, EADDRINUSE).")


def test_a_port_out_of_range_is_a_config_error_not_a_traceback():
    with pytest.raises(ConfigError, match=r"det går inte att lyssna på 127\.0\.0\.1:70000: "
                                          "porten finns inte"):
        check_addresses_free([("127.0.0.1", 70000)])


def test_an_ipv6_address_is_shown_in_brackets():
    with socket.socket(socket.AF_INET6) as listener:
        try:
            listener.bind(("::1", 0))
        except OSError:
            pytest.skip("no IPv6 loopback here")
        listener.listen()
        port = listener.getsockname()[1]
        with pytest.raises(ConfigError, match=rf"det går inte att lyssna på \[::1\]:{port}:"):
            check_addresses_free([("::1", port)])


class _Node:
    """An object that can be part of a reference cycle and be referred to weakly."""

    other: _Node | None = None


def test_a_web_worker_freezes_its_app_and_collects_its_garbage_first():
    gc.unfreeze()
    garbage = _Node()
    garbage.other = _Node()
    garbage.other.other = garbage  # a cycle only the collector can free
    gone = weakref.ref(garbage)
    del garbage
    try:
        gunicorn_conf.post_worker_init(SimpleNamespace(age=2))  # a later worker: no line
        assert gone() is None  # collected before the freeze, not frozen for good
        assert gc.get_freeze_count() > 1000  # the app's and the libraries' objects
    finally:
        gc.unfreeze()
