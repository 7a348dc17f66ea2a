"""What the link checker may reach: http(s) URLs on web ports whose every address is public.

Evidence URLs are typed by users, so a URL must never make the server talk to its own network
(localhost, the office LAN, the cloud metadata service at 169.254.169.254). `vet` applies every
rule and resolves the host once; the caller connects to the addresses it returns and to nothing
else, so a DNS answer that changes between the check and the connection cannot slip through.
"""

import ipaddress
import re
import socket
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}
WEB_PORTS = frozenset({80, 443, 8080, 8443})

ONLY_HTTP = "ตรวจได้เฉพาะลิงก์ http และ https"
CREDENTIALS = "ลิงก์มีชื่อผู้ใช้หรือรหัสผ่านอยู่ในตัว"
PRIVATE_ADDRESS = "ที่อยู่นี้เป็นเครือข่ายภายใน ตรวจสอบไม่ได้"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Refused whatever `is_global` says: its tables differ between Python versions.
_BLOCKED = tuple(
    ipaddress.ip_network(net)
    for net in (
        "0.0.0.0/8",
        "10.0.0.0/8",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.0.0.0/24",
        "192.168.0.0/16",
        "198.18.0.0/15",
        "224.0.0.0/4",
        "240.0.0.0/4",
        "::/128",
        "::1/128",
        "fc00::/7",
        "fe80::/10",
        "fec0::/10",
        "ff00::/8",
        "64:ff9b:1::/48",  # local-use NAT64: leads into a private IPv4 network
    )
)
# IPv6 addresses that stand for the IPv4 address in their last 32 bits. A NAT64 gateway
# (64:ff9b::/96, what DNS64 answers on an IPv6-only network) leads wherever that IPv4 address
# does, so it is judged by it; the deprecated IPv4-compatible form (::/96) is refused anyway.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_HOST_NAME = re.compile(r"[a-z0-9_-]+(\.[a-z0-9_-]+)*")
_SAFE_IN_PATH = "/%!$&'()*+,;=:@~"
_SAFE_IN_QUERY = _SAFE_IN_PATH + "?"


class Refused(Exception):
    """The URL may not be fetched; `reason` says why, in Thai."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason
        self.redirected = False  # set when a redirect, not the stored URL, led here


class InvalidUrl(ValueError):
    """The text is not a URL the checker can read."""

    redirected = False


@dataclass(frozen=True)
class Target:
    """One vetted request: the addresses to connect to, and the name to use once there."""

    scheme: str
    host: str  # ASCII; sent as Host and SNI, and matched against the certificate
    port: int
    path: str  # path and query, percent-encoded
    addresses: tuple[str, ...]  # the only addresses the request may connect to


def vet(url: str, allowed_hosts: frozenset[str]) -> Target:
    """Apply every rule to `url` and resolve its host once; raise Refused or InvalidUrl."""
    scheme, host, port, path = parse(url)
    exempt = host in allowed_hosts
    if port not in WEB_PORTS and not exempt:
        raise Refused(f"ไม่อนุญาตพอร์ต {port} ตรวจได้เฉพาะพอร์ต 80, 443, 8080 และ 8443")
    addresses = resolve(host, port)
    if not exempt and any(is_forbidden(address) for address in addresses):
        raise Refused(PRIVATE_ADDRESS)
    return Target(scheme, host, port, path, tuple(str(address) for address in addresses))


def parse(url: str) -> tuple[str, str, int, str]:
    """Scheme, ASCII host, port and request path of `url`; no network is touched."""
    url = url.strip() if isinstance(url, str) else ""
    if not url or _CONTROL.search(url):
        raise InvalidUrl(url)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise InvalidUrl(url) from exc
    if parts.scheme not in DEFAULT_PORTS:
        raise Refused(ONLY_HTTP)
    if parts.username is not None or parts.password is not None:
        raise Refused(CREDENTIALS)
    path = quote(parts.path or "/", safe=_SAFE_IN_PATH)
    if parts.query:
        path += "?" + quote(parts.query, safe=_SAFE_IN_QUERY)
    if port is None:
        port = DEFAULT_PORTS[parts.scheme]
    return parts.scheme, ascii_host(parts.hostname or ""), port, path


def ascii_host(host: str) -> str:
    """The host as sent on the wire: IPv6 literal, or IDNA-encoded lower-case name."""
    host = host.strip().lower().removeprefix("[").removesuffix("]").rstrip(".")
    if ":" in host:
        try:
            ipaddress.IPv6Address(host)
        except ValueError as exc:
            raise InvalidUrl(host) from exc
        return host
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise InvalidUrl(host) from exc
    if not _HOST_NAME.fullmatch(host):
        raise InvalidUrl(host)
    return host


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address `host` stands for, looked up once (no lookup for an address literal)."""
    literal = _literal(host)
    if literal is not None:
        return [literal]
    addresses: list[IPAddress] = []
    for *_, sockaddr in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM):
        try:
            address = ipaddress.ip_address(sockaddr[0])
        except ValueError:
            raise Refused(PRIVATE_ADDRESS) from None  # nothing we can vet is never connected to
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise socket.gaierror(socket.EAI_NONAME, "no address")
    return addresses


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:
        # The shorthand forms C resolvers also accept: 2130706433, 127.1, 0x7f.0.0.1, 0177.0.0.1.
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def is_forbidden(address: IPAddress) -> bool:
    """True for every address that is not plainly a public internet host."""
    if isinstance(address, ipaddress.IPv6Address):
        carried = _carried_ipv4(address)
        if address in _NAT64:
            return is_forbidden(carried)
        if carried is not None and is_forbidden(carried):
            return True
    return (
        not address.is_global
        or address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or any(address in net for net in _BLOCKED if net.version == address.version)
    )


def _carried_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address leads to (mapped, 6to4, Teredo, NAT64), if any."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in _NAT64 or address in _IPV4_COMPATIBLE:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None
