"""Evidence files (tài liệu kiểm chứng): checked by their content, not their name, and kept by content
hash in the store's own folder (never one a web server serves). Allowed: PDF, PNG, JPEG, DOCX, XLSX,
each within reform/limits.py's bounds; a DOCX or XLSX is a zip, so its parts are counted and unpacked
(streamed, never to disk) up to a limit before it is accepted: a zip bomb is refused, not stored."""
from __future__ import annotations

import hashlib
import io
import os
import pathlib
import unicodedata
import zipfile

from reform import limits

SIGNATURES = {"pdf": b"%PDF-", "png": b"\x89PNG\r\n\x1a\n", "jpeg": b"\xff\xd8\xff"}
OFFICE = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}   # the part that makes a zip this kind
SUFFIXES = {"pdf": (".pdf",), "png": (".png",), "jpeg": (".jpg", ".jpeg"), "docx": (".docx",), "xlsx": (".xlsx",)}
MAX_NAME = 120


class Refused(ValueError):
    """Why an evidence file is not accepted, in one line."""


def check_name(name: str) -> str:
    """A file name as the user gave it, refused when it holds a path or hidden characters."""
    if not name or len(name) > MAX_NAME:
        raise Refused(f"the file name must have 1 to {MAX_NAME} characters")
    if any(c in name for c in "/\\") or name in (".", "..") or name.startswith("."):
        raise Refused(f"the file name {name!r} holds a path: give the file's own name")
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in name):
        raise Refused(f"the file name {name!r} holds control or hidden characters")
    return unicodedata.normalize("NFC", name)


def kind_of(name: str, data: bytes) -> str:
    """The file's kind from its content; refused when it is none of the allowed kinds, when its name
    says another kind, or when it is too large (packed or unpacked)."""
    name = check_name(name)
    try:
        limits.check("evidence_mb", len(data), f"{limits.mb(len(data))} MB", scale=2 ** 20)
    except limits.Exceeded as e:
        raise Refused(f"{name}: {e}") from None
    kind = next((k for k, sig in SIGNATURES.items() if data.startswith(sig)), None)
    if kind is None and data.startswith(b"PK\x03\x04"):
        kind = _office(name, data)
    if kind is None:
        raise Refused(f"{name}: not a PDF, PNG, JPEG, DOCX or XLSX file (by its content)")
    if not name.lower().endswith(SUFFIXES[kind]):
        raise Refused(f"{name}: the content is {kind.upper()}, the name says otherwise")
    return kind


def _office(name: str, data: bytes) -> str | None:
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        infos = z.infolist()
    except (zipfile.BadZipFile, ValueError) as e:
        raise Refused(f"{name}: a damaged zip ({e})") from None
    try:
        limits.check("evidence_parts", len(infos), f"{limits.n(len(infos))} parts")
        cap = limits.get("evidence_unpacked_mb") * 2 ** 20
        declared = sum(i.file_size for i in infos)
        limits.check("evidence_unpacked_mb", declared, f"{limits.mb(declared)} MB when unpacked", scale=2 ** 20)
        total = 0
        for info in infos:          # the real sizes, streamed: a part may declare less than it holds
            with z.open(info) as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    total += len(chunk)
                    if total > cap:
                        limits.check("evidence_unpacked_mb", total, f"over {limits.mb(total)} MB when unpacked",
                                     scale=2 ** 20)
    except limits.Exceeded as e:
        raise Refused(f"{name}: {e}") from None
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as e:
        raise Refused(f"{name}: a damaged zip ({e})") from None
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names:
        return None
    return next((k for k, part in OFFICE.items() if part in names), None)


def store(folder: str | os.PathLike, name: str, data: bytes) -> tuple[str, str, int]:
    """Check the file and keep it under its SHA-256 (the same content is kept once). Returns
    (sha256, kind, size)."""
    kind = kind_of(name, data)
    sha = hashlib.sha256(data).hexdigest()
    path = path_of(folder, sha)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    return sha, kind, len(data)


def path_of(folder: str | os.PathLike, sha: str) -> pathlib.Path:
    if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
        raise ValueError("not a SHA-256")
    return pathlib.Path(folder) / sha[:2] / sha
