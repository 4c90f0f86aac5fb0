"""BagIt (RFC 8493) text files: bagit.txt, bag-info.txt, manifests — writing and reading."""

from __future__ import annotations

from collections.abc import Iterable

BAGIT_TXT = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
MANIFEST = "manifest-sha256.txt"
TAGMANIFEST = "tagmanifest-sha256.txt"
BAG_INFO = "bag-info.txt"
BAGIT = "bagit.txt"
SIGNATURE_DIR = "signature"
SIGNATURE_FILE = "signature/tagmanifest-sha256.txt.sig"
SIGNER_PUB = "signature/signer.pub"
ALLOWED_SIGNERS = "signature/allowed_signers"
TIMESTAMP_DIR = "timestamps"


def encode_path(path: str) -> str:
    """RFC 8493 section 2.1.3: CR, LF and % in file paths are percent-encoded."""
    return path.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def decode_path(path: str) -> str:
    return path.replace("%0A", "\n").replace("%0a", "\n").replace("%0D", "\r") \
        .replace("%0d", "\r").replace("%25", "%")


def manifest_text(entries: Iterable[tuple[str, str]]) -> bytes:
    """`sha256  path` lines, as `sha256sum -c` reads them."""
    return "".join(f"{sha}  {encode_path(path)}\n" for path, sha in entries).encode("utf-8")


def parse_manifest(text: bytes) -> dict[str, str]:
    """path -> sha256; raises ValueError on a malformed line."""
    result: dict[str, str] = {}
    for raw in text.decode("utf-8").splitlines():
        if not raw.strip():
            continue
        sha, sep, path = raw.partition(" ")
        path = path.lstrip(" *")
        if not sep or len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha.lower()):
            raise ValueError("malformed manifest line")
        result[decode_path(path)] = sha.lower()
    return result


def bag_info_text(fields: list[tuple[str, str]]) -> bytes:
    lines = []
    for key, value in fields:
        clean = " ".join(str(value).split())
        lines.append(f"{key}: {clean}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def parse_bag_info(text: bytes) -> dict[str, str]:
    info: dict[str, str] = {}
    last = None
    for raw in text.decode("utf-8").splitlines():
        if raw[:1] in (" ", "\t") and last:
            info[last] += " " + raw.strip()
            continue
        key, sep, value = raw.partition(":")
        if sep:
            last = key.strip()
            info[last] = value.strip()
    return info
