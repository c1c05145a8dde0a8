"""Delivery of a document the command line made (`--mail-to` on `report` and `brief`) by e-mail, through
the SMTP server of the [mail] table in .streamlit/secrets.toml (or the file REFORM_SECRETS names):

    [mail]
    host = "smtp.example.gov.vn"
    port = 587
    security = "starttls"        # "ssl" (usually port 465), "starttls", or "none" (a relay on this machine)
    user = "baocao@example.gov.vn"          # leave out user and password for a relay without sign-in
    password = "…"
    from = "Báo cáo CCHC <baocao@example.gov.vn>"

One message to all the addresses, the file attached, a short body in the document's language. Any failure
raises MailError with the server's own answer; the caller keeps the file and exits non-zero."""
from __future__ import annotations

import mimetypes
import os
import pathlib
import smtplib
import ssl
import tomllib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from present.text import text

SECURITY = ("starttls", "ssl", "none")
TIMEOUT = 60   # seconds for each exchange with the server


class MailError(Exception):
    """Why a message was not sent, in one line (the server's answer when it gave one)."""


def secrets_path() -> pathlib.Path:
    return pathlib.Path(os.environ.get("REFORM_SECRETS") or ".streamlit/secrets.toml")


def settings(path: pathlib.Path | None = None) -> dict:
    """The [mail] table, checked: host, port, security, from; user and password together or not at all."""
    path = path or secrets_path()
    try:
        conf = tomllib.loads(path.read_text(encoding="utf-8")).get("mail")
    except FileNotFoundError:
        raise MailError(f"no {path}: add a [mail] table (host, port, security, user, password, from)") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise MailError(f"{path} cannot be read: {e}") from None
    if not isinstance(conf, dict):
        raise MailError(f"{path} has no [mail] table (host, port, security, user, password, from)")
    missing = [k for k in ("host", "from") if not conf.get(k)]
    if missing:
        raise MailError(f"[mail] in {path} lacks {', '.join(missing)}")
    security = conf.get("security", "starttls")
    if security not in SECURITY:
        raise MailError(f"[mail] security must be one of {', '.join(SECURITY)}, not {security!r}")
    if bool(conf.get("user")) != bool(conf.get("password")):
        raise MailError("[mail] needs both user and password, or neither")
    port = conf.get("port", 465 if security == "ssl" else 587 if security == "starttls" else 25)
    if not isinstance(port, int) or not 0 < port < 65536:
        raise MailError(f"[mail] port must be a number from 1 to 65535, not {port!r}")
    return {**conf, "security": security, "port": port}


def addresses(values: list[str]) -> list[str]:
    """The recipients, each a plain address (no display names, no line breaks: nothing to inject)."""
    out = []
    for v in values:
        for part in v.split(","):
            part = part.strip()
            if not part:
                continue
            name, addr = parseaddr(part)
            if addr != part or "@" not in addr or any(c in addr for c in "\r\n<>\"' "):
                raise MailError(f"not an e-mail address: {part!r}")
            out.append(addr)
    if not out:
        raise MailError("no address to send to")
    return out


def message(conf: dict, to: list[str], attachment: pathlib.Path, subject: str, lang: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = conf["from"]
    msg["To"] = ", ".join(to)
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=parseaddr(conf["from"])[1].partition("@")[2] or None)
    msg.set_content(text("mail.body", lang, subject=subject, file=attachment.name))
    kind = mimetypes.guess_type(attachment.name)[0] or "application/octet-stream"
    main, sub = kind.split("/", 1)
    msg.add_attachment(attachment.read_bytes(), maintype=main, subtype=sub, filename=attachment.name)
    return msg


def send(to: list[str], attachment: pathlib.Path, subject: str, lang: str = "vi", conf: dict | None = None) -> None:
    """Send the file to the addresses; MailError says why not."""
    conf = conf or settings()
    to = addresses(to)
    msg = message(conf, to, attachment, subject, lang)
    try:
        if conf["security"] == "ssl":
            server = smtplib.SMTP_SSL(conf["host"], conf["port"], timeout=TIMEOUT, context=_tls(conf))
        else:
            server = smtplib.SMTP(conf["host"], conf["port"], timeout=TIMEOUT)
        with server:
            if conf["security"] == "starttls":
                server.starttls(context=_tls(conf))
            if conf.get("user"):
                server.login(conf["user"], conf["password"])
            refused = server.send_message(msg)
    except smtplib.SMTPAuthenticationError as e:
        raise MailError(f"the server refused the sign-in of {conf['user']}: {_answer(e)}") from None
    except smtplib.SMTPRecipientsRefused as e:
        raise MailError("the server refused every address: " + "; ".join(
            f"{a}: {_answer(err)}" for a, err in e.recipients.items())) from None
    except smtplib.SMTPNotSupportedError as e:
        raise MailError(f"the server does not offer this: {e} (check [mail] security)") from None
    except smtplib.SMTPException as e:
        raise MailError(f"the server answered: {_answer(e)}") from None
    except ssl.SSLError as e:
        raise MailError(f"TLS with {conf['host']}:{conf['port']} failed: {e.reason or e}") from None
    except (TimeoutError, OSError) as e:
        raise MailError(f"cannot reach {conf['host']}:{conf['port']}: {e.strerror or e}") from None
    if refused:
        raise MailError("sent, but the server refused: " + "; ".join(
            f"{a}: {_answer(err)}" for a, err in refused.items()))


def _tls(conf: dict) -> ssl.SSLContext:
    ctx = ssl.create_default_context()
    if conf.get("ca_file"):     # a province's own certificate authority
        ctx.load_verify_locations(conf["ca_file"])
    return ctx


def _answer(e) -> str:
    """An SMTP error's code and text as the server gave them."""
    if isinstance(e, tuple) and len(e) == 2:
        code, msg = e
    else:
        code, msg = getattr(e, "smtp_code", None), getattr(e, "smtp_error", None) or str(e)
    if isinstance(msg, bytes):
        msg = msg.decode("utf-8", "replace")
    return f"{code} {msg}".strip() if code else str(msg)
