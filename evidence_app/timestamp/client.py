"""Asking a time-stamp authority: one HTTP POST with a fingerprint, one verified token back.

Only the 32-byte SHA-256 fingerprint and a random nonce leave the computer: never a file,
a name or a note. Nothing is sent unless the person turned timestamps on.
"""

from __future__ import annotations

import http.client
import ssl
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from cryptography.hazmat.primitives.serialization import Encoding

from evidence_app import __version__
from evidence_app.core.errors import (
    TimestampError,
    TimestampsOff,
    TsaBadResponse,
    TsaHttpError,
    TsaNoTrustRoot,
    TsaUnreachable,
)
from evidence_app.timestamp.settings import TimestampSettings
from evidence_app.timestamp.tsas import fingerprint
from evidence_app.timestamp.tsp import TokenInfo, build_request, check_response

MAX_RESPONSE = 1 << 20  # real answers are a few KB; anything this big is not one


@dataclass(frozen=True)
class Token:
    """A verified answer: the .tsr bytes (TimeStampResp DER) and what it says."""

    sha256: str
    tsr: bytes
    info: TokenInfo
    root_pem: bytes
    tsa_url: str


def _ssl_context() -> ssl.SSLContext:
    try:
        import certifi
    except ImportError:
        return ssl.create_default_context()
    return ssl.create_default_context(cafile=certifi.where())


def post_query(url: str, der: bytes, timeout: float) -> bytes:
    """POST a TimeStampReq; the body of a 200 answer, or a typed error."""
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked by resolve_tsa
        url, data=der, method="POST",
        headers={"Content-Type": "application/timestamp-query",
                 "Accept": "application/timestamp-reply",
                 "User-Agent": f"evidence-app/{__version__}"})
    context = _ssl_context() if url.startswith("https:") else None
    try:
        with urllib.request.urlopen(  # noqa: S310
                request, timeout=timeout, context=context) as answer:
            body: bytes = answer.read(MAX_RESPONSE + 1)
    except urllib.error.HTTPError as exc:
        raise TsaHttpError(url, exc.code) from None
    except urllib.error.URLError as exc:
        raise TsaUnreachable(url, str(exc.reason)) from None
    except (TimeoutError, ConnectionError, http.client.HTTPException, OSError) as exc:
        raise TsaUnreachable(url, type(exc).__name__) from None
    if len(body) > MAX_RESPONSE:
        raise TsaBadResponse(url, "answer too large")
    return body


def stamp_digest(sha256_bytes: bytes, settings: TimestampSettings,
                 url: str | None = None) -> Token:
    """Get and verify a token for a SHA-256 digest from one authority (the first by default).

    Raises TimestampsOff when the person has not turned timestamps on, and a typed
    TimestampError when the TSA cannot be reached or its answer fails any check.
    """
    url = url or next(iter(settings.tsa_urls), "")
    if not settings.enabled or not url:
        raise TimestampsOff()
    roots = settings.trust_roots()
    if not roots:
        raise TsaNoTrustRoot(url)
    request = build_request(sha256_bytes, policy=settings.policy)
    der = post_query(url, request.der, settings.timeout)
    info = check_response(der, sha256_bytes, roots, nonce=request.nonce,
                          policy=settings.policy, url=url)
    root = next(r for r in roots if fingerprint(r) == info.root_sha256)
    return Token(sha256_bytes.hex(), der, info, root.public_bytes(Encoding.PEM), url)


@dataclass
class Witnesses:
    """The tokens one digest got from the authorities asked, and why the others gave none."""

    tokens: list[Token]
    errors: dict[str, TimestampError]


def stamp_everywhere(sha256_bytes: bytes, settings: TimestampSettings,
                     skip: set[str] | None = None) -> Witnesses:
    """Ask every chosen authority at once (except those in `skip`, found down in this run).

    One authority down is not a failure: the caller records what came back. The wait is one
    timeout, however many authorities are asked. Urls that cannot be reached are added to
    `skip`, so a run with many fingerprints waits for a dead one only once.
    """
    skip = skip if skip is not None else set()
    urls = [url for url in settings.tsa_urls if url not in skip]
    result = Witnesses([], {})
    if not urls:
        return result
    with ThreadPoolExecutor(max_workers=len(urls)) as pool:
        futures = {url: pool.submit(stamp_digest, sha256_bytes, settings, url) for url in urls}
    for url, future in futures.items():
        try:
            result.tokens.append(future.result())
        except TimestampError as exc:
            result.errors[url] = exc
            if isinstance(exc, TsaUnreachable | TsaHttpError):
                skip.add(url)
    return result
