"""The pictures of a scan's pages: picture files (a multi-page TIFF is pages) and the image
pages of a PDF, each with how many PDF points a pixel is (so that tables on different pages,
and on the text pages of the same PDF, line up by their column borders).

A picture's size is checked from its header before it is decoded (a decompression bomb is
refused before it takes memory); a page is then scaled down to :data:`~.grid.MAX_SIDE` by the
grid finder, so each page costs bounded memory and time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from catalog_graph.errors import CatalogError
from catalog_graph.readers.image.grid import MAX_PIXELS

if TYPE_CHECKING:
    from PIL.Image import Image as Picture

MAX_FRAMES = 500
"""Pages of a multi-page TIFF read at most (a catalog is tens of pages)."""
DEFAULT_DPI = 200.0
"""The resolution taken for a picture that does not record its own (a scan's usual one)."""
RENDER_DPI = 200.0
"""The resolution a PDF page is rendered at when it is not one picture filling the page."""


@dataclass
class PagePicture:
    """One page as a picture: its page number (from 1), the picture, PDF points per pixel."""

    number: int
    image: Picture
    points_per_pixel: float


def picture_pages(path: Path, display: str) -> Iterator[PagePicture]:
    """The pages of a picture file: one, or each frame of a multi-page TIFF."""
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # the header is checked against it before decoding
    try:
        im = Image.open(path)
        w, h = im.size
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError) as exc:
        if isinstance(exc, Image.DecompressionBombError):
            raise CatalogError(display, f"is a picture over the {MAX_PIXELS // 1_000_000} Mpx "
                               "limit", "too_large") from None
        raise CatalogError(display, "is a damaged or truncated picture (it cannot be decoded)",
                           "corrupt") from None
    frames = min(getattr(im, "n_frames", 1), MAX_FRAMES)
    for k in range(frames):
        try:
            im.seek(k)
            w, h = im.size
            if w * h > MAX_PIXELS:
                raise CatalogError(display, f"page {k + 1} is a picture of {w}x{h} pixels, over "
                                   f"the {MAX_PIXELS // 1_000_000} Mpx limit", "too_large")
            frame = im.copy()
            frame.load()
        except CatalogError:
            raise
        except Exception:  # noqa: BLE001 - Pillow raises anything on a damaged picture
            raise CatalogError(display, f"is a damaged or truncated picture (page {k + 1} "
                               "cannot be decoded)", "corrupt") from None
        yield PagePicture(k + 1, frame, 72.0 / _dpi(im))


def _dpi(im: Picture) -> float:
    dpi = im.info.get("dpi")
    try:
        value = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        value = 0.0
    return value if 50 <= value <= 1200 else DEFAULT_DPI


def pdf_pages(path: Path, display: str, numbers: Iterable[int]) -> Iterator[PagePicture]:
    """Pages of a PDF as pictures: the scanned picture itself when one picture fills the page
    (read at its own resolution), else the page rendered at :data:`RENDER_DPI`."""
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(str(path))
    except Exception:  # noqa: BLE001
        raise CatalogError(display, "is a damaged PDF (its pages cannot be rendered)",
                           "corrupt") from None
    try:
        for number in numbers:
            page = doc[number - 1]
            try:
                width, height = page.get_size()
                picture = _full_page_picture(page, width, height)
                if picture is not None:
                    yield PagePicture(number, picture, width / picture.width)
                    continue
                scale = RENDER_DPI / 72
                if width * height * scale * scale > MAX_PIXELS:
                    scale = (MAX_PIXELS / (width * height)) ** 0.5
                yield PagePicture(number, page.render(scale=scale, grayscale=True).to_pil(),
                                  1 / scale)
            finally:
                page.close()
    finally:
        doc.close()


def _full_page_picture(page, width: float, height: float) -> Picture | None:
    """The page's one picture when it covers nearly all the page, at its own resolution."""
    import pypdfium2 as pdfium

    pictures = [o for o in page.get_objects(max_depth=1)
                if o.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE]
    if len(pictures) != 1:
        return None
    left, bottom, right, top = pictures[0].get_bounds()
    if (right - left) < 0.9 * width or (top - bottom) < 0.9 * height:
        return None
    try:
        w, h = pictures[0].get_px_size()
        if w * h > MAX_PIXELS:
            return None  # rendered instead, at a bounded size
        return pictures[0].get_bitmap(render=False).to_pil()
    except Exception:  # noqa: BLE001 - a filter pdfium cannot hand over raw: render the page
        return None
