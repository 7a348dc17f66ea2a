"""Security headers on every response, and the client address as the trusted proxy reports it.

The Content-Security-Policy allows only the app's own scripts, styles, images and fonts: no
inline <script>, <style> or style="" (their rules live in static/css/app.css), no plugins, no
framing. HSTS is sent only when the configuration asks for it (production, served over https).
"""

from flask import Flask, Response
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def register_security(app: Flask) -> None:
    """Trust X-Forwarded-* only from the configured number of proxies; add the headers."""
    hops = app.config.get("TRUSTED_PROXY_HOPS", 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    hsts_seconds = app.config.get("HSTS_SECONDS", 0)

    @app.after_request
    def security_headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if hsts_seconds:
            response.headers.setdefault(
                "Strict-Transport-Security", f"max-age={hsts_seconds}; includeSubDomains"
            )
        return response
