"""A ruled table in a picture of a page → a grid of cells, merged ranges found (no OCR here).

Steps, each bounded in work by the image size (the image is first scaled down to
``MAX_SIDE`` on its long side, so memory stays under ~300 MB whatever comes in):

1. **ink**: grey levels with red ink taken out (a seal: pixels much redder than they are green
   or blue are replaced by their red channel, which is paper-bright for red ink and stays dark
   for black toner printed under it), then an adaptive threshold.
2. **checks**: too small, blank (no ink), too blurred (the steepest edges are shallow).
3. **deskew**: the angle whose row profile of ink is sharpest (±4°, 0.05° steps on a
   reduced copy); the page is turned back. A photographed page (perspective) is rectified
   from the outer border of the table when its corners are not a rectangle.
4. **rulings**: morphological opening with long horizontal / vertical kernels keeps the ruling
   lines; their connected pieces are clustered into line positions (ys, xs) of the table (the
   largest connected web of rulings); a table left open at the top or bottom of a page (a
   page break) gets a line where its vertical rulings end.
5. **cells**: every pair of neighbouring grid positions not separated by a ruling (less than
   60 % of the edge inked) is one merged cell, as the PDF reader makes merged ranges from
   missing cell edges.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import cv2
import numpy as np

if TYPE_CHECKING:
    from PIL.Image import Image as Picture

MAX_SIDE = 3600  # px: an A4 page at 300 dpi is 3508; larger pictures are scaled down
MAX_PIXELS = 120_000_000  # refuse before decoding anything bigger (a decompression bomb)
MIN_SIDE = 300  # px: below this no catalog text can be read
MIN_SHARPNESS = 0.12  # steepest-edge slope / contrast; printed text scanned at 150 dpi: ~0.3
MIN_INK = 0.002  # fraction of inked pixels below which a page is blank
EDGE_COVER = 0.6  # fraction of a cell edge a ruling must cover to separate two cells


class ScanError(Exception):
    """A picture that holds no readable ruled table; ``code`` says why (too_large, too_small,
    blank, too_blurred, no_table) and the message says it in words."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass
class GridCell:
    row: int
    col: int
    rowspan: int
    colspan: int
    bbox: tuple[int, int, int, int]  # x0, y0, x1, y1 in the rectified page
    open_top: bool = False
    open_bottom: bool = False


@dataclass
class Grid:
    page: np.ndarray  # rectified grey page (uint8), lines still in it
    clean: np.ndarray  # the same with rulings and red ink whited out: what OCR reads
    xs: list[int]
    ys: list[int]
    cells: list[GridCell]
    angle: float  # degrees the picture was turned back by
    scale: float  # rectified page px per input image px
    warnings: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- ink


def load(image: Picture) -> tuple[np.ndarray, float]:
    """The picture as an RGB array, scaled down to MAX_SIDE; and the scale used."""
    from PIL import Image

    w, h = image.size
    if w * h > MAX_PIXELS:
        raise ScanError("too_large", f"image of {w}x{h} pixels is over the "
                        f"{MAX_PIXELS // 1_000_000} Mpx limit")
    if min(w, h) < MIN_SIDE:
        raise ScanError("too_small", f"image of {w}x{h} pixels is too small to hold a "
                        f"readable table (under {MIN_SIDE} px)")
    scale = min(1.0, MAX_SIDE / max(w, h))
    if scale < 1.0:
        if image.mode in ("1", "P"):
            image = image.convert("L")
        image = image.resize((round(w * scale), round(h * scale)), Image.LANCZOS)
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    a = np.asarray(image)
    if a.ndim == 2:
        a = cv2.cvtColor(a, cv2.COLOR_GRAY2RGB)
    return np.ascontiguousarray(a), scale


def grey_without_red(rgb: np.ndarray) -> np.ndarray:
    """Grey levels with red ink (seals, red headers) replaced by the red channel: red ink on
    paper turns paper-bright, black toner printed under it stays dark."""
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    r = rgb[..., 0].astype(np.int16)
    gb = np.maximum(rgb[..., 1], rgb[..., 2]).astype(np.int16)
    red = (r - gb) > 12  # generous: black toner has r ≈ g ≈ b, and max(grey, r) keeps it dark
    if red.any():
        red = cv2.dilate(red.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
        grey = grey.copy()
        grey[red] = np.maximum(grey[red], rgb[..., 0][red])
    return grey


def binarize(grey: np.ndarray) -> np.ndarray:
    """Ink as 255 on 0: adaptive (local mean) threshold, robust to uneven paper and light."""
    block = max(15, (min(grey.shape) // 40) | 1)
    return cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV,
                                 block, 15)


def sharpness(grey: np.ndarray) -> float:
    """How steep the steepest edges are, per grey level of contrast, at ~1600 px on the long
    side (so dpi does not matter): ~0.3–0.6 for scanned print, under 0.1 when blurred."""
    f = 1600 / max(grey.shape)
    g = cv2.resize(grey, None, fx=f, fy=f, interpolation=cv2.INTER_AREA) if f < 1 else grey
    g = cv2.GaussianBlur(g, (3, 3), 0)  # sensor noise is not sharpness
    gx = cv2.Sobel(g, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(g, cv2.CV_32F, 0, 1, ksize=3)
    mag = np.sqrt(gx * gx + gy * gy) / 8  # Sobel 3x3 weighs a unit step as 4 (x2 blur)
    lo, hi = np.percentile(g, [1, 99.5])
    contrast = max(float(hi - lo), 1.0)
    return float(np.percentile(mag, 99.7)) / contrast


# --------------------------------------------------------------------------- deskew


def skew_angle(ink: np.ndarray, limit: float = 4.0) -> float:
    """Angle (degrees, counter-clockwise) the page content is turned by: the one whose
    horizontal ink profile is sharpest."""
    f = min(1.0, 1000 / max(ink.shape))
    small = cv2.resize(ink, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    h, w = small.shape
    c = (w / 2, h / 2)

    def score(a: float) -> float:
        m = cv2.getRotationMatrix2D(c, -a, 1.0)
        r = cv2.warpAffine(small, m, (w, h), flags=cv2.INTER_NEAREST)
        p = r.sum(axis=1, dtype=np.float64)
        return float(np.sum(np.diff(p) ** 2))

    best = max(np.arange(-limit, limit + 1e-9, 0.25), key=score)
    best = max(np.arange(best - 0.25, best + 0.25 + 1e-9, 0.05), key=score)
    return float(round(best, 2))


def rotate(a: np.ndarray, angle: float, fill: int) -> np.ndarray:
    h, w = a.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), -angle, 1.0)
    return cv2.warpAffine(a, m, (w, h), flags=cv2.INTER_CUBIC, borderValue=fill)


# --------------------------------------------------------------------------- rulings


def rulings(ink: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Masks of the horizontal and vertical ruling lines."""
    h, w = ink.shape
    kh = max(30, w // 45)  # longer than any stroke of a character, shorter than a cell
    kv = max(30, h // 40)
    hor = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (kh, 1)))
    ver = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, kv)))
    return hor, ver


def segments(mask: np.ndarray, axis: int) -> list[tuple[float, int, int]]:
    """Pieces of ruling: (position across, start, end along). axis 0: horizontal lines."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out = []
    for x, y, w, h, _area in stats[1:]:
        if axis == 0:
            out.append((y + h / 2, x, x + w))
        else:
            out.append((x + w / 2, y, y + h))
    return out


def cluster(segs: list[tuple[float, int, int]], tol: float) -> list[tuple[int, int, int]]:
    """Line positions: segments whose positions are within tol merge; (pos, start, end)."""
    segs = sorted(segs)
    groups: list[list[tuple[float, int, int]]] = []
    for s in segs:
        if groups and s[0] - groups[-1][-1][0] <= tol:
            groups[-1].append(s)
        else:
            groups.append([s])
    out = []
    for g in groups:
        weight = sum(e - b for _, b, e in g)
        pos = sum(p * (e - b) for p, b, e in g) / max(weight, 1)
        out.append((round(pos), min(b for _, b, _ in g), max(e for _, _, e in g)))
    return out


def rectify(grey: np.ndarray, ink: np.ndarray) -> tuple[np.ndarray, bool]:
    """Straighten a photographed page: warp the table's outer border (the biggest web of
    rulings) onto a rectangle when its corners are off a rectangle by more than ~0.4 %."""
    hor, ver = rulings(ink)
    web = cv2.dilate(cv2.bitwise_or(hor, ver), np.ones((5, 5), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(web, connectivity=8)
    if n < 2:
        return grey, False
    # the table: the web with the most ruling in it (not the page's edge on a dark desk)
    best = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    contours, _ = cv2.findContours((labels == best).astype(np.uint8), cv2.RETR_EXTERNAL,
                                   cv2.CHAIN_APPROX_SIMPLE)
    c = max(contours, key=cv2.contourArea)
    hull = cv2.convexHull(c)
    peri = cv2.arcLength(hull, True)
    quad = None
    for eps in (0.01, 0.02, 0.03, 0.05):
        q = cv2.approxPolyDP(hull, eps * peri, True)
        if len(q) == 4:
            quad = q.reshape(4, 2).astype(np.float32)
            break
    if quad is None:
        return grey, False
    s, d = quad.sum(1), np.diff(quad, axis=1).ravel()
    tl, br, tr, bl = quad[s.argmin()], quad[s.argmax()], quad[d.argmin()], quad[d.argmax()]
    wt, wb = np.linalg.norm(tr - tl), np.linalg.norm(br - bl)
    hl, hr = np.linalg.norm(bl - tl), np.linalg.norm(br - tr)
    off = max(abs(wt - wb) / max(wt, wb), abs(hl - hr) / max(hl, hr))
    if off < 0.004:
        return grey, False
    W, H = int(max(wt, wb)), int(max(hl, hr))
    m = 20  # keep a margin round the table
    dst = np.float32([[m, m], [m + W, m], [m + W, m + H], [m, m + H]])
    M = cv2.getPerspectiveTransform(np.float32([tl, tr, br, bl]), dst)
    fill = int(np.median(grey))
    out = cv2.warpPerspective(grey, M, (W + 2 * m, H + 2 * m), flags=cv2.INTER_CUBIC,
                              borderValue=fill)
    return out, True


# --------------------------------------------------------------------------- the grid


def find_grid(image: Picture) -> Grid:
    """The ruled table of a page picture: its grid, cells and merged ranges, on the page turned
    straight; ScanError when the picture is too small, blank, too blurred or has no table."""
    rgb, scale = load(image)
    grey = grey_without_red(rgb)
    del rgb
    ink = binarize(grey)
    if np.count_nonzero(ink) < MIN_INK * ink.size:
        raise ScanError("blank", "the image is blank (no ink found)")
    sharp = sharpness(grey)
    if sharp < MIN_SHARPNESS:
        raise ScanError("too_blurred", f"the image is too blurred to read (sharpness "
                        f"{sharp:.2f}, under {MIN_SHARPNESS})")
    warnings: list[str] = []
    angle = skew_angle(ink)
    paper = int(np.percentile(grey, 90))
    if abs(angle) >= 0.05:
        grey = rotate(grey, angle, paper)
        ink = binarize(grey)
    grey2, warped = rectify(grey, ink)
    if warped:
        grey = grey2
        ink = binarize(grey)
        warnings.append("perspective rectified (a photographed page?)")

    hor, ver = rulings(ink)
    h, w = ink.shape
    # the table: the largest web of rulings
    web = cv2.dilate(cv2.bitwise_or(hor, ver), np.ones((5, 5), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(web, connectivity=8)
    if n < 2:
        raise ScanError("no_table", "no ruled table found in the image")
    best = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))  # the most ruling, not the page edge
    tw, th = int(stats[best, cv2.CC_STAT_WIDTH]), int(stats[best, cv2.CC_STAT_HEIGHT])
    if tw < 0.25 * w or th < 0.08 * h:
        raise ScanError("no_table", "no ruled table found in the image (the largest set of "
                        "lines is too small)")
    keep = (labels == best).astype(np.uint8)
    hor &= keep * 255
    ver &= keep * 255
    tol = max(3.0, min(h, w) / 400)
    hl = [s for s in cluster(segments(hor, 0), tol) if s[2] - s[1] >= 30]
    vl = [s for s in cluster(segments(ver, 1), tol) if s[2] - s[1] >= 30]
    # a ruling runs from one crossing ruling to another; a run of bold text that survived the
    # opening floats inside a cell: keep horizontals whose both ends meet a vertical, then
    # verticals with an end on a kept horizontal (one end: the other may be a page break)
    d = 2 * tol + 4

    def meets(pos: float, at: float, others: list[tuple[int, int, int]]) -> bool:
        return any(abs(p - at) <= d and b - d <= pos <= e + d for p, b, e in others)

    hl = [s for s in hl if meets(s[0], s[1], vl) and meets(s[0], s[2], vl)]
    vl = [s for s in vl if meets(s[0], s[1], hl) or meets(s[0], s[2], hl)]
    if len(hl) < 2 or len(vl) < 2:
        raise ScanError("no_table", f"no ruled table found ({len(hl)} horizontal and "
                        f"{len(vl)} vertical rulings)")
    ys = [p for p, _, _ in hl]
    xs = [p for p, _, _ in vl]
    # open at the top or bottom (a page break): close it where the vertical rulings end
    vtop = min(b for _, b, _ in vl)
    vbot = max(e for _, _, e in vl)
    min_row = max(12, int(tol * 4))
    open_top = bool(ys[0] - vtop > min_row)
    open_bottom = bool(vbot - ys[-1] > min_row)
    if open_top:
        ys.insert(0, vtop)
    if open_bottom:
        ys.append(vbot)
    # which cell edges are inked
    t = math.ceil(tol) + 1

    def covered(mask: np.ndarray, y0: int, y1: int, x0: int, x1: int, axis: int) -> bool:
        if axis == 0:  # horizontal edge: y band, x run
            band = mask[max(0, y0 - t):y0 + t + 1, x0:x1]
            run = band.any(axis=0)
        else:
            band = mask[y0:y1, max(0, x0 - t):x0 + t + 1]
            run = band.any(axis=1)
        return run.size > 0 and run.mean() >= EDGE_COVER

    nr, nc = len(ys) - 1, len(xs) - 1
    parent = list(range(nr * nc))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def union(a: int, b: int) -> None:
        parent[find(a)] = find(b)

    m = t + 2  # leave the crossings out of the edge test
    for r in range(nr):
        for c in range(1, nc):  # vertical edge at xs[c] between rows ys[r]..ys[r+1]
            if not covered(ver, ys[r] + m, ys[r + 1] - m, xs[c], 0, 1):
                union(r * nc + c - 1, r * nc + c)
    for r in range(1, nr):
        for c in range(nc):  # horizontal edge at ys[r] between cols
            synthetic = (open_top and r == 0) or (open_bottom and r == nr)
            if not synthetic and not covered(hor, ys[r], 0, xs[c] + m, xs[c + 1] - m, 0):
                union((r - 1) * nc + c, r * nc + c)
    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(nr):
        for c in range(nc):
            groups.setdefault(find(r * nc + c), []).append((r, c))
    cells = []
    for members in groups.values():
        r0 = min(r for r, _ in members)
        r1 = max(r for r, _ in members)
        c0 = min(c for _, c in members)
        c1 = max(c for _, c in members)
        if len(members) != (r1 - r0 + 1) * (c1 - c0 + 1):
            warnings.append(f"cell at row {r0}, col {c0} is not a rectangle")
        cells.append(GridCell(r0, c0, r1 - r0 + 1, c1 - c0 + 1,
                              (xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1]),
                              open_top=open_top and r0 == 0,
                              open_bottom=open_bottom and r1 == nr - 1))
    cells.sort(key=lambda k: (k.row, k.col))
    # what OCR reads: rulings (thickened a little) whited out
    lines = cv2.dilate(cv2.bitwise_or(hor, ver), np.ones((5, 5), np.uint8))
    clean = grey.copy()
    clean[lines > 0] = paper
    return Grid(grey, clean, xs, ys, cells, angle, scale, warnings)
