"""A real local TSA for every timestamp test: keys made once per session, server per test."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from tests.timestamp.ots_calendar import TestCalendar
from tests.timestamp.pki import Pki, make_pki
from tests.timestamp.tsa_server import TestTsa


@pytest.fixture(scope="session")
def tsa_pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("tsa-pki"))


@pytest.fixture
def tsa(tsa_pki: Pki, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestTsa]:
    server = TestTsa(tsa_pki, tmp_path_factory.mktemp("tsa-work"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def ots_calendars() -> Iterator[Callable[[], TestCalendar]]:
    """Start as many local OpenTimestamps calendars as a test asks for; all stop after it."""
    started: list[TestCalendar] = []

    def start() -> TestCalendar:
        calendar = TestCalendar()
        calendar.start()
        started.append(calendar)
        return calendar

    yield start
    for calendar in started:
        calendar.stop()
