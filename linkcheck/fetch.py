"""Check one URL: connect only to vetted addresses, follow redirects by hand, never raise."""

import contextlib
import functools
import http.client
import logging
import socket
import ssl
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urljoin

from linkcheck import safety

log = logging.getLogger(__name__)

USER_AGENT = "ita-workflow-linkcheck/1.0 (ITA evidence link checker)"
HEADERS = {
    "User-Agent": USER_AGENT,
    "Accept": "*/*",
    "Accept-Language": "th",
    "Connection": "close",
}
MAX_REDIRECTS = 5
REDIRECTS = frozenset({301, 302, 303, 307, 308})
HEAD_UNSUPPORTED = frozenset({405, 501})
BODY_LIMIT = 4096
MAX_ADDRESSES = 3  # connection attempts per request, each within the timeout
# One request (connect, TLS, response) may take this many timeouts in all: the socket timeout
# bounds each read, but a server sending a byte at a time could otherwise hold a worker forever.
DEADLINE_TIMEOUTS = 3
# Errors after connecting that a server that mishandles HEAD gives; GET is tried instead.
_HEAD_TROUBLE = (http.client.HTTPException, ConnectionResetError, BrokenPipeError)


@dataclass(frozen=True)
class Result:
    """What a check found: the final HTTP status, if any, and a Thai reason when not ok."""

    status: int | None
    ok: bool
    error: str | None
    refused: bool = False  # blocked by a safety rule; the network was not touched


@dataclass(frozen=True)
class Settings:
    timeout: float
    allowed_private_hosts: frozenset[str]

    @classmethod
    def from_config(cls, config: Mapping) -> "Settings":
        hosts = config.get("LINKCHECK_ALLOWED_PRIVATE_HOSTS") or ()
        if isinstance(hosts, str):
            hosts = hosts.split(",")
        return cls(
            timeout=float(config.get("LINKCHECK_TIMEOUT", 10)),
            allowed_private_hosts=frozenset(_allowed(h) for h in hosts if h.strip()),
        )


class TooManyRedirects(Exception):
    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


def check_url(url: str, config: Mapping | Settings) -> Result:
    """Check `url` (HEAD first, GET when HEAD is not supported); every failure is a Result."""
    settings = config if isinstance(config, Settings) else Settings.from_config(config)
    try:
        status = _head_or_get(url, settings)
    except safety.Refused as exc:
        return Result(None, False, _refusal_text(exc), refused=True)
    except safety.InvalidUrl as exc:
        error = "ถูกเปลี่ยนเส้นทางไปยังลิงก์ที่ไม่ถูกต้อง" if exc.redirected else "ลิงก์ไม่ถูกต้อง"
        return Result(None, False, error)
    except TooManyRedirects as exc:
        return Result(exc.status, False, f"เปลี่ยนเส้นทางเกิน {MAX_REDIRECTS} ครั้ง")
    except Exception as exc:
        if not isinstance(exc, OSError | http.client.HTTPException):
            log.warning("checking %s failed unexpectedly", url, exc_info=True)
        return Result(None, False, describe_error(exc))
    return Result(status, 200 <= status < 300, status_error(status))


def status_error(status: int) -> str | None:
    """A Thai reason for a status that is not 2xx."""
    if 200 <= status < 300:
        return None
    known = {
        401: "ต้องเข้าสู่ระบบก่อน",
        403: "ไม่อนุญาตให้เข้าถึง",
        404: "ไม่พบหน้านี้",
        410: "หน้านี้ถูกลบแล้ว",
        429: "เรียกถี่เกินไป",
    }
    if status in known:
        return f"เว็บไซต์ตอบ {status}: {known[status]}"
    if status in REDIRECTS:
        return f"เว็บไซต์ตอบ {status}: เปลี่ยนเส้นทางแต่ไม่บอกปลายทาง"
    if status >= 500:
        return f"เว็บไซต์ตอบ {status}: เซิร์ฟเวอร์ขัดข้อง"
    return f"เว็บไซต์ตอบ {status}"


def describe_error(exc: BaseException) -> str:
    """A short Thai reason for a failure to get any HTTP response."""
    if isinstance(exc, socket.gaierror):
        return "ไม่พบชื่อโดเมนนี้"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return "ใบรับรอง HTTPS ของเว็บไซต์ไม่ถูกต้อง"
    if isinstance(exc, ssl.SSLError):
        return "เชื่อมต่อแบบ HTTPS ไม่สำเร็จ"
    if isinstance(exc, TimeoutError):
        return "หมดเวลารอเว็บไซต์ตอบ"
    if isinstance(exc, ConnectionRefusedError):
        return "เว็บไซต์ไม่รับการเชื่อมต่อ"
    if isinstance(exc, ConnectionResetError | BrokenPipeError):
        return "การเชื่อมต่อถูกตัดกลางทาง"
    if isinstance(exc, http.client.HTTPException):
        return "เว็บไซต์ตอบกลับผิดรูปแบบ"
    if isinstance(exc, OSError):
        return "เชื่อมต่อเว็บไซต์ไม่ได้"
    return "ตรวจไม่สำเร็จ"


def _refusal_text(exc: safety.Refused) -> str:
    if exc.redirected:
        return f"ปฏิเสธ: ถูกเปลี่ยนเส้นทางไปยังที่ที่ไม่อนุญาต ({exc.reason})"
    return f"ปฏิเสธ: {exc.reason}"


def _allowed(host: str) -> str:
    try:
        return safety.ascii_host(host)
    except safety.InvalidUrl:
        return host.strip().lower()


def _head_or_get(url: str, settings: Settings) -> int:
    try:
        status: int | None = _follow(url, "HEAD", settings)
    except _HEAD_TROUBLE:
        status = None
    if status is None or status in HEAD_UNSUPPORTED:
        status = _follow(url, "GET", settings)
    return status


def _follow(url: str, method: str, settings: Settings) -> int:
    """The final status after at most MAX_REDIRECTS redirects, each hop vetted afresh."""
    for hop in range(MAX_REDIRECTS + 1):
        try:
            target = safety.vet(url, settings.allowed_private_hosts)
        except (safety.Refused, safety.InvalidUrl) as exc:
            exc.redirected = hop > 0
            raise
        status, location = _request(target, method, settings.timeout)
        if status not in REDIRECTS or location is None:
            return status
        url = _next_hop(url, location)
    raise TooManyRedirects(status)


def _next_hop(url: str, location: str) -> str:
    try:
        return urljoin(url, location)
    except ValueError:  # e.g. "http://[oops"
        error = safety.InvalidUrl(location)
        error.redirected = True
        raise error from None


def _request(target: safety.Target, method: str, timeout: float) -> tuple[int, str | None]:
    """One request to the target's vetted addresses: (status, Location header)."""
    conn = _connection(target, timeout)
    watchdog = _Watchdog(conn, timeout * DEADLINE_TIMEOUTS)
    try:
        conn.request(method, target.path, headers=HEADERS)
        response = conn.getresponse()
        if watchdog.fired:  # cut short: what was parsed is not the site's answer
            raise TimeoutError("request deadline passed")
        if method == "GET" and response.status not in REDIRECTS:
            _read_some(response)
        return response.status, _location(response)
    except Exception as exc:
        if watchdog.fired:
            raise TimeoutError("request deadline passed") from exc
        raise
    finally:
        watchdog.cancel()
        conn.close()


def _read_some(response: http.client.HTTPResponse) -> None:
    """Read the start of the body only; the status is already known and stands."""
    with contextlib.suppress(OSError, http.client.HTTPException):
        response.read(BODY_LIMIT)


def _location(response: http.client.HTTPResponse) -> str | None:
    value = response.getheader("Location")
    if not value:
        return None
    try:  # Thai sites often send the Location as raw UTF-8, which http.client reads as Latin-1
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return value


def _connection(target: safety.Target, timeout: float) -> http.client.HTTPConnection:
    if target.scheme == "https":
        return _PinnedHTTPSConnection(target, timeout)
    return _PinnedHTTPConnection(target, timeout)


def _open_socket(addresses: tuple[str, ...], port: int, timeout: float) -> socket.socket:
    """A connection to the first vetted address that answers; never a fresh DNS lookup."""
    error: OSError = ConnectionRefusedError("no address")
    for address in addresses[:MAX_ADDRESSES]:
        try:
            return _connect(address, port, timeout)
        except OSError as exc:
            error = exc
    raise error


def _connect(address: str, port: int, timeout: float) -> socket.socket:
    # Not socket.create_connection: it would pass the address through getaddrinfo again.
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.connect((address, port))
    except BaseException:
        sock.close()
        raise
    return sock


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the vetted addresses while sending the URL's host name in Host."""

    def __init__(self, target: safety.Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self._addresses = target.addresses

    def connect(self) -> None:
        self.sock = _open_socket(self._addresses, self.port, self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """As above, with SNI and certificate verification against the URL's host name."""

    def __init__(self, target: safety.Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout, context=tls_context())
        self._addresses = target.addresses

    def connect(self) -> None:
        sock = _open_socket(self._addresses, self.port, self.timeout)
        try:
            self.sock = self._context.wrap_socket(sock, server_hostname=self.host)
        except BaseException:
            sock.close()
            raise


@functools.cache
def tls_context() -> ssl.SSLContext:
    """The system's trusted CAs, host names checked, as a browser would."""
    context = ssl.create_default_context()
    context.set_alpn_protocols(["http/1.1"])
    return context


class _Watchdog:
    """Cuts the connection once the request's deadline passes."""

    def __init__(self, conn: http.client.HTTPConnection, seconds: float):
        self.fired = False
        self._conn = conn
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True
        self._timer.start()

    def _fire(self) -> None:
        self.fired = True
        sock = self._conn.sock
        if sock is not None:
            # The plain socket's shutdown, also under TLS: it wakes the thread reading.
            with contextlib.suppress(OSError):
                socket.socket.shutdown(sock, socket.SHUT_RDWR)

    def cancel(self) -> None:
        self._timer.cancel()
