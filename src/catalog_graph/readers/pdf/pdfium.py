"""The PDFium engine: a page's characters, rulings and images read by Chrome's PDF engine.

pdfminer (under pdfplumber) interprets a page's content in Python, which is almost all of the
reader's time; PDFium (pypdfium2) does the same in C. This module gives, for one page, the
objects the later steps use, in pdfplumber's form and with pdfminer's geometry, so that
``tables``, ``grid``, ``cell_text``, ``stitch`` and ``title`` are shared by both engines:

- **characters** (``text``, ``fontname``, ``size``, ``x0``, ``x1``, ``top``, ``bottom``,
  ``matrix``) boxed as pdfminer boxes them: the advance width across, the font size up from
  the descent the font's descriptor gives (PDFium would use the font program's), placed at the
  origin PDFium computed; characters outside their clipping path dropped as :mod:`clip` does;
- **edges** of lines, rectangles and curves, classified as pdfminer classifies a painted
  path (a subpath ``m l`` is a line, ``m l l l h`` with square corners a rectangle, any other
  a curve) and cut into edges as pdfplumber cuts them;
- the number of drawing objects and images.

Before PDFium loads a page, its content is scanned (:func:`scan_content`): what pdfminer's
interpreter would count against the limits (content unpacked, path segments, characters) is
counted the same way, in the same order, so a page over a limit is skipped or a file refused
exactly as the pdfplumber engine does, before PDFium does any work. A page this engine cannot
read as pdfminer would (form XObjects, inline images, a rotated or offset page, horizontal
scaling or text rise, Type 3 or vertical fonts, a damaged stream, a string or array it does
not parse the same way) is left to the pdfplumber engine: :func:`page_objects` returns None
and leaves the file's budget as it found it.
"""

from __future__ import annotations

import ctypes
import re
from pathlib import Path
from typing import Any

from catalog_graph.readers.pdf.limits import FileBudget, FileTooBusy, PageBudget, PageTooBusy
from catalog_graph.readers.pdf.models import PageObjects


class Unsupported(Exception):
    """Something on the page this engine does not read as pdfminer would."""


class Document:
    """A PDF opened by PDFium (closed with :meth:`close`)."""

    def __init__(self, path: Path) -> None:
        import pypdfium2.raw as pdfium

        self.raw = pdfium
        self.handle = pdfium.FPDF_LoadDocument(str(path).encode("utf-8"), None)
        # a file PDFium cannot open is read by the pdfplumber engine, page by page

    def close(self) -> None:
        if self.handle:
            self.raw.FPDF_CloseDocument(self.handle)
            self.handle = None


def page_objects(doc: Document, page: Any, spent: FileBudget) -> PageObjects | None:
    """The characters, edges, drawings and images of ``page`` (a pdfplumber page, whose
    pdfminer objects give the content to scan), or None when the pdfplumber engine must read
    it. ``PageTooBusy``/``FileTooBusy`` as the pdfplumber engine raises them."""
    if not doc.handle:
        return None
    saved = (spent.segments, spent.chars, spent.content)
    try:
        _check_page(page)
        fonts = _font_descents(page.page_obj.resources)
        xobjects = _xobject_kinds(page.page_obj.resources)
        budget = PageBudget(spent)
        streams = list(page.page_obj.contents)
        unread = [getattr(s, "data", None) is None for s in _resolved(streams)]
        budget.add_streams(streams)
        resolved = _resolved(streams)
        if any(u and s.data is not None for u, s in zip(unread, resolved, strict=True)):
            raise Unsupported("a damaged stream, recovered as pdfminer recovers it")
        data = b"\n".join(s.get_data() for s in resolved)
        scan_content(data, budget, spent.settings.max_operands, xobjects)
        return _read_page(doc, page.page_number, page.height, fonts)
    except (PageTooBusy, FileTooBusy):
        raise  # as the pdfplumber engine raises it, at the same count
    except Exception:  # noqa: BLE001 - Unsupported, or anything the reference should judge
        spent.segments, spent.chars, spent.content = saved
        return None


def _resolved(streams: list[Any]) -> list[Any]:
    from pdfminer.pdftypes import PDFStream

    out = [s.resolve() if hasattr(s, "resolve") else s for s in streams]
    if not all(isinstance(s, PDFStream) for s in out):
        raise Unsupported("a content entry that is not a stream")
    return out


def _check_page(page: Any) -> None:
    obj = page.page_obj
    box = [float(v) for v in obj.mediabox]
    if box[0] != 0 or box[1] != 0 or box[2] <= 0 or box[3] <= 0:
        raise Unsupported("a media box not at the origin")
    if (page.rotation or 0) % 360:
        raise Unsupported("a rotated page")


def _font_descents(resources: dict[str, Any]) -> dict[str, float]:
    """Each font of the page by its name without subset prefix → its descent (a fraction of
    the font size) as pdfminer takes it: the descriptor's /Descent (of the descendant font
    for a Type 0 font), made negative."""
    from pdfminer.pdffont import FontMetricsDB
    from pdfminer.pdftypes import resolve1
    from pdfminer.psparser import PSLiteral

    def name(value: Any) -> str:
        value = resolve1(value)
        text = value.name if isinstance(value, PSLiteral) else value
        if isinstance(text, bytes):
            text = text.decode("latin-1")
        if not isinstance(text, str):
            raise Unsupported("a font without a name")
        return text.split("+", 1)[1] if len(text) > 7 and text[6] == "+" else text

    out: dict[str, float] = {}
    fonts = resolve1(resources.get("Font")) if resources else None
    for spec in (fonts or {}).values():
        spec = resolve1(spec)
        if not isinstance(spec, dict):
            raise Unsupported("a font that is not a dictionary")
        subtype = resolve1(spec.get("Subtype"))
        subtype = subtype.name if isinstance(subtype, PSLiteral) else subtype
        names = [name(spec.get("BaseFont"))]
        if subtype == "Type0":
            encoding = resolve1(spec.get("Encoding"))
            if not (isinstance(encoding, PSLiteral) and encoding.name == "Identity-H"):
                raise Unsupported("a Type 0 font not encoded Identity-H")
            descendants = resolve1(spec.get("DescendantFonts"))
            if not descendants:
                raise Unsupported("a Type 0 font without its descendant")
            spec = resolve1(descendants[0])
            if not isinstance(spec, dict):
                raise Unsupported("a damaged descendant font")
            names.append(name(spec.get("BaseFont")))
        elif subtype not in ("Type1", "TrueType", "MMType1"):
            raise Unsupported(f"a {subtype} font")
        else:
            base = resolve1(spec.get("BaseFont"))
            try:  # one of the standard 14: pdfminer takes its metrics from the AFM files
                descriptor = FontMetricsDB.get_metrics(base.name)[0]
            except (AttributeError, KeyError):
                descriptor = None
            if descriptor is None and not isinstance(resolve1(spec.get("Widths")), list):
                raise Unsupported("a simple font without widths (PDFium measures the glyphs)")
            if descriptor is not None:
                _add_descent(out, names, descriptor.get("Descent", 0))
                continue
        descriptor = resolve1(spec.get("FontDescriptor"))
        if not isinstance(descriptor, dict):
            raise Unsupported("a font without a descriptor (pdfminer uses its own metrics)")
        _add_descent(out, names, resolve1(descriptor.get("Descent", 0)))
    return out


def _add_descent(out: dict[str, float], names: list[str], descent: Any) -> None:
    if isinstance(descent, bool) or not isinstance(descent, (int, float)):
        raise Unsupported("a font descriptor without a numeric descent")
    descent = -descent if descent > 0 else descent
    for n in names:
        if out.setdefault(n, descent * 0.001) != descent * 0.001:
            raise Unsupported("two fonts of one name with different descents")


def _xobject_kinds(resources: dict[str, Any]) -> dict[str, str]:
    from pdfminer.pdftypes import resolve1
    from pdfminer.psparser import PSLiteral

    out: dict[str, str] = {}
    xobjects = resolve1(resources.get("XObject")) if resources else None
    for key, obj in (xobjects or {}).items():
        stream = resolve1(obj)
        subtype = resolve1(getattr(stream, "attrs", {}).get("Subtype"))
        out[key] = subtype.name if isinstance(subtype, PSLiteral) else str(subtype)
    return out


# ---- the content, scanned as pdfminer's interpreter would count it

_TOKEN = re.compile(rb"\((?:[^()\\]|\\.)*\)|<<|>>|<[0-9A-Fa-f\s]*>|%[^\r\n]*|"
                    rb"/[^\s()<>\[\]{}/%]*|[^\s()<>\[\]{}/%]+|[\[\]]|[()<>{}]", re.S)
_ESCAPE = re.compile(rb"\\(?:[0-7]{1,3}|\r\n|[\r\n]|.)", re.S)
_NUMERIC = frozenset(b"0123456789+-.")
_SEGMENT_OPS = {b"m", b"l", b"c", b"v", b"y", b"re"}
_SHOW_OPS = {b"TJ", b"Tj", b"'", b'"'}
_NARGS: dict[bytes, int] = {}


def _nargs() -> dict[bytes, int]:
    """Operands each operator takes, read off pdfminer's interpreter (an operator it does not
    know is not in the table, and pdfminer ignores it)."""
    if not _NARGS:
        from pdfminer.pdfinterp import PDFPageInterpreter

        for attr in dir(PDFPageInterpreter):
            if attr.startswith("do_"):
                op = attr[3:].replace("_a", "*").replace("_w", '"').replace("_q", "'")
                _NARGS[op.encode()] = getattr(PDFPageInterpreter, attr).__code__.co_argcount - 1
    return _NARGS


def _string_bytes(token: bytes) -> int:
    """Bytes a literal string ``(…)`` stands for."""
    body = token[1:-1]
    if b"\\" not in body:
        return len(body)
    return len(_ESCAPE.sub(lambda m: b"" if m.group()[1:2] in (b"\r", b"\n") else b"x", body))


def scan_content(data: bytes, budget: PageBudget, max_operands: int,
                 xobjects: dict[str, str]) -> None:
    """Count what pdfminer's interpreter would draw from ``data`` against ``budget``, in its
    order: a path segment for each ``m l c v y re`` run with its operands, a character for
    each byte shown (``TJ Tj ' "``). ``Unsupported`` for what this engine leaves to pdfminer."""
    nargs = _nargs()
    stack: list[Any] = []
    array: list[Any] | None = None
    depth = 0  # inside a dictionary (a marked-content property list)
    numeric = _NUMERIC
    for token in _TOKEN.findall(data):
        if token[0] in numeric and not depth:  # most tokens: an operand, a number
            if array is not None:
                array.append(None)
            else:
                if len(stack) >= max_operands:
                    del stack[0]
                stack.append(token)
            continue
        first = token[:1]
        if depth:
            if token == b"<<":
                depth += 1
            elif token == b">>":
                depth -= 1
                if not depth:
                    value: Any = None
                    if array is not None:
                        array.append(value)
                    else:
                        if len(stack) >= max_operands:
                            del stack[0]
                        stack.append(value)
            elif token in (b"(", b")"):
                raise Unsupported("a string with nested parentheses")
            continue
        if first == b"(":
            if len(token) < 2 or token[-1:] != b")":
                raise Unsupported("a string with nested parentheses")
            value = _string_bytes(token)
            value = ("s", value)
        elif first == b"<":
            if token == b"<<":
                depth = 1
                continue
            if token == b"<" or token[-1:] != b">":
                raise Unsupported("an unbalanced angle bracket")
            digits = len(re.sub(rb"\s", b"", token[1:-1]))
            value = ("s", (digits + 1) // 2)
        elif first == b"%":
            continue
        elif first == b"[":
            if array is not None:
                raise Unsupported("an array in an array")
            array = []
            continue
        elif first == b"]":
            if array is None:
                raise Unsupported("an unbalanced array")
            value, array = array, None
        elif first == b"/" or first in b"0123456789+-." or token in (b"true", b"false", b"null"):
            value = token
        elif first in b")>{}":
            raise Unsupported("a stray delimiter")
        else:  # an operator
            if array is not None:
                raise Unsupported("an operator inside an array")
            if token == b"BI" or token == b"ID":
                raise Unsupported("an inline image")
            n = nargs.get(token)
            if n is None:
                continue
            if n:
                if len(stack) < n:
                    stack.clear()
                    continue
                args = stack[-n:]
                del stack[-n:]
            else:
                args = []
            if token in _SEGMENT_OPS:
                budget.segment()
            elif token in _SHOW_OPS:
                shown = args[0] if token == b"TJ" else [args[-1]]
                if isinstance(shown, list):
                    budget.add_chars(sum(x[1] for x in shown if isinstance(x, tuple)))
            elif token == b"Do":
                kind = xobjects.get(args[0][1:].decode("latin-1")) if isinstance(args[0], bytes) else None
                if kind != "Image":
                    raise Unsupported("a form XObject")
            elif token == b"Tz":
                if args[0] not in (b"100", b"100.0"):
                    raise Unsupported("horizontal scaling")
            elif token == b"Ts":
                if args[0] not in (b"0", b"0.0"):
                    raise Unsupported("text rise")
            elif token in (b"d0", b"d1"):
                raise Unsupported("a glyph procedure")
            continue
        if array is not None:
            array.append(value)
        else:
            if len(stack) >= max_operands:
                del stack[0]
            stack.append(value)
    if array is not None or depth:
        raise Unsupported("an unclosed array or dictionary")


# ---- the page, read by PDFium

_OBJ_TEXT, _OBJ_PATH, _OBJ_IMAGE = 1, 2, 3
_SEG_LINE, _SEG_BEZIER, _SEG_MOVE = 0, 1, 2


def _read_page(doc: Document, number: int, height: float,
               descents: dict[str, float]) -> PageObjects:
    pdfium = doc.raw
    page = pdfium.FPDF_LoadPage(doc.handle, number - 1)
    if not page:
        raise Unsupported("a page PDFium cannot load")
    try:
        chars = _chars(pdfium, page, height, descents)
        edges, drawings, images = _drawings(pdfium, page, height)
    finally:
        pdfium.FPDF_ClosePage(page)
    return PageObjects(number, chars, drawings, images, lambda: edges)


def _chars(pdfium: Any, page: Any, height: float,
           descents: dict[str, float]) -> list[dict[str, Any]]:
    text_page = pdfium.FPDFText_LoadPage(page)
    if not text_page:
        raise Unsupported("a text layer PDFium cannot load")
    try:
        count = pdfium.FPDFText_CountChars(text_page)
        ox, oy = ctypes.c_double(), ctypes.c_double()
        box = pdfium.FS_RECTF()
        box_ref = ctypes.byref(box)
        ox_ref, oy_ref = ctypes.byref(ox), ctypes.byref(oy)
        objects: dict[int, tuple[Any, ...]] = {}
        fonts: dict[int, tuple[str, float, float]] = {}
        out: list[dict[str, Any]] = []
        get_object = _as_address(pdfium.FPDFText_GetTextObject)
        get_unicode = pdfium.FPDFText_GetUnicode
        get_origin = pdfium.FPDFText_GetCharOrigin
        get_box = pdfium.FPDFText_GetLooseCharBox
        for i in range(count):
            key = get_object(text_page, i)
            if not key:  # a space or line break PDFium made up
                continue
            info = objects.get(key)
            if info is None:
                obj = pdfium.FPDFText_GetTextObject(text_page, i)
                info = objects[key] = _text_object(pdfium, text_page, i, obj, fonts, descents)
            code = get_unicode(text_page, i)
            if code == 0 or 0xD800 <= code <= 0xDFFF or code == 0xFFFE:
                raise Unsupported("a character without a Unicode mapping")
            get_origin(text_page, i, ox_ref, oy_ref)
            get_box(text_page, i, box_ref)
            a, b, c, d, fontname, size, descent, clip, span = info
            if abs(b) < 1e-9 and abs(c) < 1e-9:
                adv = (box.right - box.left) / abs(a) if a else 0.0
            elif abs(a) < 1e-9 and abs(d) < 1e-9:
                adv = (box.top - box.bottom) / abs(b)
            else:  # slanted (a watermark, set aside later): near enough
                adv = max(0.0, (box.right - box.left) - abs(c) * span) / abs(a) if a else 0.0
            x, y = ox.value, oy.value
            low = descent * size
            x0, y0 = x + c * low, y + d * low
            x1, y1 = x + a * adv + c * (low + size), y + b * adv + d * (low + size)
            if x1 < x0:
                x0, x1 = x1, x0
            if y1 < y0:
                y0, y1 = y1, y0
            if clip is not None and not (clip[0] <= (x0 + x1) / 2 <= clip[2]
                                         and clip[1] <= (y0 + y1) / 2 <= clip[3]):
                continue
            out.append({"text": chr(code), "fontname": fontname, "size": y1 - y0,
                        "x0": x0, "x1": x1, "top": height - y1, "bottom": height - y0,
                        "matrix": (a, b, c, d, x, y), "upright": a * d > 0 and b * c <= 0})
        return out
    finally:
        pdfium.FPDFText_ClosePage(text_page)


def _as_address(function: Any) -> Any:
    """The PDFium function, returning its object as an address (an int) to key a cache by."""
    proto = ctypes.CFUNCTYPE(ctypes.c_void_p, *function.argtypes)
    return proto(ctypes.cast(function, ctypes.c_void_p).value)


def _text_object(pdfium: Any, text_page: Any, index: int, obj: Any,
                 fonts: dict[int, tuple[str, float, float]],
                 descents: dict[str, float]) -> tuple[Any, ...]:
    """A text object's matrix, font name, size, descent, clipping box and font height."""
    matrix = pdfium.FS_MATRIX()
    if not pdfium.FPDFText_GetMatrix(text_page, index, ctypes.byref(matrix)):
        raise Unsupported("a character without a matrix")
    size = ctypes.c_float()
    if not pdfium.FPDFTextObj_GetFontSize(obj, ctypes.byref(size)):
        raise Unsupported("a text object without a font size")
    font = pdfium.FPDFTextObj_GetFont(obj)
    if not font:
        raise Unsupported("a text object without a font")
    key = ctypes.cast(font, ctypes.c_void_p).value or 0
    if key not in fonts:
        length = pdfium.FPDFFont_GetBaseFontName(font, None, 0)
        buffer = ctypes.create_string_buffer(max(length, 1))
        pdfium.FPDFFont_GetBaseFontName(font, buffer, length)
        name = buffer.value.decode("utf-8", "replace")
        name = name.split("+", 1)[1] if len(name) > 7 and name[6] == "+" else name
        if name not in descents:
            raise Unsupported(f"a font ({name}) not among the page's resources")
        ascent, descent = ctypes.c_float(), ctypes.c_float()
        pdfium.FPDFFont_GetAscent(font, ctypes.c_float(1.0), ctypes.byref(ascent))
        pdfium.FPDFFont_GetDescent(font, ctypes.c_float(1.0), ctypes.byref(descent))
        fonts[key] = (name, descents[name], ascent.value - descent.value)
    name, descent, span = fonts[key]
    return (matrix.a, matrix.b, matrix.c, matrix.d, name, size.value, descent,
            _clip_box(pdfium, obj), span * size.value)


def _clip_box(pdfium: Any, obj: Any) -> tuple[float, float, float, float] | None:
    """The bounding box of the object's clipping path (the intersection of its paths'
    boxes), None when it has none."""
    clip = pdfium.FPDFPageObj_GetClipPath(obj)
    if not clip:
        return None
    box: tuple[float, float, float, float] | None = None
    x, y = ctypes.c_float(), ctypes.c_float()
    for k in range(pdfium.FPDFClipPath_CountPaths(clip)):
        xs: list[float] = []
        ys: list[float] = []
        for s in range(pdfium.FPDFClipPath_CountPathSegments(clip, k)):
            segment = pdfium.FPDFClipPath_GetPathSegment(clip, k, s)
            if segment and pdfium.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y)):
                xs.append(x.value)
                ys.append(y.value)
        if not xs:
            continue
        path = (min(xs), min(ys), max(xs), max(ys))
        box = path if box is None else (max(box[0], path[0]), max(box[1], path[1]),
                                        min(box[2], path[2]), min(box[3], path[3]))
    return box


def _drawings(pdfium: Any, page: Any, height: float
              ) -> tuple[list[dict[str, Any]], int, int]:
    """The page's edges (as pdfplumber makes them: lines', then rectangles', then curves'),
    its drawing objects and its images."""
    lines: list[dict[str, Any]] = []
    rects: list[dict[str, Any]] = []
    curves: list[dict[str, Any]] = []
    images = 0
    matrix = pdfium.FS_MATRIX()
    x, y = ctypes.c_float(), ctypes.c_float()
    for i in range(pdfium.FPDFPage_CountObjects(page)):
        obj = pdfium.FPDFPage_GetObject(page, i)
        kind = pdfium.FPDFPageObj_GetType(obj)
        if kind == _OBJ_IMAGE:
            images += 1
            continue
        if kind != _OBJ_PATH:
            if kind != _OBJ_TEXT:
                raise Unsupported("a page object other than text, path or image")
            continue
        pdfium.FPDFPageObj_GetMatrix(obj, ctypes.byref(matrix))
        a, b, c, d, e, f = matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f
        ops: list[str] = []
        pts: list[tuple[float, float]] = []
        for s in range(pdfium.FPDFPath_CountSegments(obj)):
            segment = pdfium.FPDFPath_GetPathSegment(obj, s)
            pdfium.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y))
            kind = pdfium.FPDFPathSegment_GetType(segment)
            px, py = x.value, y.value
            point = (a * px + c * py + e, b * px + d * py + f)
            if kind == _SEG_MOVE:
                ops.append("m")
            elif kind == _SEG_LINE:
                ops.append("l")
            elif kind == _SEG_BEZIER:
                ops.append("b")  # three points for one pdfminer 'c': the last one counts
            else:
                raise Unsupported("a path segment of unknown type")
            pts.append(point)
            if pdfium.FPDFPathSegment_GetClose(segment):
                ops.append("h")
                pts.append(point)
        _paint(ops, pts, height, lines, rects, curves)
    edges = [_line_edge(obj) for obj in lines]
    for rect in rects:
        edges.extend(_rect_edges(rect))
    for curve in curves:
        edges.extend(_curve_edges(curve, height))
    return edges, len(lines) + len(rects) + len(curves), images


def _paint(ops: list[str], pts: list[tuple[float, float]], height: float,
           lines: list[dict[str, Any]], rects: list[dict[str, Any]],
           curves: list[dict[str, Any]]) -> None:
    """pdfminer's ``paint_path``: each subpath a line, a rectangle or a curve."""
    # PDFium's points → pdfminer's path: a Bézier's three points make one 'c' (its end
    # point), a closing point marks 'h' (back at the subpath's start: pdfminer's 'l' to the
    # start followed by 'h' is dropped to 'h' alone, as PDFium keeps it)
    shape: list[str] = []
    points: list[tuple[float, float]] = []
    k = 0
    while k < len(ops):
        op = ops[k]
        if op == "b":
            if ops[k + 1:k + 3] != ["b", "b"]:
                raise Unsupported("a Bézier curve without its three points")
            shape.append("c")
            points.append(pts[k + 2])
            k += 3
            continue
        if op == "h":
            start = next(i for i in range(len(shape) - 1, -1, -1) if shape[i] == "m")
            if shape[-1] == "l" and len(shape) - start > 2 and points[-1] == points[start]:
                shape.pop()
                points.pop()
            shape.append("h")
            points.append(points[start])
            k += 1
            continue
        shape.append(op)
        points.append(pts[k])
        k += 1
    text = "".join(shape)
    for m in re.finditer(r"m[^m]+", text):
        sub, spts = text[m.start():m.end()], points[m.start():m.end()]
        if sub in ("ml", "mlh"):
            (x0, y0), (x1, y1) = spts[0], spts[1]
            lines.append(_box("line", min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1), height))
        elif sub in ("mlllh", "mllll"):
            (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = spts
            square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
                y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
            if spts[0] == spts[4] and square:
                rects.append(_box("rect", min(x0, x2), min(y0, y2), max(x0, x2), max(y0, y2), height))
            else:
                curves.append({"pts": spts})
        else:
            curves.append({"pts": spts})


def _box(kind: str, x0: float, y0: float, x1: float, y1: float, height: float) -> dict[str, Any]:
    return {"object_type": kind, "x0": x0, "x1": x1, "y0": y0, "y1": y1,
            "top": height - y1, "bottom": height - y0, "width": x1 - x0, "height": y1 - y0}


def _line_edge(line: dict[str, Any]) -> dict[str, Any]:
    edge = dict(line)
    edge["orientation"] = "h" if line["top"] == line["bottom"] else "v"
    return edge


def _rect_edges(rect: dict[str, Any]) -> list[dict[str, Any]]:
    top, bottom, left, right = (dict(rect) for _ in range(4))
    top.update({"object_type": "rect_edge", "height": 0, "y0": rect["y1"],
                "bottom": rect["top"], "orientation": "h"})
    bottom.update({"object_type": "rect_edge", "height": 0, "y1": rect["y0"],
                   "top": rect["top"] + rect["height"], "orientation": "h"})
    left.update({"object_type": "rect_edge", "width": 0, "x1": rect["x0"], "orientation": "v"})
    right.update({"object_type": "rect_edge", "width": 0, "x0": rect["x1"], "orientation": "v"})
    return [top, bottom, left, right]


def _curve_edges(curve: dict[str, Any], height: float) -> list[dict[str, Any]]:
    pts = [(x, height - y) for x, y in curve["pts"]]
    return [{"object_type": "curve_edge", "x0": min(p0[0], p1[0]), "x1": max(p0[0], p1[0]),
             "top": min(p0[1], p1[1]), "bottom": max(p0[1], p1[1]),
             "width": abs(p0[0] - p1[0]), "height": abs(p0[1] - p1[1]),
             "orientation": "v" if p0[0] == p1[0] else ("h" if p0[1] == p1[1] else None)}
            for p0, p1 in zip(pts, pts[1:], strict=False)]
