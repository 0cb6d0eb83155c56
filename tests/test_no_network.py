"""The suite-wide guard in conftest.py: loopback works, anything else fails loudly."""

from __future__ import annotations

import socket

import pytest
import requests

from tests.conftest import RealHostContacted


def test_lookups_and_connections_to_real_hosts_are_refused() -> None:
    with pytest.raises(RealHostContacted):
        socket.getaddrinfo("bugzilla.mozilla.org", 443)
    with socket.socket() as sock, pytest.raises(RealHostContacted):
        sock.connect(("192.0.2.1", 443))  # TEST-NET-1: refused before any packet leaves


def test_a_request_to_the_real_bmo_fails_instead_of_leaving_the_machine() -> None:
    with pytest.raises(RealHostContacted):
        requests.get("https://bugzilla.mozilla.org/rest/time", timeout=1)


def test_loopback_still_works() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        with socket.create_connection(server.getsockname(), timeout=2):
            pass
