"""The exact `openssl ts -verify` command an officer runs to check a token by hand."""

from __future__ import annotations

import datetime as dt
import re
import shlex

_HEX64 = re.compile(r"[0-9a-fA-F]{64}")


def openssl_verify_command(tsr_name: str, data_file_or_digest: str, ca_file: str,
                           untrusted_file: str, *, at_time: dt.datetime | None = None) -> str:
    """`openssl ts -verify` for a .tsr (a TimeStampResp), against a file or its SHA-256 hex.

    A 64-hex-digit value is taken as the digest (-digest), anything else as a file (-data).
    `at_time` adds -attime: check the chain as it stood at the stamp's time, for when the
    TSA's certificate has since expired (RFC 3161 validity is judged at the stamp's time).
    Names are quoted for a POSIX shell.
    """
    if _HEX64.fullmatch(data_file_or_digest):
        subject = ["-digest", data_file_or_digest.lower()]
    else:
        subject = ["-data", data_file_or_digest]
    args = ["openssl", "ts", "-verify", "-in", tsr_name, *subject,
            "-CAfile", ca_file, "-untrusted", untrusted_file]
    if at_time is not None:
        args += ["-attime", str(int(at_time.timestamp()))]
    return " ".join(shlex.quote(a) for a in args)
