"""Make the hostile corpus in tests/hostile: broken and malicious inputs in every format.

Each file is made from scratch (zip parts, PDF objects and bytes written by hand, nothing
borrowed from the other fixtures), so it holds exactly the hazard it is named for and a rerun
gives the same bytes (fixed zip times, seeded random bytes, fixed PDF IDs). The corpus and
what each file must give is listed in tests/hostile/README.md; tests/test_hostile.py holds
the same table as data and checks it.

The files too big to commit (a 发文字号 of 100,000 characters, a table of 50,000 rows, cells
of megabytes, files over the size limits) are made at test time by the ``make_*`` functions
below, which the tests import.

Usage::

    python tools/make_hostile.py            # the corpus into tests/hostile
    python tools/make_hostile.py DIR        # … into DIR
"""

from __future__ import annotations

import hashlib
import io
import random
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

REPO = Path(__file__).resolve().parent.parent
HOSTILE = REPO / "tests" / "hostile"
FIXED_TIME = (2024, 1, 1, 0, 0, 0)

# --------------------------------------------------------------------------- a small catalog

TITLE = "某县交通运输局主动公开事项目录"
HEADER = [
    ["序号", "公开事项", "", "公开内容（要素）", "公开依据", "公开时限", "公开主体", "公开渠道和载体",
     "公开对象", "", "公开方式"],
    ["", "一级事项", "二级事项", "", "", "", "", "", "全社会", "特定群众", ""],
]
ROWS = [
    ["1", "机构职能", "机构信息", "机构名称、办公地址、办公时间、联系方式",
     "《中华人民共和国政府信息公开条例》第二十条“（一）行政法规、规章和规范性文件”",
     "信息形成或者变更之日起20个工作日内", "县交通运输局", "■政府网站 ■政务新媒体", "✓", "", "主动"],
    ["2", "政策文件", "规范性文件", "本机关制定的规范性文件",
     "《国务院办公厅关于印发2022年政务公开工作要点的通知》（国办发〔2022〕8号）",
     "实时更新", "县交通运输局", "■政府网站", "✓", "", "主动"],
    ["3", "行政许可", "道路运输许可", "许可事项、依据、条件、程序、结果",
     "《重大行政决策程序暂行条例》（国务院令第713号）第十二条", "每年1月31日前", "县交通运输局",
     "政府网站、公告栏", "✓", "✓", "主动"],
]
NCOLS = len(HEADER[0])


def catalog_rows(rows: Sequence[Sequence[str]] = ROWS, title: str | None = TITLE) -> list[list[str]]:
    """The catalog as rows of cell texts: a title row, the two-row header, the data rows."""
    head = [[title] + [""] * (NCOLS - 1)] if title else []
    return head + [list(r) for r in HEADER] + [list(r) for r in rows]


def tsv(rows: Sequence[Sequence[str]]) -> str:
    """Rows as tab-separated lines, as a clerk pastes them (no quoting)."""
    return "".join("\t".join(r).rstrip("\t") + "\n" for r in rows)


def seeded(name: str, size: int) -> bytes:
    """``size`` random bytes, the same on every run for the same ``name``."""
    return random.Random(name).randbytes(size)


# --------------------------------------------------------------------------- zip parts


def zip_bytes(parts: Sequence[tuple[str, bytes]], level: int = 9) -> bytes:
    """A zip archive of ``parts`` (name, bytes), deflated, with fixed times."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        for name, data in parts:
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data, compresslevel=level)
    return buf.getvalue()


def zip_streamed(name: str, chunks: Callable[[], Sequence[bytes] | object], other: Sequence[tuple[str, bytes]]
                 ) -> bytes:
    """A zip archive whose part ``name`` is written from an iterable of chunks (a part of
    hundreds of MB never held in memory), then the ``other`` parts."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for part, data in other:
            info = zipfile.ZipInfo(part, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
        info = zipfile.ZipInfo(name, FIXED_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        with zf.open(info, "w", force_zip64=True) as fh:
            for chunk in chunks():  # type: ignore[attr-defined]
                fh.write(chunk)
    return buf.getvalue()


CONTENT_TYPES_XLSX = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    b'</Types>'
)
ROOT_RELS_XLSX = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    b'</Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="目录" sheetId="1" r:id="rId1"/></sheets></workbook>'
).encode()
WORKBOOK_NO_SHEETS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>'
)
WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    b'</Relationships>'
)
SHEET_OPEN = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
SHEET_CLOSE = b"</sheetData></worksheet>"
EMPTY_SST = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>')


def column_name(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    name = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        name = chr(65 + rem) + name
    return name


def sheet_row(r: int, texts: Sequence[str]) -> bytes:
    """One <row> of inline-string cells (row ``r`` counts from 1)."""
    cells = "".join(f'<c r="{column_name(c)}{r}" t="inlineStr"><is><t xml:space="preserve">'
                    f"{escape(t)}</t></is></c>" for c, t in enumerate(texts) if t)
    return f'<row r="{r}">{cells}</row>'.encode()


def sheet_xml(rows: Sequence[Sequence[str]], merges: Sequence[str] = ()) -> bytes:
    body = b"".join(sheet_row(i + 1, row) for i, row in enumerate(rows))
    merged = b""
    if merges:
        merged = (f'<mergeCells count="{len(merges)}">'.encode()
                  + b"".join(f'<mergeCell ref="{m}"/>'.encode() for m in merges) + b"</mergeCells>")
    return SHEET_OPEN + body + b"</sheetData>" + merged + b"</worksheet>"


def xlsx_parts(sheet: bytes, shared: bytes = EMPTY_SST, workbook: bytes = WORKBOOK
               ) -> list[tuple[str, bytes]]:
    return [("[Content_Types].xml", CONTENT_TYPES_XLSX), ("_rels/.rels", ROOT_RELS_XLSX),
            ("xl/workbook.xml", workbook), ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
            ("xl/worksheets/sheet1.xml", sheet), ("xl/sharedStrings.xml", shared)]


def xlsx(rows: Sequence[Sequence[str]], merges: Sequence[str] = ()) -> bytes:
    """A minimal workbook of one sheet holding ``rows`` as inline strings."""
    return zip_bytes(xlsx_parts(sheet_xml(rows, merges)))


CONTENT_TYPES_DOCX = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    b'</Types>'
)
ROOT_RELS_DOCX = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    b'</Relationships>'
)
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOC_OPEN = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:document xmlns:w="{W_NS}"><w:body>').encode()
DOC_CLOSE = b"</w:body></w:document>"


def w_paragraph(text: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def w_table(rows: Sequence[Sequence[str]], row_props: str = "") -> str:
    """A Word table; ``row_props`` goes into every row's <w:trPr>."""
    trs = []
    for row in rows:
        tcs = "".join(f"<w:tc>{w_paragraph(t)}</w:tc>" for t in row)
        props = f"<w:trPr>{row_props}</w:trPr>" if row_props else ""
        trs.append(f"<w:tr>{props}{tcs}</w:tr>")
    return "<w:tbl>" + "".join(trs) + "</w:tbl>"


def docx(body: str | bytes, prolog: bytes = b"") -> bytes:
    """A minimal Word document whose <w:body> holds ``body`` (``prolog`` goes before the root:
    a DOCTYPE)."""
    data = body.encode() if isinstance(body, str) else body
    document = DOC_OPEN + data + DOC_CLOSE
    if prolog:
        head, rest = document.split(b"\n", 1)
        document = head + b"\n" + prolog + rest
    return zip_bytes([("[Content_Types].xml", CONTENT_TYPES_DOCX), ("_rels/.rels", ROOT_RELS_DOCX),
                      ("word/document.xml", document)])


def catalog_docx(rows: Sequence[Sequence[str]] = ROWS, row_props: str = "") -> bytes:
    return docx(w_paragraph(TITLE) + w_table(catalog_rows(rows, None), row_props))


# --------------------------------------------------------------------------- html


def html_table(rows: Sequence[Sequence[str]], cell: Callable[[int, int, str], str] | None = None
               ) -> str:
    """An HTML table of escaped cell texts; ``cell(r, c, text)`` may give a cell's markup."""
    out = []
    for r, row in enumerate(rows):
        tds = "".join(cell(r, c, t) if cell else f"<td>{escape(t)}</td>" for c, t in enumerate(row))
        out.append(f"<tr>{tds}</tr>")
    return "<table>" + "".join(out) + "</table>"


def html_page(body: str, head: str = '<meta charset="utf-8">') -> str:
    return f"<!DOCTYPE html>\n<html><head>{head}<title>{TITLE}</title></head><body><h1>{TITLE}</h1>{body}</body></html>\n"


def catalog_html(cell: Callable[[int, int, str], str] | None = None,
                 head: str = '<meta charset="utf-8">', rows: Sequence[Sequence[str]] = ROWS) -> str:
    return html_page(html_table(catalog_rows(rows, None), cell), head)


# --------------------------------------------------------------------------- pdf


def pdf_bytes(objects: Sequence[bytes], root: int = 1, trailer: bytes = b"") -> bytes:
    """A PDF of ``objects`` (numbered from 1) with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += (b"trailer\n<< /Size %d /Root %d 0 R " % (len(objects) + 1, root) + trailer
            + b">>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return bytes(out)


def stream(data: bytes, extra: bytes = b"", compress: bool = False) -> bytes:
    if compress:
        data = zlib.compress(data, 9)
        extra += b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def one_page_pdf(content: bytes, resources: bytes = b"<< /Font << /F1 4 0 R >> >>",
                 extra: Sequence[bytes] = (), compress: bool = False) -> bytes:
    """A one-page A4 PDF drawing ``content`` (objects 1 catalog, 2 pages, 3 page, 4 Helvetica,
    5 content, then ``extra`` from 6)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources " + resources
        + b" /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        stream(content, compress=compress),
        *extra,
    ]
    return pdf_bytes(objects)


TEXT_PAGE = (b"BT /F1 14 Tf 72 760 Td (Public information catalog) Tj ET\n"
             b"BT /F1 10 Tf 72 730 Td (This notice has no table: the catalog is on the web site.) Tj ET\n")

PAD = bytes.fromhex("28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a")


def rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def encrypted_pdf(user: bytes = b"secret", owner: bytes = b"owner") -> bytes:
    """A one-page PDF encrypted with the standard security handler (RC4 40-bit, revision 2)
    and a user password: a reader must ask for it."""
    doc_id = hashlib.md5(b"catalog-graph hostile").digest()
    o_key = hashlib.md5((owner + PAD)[:32]).digest()[:5]
    o_value = rc4(o_key, (user + PAD)[:32])
    permissions = -44
    key = hashlib.md5((user + PAD)[:32] + o_value + struct.pack("<i", permissions) + doc_id).digest()[:5]
    u_value = rc4(key, PAD)

    def object_key(number: int) -> bytes:
        return hashlib.md5(key + number.to_bytes(3, "little") + b"\0\0").digest()[:10]

    content = rc4(object_key(5), TEXT_PAGE)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        stream(content),
        b"<< /Filter /Standard /V 1 /R 2 /O <" + o_value.hex().encode() + b"> /U <"
        + u_value.hex().encode() + b"> /P %d >>" % permissions,
    ]
    trailer = b"/Encrypt 6 0 R /ID [<" + doc_id.hex().encode() + b"> <" + doc_id.hex().encode() + b">] "
    return pdf_bytes(objects, trailer=trailer)


def image_only_pdf() -> bytes:
    """A scan: one page showing a grey image, no text at all."""
    pixels = bytes((x * 7 + y * 13) % 256 for y in range(64) for x in range(64))
    image = stream(pixels, b" /Type /XObject /Subtype /Image /Width 64 /Height 64 "
                           b"/ColorSpace /DeviceGray /BitsPerComponent 8", compress=True)
    return one_page_pdf(b"q 500 0 0 700 48 71 cm /Im1 Do Q\n",
                        resources=b"<< /XObject << /Im1 6 0 R >> >>", extra=[image])


def no_pages_pdf() -> bytes:
    return pdf_bytes([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])


def page_loop_pdf() -> bytes:
    """A page tree that contains itself."""
    return pdf_bytes([b"<< /Type /Catalog /Pages 2 0 R >>",
                      b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
                      b"<< /Type /Pages /Parent 2 0 R /Kids [3 0 R 2 0 R] /Count 2 >>"])


def flate_bomb_pdf(megabytes: int = 256) -> bytes:
    """A page whose content stream is ~1 MB compressed and ``megabytes`` unpacked (drawing
    operators, so that a reader that unpacks it also has millions of paths to lay out)."""
    unit = b"0 0 m 1 1 l S\n" * 4096
    packer = zlib.compressobj(9)
    parts = [packer.compress(unit) for _ in range(megabytes * 1024 * 1024 // len(unit))]
    parts.append(packer.flush())
    data = b"".join(parts)
    return pdf_bytes([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
    ])


def drawing_storm_pdf(count: int = 61_000, fill_each: bool = False) -> bytes:
    """A page of one line of text and a hatched background of ``count`` tiny rectangles,
    filled as one path (or each on its own with ``fill_each``)."""
    paint = b" f\n" if fill_each else b"\n"
    rects = b"".join(b"%d %d 2 2 re" % (30 + (i % 260) * 2, 40 + (i // 260) * 4) + paint
                     for i in range(count))
    return one_page_pdf(TEXT_PAGE + rects + (b"" if fill_each else b"f\n"), compress=True)


# --------------------------------------------------------------------------- the corpus

# A MiB of rows (paragraphs) of "炸弹" cells padded with the blanks XML allows between elements:
# it packs about 1000:1, as the worst zip bombs do.
_ROW = b'<row><c t="inlineStr"><is><t>\xe7\x82\xb8\xe5\xbc\xb9</t></is></c></row>'
BOMB_ROWS = ((_ROW + b" " * (8192 - len(_ROW))) * 128)
_PARAGRAPH = ('<w:p><w:r><w:t>炸弹</w:t></w:r></w:p>').encode()
BOMB_PARAGRAPHS = ((_PARAGRAPH + b" " * (8192 - len(_PARAGRAPH))) * 128)



def corpus() -> dict[str, bytes]:
    """Every hostile file of tests/hostile, by name."""
    files: dict[str, bytes] = {}
    base_tsv = tsv(catalog_rows())

    # ---- text
    files["empty.txt"] = b""
    files["blank.tsv"] = b"\xef\xbb\xbf  \r\n\t\r\n   \n"
    files["junk.txt"] = seeded("junk.txt", 8192)
    files["png_named.txt"] = b"\x89PNG\r\n\x1a\n" + seeded("png", 4000)
    files["mixed_encoding.txt"] = (tsv(catalog_rows(ROWS[:1])).encode("utf-8")
                                   + tsv(ROWS[1:]).encode("gb18030"))
    files["control_chars.txt"] = base_tsv.replace(
        "机构信息", "机构\u200b信\u200d息\x01").replace(
        "县交通运输局", "\u202e县交通\u2066运输局\u2069\x7f\ufeff").replace(
        "实时更新", "实时\u00ad更新\x08").encode("utf-8")
    files["stray_quote.tsv"] = base_tsv.replace(
        "机构名称、办公地址", '"机构名称、办公地址').replace(
        "本机关制定的规范性文件", '"放管服"改革中制定的规范性文件').encode("utf-8")
    files["utf16_no_bom.txt"] = base_tsv.encode("utf-16-le")
    files["cr_only.txt"] = base_tsv.replace("\n", "\r").encode("gb18030")
    files["wide_row.tsv"] = (base_tsv + "\t" * 100_000 + "多余的单元格\n").encode("utf-8")
    files["one_column.txt"] = "".join(f"第{i}行说明文字，没有表格。\n" for i in range(2000)).encode()
    files["pdf_named.tsv"] = one_page_pdf(TEXT_PAGE)

    # ---- pdf
    files["empty.pdf"] = b""
    files["junk.pdf"] = b"%PDF-1.4\n" + seeded("junk.pdf", 6000) + b"\n%%EOF\n"
    text_pdf = one_page_pdf(TEXT_PAGE)
    files["no_table.pdf"] = text_pdf
    files["truncated.pdf"] = text_pdf[: len(text_pdf) * 6 // 10]
    files["encrypted.pdf"] = encrypted_pdf()
    files["image_only.pdf"] = image_only_pdf()
    files["no_pages.pdf"] = no_pages_pdf()
    files["page_loop.pdf"] = page_loop_pdf()
    files["flate_bomb.pdf"] = flate_bomb_pdf()
    files["drawing_storm.pdf"] = drawing_storm_pdf()
    files["operand_pile.pdf"] = one_page_pdf(  # 100,000 operands no operator takes
        TEXT_PAGE + b"1 " * 100_000 + b"10 10 m 20 20 l S\n" * 5000, compress=True)
    files["text_named.pdf"] = base_tsv.encode("utf-8")

    # ---- xlsx
    good_xlsx = xlsx(catalog_rows())
    files["empty.xlsx"] = b""
    files["truncated.xlsx"] = good_xlsx[: len(good_xlsx) * 7 // 10]
    files["bomb.xlsx"] = zip_streamed(  # 256 MiB of cells and the blanks between them
        "xl/worksheets/sheet1.xml",
        lambda: [SHEET_OPEN] + [BOMB_ROWS] * 256 + [SHEET_CLOSE],
        [p for p in xlsx_parts(b"") if p[0] != "xl/worksheets/sheet1.xml"])
    files["bomb_parts.xlsx"] = zip_bytes(
        xlsx_parts(sheet_xml(catalog_rows()))
        + [(f"xl/media/pad{i:04d}.bin", b"\0" * 1_000_000) for i in range(600)])
    files["bomb_lying.xlsx"] = lying_sizes(
        zip_streamed("xl/worksheets/sheet1.xml",
                     lambda: [SHEET_OPEN] + [BOMB_ROWS] * 64 + [SHEET_CLOSE],
                     [p for p in xlsx_parts(b"") if p[0] != "xl/worksheets/sheet1.xml"]),
        "xl/worksheets/sheet1.xml", 900_000)
    laughs = (b'<?xml version="1.0"?>\n<!DOCTYPE sst [\n<!ENTITY a0 "ha">\n'
              + b"".join(b'<!ENTITY a%d "&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;">\n'
                         % ((i,) + (i - 1,) * 10) for i in range(1, 10))
              + b']>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                b'count="1" uniqueCount="1"><si><t>&a9;</t></si></sst>')
    laugh_rows = catalog_rows()
    files["laughs.xlsx"] = zip_bytes(xlsx_parts(
        sheet_xml(laugh_rows[:-1]).replace(b"</sheetData>", b'<row r="%d"><c r="A%d" t="s"><v>0</v></c>'
                                           b'<c r="B%d" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
                                           % ((len(laugh_rows),) * 3)), shared=laughs))
    xxe = (b'<?xml version="1.0"?>\n<!DOCTYPE sst [<!ENTITY x SYSTEM "file:///etc/hostname">]>\n'
           b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
           b'uniqueCount="1"><si><t>&x;</t></si></sst>')
    xxe_rows = catalog_rows()
    files["xxe.xlsx"] = zip_bytes(xlsx_parts(
        sheet_xml(xxe_rows).replace(b"</sheetData>", b'<row r="%d"><c r="A%d" t="s"><v>0</v></c>'
                                    b'<c r="B%d" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
                                    % ((len(xxe_rows) + 1,) * 3)), shared=xxe))
    storm_rows = catalog_rows(ROWS * 150)
    files["merge_storm.xlsx"] = xlsx(  # 20,000 overlapping ranges, each over most of the sheet
        storm_rows, [f"A{5 + k % 50}:{column_name(199)}{len(storm_rows)}" for k in range(20_000)])
    files["zip_version.xlsx"] = needs_version(good_xlsx, 115)
    files["no_sheets.xlsx"] = zip_bytes([p if p[0] != "xl/workbook.xml" else (p[0], WORKBOOK_NO_SHEETS)
                                         for p in xlsx_parts(sheet_xml(catalog_rows()))])
    files["html_named.xlsx"] = catalog_html().encode("utf-8")

    # ---- docx
    files["empty.docx"] = b""
    good_docx = catalog_docx()
    files["truncated.docx"] = good_docx[: len(good_docx) * 7 // 10]
    files["bomb.docx"] = zip_streamed(
        "word/document.xml",
        lambda: [DOC_OPEN] + [BOMB_PARAGRAPHS] * 256 + [DOC_CLOSE],
        [("[Content_Types].xml", CONTENT_TYPES_DOCX), ("_rels/.rels", ROOT_RELS_DOCX)])
    files["grid_before.docx"] = catalog_docx(row_props='<w:gridBefore w:val="2000000000"/>')
    deep = "<w:tbl><w:tr><w:tc>" * 3000 + w_paragraph("深") + "</w:tc></w:tr></w:tbl>" * 3000
    files["deep_tables.docx"] = docx(w_paragraph(TITLE) + w_table(catalog_rows(ROWS[:1], None))
                                     + deep)
    files["laughs.docx"] = docx(w_paragraph(TITLE) + w_table(catalog_rows(ROWS, None))
                                + "<w:p><w:r><w:t>&a9;</w:t></w:r></w:p>",
                                prolog=laughs.split(b"\n", 1)[1].split(b"]>")[0].replace(
                                    b"<!DOCTYPE sst", b"<!DOCTYPE w:document") + b"]>\n")
    files["xlsx_named.docx"] = good_xlsx

    # ---- html
    files["empty.html"] = b""
    files["junk.html"] = seeded("junk.html", 6000)
    deep_cell = "<div>" * 20_000 + "深层嵌套的公开内容" + "</div>" * 20_000
    files["deep_nesting.html"] = catalog_html(
        lambda r, c, t: f"<td>{deep_cell}</td>" if (r, c) == (2, 3) else f"<td>{escape(t)}</td>"
    ).encode("utf-8")
    files["bad_charset.html"] = catalog_html(head='<meta charset="base64">').encode("utf-8")
    files["idna_charset.html"] = catalog_html(
        head='<meta http-equiv="Content-Type" content="text/html; charset=idna">').encode("utf-8")
    files["span_storm.html"] = catalog_html(
        lambda r, c, t: f'<td rowspan="{10 ** 9}" colspan="{10 ** 9 if c % 2 else 3}">{escape(t)}</td>'
        if r >= 2 else f"<td>{escape(t)}</td>", rows=ROWS * 100).encode("utf-8")
    files["script_cells.html"] = catalog_html(
        lambda r, c, t: (f"<td>{escape(t)}<script>document.title='pwned'</script><!-- <td>x</td> -->"
                         f"<style>td{{}}</style></td>" if c == 3 and r >= 2 else
                         f"<td>&lt;script&gt;alert(1)&lt;/script&gt;{escape(t)}</td>" if c == 2 and r == 2
                         else f"<td>{escape(t)}</td>")).encode("utf-8")
    files["docx_named.html"] = good_docx
    return files


def lying_sizes(data: bytes, name: str, size: int) -> bytes:
    """The archive with ``name``'s uncompressed size said to be ``size`` in its central
    directory and local header (a bomb hiding what it unpacks to)."""
    out = bytearray(data)
    zf = zipfile.ZipFile(io.BytesIO(data))
    info = zf.getinfo(name)
    pos = out.find(b"PK\x01\x02")
    while pos != -1:
        name_len = int.from_bytes(out[pos + 28:pos + 30], "little")
        extra_len = int.from_bytes(out[pos + 30:pos + 32], "little")
        if bytes(out[pos + 46:pos + 46 + name_len]).decode() == name:
            if out[pos + 24:pos + 28] == b"\xff\xff\xff\xff" or extra_len:  # zip64: patch the extra
                extra = pos + 46 + name_len
                end = extra + extra_len
                while extra < end:
                    tag, length = struct.unpack("<HH", out[extra:extra + 4])
                    if tag == 1:
                        fields = extra + 4
                        if out[pos + 24:pos + 28] == b"\xff\xff\xff\xff":
                            out[fields:fields + 8] = size.to_bytes(8, "little")
                    extra += 4 + length
            else:
                out[pos + 24:pos + 28] = size.to_bytes(4, "little")
            break
        pos = out.find(b"PK\x01\x02", pos + 4)
    local = info.header_offset
    if out[local + 22:local + 26] != b"\xff\xff\xff\xff":
        out[local + 22:local + 26] = size.to_bytes(4, "little")
    return bytes(out)


def needs_version(data: bytes, version: int) -> bytes:
    """The archive with every central directory entry saying it needs zip ``version`` (115:
    11.5, which no reader implements) to be extracted."""
    out = bytearray(data)
    pos = out.find(b"PK\x01\x02")
    while pos != -1:
        out[pos + 6:pos + 8] = version.to_bytes(2, "little")
        pos = out.find(b"PK\x01\x02", pos + 4)
    return bytes(out)


# --------------------------------------------------------------------------- made at test time


def write_long_doc_number(path: Path, length: int = 100_000) -> Path:
    """A catalog whose 公开依据 holds a 发文字号 ``length`` characters long."""
    number = "国" * (length - len("发〔2022〕8号")) + "发〔2022〕8号"
    rows = [list(ROWS[0]), list(ROWS[1])]
    rows[1][4] = f"《国务院办公厅关于某事项的通知》（{number}）"
    path.write_text(tsv(catalog_rows(rows)), encoding="utf-8")
    return path


def write_many_rows(path: Path, count: int = 50_000) -> Path:
    """A catalog of ``count`` numbered rows."""
    lines = [tsv(catalog_rows([]))]
    for i in range(1, count + 1):
        row = list(ROWS[i % 3])
        row[0] = str(i)
        row[2] = f"{row[2]}{i}"
        lines.append("\t".join(row) + "\n")
    path.write_text("".join(lines), encoding="utf-8")
    return path


def enormous_text(size: int) -> str:
    """``size`` characters of basis-like text: citations with varying numbers, provisions,
    plain words (varied enough that a zip of it packs like text, not like a bomb)."""
    rnd = random.Random(size)
    parts: list[str] = []
    length = 0
    while length < size:
        part = (f"《中华人民共和国政府信息公开条例》第{rnd.randint(1, 60)}条、《国务院办公厅关于做好"
                f"第{rnd.randint(1, 999)}项政务公开工作的通知》（国办发〔{rnd.randint(2000, 2024)}〕"
                f"{rnd.randint(1, 99)}号）；依据有关规定办理{rnd.randint(0, 10 ** 9)}。")
        parts.append(part)
        length += len(part)
    return "".join(parts)[:size]


def write_enormous_cell(path: Path, size: int = 2_000_000) -> Path:
    """A catalog (of the format ``path``'s suffix names) with one basis cell of ``size``
    characters."""
    rows = [list(r) for r in ROWS]
    rows[0][4] = enormous_text(size)
    table = catalog_rows(rows)
    suffix = path.suffix.lower()
    if suffix in (".txt", ".tsv"):
        path.write_text(tsv(table), encoding="utf-8")
    elif suffix == ".xlsx":
        path.write_bytes(xlsx(table))
    elif suffix == ".docx":
        path.write_bytes(docx(w_paragraph(TITLE) + w_table(table[1:])))
    elif suffix == ".html":
        path.write_text(html_page(html_table(table[1:])), encoding="utf-8")
    else:
        raise ValueError(suffix)
    return path


def pages_pdf(content: bytes, pages: int) -> bytes:
    """A PDF of ``pages`` A4 pages all drawing one compressed ``content`` stream: a few KB of
    file for any amount of work. Fonts: F1 Helvetica, F2 STSong-Light (UniGB-UCS2-H: two bytes
    a character, not embedded)."""
    fonts = b"<< /Font << /F1 3 0 R /F2 4 0 R >> >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % (8 + i) for i in range(pages))
        + b"] /Count %d >>" % pages,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
        b"/DescendantFonts [5 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo "
        b"<< /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor 6 0 R >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] "
        b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
        stream(content, compress=True),
        *[b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources " + fonts
          + b" /Contents 7 0 R >>"] * pages,
    ]
    return pdf_bytes(objects)


def text_sheet(lines: int = 200, per_line: int = 249) -> bytes:
    """Content setting 某 ``lines`` × ``per_line`` times in 2 pt type (two bytes each)."""
    line = "某".encode("utf-16-be") * per_line
    return b"BT /F2 2 Tf 20 830 Td 2 TL\n" + b"".join(b"(" + line + b") '\n" for _ in range(lines)) + b"ET\n"


def write_heavy_pages(path: Path, pages: int = 2000) -> Path:
    """A PDF of ``pages`` pages each just under every page limit: 59,000 rectangles and
    49,800 characters (99,600 bytes of text), some 1 MB of content."""
    rects = b"".join(b"%d %d 2 2 re\n" % (30 + (i % 260) * 2, 40 + (i // 260) * 3)
                     for i in range(59_000))
    path.write_bytes(pages_pdf(TEXT_PAGE + rects + b"f\n" + text_sheet(), pages))
    return path


def write_heavy_text_pages(path: Path, pages: int = 300) -> Path:
    """A PDF of ``pages`` pages each of 49,800 characters (99,600 bytes of text, just under
    the page limit), some 100 KB of content a page: 30 MB in all, under the file's limit."""
    path.write_bytes(pages_pdf(text_sheet(), pages))
    return path


def write_many_parts(path: Path, count: int = 25_000) -> Path:
    """A workbook that also holds ``count`` tiny parts (stored, a byte each)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for name, data in xlsx_parts(sheet_xml(catalog_rows())):
            zf.writestr(zipfile.ZipInfo(name, FIXED_TIME), data)
        for i in range(count):
            zf.writestr(zipfile.ZipInfo(f"xl/media/dot{i}.bin", FIXED_TIME), b".")
    path.write_bytes(buf.getvalue())
    return path


def zip64_end(directory_offset: int, directory_size: int, parts: int) -> bytes:
    """The end records of a ZIP64 archive declaring ``parts`` parts in a central directory of
    ``directory_size`` bytes at ``directory_offset`` (the classic record saying "see ZIP64")."""
    record = struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, parts, parts,
                         directory_size, directory_offset)
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, directory_offset + directory_size, 1)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF,
                      0xFFFFFFFF, 0)
    return record + locator + end


def lying_directory(parts: int = 5_000_000) -> bytes:
    """A whole small workbook whose end records declare ``parts`` parts (ZIP64, as a count over
    65,535 needs) where its directory lists six."""
    data = xlsx(catalog_rows())
    size, offset = struct.unpack_from("<2L", data, len(data) - 10)
    return data[:-22] + zip64_end(offset, size, parts)


def write_directory_bomb(path: Path, parts: int = 1_000_000) -> Path:
    """A zip of one part of one byte whose central directory lists it ``parts`` times (47
    bytes each): what ``zipfile`` spends seconds and hundreds of MB reading."""
    name = b"word/document.xml"
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 0, 0, 0, zlib.crc32(b"x"), 1, 1,
                        len(name), 0) + name + b"x"
    entry = struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 0, 0, 0, zlib.crc32(b"x"), 1,
                        1, len(name), 0, 0, 0, 0, 0, 0) + name
    with open(path, "wb") as fh:
        fh.write(local)
        fh.write(entry * parts)
        fh.write(zip64_end(len(local), len(entry) * parts, parts))
    return path


MAGIC = {".pdf": b"%PDF-1.4\n", ".xlsx": b"PK\x03\x04", ".docx": b"PK\x03\x04",
         ".html": b"<!DOCTYPE html>\n<html>", ".txt": "序号\t公开事项\n".encode()}


def write_oversized(path: Path, size: int) -> Path:
    """A sparse file of ``size`` bytes (costs no disk) that starts as its format does: only
    its size is wrong."""
    with open(path, "wb") as fh:
        fh.write(MAGIC.get(path.suffix.lower(), b""))
        fh.truncate(size)
    return path


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else HOSTILE
    out.mkdir(parents=True, exist_ok=True)
    files = corpus()
    for name, data in sorted(files.items()):
        (out / name).write_bytes(data)
    total = sum(len(d) for d in files.values())
    print(f"wrote {len(files)} files, {total / 1e6:.1f} MB, into {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
