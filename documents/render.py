"""The one way a PDF is made: plain data in, PDF bytes out.

The template gets plain data only (no ORM objects, no request), autoescaped, so a memo body with
HTML or CSS in it prints as text. WeasyPrint fetches nothing but what `LockedFetcher` serves: the
app's own fonts and print assets under the `asset:` scheme, and the organisation's stored images
under `storage:`, only for the keys the data lists. Any other URL stops the rendering, so a missing
font can never fall back silently to another one.
"""

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

import storage

APP_ROOT = Path(__file__).resolve().parent.parent
PRINT_TEMPLATES = APP_ROOT / "templates" / "pdf" / "print"

# name after "asset:" -> (file, media type). Nothing else under the app root is reachable.
ASSETS = {
    "fonts/THSarabunNew-Regular.ttf": (
        APP_ROOT / "static/fonts/THSarabunNew-Regular.ttf",
        "font/ttf",
    ),
    "fonts/THSarabunNew-Bold.ttf": (APP_ROOT / "static/fonts/THSarabunNew-Bold.ttf", "font/ttf"),
    "print/dots.svg": (PRINT_TEMPLATES / "dots.svg", "image/svg+xml"),
}
IMAGE_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
PLAIN_TYPES = (str, int, float, bool, type(None))


class RefusedURL(ValueError):
    """The renderer asked for something it may not have."""


class RenderFailed(RuntimeError):
    """A resource the memo needs could not be fetched, so no PDF was made (never a fallback)."""


class LockedFetcher(URLFetcher):
    """Serves the app's assets and the listed stored images; refuses everything else."""

    def __init__(self, image_keys: list[str]):
        super().__init__(allowed_protocols=("asset", "storage"), fail_on_errors=True)
        self.image_keys = frozenset(image_keys)

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        scheme, _, name = url.partition(":")
        if scheme == "asset" and name in ASSETS:
            path, media_type = ASSETS[name]
            return _response(url, path.read_bytes(), media_type)
        if scheme == "storage" and name in self.image_keys:
            data = storage.path_of(name).read_bytes()
            return _response(url, data, image_type(data))
        raise RefusedURL(f"the PDF renderer may not fetch {url!r}")


def image_type(data: bytes) -> str:
    """The media type of a PNG or JPEG, told by its first bytes; anything else is refused."""
    for magic, media_type in IMAGE_TYPES.items():
        if data.startswith(magic):
            return media_type
    raise RefusedURL("a stored image is neither PNG nor JPEG")


def _response(url: str, body: bytes, media_type: str) -> URLFetcherResponse:
    return URLFetcherResponse(url, body, {"Content-Type": media_type})


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(PRINT_TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def require_plain(value, where: str = "memo") -> None:
    """Refuse anything but dicts, lists and scalars: ORM objects never reach a template."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{where} has a key that is not a string: {key!r}")
            require_plain(item, f"{where}.{key}")
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            require_plain(item, f"{where}[{i}]")
    elif not isinstance(value, PLAIN_TYPES):
        raise TypeError(f"{where} is a {type(value).__name__}, not plain data")


def render_html(data: dict) -> str:
    require_plain(data)
    return _environment().get_template("memo.html").render(memo=data)


def warm_up() -> None:
    """Load Pango, fontconfig and the memo's fonts now, not in the first approval (gunicorn
    calls this in each worker before it takes requests)."""
    fetcher = LockedFetcher([])
    style = _environment().get_template("memo.css").render(memo={"thai_digits": False})
    HTML(string=f"<style>{style}</style><p>บันทึกข้อความ</p>", url_fetcher=fetcher).write_pdf()


def render_pdf(data: dict) -> bytes:
    """The memo described by `data` (see documents.data.memo_data) as PDF bytes."""
    fetcher = LockedFetcher(list(data.get("image_keys", [])))
    html = HTML(string=render_html(data), base_url=None, url_fetcher=fetcher)
    try:
        return html.write_pdf()
    except FatalURLFetchingError as error:  # a BaseException: make it an ordinary failure
        raise RenderFailed(str(error)) from error.__cause__
