"""Make the scanned-catalog fixtures in tests/fixtures/scans the way scans happen.

An office prints its catalog, stamps it with the round red seal (圆形公章), and puts it on a
scanner (or photographs it with a phone); the scan is saved as an image-only PDF, a JPEG, a
PNG or a multi-page TIFF. This script does the same to the printed catalogs in
tests/fixtures: each page is rendered (pypdfium2, the renderer pdfplumber ships with), put
on grey or yellowish paper with uneven tone, stamped, turned by a small angle, blurred a
little as a scanner's optics do, given sensor noise and saved with JPEG artefacts.

Files (all from ``sample.pdf`` unless said; the tables span pages with their header repeated):

- ``sample_200dpi.pdf``  the whole sample, 3 pages, 200 dpi, grey paper, turned +0.8°, -1.2°,
  +0.5°, a seal over cells on pages 1 and 3; JPEG (q75) pages in an image-only PDF.
- ``sample_150dpi.pdf``  the same at 150 dpi on yellowish paper, turned -0.6°, +1.4°, -1.0°,
  a seal on page 2.
- ``sample_200dpi_p1.jpg`` (JPEG, 200 dpi) and ``sample_150dpi_p1.png`` (PNG, 150 dpi, 16 grey
  levels): page 1 of the two PDFs above, as single pictures.
- ``pagebreak_200dpi.jpg``  page 1 of ``pagebreak.pdf`` (merged groups cut by page breaks),
  200 dpi, seal, turned -0.9°.
- ``levels_150dpi.png``  page 2 of ``levels.pdf`` (portrait, two-row header; its page 1 is
  notes), 150 dpi PNG of 16 grey levels.
- ``sample_200dpi_g4.tif``  the whole sample as a 3-page bilevel CCITT G4 TIFF (what
  office scanners and fax servers write), 200 dpi, turned +0.7°, -0.5°, +1.1°.
- ``sample_photo.jpg``  page 2 photographed with a phone: perspective skew, light falling off
  to one corner, 1600 px wide.
- broken cases, in ``broken/``: ``blank.jpg`` (an empty page scanned at 150 dpi),
  ``tiny.png`` (60×40), ``blurred.jpg`` (page 1 at 100 dpi blurred past reading),
  ``notable.jpg`` (a printed notice: text, no table).
- ``manifest.json``  for each file: source PDF and pages, dpi, angles, seal positions.

Deterministic: fixed random seeds and fixed PDF dates, so a rerun gives the same files
(with the same Pillow, pypdfium2 and libjpeg). Total about 5 MB.

Usage::

    python tools/make_scans.py            # into tests/fixtures/scans
    python tools/make_scans.py --out DIR

Needs Pillow, numpy and pypdfium2 (all come with the project's dependencies: pdfplumber,
matplotlib) and a CJK font for the seal text (Debian: fonts-noto-cjk).
"""

from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFilter, ImageFont, ImageOps

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
FONTS = [
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
]
GREY_PAPER = (228, 226, 222)
YELLOW_PAPER = (240, 231, 204)
SEAL_RED = (205, 35, 45)
PDF_DATE = time.gmtime(1704067200)  # 2024-01-01 UTC (Pillow takes a struct_time)
JPEG_QUALITY = 75


def font(size: int) -> ImageFont.FreeTypeFont:
    for f in FONTS:
        if Path(f).exists():
            return ImageFont.truetype(f, size)
    raise SystemExit("no CJK font found (Debian: apt-get install fonts-noto-cjk)")


# --------------------------------------------------------------------------- rendering


def render(pdf: Path, dpi: int) -> list[Image.Image]:
    """The pages of a PDF as RGB images at ``dpi``."""
    doc = pdfium.PdfDocument(str(pdf))
    try:
        return [page.render(scale=dpi / 72).to_pil().convert("RGB") for page in doc]
    finally:
        doc.close()


# --------------------------------------------------------------------------- degrading


def seal(diameter: int, text: str = "长治市教育局", rng: np.random.Generator | None = None
         ) -> Image.Image:
    """A round red seal (圆形公章) as an RGBA image: ring, five-pointed star, the body's
    name along the upper arc and 公章 below the star; ink a little uneven, as stamped."""
    big = diameter * 2  # drawn at twice the size, then scaled down (anti-aliasing)
    im = Image.new("L", (big, big), 0)
    d = ImageDraw.Draw(im)
    c = big / 2
    ring = big * 0.035
    d.ellipse([ring / 2, ring / 2, big - ring / 2, big - ring / 2], outline=255, width=int(ring))
    # star
    r_out, r_in = big * 0.16, big * 0.16 * 0.382
    pts = []
    for i in range(10):
        r = r_out if i % 2 == 0 else r_in
        a = -math.pi / 2 + i * math.pi / 5
        pts.append((c + r * math.cos(a), c + r * math.sin(a)))
    d.polygon(pts, fill=255)
    # name along the upper arc, each character turned to face the centre
    fsize = int(big * 0.12)
    f = font(fsize)
    n = len(text)
    span = math.radians(220)
    for i, ch in enumerate(text):
        a = -math.pi / 2 - span / 2 + span * (i + 0.5) / n
        r = big / 2 - ring - fsize * 0.75
        glyph = Image.new("L", (fsize * 2, fsize * 2), 0)
        ImageDraw.Draw(glyph).text((fsize, fsize), ch, font=f, fill=255, anchor="mm")
        glyph = glyph.rotate(-math.degrees(a) - 90, resample=Image.BICUBIC)
        x, y = c + r * math.cos(a), c + r * math.sin(a)
        im.paste(255, (int(x - fsize), int(y - fsize)), glyph)
    f2 = font(int(big * 0.09))
    d.text((c, c + big * 0.27), "公章", font=f2, fill=255, anchor="mm")
    im = im.resize((diameter, diameter), Image.LANCZOS)
    a = np.asarray(im, dtype=np.float32) / 255
    if rng is not None:  # uneven ink: some parts of the stamp print lighter
        blotch = rng.random((8, 8)).astype(np.float32)
        blotch = np.asarray(Image.fromarray((blotch * 255).astype(np.uint8)).resize(
            (diameter, diameter), Image.BICUBIC), dtype=np.float32) / 255
        a = a * (0.55 + 0.4 * blotch)
    rgba = np.zeros((diameter, diameter, 4), np.uint8)
    rgba[..., :3] = SEAL_RED
    rgba[..., 3] = (a * 255).clip(0, 255).astype(np.uint8)
    return Image.fromarray(rgba, "RGBA")


def stamp(page: Image.Image, centre: tuple[float, float], diameter: int,
          rng: np.random.Generator) -> None:
    """Stamp a seal on the page (multiplied, as ink on paper: black text stays black)."""
    s = seal(diameter, rng=rng).rotate(float(rng.uniform(-20, 20)), resample=Image.BICUBIC)
    x, y = int(centre[0] - diameter / 2), int(centre[1] - diameter / 2)
    region = page.crop((x, y, x + diameter, y + diameter))
    reg = np.asarray(region, dtype=np.float32)
    sa = np.asarray(s, dtype=np.float32)
    alpha = sa[..., 3:] / 255
    ink = sa[..., :3] / 255
    out = reg * (1 - alpha + alpha * ink)
    page.paste(Image.fromarray(out.clip(0, 255).astype(np.uint8)), (x, y))


def paper(size: tuple[int, int], colour: tuple[int, int, int], rng: np.random.Generator
          ) -> np.ndarray:
    """Paper of a colour with a slow, uneven tone (a float32 H×W×3 array, 0–255)."""
    w, h = size
    low = rng.normal(0, 1, (6, 8)).astype(np.float32)
    low = np.asarray(Image.fromarray(low, "F").resize((w, h), Image.BICUBIC), np.float32)
    tone = 1 + 0.025 * low
    return np.asarray(colour, np.float32)[None, None, :] * tone[..., None]


def degrade(page: Image.Image, dpi: int, angle: float, colour: tuple[int, int, int],
            rng: np.random.Generator, noise: float = 6.0, blur: float = 0.7) -> Image.Image:
    """A rendered page as it comes out of a scanner: ink on paper, turned, blurred, noisy."""
    ink = np.asarray(page, np.float32) / 255  # 1 where white
    pap = paper(page.size, colour, rng)
    # toner is not pure black: dark grey, a little uneven
    dark = np.float32(30 + rng.uniform(0, 15))
    img = pap * ink + dark * (1 - ink)
    im = Image.fromarray(img.clip(0, 255).astype(np.uint8))
    im = im.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=colour)
    im = im.filter(ImageFilter.GaussianBlur(blur * dpi / 200))
    a = np.asarray(im, np.float32)
    a = a + rng.normal(0, noise, a.shape[:2])[..., None].astype(np.float32)
    # dust: a few dark specks
    h, w = a.shape[:2]
    for _ in range(int(w * h / 60000)):
        y, x = int(rng.integers(0, h - 3)), int(rng.integers(0, w - 3))
        a[y:y + 2, x:x + 2] *= 0.35
    return Image.fromarray(a.clip(0, 255).astype(np.uint8))


def perspective(im: Image.Image, corners: list[tuple[float, float]], out_w: int, out_h: int
                ) -> Image.Image:
    """Map the page onto the quadrilateral ``corners`` (tl, tr, br, bl) of an out_w×out_h
    picture: a page photographed at an angle."""
    w, h = im.size
    src = [(0, 0), (w, 0), (w, h), (0, h)]
    # PIL wants the coefficients mapping output pixels to input pixels
    rows, rhs = [], []
    for (X, Y), (x, y) in zip(corners, src, strict=True):
        rows.append([X, Y, 1, 0, 0, 0, -x * X, -x * Y])
        rows.append([0, 0, 0, X, Y, 1, -y * X, -y * Y])
        rhs += [x, y]
    coeffs = np.linalg.solve(np.array(rows, float), np.array(rhs, float))
    return im.transform((out_w, out_h), Image.PERSPECTIVE, tuple(coeffs), Image.BICUBIC,
                        fillcolor=(70, 62, 55))


# --------------------------------------------------------------------------- writing


def save_jpeg(im: Image.Image, path: Path, dpi: int) -> None:
    im.save(path, "JPEG", quality=JPEG_QUALITY, dpi=(dpi, dpi), optimize=True)


def save_pdf(pages: list[Image.Image], path: Path, dpi: int) -> None:
    """An image-only PDF, one JPEG (q75) per page, with fixed dates."""
    pages[0].save(path, "PDF", save_all=True, append_images=pages[1:], resolution=dpi,
                  quality=JPEG_QUALITY, creationDate=PDF_DATE, modDate=PDF_DATE,
                  producer="make_scans.py", title="scan")


def grey(im: Image.Image) -> Image.Image:
    return im.convert("L")


def save_png(im: Image.Image, path: Path, dpi: int) -> None:
    """A grey PNG of 16 levels (4 bits a pixel), as scanners in "grey, small file" mode write
    (after their despeckle, a median filter, and background removal: paper to white)."""
    pal = Image.new("P", (1, 1))
    pal.putpalette([v for i in range(16) for v in (i * 17,) * 3])
    g = grey(im).filter(ImageFilter.MedianFilter(3))
    g = ImageOps.autocontrast(g, cutoff=(0.5, 30)).convert("RGB")  # background removal
    g = g.quantize(palette=pal, dither=Image.Dither.NONE)
    g.save(path, optimize=True, bits=4, dpi=(dpi, dpi))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=FIXTURES / "scans")
    args = ap.parse_args(argv)
    out: Path = args.out
    (out / "broken").mkdir(parents=True, exist_ok=True)
    manifest: dict[str, dict] = {}
    sample = FIXTURES / "sample.pdf"

    # --- sample at 200 dpi: image-only PDF and page 1 as JPEG
    rng = np.random.default_rng(200)
    pages = render(sample, 200)
    angles = [0.8, -1.2, 0.5]
    seals: dict[int, list[float]] = {}
    for i, p in enumerate(pages):
        if i in (0, 2):  # over the 公开时限 / 公开主体 / 渠道 cells, lower right
            cx, cy, dia = p.width * 0.76, p.height * (0.55 if i == 0 else 0.42), 330
            stamp(p, (cx, cy), dia, rng)
            seals[i + 1] = [round(cx), round(cy), dia]
    scans = [degrade(p, 200, a, GREY_PAPER, rng) for p, a in zip(pages, angles, strict=True)]
    save_pdf(scans, out / "sample_200dpi.pdf", 200)
    save_jpeg(scans[0], out / "sample_200dpi_p1.jpg", 200)
    manifest["sample_200dpi.pdf"] = {"source": "sample.pdf", "pages": [1, 2, 3], "dpi": 200,
                                     "angles": angles, "seals": seals, "format": "pdf/jpeg"}
    manifest["sample_200dpi_p1.jpg"] = {"source": "sample.pdf", "pages": [1], "dpi": 200,
                                        "angles": angles[:1], "seals": {1: seals[1]},
                                        "format": "jpeg"}

    # --- sample at 150 dpi: image-only PDF and page 1 as PNG (grey levels)
    rng = np.random.default_rng(150)
    pages = render(sample, 150)
    angles = [-0.6, 1.4, -1.0]
    p = pages[1]
    cx, cy, dia = p.width * 0.70, p.height * 0.48, 250
    stamp(p, (cx, cy), dia, rng)
    seals = {2: [round(cx), round(cy), dia]}
    scans = [degrade(p, 150, a, YELLOW_PAPER, rng) for p, a in zip(pages, angles, strict=True)]
    save_pdf(scans, out / "sample_150dpi.pdf", 150)
    save_png(scans[0], out / "sample_150dpi_p1.png", 150)
    manifest["sample_150dpi.pdf"] = {"source": "sample.pdf", "pages": [1, 2, 3], "dpi": 150,
                                     "angles": angles, "seals": seals, "format": "pdf/jpeg"}
    manifest["sample_150dpi_p1.png"] = {"source": "sample.pdf", "pages": [1], "dpi": 150,
                                        "angles": angles[:1], "seals": {},
                                        "format": "png (grey)"}

    # --- pagebreak page 1, JPEG with a seal
    rng = np.random.default_rng(7)
    p = render(FIXTURES / "pagebreak.pdf", 200)[0]
    cx, cy, dia = p.width * 0.62, p.height * 0.62, 320
    stamp(p, (cx, cy), dia, rng)
    save_jpeg(degrade(p, 200, -0.9, GREY_PAPER, rng), out / "pagebreak_200dpi.jpg", 200)
    manifest["pagebreak_200dpi.jpg"] = {"source": "pagebreak.pdf", "pages": [1], "dpi": 200,
                                        "angles": [-0.9],
                                        "seals": {1: [round(cx), round(cy), dia]},
                                        "format": "jpeg"}

    # --- levels page 2 (portrait; page 1 is the notes sheet), grey PNG
    rng = np.random.default_rng(8)
    p = render(FIXTURES / "levels.pdf", 150)[1]
    save_png(degrade(p, 150, 1.2, GREY_PAPER, rng, noise=3), out / "levels_150dpi.png", 150)
    manifest["levels_150dpi.png"] = {"source": "levels.pdf", "pages": [2], "dpi": 150,
                                     "angles": [1.2], "seals": {}, "format": "png (grey)"}

    # --- multi-page bilevel G4 TIFF
    rng = np.random.default_rng(4)
    angles = [0.7, -0.5, 1.1]
    tif = []
    for p, a in zip(render(sample, 200), angles, strict=True):
        g = grey(degrade(p, 200, a, (235, 235, 235), rng, noise=6))
        tif.append(g.point(lambda v: 255 if v > 150 else 0).convert("1"))
    tif[0].save(out / "sample_200dpi_g4.tif", save_all=True, append_images=tif[1:],
                compression="group4", dpi=(200, 200))
    manifest["sample_200dpi_g4.tif"] = {"source": "sample.pdf", "pages": [1, 2, 3], "dpi": 200,
                                        "angles": angles, "seals": {},
                                        "format": "tiff (1-bit, CCITT G4)"}

    # --- a phone photo of page 2: perspective, light falling off
    rng = np.random.default_rng(12)
    p = render(sample, 200)[1]
    p = degrade(p, 200, 0.0, (238, 236, 230), rng, noise=4, blur=0.5)
    W, H = 1600, 1150
    corners = [(70, 60), (1540, 95), (1565, 1095), (40, 1060)]
    ph = np.asarray(perspective(p, corners, W, H), np.float32)
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    light = 1.05 - 0.35 * ((xx / W) * 0.7 + (yy / H) * 0.5)  # dimmer to the lower right
    ph = ph * light[..., None] * np.array([1.0, 0.97, 0.9], np.float32)  # warm indoor light
    ph += rng.normal(0, 5, ph.shape[:2])[..., None].astype(np.float32)
    save_jpeg(Image.fromarray(ph.clip(0, 255).astype(np.uint8)), out / "sample_photo.jpg", 72)
    manifest["sample_photo.jpg"] = {"source": "sample.pdf", "pages": [2], "dpi": None,
                                    "corners": corners, "format": "jpeg (photo)"}

    # --- broken cases
    rng = np.random.default_rng(99)
    blank = degrade(Image.new("RGB", (1754, 1240), "white"), 150, 0.0, GREY_PAPER, rng, noise=4)
    save_jpeg(blank, out / "broken" / "blank.jpg", 150)
    Image.fromarray((rng.random((40, 60)) * 40 + 200).astype(np.uint8)).save(
        out / "broken" / "tiny.png")
    p = render(sample, 100)[0]
    blurred = degrade(p, 100, 0.4, GREY_PAPER, rng).filter(ImageFilter.GaussianBlur(5))
    save_jpeg(blurred, out / "broken" / "blurred.jpg", 100)
    note = Image.new("RGB", (1240, 1754), "white")
    d = ImageDraw.Draw(note)
    d.text((620, 180), "长治市教育局关于做好政务公开工作的通知", font=font(44), fill="black",
           anchor="mm")
    body = ("各县区教育局，局属各学校：为深入贯彻落实《中华人民共和国政府信息公开条例》，"
            "进一步做好政务公开工作，现将有关事项通知如下。一、提高认识，加强领导。二、"
            "突出重点，及时公开。三、完善制度，强化监督。请各单位认真贯彻执行。")
    f = font(30)
    line, y = "", 300
    for ch in body:
        if d.textlength(line + ch, font=f) > 1040:
            d.text((100, y), line, font=f, fill="black")
            line, y = "", y + 52
        line += ch
    d.text((100, y), line, font=f, fill="black")
    d.text((1100, y + 200), "长治市教育局", font=f, fill="black", anchor="rm")
    stamp(note, (1000, y + 200), 260, rng)
    save_jpeg(degrade(note, 150, 0.6, GREY_PAPER, rng), out / "broken" / "notable.jpg", 150)
    for name, what in [("blank.jpg", "an empty page"), ("tiny.png", "60x40 pixels"),
                       ("blurred.jpg", "sample page 1 at 100 dpi, blurred past reading"),
                       ("notable.jpg", "a notice: text and a seal, no table")]:
        manifest["broken/" + name] = {"what": what}

    (out / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
        encoding="utf-8")
    total = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    print(f"{out}: {len(manifest)} files, {total / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
