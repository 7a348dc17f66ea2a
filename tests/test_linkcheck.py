"""The evidence link checker: statuses recorded against a real local HTTP server, and no URL a
user types can make it reach a private address.

Every test runs behind `network`: a fake resolver (only names a test declares resolve) and a
guard on outgoing connections, so nothing here reaches any address but 127.0.0.1.
"""

import ipaddress
import shutil
import socket
import ssl
import subprocess
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

import pytest
import sqlalchemy as sa

import clock
import linkcheck
from extensions import db
from linkcheck import fetch, run, safety
from linkcheck.fetch import Result, check_url
from models import (
    Evidence,
    Measure,
    MeasurePlan,
    Organisation,
    OrgKind,
    Rhythm,
    Unit,
    User,
)

TIMEOUT = 5.0  # seconds: generous, so a busy test machine does not fail a good link
SHORT = 0.3  # for the slow paths, which would wait 10 seconds or forever
REFUSED_PRIVATE = "ปฏิเสธ: " + safety.PRIVATE_ADDRESS
T0 = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)
T1 = datetime(2026, 2, 5, 2, 0, tzinfo=UTC)


# --- the network guard ---------------------------------------------------------------------


@dataclass
class Network:
    """Names tests may resolve, and what the checker tried to look up and connect to."""

    names: dict[str, list[str]] = field(default_factory=dict)
    lookups: list[str] = field(default_factory=list)
    connections: list[tuple[str, int]] = field(default_factory=list)
    forbidden: list[tuple[str, int]] = field(default_factory=list)


@pytest.fixture(autouse=True)
def network(monkeypatch) -> Network:
    net = Network()
    real_getaddrinfo, real_connect = socket.getaddrinfo, socket.socket.connect

    def getaddrinfo(host, port, *args, **kwargs):
        net.lookups.append(host)
        if host in net.names:
            return [_addrinfo(ip, port) for ip in net.names[host]]
        if host == "localhost" or _is_literal(host):
            return real_getaddrinfo(host, port, *args, **kwargs)
        raise socket.gaierror(socket.EAI_NONAME, "no such name in this test")

    def connect(sock, address):
        net.connections.append(address[:2])
        if address[0] != "127.0.0.1":
            net.forbidden.append(address[:2])
            raise ConnectionRefusedError("tests reach 127.0.0.1 only")
        return real_connect(sock, address)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", connect)
    yield net
    assert net.forbidden == [], "the checker tried to connect outside 127.0.0.1"


def _addrinfo(ip: str, port: int):
    if ":" in ip:
        return (socket.AF_INET6, socket.SOCK_STREAM, 6, "", (ip, port, 0, 0))
    return (socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))


def _is_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return False


# --- the local web site ----------------------------------------------------------------------


class Site(ThreadingHTTPServer):
    """A web site on 127.0.0.1 that records every request it receives."""

    daemon_threads = False  # server_close() waits for the handlers: nothing outlives the test
    scheme = "http"

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.received: list[tuple[str, str, str | None, str | None]] = []
        self.server_names: list[str] = []  # TLS SNI, when served over https
        self.release = threading.Event()  # ends the slow handlers at teardown

    @property
    def port(self) -> int:
        return self.server_address[1]

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"

    def paths(self) -> list[tuple[str, str]]:
        return [(method, path) for method, path, _, _ in self.received]

    def paths_once_arrived(self, wait: float = 5.0) -> list[tuple[str, str]]:
        """paths(), after the first request has been read: on a loaded machine the handler
        thread may read it only after the checker has already given up waiting."""
        deadline = time.monotonic() + wait
        while not self.received and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.paths()

    def handle_error(self, request, client_address) -> None:
        pass  # the checker hangs up early on purpose (timeouts, HEAD only)


class Handler(BaseHTTPRequestHandler):
    server: Site

    def do_HEAD(self) -> None:
        self.serve("HEAD")

    def do_GET(self) -> None:
        self.serve("GET")

    def log_message(self, *args) -> None:
        pass

    def serve(self, method: str) -> None:
        headers = self.headers
        self.server.received.append((method, self.path, headers["Host"], headers["User-Agent"]))
        path = self.path
        if path in REDIRECTS:
            return self.answer(302, REDIRECTS[path].format(port=self.server.port))
        if path == "/head-405" and method == "HEAD":
            return self.answer(405)
        if path == "/head-drop" and method == "HEAD":
            self.close_connection = True
            return None  # hang up without a word
        if path == "/garbage":
            self.wfile.write(b"this is not http\r\n\r\n")
            return None
        if path == "/slow":
            self.server.release.wait(10)
        if path == "/trickle":
            return self.trickle()
        self.answer(STATUSES.get(path, 200))

    def answer(self, status: int, location: str | None = None) -> None:
        body = b"<html><body>" + b"x" * 10_000 + b"</body></html>"
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "GET":
            self.wfile.write(body)

    def trickle(self) -> None:
        """A header that never ends, a byte at a time: each read is quick, the whole is not."""
        self.wfile.write(b"HTTP/1.0 200 OK\r\nX-Slow: ")
        while not self.server.release.wait(0.05):
            self.wfile.write(b"a")
            self.wfile.flush()


STATUSES = {"/missing": 404, "/error": 500, "/gone": 410}
REDIRECTS = {
    "/chain/1": "/chain/2",
    "/chain/2": "http://127.0.0.1:{port}/chain/3",
    "/chain/3": "/ok",
    "/loop": "/loop",
    "/to-private": "http://10.0.0.1/",
    "/to-metadata": "http://169.254.169.254/latest/meta-data/",
    "/to-localhost": "http://localhost:{port}/ok",
    "/to-file": "file:///etc/passwd",
    "/to-odd-port": "http://www.srisuk.go.th:22/",
    "/to-nonsense": "http://[oops/",
}


def _serve(site: Site):
    thread = threading.Thread(target=site.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield site
    finally:
        site.release.set()
        site.shutdown()
        site.server_close()
        thread.join()


@pytest.fixture
def site():
    yield from _serve(Site())


@pytest.fixture
def web_port(site, monkeypatch):
    """Let the site's port pass the port rule, so refusals below are the address rule's."""
    monkeypatch.setattr(safety, "WEB_PORTS", safety.WEB_PORTS | {site.port})


def settings(*allowed: str, timeout: float = TIMEOUT) -> dict:
    return {"LINKCHECK_TIMEOUT": timeout, "LINKCHECK_ALLOWED_PRIVATE_HOSTS": allowed}


LOCAL = settings("127.0.0.1")


# --- what a check finds ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "status", "ok", "error", "requests"),
    [
        ("/ok", 200, True, None, [("HEAD", "/ok")]),
        ("/missing", 404, False, "เว็บไซต์ตอบ 404: ไม่พบหน้านี้", [("HEAD", "/missing")]),
        ("/error", 500, False, "เว็บไซต์ตอบ 500: เซิร์ฟเวอร์ขัดข้อง", [("HEAD", "/error")]),
        (
            "/chain/1",
            200,
            True,
            None,
            [("HEAD", "/chain/1"), ("HEAD", "/chain/2"), ("HEAD", "/chain/3"), ("HEAD", "/ok")],
        ),
        ("/head-405", 200, True, None, [("HEAD", "/head-405"), ("GET", "/head-405")]),
        ("/head-drop", 200, True, None, [("HEAD", "/head-drop"), ("GET", "/head-drop")]),
        ("/loop", 302, False, "เปลี่ยนเส้นทางเกิน 5 ครั้ง", [("HEAD", "/loop")] * 6),
        (
            "/to-nonsense",
            None,
            False,
            "ถูกเปลี่ยนเส้นทางไปยังลิงก์ที่ไม่ถูกต้อง",
            [("HEAD", "/to-nonsense")],
        ),
        (
            "/garbage",
            None,
            False,
            "เว็บไซต์ตอบกลับผิดรูปแบบ",
            [("HEAD", "/garbage"), ("GET", "/garbage")],
        ),
    ],
)
def test_check_url_reports_what_the_site_answered(site, path, status, ok, error, requests):
    assert check_url(site.url(path), LOCAL) == Result(status, ok, error)
    assert site.paths() == requests


def test_requests_name_the_product_and_the_host(site):
    check_url(site.url("/ok"), LOCAL)
    [(_, _, host, agent)] = site.received
    assert host == f"127.0.0.1:{site.port}"
    assert agent == fetch.USER_AGENT and "ita-workflow" in agent


def test_a_slow_site_times_out_quickly_and_is_not_asked_twice(site):
    started = time.monotonic()
    result = check_url(site.url("/slow"), settings("127.0.0.1", timeout=SHORT))
    assert result == Result(None, False, "หมดเวลารอเว็บไซต์ตอบ")
    assert time.monotonic() - started < 3
    assert site.paths_once_arrived() == [("HEAD", "/slow")]  # the checker has returned: no retry


def test_a_site_trickling_bytes_is_cut_at_the_deadline(site):
    started = time.monotonic()
    result = check_url(site.url("/trickle"), settings("127.0.0.1", timeout=SHORT))
    assert result == Result(None, False, "หมดเวลารอเว็บไซต์ตอบ")
    assert SHORT * fetch.DEADLINE_TIMEOUTS <= time.monotonic() - started < 5


def test_failures_without_an_answer_become_thai_reasons(site):
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there now
    assert check_url(f"http://127.0.0.1:{port}/", LOCAL).error == "เว็บไซต์ไม่รับการเชื่อมต่อ"
    assert check_url("http://no-such-site.go.th/", LOCAL).error == "ไม่พบชื่อโดเมนนี้"
    https = check_url(site.url("/ok").replace("http:", "https:"), LOCAL)
    assert https == Result(None, False, "เชื่อมต่อแบบ HTTPS ไม่สำเร็จ")
    for url in ("http://", "http://a..b/", "http://[::1/", "http://x:99999/", "http://x/\r\nA: b"):
        assert check_url(url, LOCAL) == Result(None, False, "ลิงก์ไม่ถูกต้อง"), url


def test_thai_paths_are_sent_percent_encoded(site):
    assert check_url(site.url("/ข่าว/ผลการประเมิน ita.pdf?ปี=2568"), LOCAL).ok
    [(_, path)] = site.paths()
    assert path.isascii() and " " not in path
    assert unquote(path) == "/ข่าว/ผลการประเมิน ita.pdf?ปี=2568"


# --- what the checker refuses to touch ---------------------------------------------------------


PRIVATE_URLS = [
    "http://127.0.0.1:{port}/ok",
    "http://localhost:{port}/ok",
    "http://[::1]:{port}/ok",
    "http://0.0.0.0:{port}/ok",
    "http://2130706433:{port}/ok",  # 127.0.0.1 as one decimal number
    "http://0x7f000001:{port}/ok",
    "http://127.1:{port}/ok",
    "http://0177.0.0.1:{port}/ok",
    "http://[::ffff:127.0.0.1]:{port}/ok",
    "http://intranet.srisuk.go.th:{port}/ok",  # a name that resolves to 127.0.0.1
    "http://mixed.srisuk.go.th:{port}/ok",  # one public and one loopback address
    "http://10.0.0.1/",
    "http://192.168.1.1/",
    "http://172.16.0.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::ffff:169.254.169.254]/latest/meta-data/",
    "http://100.64.0.1/",
    "http://224.0.0.1/",
    "http://240.0.0.1/",
    "http://[fd00::1]/",
    "http://[fe80::1]/",
    "http://[64:ff9b::a00:1]/",  # NAT64 to 10.0.0.1
    "http://[2002:a00:1::1]/",  # 6to4 from 10.0.0.1
    "https://10.0.0.1/",
]


@pytest.mark.parametrize("url", PRIVATE_URLS)
def test_private_addresses_are_refused_without_touching_the_network(site, web_port, network, url):
    network.names["intranet.srisuk.go.th"] = ["127.0.0.1"]
    network.names["mixed.srisuk.go.th"] = ["1.1.1.1", "127.0.0.1"]
    result = check_url(url.format(port=site.port), settings())  # nothing allowlisted
    assert result == Result(None, False, REFUSED_PRIVATE, refused=True)
    assert network.connections == []
    assert site.received == []


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://127.0.0.1/",
        "gopher://127.0.0.1:{port}/_GET%20/ok",
        "javascript:alert(1)",
        "data:text/html,hello",
        "//127.0.0.1:{port}/ok",
        "www.srisuk.go.th/ita",
    ],
)
def test_only_http_and_https_are_fetched(site, network, url):
    result = check_url(url.format(port=site.port), LOCAL)
    assert result == Result(None, False, "ปฏิเสธ: " + safety.ONLY_HTTP, refused=True)
    assert network.lookups == [] and network.connections == [] and site.received == []


def test_credentials_and_unusual_ports_are_refused_before_any_lookup(site, network):
    with_password = check_url(site.url("/ok", host="admin:secret@127.0.0.1"), LOCAL)
    assert with_password.refused and with_password.error == "ปฏิเสธ: " + safety.CREDENTIALS
    for port in (0, 22, 25, 3306, 5432, 6379):
        result = check_url(f"http://www.srisuk.go.th:{port}/", settings())
        assert result.refused and f"พอร์ต {port}" in result.error
    assert network.lookups == [] and network.connections == [] and site.received == []


def test_only_the_hosts_listed_are_exempt(site, web_port, network):
    network.names["evil.example"] = ["127.0.0.1"]
    for host in ("localhost", "2130706433", "evil.example"):
        result = check_url(site.url("/ok", host=host), LOCAL)  # 127.0.0.1 is listed
        assert result == Result(None, False, REFUSED_PRIVATE, refused=True), host
    assert site.received == []


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/to-private", safety.PRIVATE_ADDRESS),
        ("/to-metadata", safety.PRIVATE_ADDRESS),
        ("/to-localhost", safety.PRIVATE_ADDRESS),
        ("/to-file", safety.ONLY_HTTP),
        ("/to-odd-port", "พอร์ต 22"),
    ],
    ids=["10.0.0.1", "metadata", "localhost", "file", "port-22"],
)
def test_a_redirect_is_vetted_at_every_hop(site, web_port, network, path, reason):
    result = check_url(site.url(path), LOCAL)
    assert result.refused and result.status is None and not result.ok
    assert result.error.startswith("ปฏิเสธ: ถูกเปลี่ยนเส้นทางไปยังที่ที่ไม่อนุญาต")
    assert reason in result.error
    assert site.paths() == [("HEAD", path)]  # and no GET retry, nor anything further
    assert network.connections == [("127.0.0.1", site.port)]


def test_the_host_is_resolved_once_and_the_vetted_address_is_the_one_used(site, network):
    """DNS rebinding: a second lookup would answer 10.0.0.1; there must be none."""
    answers = iter([["127.0.0.1"]])
    network.names = _Rebinding(answers)
    result = check_url(site.url("/ok", host="www.srisuk.go.th"), settings("www.srisuk.go.th"))
    assert result == Result(200, True, None)
    assert network.lookups == ["www.srisuk.go.th"]
    assert network.connections == [("127.0.0.1", site.port)]
    assert site.received[0][2] == f"www.srisuk.go.th:{site.port}"


class _Rebinding(dict):
    """A resolver whose first answer is the one given, and every later one a private address."""

    def __init__(self, answers):
        super().__init__()
        self.answers = answers

    def __contains__(self, host) -> bool:
        return True

    def __getitem__(self, host) -> list[str]:
        return next(self.answers, ["10.0.0.1"])


def test_is_forbidden_judges_nat64_by_the_address_it_leads_to():
    assert not safety.is_forbidden(ipaddress.ip_address("64:ff9b::808:808"))  # 8.8.8.8
    assert safety.is_forbidden(ipaddress.ip_address("64:ff9b::a9fe:a9fe"))  # 169.254.169.254
    assert not safety.is_forbidden(ipaddress.ip_address("2606:4700:4700::1111"))
    assert not safety.is_forbidden(ipaddress.ip_address("1.1.1.1"))


# --- https: SNI and certificate checked against the host name, connection to the vetted IP ---


@pytest.fixture(scope="session")
def certificate(tmp_path_factory):
    if not shutil.which("openssl"):
        pytest.skip("openssl is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    command = "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=www.srisuk.go.th"
    command += " -addext subjectAltName=DNS:www.srisuk.go.th"
    subprocess.run(
        [*command.split(), "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True
    )
    return cert, key


@pytest.fixture
def tls_site(certificate, monkeypatch):
    cert, key = certificate
    site = Site()
    site.scheme = "https"
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    context.sni_callback = lambda sock, name, ctx: site.server_names.append(name)
    site.socket = context.wrap_socket(site.socket, server_side=True)
    monkeypatch.setattr(fetch, "tls_context", lambda: ssl.create_default_context(cafile=cert))
    yield from _serve(site)


def test_https_is_verified_against_the_host_name_not_the_address(tls_site, network):
    network.names["www.srisuk.go.th"] = ["127.0.0.1"]
    network.names["other.srisuk.go.th"] = ["127.0.0.1"]
    allowed = settings("www.srisuk.go.th", "other.srisuk.go.th")

    assert check_url(tls_site.url("/ok", host="www.srisuk.go.th"), allowed).ok
    assert tls_site.server_names == ["www.srisuk.go.th"]
    assert tls_site.received[0][2] == f"www.srisuk.go.th:{tls_site.port}"

    wrong = check_url(tls_site.url("/ok", host="other.srisuk.go.th"), allowed)
    assert wrong == Result(None, False, "ใบรับรอง HTTPS ของเว็บไซต์ไม่ถูกต้อง")
    assert len(tls_site.received) == 1
    assert all(address == ("127.0.0.1", tls_site.port) for address in network.connections)


# --- the evidence rows -----------------------------------------------------------------------


@dataclass
class Plan:
    org_id: int
    user_id: int
    measures: list[int]


def make_plan(
    name: str = "องค์การบริหารส่วนตำบลศรีสุข", username: str = "drafter", measures: int = 2
) -> Plan:
    org = Organisation(name=name, kind=OrgKind.SAO)
    unit = Unit(organisation=org, name="สำนักปลัด")
    user = User(
        organisation=org, username=username, title="นาง", full_name="ผู้จัดทำ ทดสอบ", unit=unit
    )
    user.set_password("x")
    db.session.add_all([org, unit, user])
    db.session.flush()
    plan = MeasurePlan(org_id=org.id, fiscal_year=2569, title="มาตรการ ปี ๒๕๖๙")
    db.session.add(plan)
    db.session.flush()
    rows = [
        Measure(
            org_id=org.id,
            plan_id=plan.id,
            position=n,
            title=f"มาตรการที่ {n}",
            start_month=date(2025, 10, 1),
            end_month=date(2026, 9, 1),
            rhythm=Rhythm.QUARTERLY,
        )
        for n in range(1, measures + 1)
    ]
    db.session.add_all(rows)
    db.session.commit()
    return Plan(org.id, user.id, [m.id for m in rows])


def add_evidence(plan: Plan, url: str, measure: int = 0, **fields) -> int:
    row = Evidence(
        measure_id=plan.measures[measure],
        url=url,
        title="หลักฐาน",
        added_by_id=plan.user_id,
        **fields,
    )
    db.session.add(row)
    db.session.commit()
    return row.id


def evidence(row_id: int) -> Evidence:
    db.session.expire_all()
    return db.session.get(Evidence, row_id)


@pytest.fixture
def plan(ctx) -> Plan:
    return make_plan()


@pytest.fixture
def fixed_now(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: T1)
    return T1


# --- check_all: recording, batches, sharing, the CLI ------------------------------------------


def test_check_all_records_statuses_and_keeps_the_last_good_time(app, plan, site, fixed_now):
    app.config.update(settings("127.0.0.1"))
    fresh = add_evidence(plan, site.url("/ok"))
    broke = add_evidence(
        plan, site.url("/missing"), last_checked_at=T0, last_ok_at=T0, last_status=200
    )
    moved = add_evidence(plan, site.url("/chain/1"))
    refused = add_evidence(plan, site.url("/to-metadata"))
    failed = add_evidence(plan, site.url("/garbage"))

    summary = linkcheck.check_all()

    assert (summary.checked, summary.ok, summary.broken, summary.errors, summary.refused) == (
        5,
        2,
        1,
        1,
        1,
    )
    row = evidence(fresh)
    assert (row.last_status, row.last_checked_at, row.last_ok_at, row.last_error) == (
        200,
        T1,
        T1,
        None,
    )
    assert not row.is_broken
    row = evidence(broke)
    assert (row.last_status, row.last_checked_at, row.last_ok_at) == (404, T1, T0)
    assert row.last_error == "เว็บไซต์ตอบ 404: ไม่พบหน้านี้" and row.is_broken
    assert evidence(moved).last_status == 200 and evidence(moved).last_ok_at == T1
    row = evidence(refused)
    assert row.last_status is None and row.last_error.startswith("ปฏิเสธ") and row.is_broken
    assert row.last_ok_at is None and row.last_checked_at == T1
    row = evidence(failed)
    assert row.last_status is None and row.last_error == "เว็บไซต์ตอบกลับผิดรูปแบบ"


def test_a_url_shared_by_two_measures_is_fetched_once(app, plan, site):
    app.config.update(settings("127.0.0.1"))
    first = add_evidence(plan, site.url("/ok"), measure=0)
    second = add_evidence(plan, site.url("/ok"), measure=1)
    summary = linkcheck.check_all()
    assert site.paths() == [("HEAD", "/ok")]
    assert summary.checked == 2 and summary.ok == 2
    assert evidence(first).last_status == evidence(second).last_status == 200


def test_with_nothing_allowlisted_check_all_touches_no_private_address(app, plan, site, network):
    app.config.update(settings())
    row = add_evidence(plan, site.url("/ok"))
    summary = linkcheck.check_all()
    assert summary.refused == 1 and site.received == [] and network.connections == []
    assert evidence(row).last_error.startswith("ปฏิเสธ")


def test_check_all_can_be_limited_to_one_organisation(app, plan, monkeypatch):
    other = make_plan("เทศบาลตำบลจอม่วง", "jommuang", measures=1)
    ours = add_evidence(plan, "https://www.srisuk.go.th/ita/o27")
    theirs = add_evidence(other, "https://www.jommuang.go.th/ita/o27")
    monkeypatch.setattr(fetch, "check_url", lambda url, settings: Result(200, True, None))
    summary = linkcheck.check_all(org_id=plan.org_id)
    assert summary.checked == 1
    assert evidence(ours).last_status == 200 and evidence(theirs).last_checked_at is None


def _fake_check(calls: list[str]):
    def check(url: str, settings) -> Result:
        calls.append(url)
        if url.endswith("7"):
            return Result(404, False, "เว็บไซต์ตอบ 404: ไม่พบหน้านี้")
        return Result(200, True, None)

    return check


def _add_many(plan: Plan, count: int) -> None:
    rows = [
        {
            "measure_id": plan.measures[0],
            "url": f"https://www.srisuk.go.th/doc/{n}",
            "title": f"หลักฐาน {n}",
            "added_by_id": plan.user_id,
            "added_at": T0,
        }
        for n in range(count)
    ]
    db.session.execute(sa.insert(Evidence), rows)
    db.session.commit()


def test_a_thousand_rows_are_checked_in_batches_and_all_recorded(plan, monkeypatch, fixed_now):
    _add_many(plan, 1000)
    calls: list[str] = []
    monkeypatch.setattr(fetch, "check_url", _fake_check(calls))
    lines: list[str] = []

    summary = linkcheck.check_all(progress=lines.append)

    assert lines == ["ตรวจแล้ว 500/1000 ลิงก์", "ตรวจแล้ว 1000/1000 ลิงก์"]
    assert (summary.checked, summary.ok, summary.broken) == (1000, 900, 100)
    assert summary.describe() == "ตรวจ 1000 ลิงก์: ใช้ได้ 900, เสีย 100, ติดต่อไม่ได้ 0, ถูกปฏิเสธ 0"
    assert sorted(calls) == sorted(set(calls)) and len(calls) == 1000
    db.session.expire_all()
    checked = sa.select(sa.func.count()).where(Evidence.last_checked_at == T1)
    assert db.session.scalar(checked) == 1000
    good = sa.select(sa.func.count()).where(Evidence.last_ok_at == T1, Evidence.last_status == 200)
    assert db.session.scalar(good) == 900


def test_memory_stays_flat_keyset_batches_and_no_objects_kept(plan, monkeypatch):
    _add_many(plan, 1000)
    monkeypatch.setattr(fetch, "check_url", _fake_check([]))
    selects: list[str] = []

    def remember(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT") and "evidence.url" in statement:
            selects.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", remember)
    try:
        linkcheck.check_all(batch_size=100)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", remember)
    assert len(selects) == 11  # ten batches and the empty one that ends the run
    assert all("LIMIT" in s and "evidence.id >" in s for s in selects)  # keyset, not OFFSET
    assert len(db.session.identity_map) <= 5  # the plan's own rows at most, no evidence


def test_results_of_earlier_batches_survive_a_crash(plan, monkeypatch):
    _add_many(plan, 300)
    good = _fake_check([])

    def crash_on_250(url, settings):
        if url.endswith("/250"):
            raise RuntimeError("the worker died")
        return good(url, settings)

    monkeypatch.setattr(fetch, "check_url", crash_on_250)
    with pytest.raises(RuntimeError):
        linkcheck.check_all(batch_size=100)
    db.session.rollback()
    checked = sa.select(sa.func.count()).where(Evidence.last_checked_at.is_not(None))
    assert db.session.scalar(checked) == 200


def test_remembered_results_are_bounded():
    remembered = run._RecentResults(3)
    ok = Result(200, True, None)
    for n in range(10):
        remembered.put(f"u{n}", ok)
    assert len(remembered) == 3 and remembered.get("u0") is None and remembered.get("u9") == ok


def test_the_cli_checks_and_prints_the_summary(app, plan, site):
    app.config.update(settings("127.0.0.1"))
    add_evidence(plan, site.url("/ok"))
    add_evidence(plan, site.url("/missing"))
    result = app.test_cli_runner().invoke(args=["evidence", "check"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "ตรวจแล้ว 2/2 ลิงก์",
        "ตรวจ 2 ลิงก์: ใช้ได้ 1, เสีย 1, ติดต่อไม่ได้ 0, ถูกปฏิเสธ 0",
    ]
