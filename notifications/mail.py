"""E-mail over SMTP, configured from app.config; without MAIL_SERVER, messages go to the log."""

import contextlib
import logging
import re
import smtplib
import ssl
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr, formatdate, make_msgid

from flask import current_app

from workflow.text import printable

SENDER_NAME = "ระบบ ITA Workflow"


class MailError(Exception):
    """A message could not be handed to the SMTP server; the caller retries it later."""


# C0 and C1 controls, DEL, the Unicode line and paragraph separators and the bidi overrides:
# none belongs in a header line, and a line break there starts a header of its own.
_UNSAFE_IN_HEADER = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]+")
_ADDRESS = re.compile(r"[^@\s<>(),;:\"\[\]\\]+@[^@\s<>(),;:\"\[\]\\]+\.[^@\s<>(),;:\"\[\]\\]+")


def header_safe(text: str, limit: int = 300) -> str:
    """Text for a header (a display name, a subject) or a one-line LINE title: every control
    character becomes one space, so stored text typed before input was checked cannot break
    the message or add a header of its own."""
    return " ".join(_UNSAFE_IN_HEADER.sub(" ", text or "").split())[:limit]


def text_safe(text: str) -> str:
    """Body text for a channel that shows it as typed (LINE): line breaks and tabs kept, every
    other control character and bidi override dropped (workflow.text's rule for stored text);
    CR LF and CR become LF."""
    return printable((text or "").replace("\r\n", "\n").replace("\r", "\n"))


def check_address(address: str) -> str:
    """The address itself, or MailError when it cannot be an e-mail address (that message
    alone fails; the rest of the run goes on)."""
    address = (address or "").strip()
    if not _ADDRESS.fullmatch(address):
        raise MailError(f"ที่อยู่อีเมลไม่ถูกต้อง: {header_safe(address, 100)!r}")
    return address


def build_message(
    to: tuple[str, str], subject: str, body: str, sender: str, html: str | None = None
) -> Message:
    """A UTF-8 message, plain text or (with `html`) plain text and HTML as alternatives;
    `to` is (display name, address). Names and the subject are made header-safe here, the
    one place every message passes; an impossible address raises MailError.

    Built with the compat32 classes on purpose: the modern EmailMessage folds a long Thai
    subject into encoded words with the spaces between them outside the words, and readers
    then drop those spaces ("๓๐ เมษายน" arrives as "๓๐เมษายน"). Header keeps them inside.
    """
    plain = MIMEText(body, "plain", "utf-8")  # base64: any server carries the Thai text intact
    if html is None:
        msg: Message = plain
    else:
        msg = MIMEMultipart("alternative")
        msg.attach(plain)
        msg.attach(MIMEText(html, "html", "utf-8"))
    name, address = to
    msg["From"] = formataddr((SENDER_NAME, sender), charset="utf-8")
    msg["To"] = formataddr((header_safe(name), check_address(address)), charset="utf-8")
    msg["Subject"] = Header(header_safe(subject, 900), "utf-8")
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    return msg


def mail_logger() -> logging.Logger:
    """'<app>.mail' at INFO, so logged messages reach the app's handlers even outside debug."""
    logger = current_app.logger.getChild("mail")
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.INFO)
    # Alembic's logging.config.fileConfig (a migration run in the same process) disables every
    # logger that existed before it; mail that is only logged must not vanish that way.
    logger.disabled = False
    return logger


class Mailer:
    """Sends messages over one SMTP connection, opened on first use and closed by close().

    After a failure to connect, the rest of the run fails fast with the same error instead of
    waiting for the timeout once per message. Without a server, messages are kept until
    flush() (or close()) and written to the log together, one record per batch: a log record
    costs more than the rest of a logged message, and a large run logs tens of thousands.
    """

    def __init__(self, config) -> None:
        self.config = config
        self.server: str = config.get("MAIL_SERVER") or ""
        self.sender: str = config.get("MAIL_FROM") or "ita-workflow@localhost"
        self._smtp: smtplib.SMTP | None = None
        self._down: str | None = None
        self._unlogged: list[str] = []

    @property
    def logs_only(self) -> bool:
        return not self.server

    def send(self, to: tuple[str, str], subject: str, body: str, html: str | None = None) -> None:
        """Send a message to (display name, address), plain text with an optional HTML
        alternative; raise MailError when it could not be built or the server did not accept
        it. Without a server, write it (the plain text) to the log instead."""
        msg = build_message(to, subject, body, self.sender, html)
        if self.logs_only:
            self._log((header_safe(to[0]), to[1]), header_safe(subject, 900), body)
            return
        self.send_message(msg)

    def send_message(self, msg: Message) -> None:
        reused = self._smtp is not None
        try:
            self._connection().send_message(msg)
        except smtplib.SMTPRecipientsRefused as error:
            raise MailError(f"ผู้รับถูกปฏิเสธ: {_first_refusal(error)}") from error
        except smtplib.SMTPResponseException as error:  # the server said no; the line stays up
            raise MailError(_describe(error)) from error
        except (smtplib.SMTPException, OSError) as error:
            self._drop()
            if not reused:
                raise MailError(_describe(error)) from error
            self._retry_once(msg)  # the server may have closed an idle reused connection

    def _log(self, to: tuple[str, str], subject: str, body: str) -> None:
        sender = f"{SENDER_NAME} <{self.sender}>"
        self._unlogged.append(
            f"From: {sender}\nTo: {to[0]} <{to[1]}>\nSubject: {subject}\n\n{body}"
        )

    def flush(self) -> None:
        """Write the messages kept since the last flush to the log (logs-only mode)."""
        if self._unlogged:
            count, text = len(self._unlogged), f"\n{'-' * 40}\n".join(self._unlogged)
            self._unlogged = []
            mail_logger().info(
                "E-mail (MAIL_SERVER not set): %d message(s) logged instead of sent:\n%s",
                count,
                text,
            )

    def close(self) -> None:
        self.flush()
        if self._smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self._smtp.quit()
            self._smtp = None

    def __enter__(self) -> "Mailer":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _retry_once(self, msg: Message) -> None:
        """A reused connection may have been closed by the server: reconnect once and resend."""
        try:
            self._connection().send_message(msg)
        except (smtplib.SMTPException, OSError) as error:
            self._drop()
            raise MailError(_describe(error)) from error

    def _connection(self) -> smtplib.SMTP:
        if self._down is not None:
            raise MailError(self._down)
        if self._smtp is None:
            try:
                self._smtp = self._connect()
            except (smtplib.SMTPException, OSError) as error:
                self._down = f"เชื่อมต่อเซิร์ฟเวอร์อีเมลไม่ได้: {_describe(error)}"
                raise MailError(self._down) from error
        return self._smtp

    def _connect(self) -> smtplib.SMTP:
        cfg = self.config
        port, timeout = int(cfg.get("MAIL_PORT") or 25), int(cfg.get("MAIL_TIMEOUT") or 20)
        if cfg.get("MAIL_USE_SSL"):
            context = ssl.create_default_context()
            smtp = smtplib.SMTP_SSL(self.server, port, timeout=timeout, context=context)
        else:
            smtp = smtplib.SMTP(self.server, port, timeout=timeout)
        try:
            if cfg.get("MAIL_USE_TLS") and not cfg.get("MAIL_USE_SSL"):
                smtp.starttls(context=ssl.create_default_context())
            if cfg.get("MAIL_USERNAME"):
                smtp.login(cfg["MAIL_USERNAME"], cfg.get("MAIL_PASSWORD") or "")
        except BaseException:
            smtp.close()
            raise
        return smtp

    def _drop(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(OSError):
                self._smtp.close()
            self._smtp = None


def _first_refusal(error: smtplib.SMTPRecipientsRefused) -> str:
    for address, (code, text) in error.recipients.items():
        return f"{address} {code} {_text(text)}"
    return "ไม่ทราบสาเหตุ"


def _describe(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{error.smtp_code} {_text(error.smtp_error)}"
    return f"{type(error).__name__}: {error}"[:400]


def _text(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
