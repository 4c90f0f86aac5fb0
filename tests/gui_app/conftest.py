"""A local test time-stamp authority for the desktop-app tests (no test reaches the internet)."""

from __future__ import annotations

from tests.timestamp.conftest import tsa, tsa_pki  # noqa: F401 - fixtures for these tests
