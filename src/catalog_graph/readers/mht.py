"""Web pages saved with their parts (.mht, .mhtml: "Web Archive, single file").

The file is a MIME message (``multipart/related``): the page is its first ``text/html`` part,
the pictures and styles the others. The part's bytes are taken with the transfer encoding
(quoted-printable, base64) undone but not decoded as text (``get_payload(decode=True)``, not
``get_content()``, which decodes a part without a charset label as ASCII, and a ``gb2312``
label with Python's strict GB2312, losing every character outside it such as ✓). The bytes go
to the web page reader (:mod:`catalog_graph.readers.html`), with the part's charset label, when
it has one, put first as a ``<meta charset>``: GB2312 and GBK are read as GB18030 there.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from catalog_graph.errors import CatalogError
from catalog_graph.models import RawTable
from catalog_graph.readers import html

MAX_BYTES = 50 * 1024 * 1024
_LABEL = re.compile(r"^[A-Za-z0-9._:-]{1,40}$")


def read(path: Path, display: str) -> RawTable:
    """Read the catalog table of the page a .mht file saves."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise CatalogError(display, f"is {size // (1024 * 1024)} MiB, over the "
                           f"{MAX_BYTES // (1024 * 1024)} MiB limit for a saved web page",
                           "too_large")
    page = page_bytes(path.read_bytes(), display)
    with tempfile.TemporaryDirectory(prefix="catalog-graph-mht-") as tmp:
        saved = Path(tmp) / "page.html"
        saved.write_bytes(page)
        return html.read(saved, display)


def page_bytes(data: bytes, display: str) -> bytes:
    """The bytes of the page a .mht file saves, its charset label (if any) as a leading
    ``<meta charset>``."""
    import email
    import email.policy

    try:
        message = email.message_from_bytes(data, policy=email.policy.compat32)
        part = next((p for p in message.walk() if p.get_content_type() == "text/html"), None)
        payload = part.get_payload(decode=True) if part is not None else None
    except Exception as exc:  # noqa: BLE001 - the email parser is lenient; guard the rest
        raise CatalogError(display, f"is a damaged saved web page ({type(exc).__name__})",
                           "corrupt") from None
    if not isinstance(payload, bytes) or not payload.strip():
        raise CatalogError(display, "is a saved web page (.mht) without an HTML page in it",
                           "no_table")
    label = part.get_content_charset() if part is not None else None
    if label and _LABEL.match(label):
        return f'<meta charset="{label}">\n'.encode("ascii") + payload
    return payload
