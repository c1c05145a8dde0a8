"""Where a document command (`report`, `brief`) writes its file, and its delivery: the target checked
before any work, the file written whole (a `.part` first, renamed when complete, so a cron job never
leaves half a file under the real name), then sent with `--mail-to` (cli/mail.py). A failed delivery
keeps the file and exits 4."""
from __future__ import annotations

import contextlib
import pathlib
import sys

MAIL_FAILED = 4


def target(out: str, suffixes: tuple[str, ...]) -> pathlib.Path | None:
    """The output path, or None after one line on stderr (wrong suffix, a folder, no such folder)."""
    path = pathlib.Path(out)
    if path.suffix.lower() not in suffixes:
        print(f"error: --out must end in {' or '.join(suffixes)}", file=sys.stderr)
        return None
    if path.is_dir() or not path.parent.is_dir():     # said before the document is made, not after
        print(f"error: --out {path}: " + ("a folder of that name exists" if path.is_dir()
                                          else f"there is no folder {path.parent}"), file=sys.stderr)
        return None
    with contextlib.suppress(OSError):     # a half file left by a run killed while writing it
        path.with_name(path.name + ".part").unlink(missing_ok=True)
    return path


def write(path: pathlib.Path, data: bytes) -> bool:
    tmp = path.with_name(path.name + ".part")
    try:
        tmp.write_bytes(data)
        tmp.replace(path)
        return True
    except OSError as e:    # a full disk, a folder named like the file: one line, no half file left
        tmp.unlink(missing_ok=True)
        print(f"error: cannot write {path}: {e.strerror or e}", file=sys.stderr)
        return False


def mail_check(args) -> bool:
    """Before any work: the [mail] settings and the addresses of --mail-to, when it is given."""
    if not getattr(args, "mail_to", None):
        return True
    from cli import mail
    try:
        mail.settings()
        mail.addresses(args.mail_to)
        return True
    except mail.MailError as e:
        print(f"error: --mail-to: {e}", file=sys.stderr)
        return False


def deliver(args, path: pathlib.Path, subject: str) -> int:
    """Send the written file to --mail-to's addresses; 0, or MAIL_FAILED with the server's answer."""
    if not getattr(args, "mail_to", None):
        return 0
    from cli import mail
    try:
        mail.send(args.mail_to, path, subject, args.lang)
    except mail.MailError as e:
        print(f"error: not sent ({path} is kept): {e}", file=sys.stderr)
        return MAIL_FAILED
    print(f"sent to {', '.join(mail.addresses(args.mail_to))}")
    return 0
