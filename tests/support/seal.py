"""A throwaway PKI for the e-seal tests: a CA, an RSA seal certificate in a PKCS#12 file, and a
local RFC 3161 time-stamping authority on loopback (pyHanko's DummyTimeStamper answering over
HTTP, so the app's real HTTP timestamp client is what talks to it), and the CA's CRL and OCSP
service on loopback (FakeCaStatus). Nothing leaves the machine."""

import ipaddress
import ssl
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, NameOID
from pyhanko.sign.timestamps import DummyTimeStamper

PASSWORD = "p12-รหัสผ่าน-2569"
SEAL_NAME = "อบต.ทดสอบ"  # the short form (the full Thai name exceeds 64 bytes)


def _name(common: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "TH"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Test PKI"),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def _cert(
    subject, issuer, public_key, signing_key, ca=False, eku=None, days=365, san_ip=False, extra=()
):
    now = datetime.now(UTC) - timedelta(minutes=5)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if eku:
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=True)
    if san_ip:
        address = x509.IPAddress(ipaddress.ip_address("127.0.0.1"))
        builder = builder.add_extension(x509.SubjectAlternativeName([address]), critical=False)
    for extension in extra:
        builder = builder.add_extension(extension, critical=False)
    return builder.sign(signing_key, hashes.SHA256())


@dataclass(frozen=True)
class Pki:
    ca_key: rsa.RSAPrivateKey
    ca: x509.Certificate
    seal_key: rsa.RSAPrivateKey
    seal: x509.Certificate
    tsa_key: rsa.RSAPrivateKey
    tsa: x509.Certificate

    def pkcs12(self, password: str = PASSWORD) -> bytes:
        return pkcs12.serialize_key_and_certificates(
            b"seal",
            self.seal_key,
            self.seal,
            [self.ca],
            serialization.BestAvailableEncryption(password.encode()),
        )

    def seal_key_der(self) -> bytes:
        return self.seal_key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )


@cache
def pki() -> Pki:
    """One PKI per test run (RSA keys take a while to make)."""
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = _name("Test CA")
    ca = _cert(ca_name, ca_name, ca_key.public_key(), ca_key, ca=True, days=3650)
    seal_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    seal = _cert(_name(SEAL_NAME), ca_name, seal_key.public_key(), ca_key)
    tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    tsa = _cert(
        _name("Test TSA"),
        ca_name,
        tsa_key.public_key(),
        ca_key,
        eku=[ExtendedKeyUsageOID.TIME_STAMPING],
    )
    return Pki(ca_key, ca, seal_key, seal, tsa_key, tsa)


@cache
def other_tsa() -> tuple[rsa.RSAPrivateKey, x509.Certificate, x509.Certificate]:
    """A TSA under a root of its own (as ETDA's may be under another root than a seal's CA)."""
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root_name = _name("Other TSA Root")
    root = _cert(root_name, root_name, root_key.public_key(), root_key, ca=True, days=3650)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    eku = [ExtendedKeyUsageOID.TIME_STAMPING]
    tsa = _cert(_name("Other TSA"), root_name, key.public_key(), root_key, eku=eku)
    return key, tsa, root


def _asn1_cert(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def tls_files(folder: Path) -> dict[str, Path]:
    """PEM files for a TSA that authenticates clients by certificate (as ETDA's does): the CA
    (for both sides to trust), the server's certificate and key (for 127.0.0.1), and a client's
    certificate with its key in one file (what SEAL_TSA_CLIENT_CERT names)."""
    p = pki()
    ca_name = _name("Test CA")
    files = {
        "ca": folder / "ca.pem",
        "server": folder / "server.pem",
        "client": folder / "client.pem",
    }
    files["ca"].write_bytes(p.ca.public_bytes(serialization.Encoding.PEM))
    for role, common in (("server", "127.0.0.1"), ("client", "อบต.ทดสอบ TSA client")):
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        cert = _cert(_name(common), ca_name, key.public_key(), p.ca_key, san_ip=role == "server")
        files[role].write_bytes(
            cert.public_bytes(serialization.Encoding.PEM)
            + key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    return files


@dataclass
class FakeTsa:
    """An RFC 3161 TSA over HTTP on loopback; `delay` makes it slower than the client waits.
    With `tls` (from tls_files) it speaks HTTPS and refuses clients without a certificate;
    with `other_root` its certificate chains to a root of its own, not the seal's CA."""

    delay: float = 0.0
    tls: dict[str, Path] | None = None
    other_root: bool = False
    requests: list[float] = field(default_factory=list)

    def start(self) -> "FakeTsa":
        p = pki()
        tsa_key, tsa, root = other_tsa() if self.other_root else (p.tsa_key, p.tsa, p.ca)
        key_der = tsa_key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        stamper = DummyTimeStamper(
            tsa_cert=_asn1_cert(tsa),
            tsa_key=asn1_keys.PrivateKeyInfo.load(key_der),
            certs_to_embed=[_asn1_cert(root)],
        )
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                fake.requests.append(time.monotonic())
                length = int(self.headers.get("Content-Length") or 0)
                request = tsp.TimeStampReq.load(self.rfile.read(length))
                if fake.delay:
                    time.sleep(fake.delay)
                body = stamper.request_tsa_response(request).dump()
                _reply(self, body, "application/timestamp-reply")

            def log_message(self, *args) -> None:
                pass

        context = None
        if self.tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(self.tls["server"])
            context.load_verify_locations(self.tls["ca"])
            context.verify_mode = ssl.CERT_REQUIRED
        self.server = _serve(Handler, context)
        return self

    @property
    def url(self) -> str:
        scheme = "https" if self.tls else "http"
        return f"{scheme}://127.0.0.1:{self.server.server_address[1]}/tsa"

    def stop(self) -> None:
        _stop(self.server)


@dataclass
class FakeCaStatus:
    """The test CA's certificate status service on loopback, in the real protocols: a CRL
    (RFC 5280) at /ca.crl and an OCSP responder (RFC 6960) at /ocsp, both signed by the CA; and
    seal certificates whose CRL distribution point and AIA name them. `revoked` holds serial
    numbers the CA has revoked; `delay` makes it slower than the sealer waits."""

    delay: float = 0.0
    revoked: set[int] = field(default_factory=set)
    requests: list[str] = field(default_factory=list)
    issued: dict[int, x509.Certificate] = field(default_factory=dict)

    def start(self) -> "FakeCaStatus":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                fake.requests.append(self.path)
                self._answer(fake.crl(), "application/pkix-crl")

            def do_POST(self) -> None:  # noqa: N802
                fake.requests.append(self.path)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self._answer(fake.ocsp(body), "application/ocsp-response")

            def _answer(self, body: bytes, kind: str) -> None:
                if fake.delay:
                    time.sleep(fake.delay)
                _reply(self, body, kind)

            def log_message(self, *args) -> None:
                pass

        self.server = _serve(Handler)
        return self

    def stop(self) -> None:
        _stop(self.server)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def seal_certificate(self) -> x509.Certificate:
        """A seal certificate (the test seal's key) whose status is published here."""
        p = pki()
        cert = _cert(
            _name(SEAL_NAME),
            p.ca.subject,
            p.seal_key.public_key(),
            p.ca_key,
            extra=[
                x509.CRLDistributionPoints(
                    [
                        x509.DistributionPoint(
                            [x509.UniformResourceIdentifier(f"{self.base}/ca.crl")],
                            None,
                            None,
                            None,
                        )
                    ]
                ),
                x509.AuthorityInformationAccess(
                    [
                        x509.AccessDescription(
                            AuthorityInformationAccessOID.OCSP,
                            x509.UniformResourceIdentifier(f"{self.base}/ocsp"),
                        )
                    ]
                ),
            ],
        )
        self.issued[cert.serial_number] = cert
        return cert

    def pkcs12(self, cert: x509.Certificate) -> bytes:
        p = pki()
        return pkcs12.serialize_key_and_certificates(
            b"seal",
            p.seal_key,
            cert,
            [p.ca],
            serialization.BestAvailableEncryption(PASSWORD.encode()),
        )

    def crl(self) -> bytes:
        p = pki()
        now = datetime.now(UTC) - timedelta(minutes=1)
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(p.ca.subject)
            .last_update(now)
            .next_update(now + timedelta(days=1))
            .add_extension(x509.CRLNumber(len(self.requests)), critical=False)
        )
        for serial in sorted(self.revoked):
            entry = x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(now)
            builder = builder.add_revoked_certificate(entry.build())
        return builder.sign(p.ca_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)

    def ocsp(self, body: bytes) -> bytes:
        p = pki()
        request = ocsp.load_der_ocsp_request(body)
        cert = self.issued.get(request.serial_number)
        if cert is None:
            return ocsp.OCSPResponseBuilder.build_unsuccessful(
                ocsp.OCSPResponseStatus.UNAUTHORIZED
            ).public_bytes(serialization.Encoding.DER)
        now = datetime.now(UTC) - timedelta(minutes=1)
        revoked = cert.serial_number in self.revoked
        builder = (
            ocsp.OCSPResponseBuilder()
            .add_response(
                cert=cert,
                issuer=p.ca,
                algorithm=request.hash_algorithm,
                cert_status=ocsp.OCSPCertStatus.REVOKED if revoked else ocsp.OCSPCertStatus.GOOD,
                this_update=now,
                next_update=now + timedelta(hours=1),
                revocation_time=now if revoked else None,
                revocation_reason=x509.ReasonFlags.key_compromise if revoked else None,
            )
            .responder_id(ocsp.OCSPResponderEncoding.HASH, p.ca)
        )
        for extension in request.extensions:
            if isinstance(extension.value, x509.OCSPNonce):
                builder = builder.add_extension(extension.value, critical=False)
        return builder.sign(p.ca_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def _serve(handler: type[BaseHTTPRequestHandler], tls: ssl.SSLContext | None = None):
    """A threaded HTTP(S) server for `handler` on a free loopback port, serving in the background."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _reply(handler: BaseHTTPRequestHandler, body: bytes, kind: str) -> None:
    try:
        handler.send_response(200)
        handler.send_header("Content-Type", kind)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
    except OSError:  # the client gave up waiting
        pass


def _stop(server: ThreadingHTTPServer) -> None:
    server.shutdown()
    server.server_close()
