"""Make the legacy-format fixtures in tests/fixtures/legacy the way offices make their files.

Government offices publish their catalogs in whatever their office suite saves: Excel 97 and
Word 97 files (often from WPS Office, under its own names .et and .wps), OpenDocument from
LibreOffice, RTF, web pages saved by a browser as .mht, and attachments packed into .zip, .7z
or .rar by Chinese Windows. Crawled files also lie about what they are. This script makes each
kind from the fixtures ``tools/make_fixtures.py`` made (sample, levels, pagebreak, preamble),
so a reader of any of them must give the same items as the .xlsx/.docx/.html it came from.

Run from the repository root with the project's Python (openpyxl is used for the SpreadsheetML
file, xlrd/olefile only for the optional self-check)::

    python tools/make_legacy_fixtures.py            # all files into tests/fixtures/legacy
    python tools/make_legacy_fixtures.py --out DIR

Needs LibreOffice (``soffice``; Debian: libreoffice-calc-nogui libreoffice-writer-nogui
fonts-noto-cjk) and the 7z command (p7zip-full). It runs soffice in a private temporary profile
(``-env:UserInstallation``), converting many files per start, and installs a small Basic macro
in that profile to store password-protected files (no Python-UNO needed). Zip timestamps are
fixed and LibreOffice writes .xls/.doc/.rtf byte-identically on a rerun; OpenDocument zips are
re-packed with fixed timestamps. The encrypted files are salted anew on every save, so they are
made only when missing (delete them to remake them). levels.ods may differ between runs in
the order LibreOffice numbers its two page layouts (styles.xml); its content does not.

What each file is for (``legacy/``):

Spreadsheets
  sample.xls levels.xls pagebreak.xls   Excel 97 (BIFF8) saved by Calc from the .xlsx; merged
                                        ranges as in the .xlsx (checked with xlrd when present)
  sample.ods levels.ods pagebreak.ods   OpenDocument spreadsheet saved by Calc
  sample.et                             WPS Spreadsheets' name for a BIFF8 workbook (a copy of
                                        sample.xls: WPS writes .et as an OLE BIFF8 file)
  sample_html.xls                       sample.html named .xls (web systems' "Excel export")
  sample_spreadsheetml.xls              Excel 2003 XML (SpreadsheetML) named .xls, written here
                                        (LibreOffice's XSLT export filter is not in the -nogui
                                        packages); ss:MergeAcross/ss:MergeDown merges
  sample_tsv.xls                        Excel's "Unicode text" (UTF-16LE + BOM, tab-separated)
                                        named .xls
Documents
  sample.doc preamble.doc               Word 97 saved by Writer from the .docx
  sample.odt preamble.odt               OpenDocument text saved by Writer
  sample.rtf preamble.rtf               RTF saved by Writer (sample.rtf is ~260 KB: Writer's
                                        RTF is verbose)
  sample.wps                            WPS Writer's name for a Word 97 file (copy of sample.doc)
  preamble_rtf.doc                      RTF named .doc (Word's "save as RTF" kept the old name)
  preamble_docx.doc                     a .docx named .doc
Web pages
  sample.mht                            sample.html as Chrome saves it: multipart/related,
                                        HTML part UTF-8 quoted-printable with no charset
                                        parameter (the page's <meta> says UTF-8; email's
                                        get_content() falls back to ASCII), PNG parts in base64
  sample_gbk.mht                        sample.html as IE saves it: charset="gb2312" label,
                                        bytes in GB18030 (✓ is not in GB2312/GBK), HTML part
                                        base64, a PNG part
  levels.mht                            levels.html (a GB2312 page) as IE saves it,
                                        quoted-printable
Text
  sample_tsv.pdf                        the tab-separated text catalog named .pdf
Archives
  catalog_gbk.zip                       as Chinese Windows' "send to compressed folder" makes it:
                                        names in GBK without the UTF-8 flag (0x800), a folder
                                        and a nested folder, a cover letter (附件1, no catalog)
                                        and the catalog .xls (附件2)
  catalog_utf8.zip                      UTF-8 names with the flag: cover letter and the .doc
  nested.zip                            a zip holding catalog_gbk.zip (one level) and a letter
  catalog.7z                            7z CLI: cover letter and the catalog .xls
  catalog.rar                           RAR 4 written here, entries stored (no free tool creates
                                        RAR; the format of stored entries is public): names in
                                        GBK with the Unicode form WinRAR adds, Win32 host
Broken (``legacy/broken/``)
  truncated.xls truncated.doc           the OLE file cut in half
  encrypted.xls encrypted.doc           password "catalog" (BIFF FilePass / Word fEncrypted)
  encrypted.xlsx                        password "catalog": an OLE file holding EncryptedPackage
                                        (made with msoffcrypto-tool when it is installed:
                                        LibreOffice 7.4 stores OOXML without the password)
  notable.doc                           a letter in Word 97, no table
  unknown.wps unknown.et                bytes in no known format behind a made-up Kingsoft-like
                                        header: the reader must say it cannot tell the format
  nocatalog.zip nocatalog.7z            archives holding only a cover letter and an image
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import email.header
import hashlib
import html
import io
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_fixtures import FIXED_TIME, FIXTURES, REPO, SAMPLE, soffice  # noqa: E402

LEGACY = FIXTURES / "legacy"
PASSWORD = "catalog"

COVER_NAME = "附件1-关于印发目录的通知.txt"
CATALOG_XLS = "附件2-主动公开事项目录.xls"
CATALOG_DOC = "附件2-主动公开事项目录.doc"
FOLDER = "长治市教育局政务公开目录"
COVER_LETTER = (
    "关于印发《长治市教育局主动公开事项目录》的通知\r\n\r\n"
    "各县（区）教育局，局属各单位：\r\n"
    "现将《长治市教育局主动公开事项目录》印发给你们，请认真贯彻执行。\r\n\r\n"
    "附件：主动公开事项目录\r\n\r\n"
    "长治市教育局\r\n2023年3月1日\r\n"
)

# --------------------------------------------------------------------------- LibreOffice

MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" \
script:language="StarBasic">
Sub SaveWithPassword(src As String, dst As String, filt As String, pw As String)
  Dim args(0) As New com.sun.star.beans.PropertyValue
  args(0).Name = &quot;Hidden&quot;
  args(0).Value = True
  oDoc = StarDesktop.loadComponentFromURL(ConvertToURL(src), &quot;_blank&quot;, 0, args())
  Dim out(1) As New com.sun.star.beans.PropertyValue
  out(0).Name = &quot;FilterName&quot;
  out(0).Value = filt
  out(1).Name = &quot;Password&quot;
  out(1).Value = pw
  oDoc.storeToURL(ConvertToURL(dst), out())
  oDoc.close(True)
End Sub
</script:module>
"""


class Office:
    """soffice in one private profile, reused for every conversion."""

    def __init__(self, tmp: Path) -> None:
        self.profile = tmp / "profile"
        self.exe = soffice()

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        cmd = [self.exe, f"-env:UserInstallation=file://{self.profile}", "--headless",
               "--norestore", *args]
        return subprocess.run(cmd, check=True, capture_output=True, timeout=300)

    def convert(self, sources: list[Path], target: str, outdir: Path) -> list[Path]:
        """``--convert-to target`` for many files in one start; returns the files made."""
        outdir.mkdir(parents=True, exist_ok=True)
        self._run("--convert-to", target, "--outdir", str(outdir), *map(str, sources))
        ext = target.split(":")[0]
        made = [outdir / f"{s.stem}.{ext}" for s in sources]
        for m in made:
            if not m.exists():
                sys.exit(f"make_legacy_fixtures: LibreOffice made no {m.name} ({target})")
        return made

    def save_with_password(self, source: Path, target: Path, filter_name: str) -> None:
        """Store ``source`` in ``filter_name`` with the password, through a Basic macro."""
        module = self.profile / "user" / "basic" / "Standard" / "Module1.xba"
        if not module.exists():  # the profile is created by a first start
            self._run("--terminate_after_init")
        module.write_text(MACRO, encoding="utf-8")
        target.unlink(missing_ok=True)
        q = lambda s: s.replace('"', "")  # noqa: E731 - paths here hold no quotes
        self._run(f'macro:///Standard.Module1.SaveWithPassword("{q(str(source))}",'
                  f'"{q(str(target))}","{filter_name}","{PASSWORD}")')
        if not target.exists():
            sys.exit(f"make_legacy_fixtures: the macro stored no {target.name}")


def fixed_odf(path: Path) -> None:
    """Re-pack an OpenDocument zip with fixed timestamps and meta dates (mimetype first,
    stored), so reruns give the same bytes."""
    src = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "meta.xml":
                data = re.sub(rb"(<(meta:creation-date|dc:date)>)[^<]*",
                              rb"\g<1>2024-01-01T00:00:00", data)
                data = re.sub(rb"<meta:generator>[^<]*", b"<meta:generator>LibreOffice", data)
            if info.filename == "settings.xml":  # a random revision-save id per session
                data = re.sub(rb'(config:name="Rsid(?:Root)?" config:type="int">)\d+',
                              rb"\g<1>1000000", data)
            fixed = zipfile.ZipInfo(info.filename, FIXED_TIME)
            fixed.compress_type = info.compress_type
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, data)
    path.write_bytes(out.getvalue())


def _group_end(data: bytes, start: int) -> int:
    depth = 0
    for end in range(start, len(data)):
        depth += {0x7B: 1, 0x7D: -1}.get(data[end], 0)
        if depth == 0:
            return end
    raise ValueError("unbalanced RTF group")


RTF_COLOR_WORDS = (b"cf|cb|chcbpat|chcfpat|clcbpat|clcfpat|clcbpatraw|clcfpatraw|brdrcf|highlight|"
                   b"trcbpat|trcfpat|cbpat|cfpat")


def fixed_rtf(path: Path) -> None:
    """Writer lists the RTF font and colour tables in an order that changes from run to run:
    sort both and renumber every reference to them (\\fN \\afN \\deffN; \\cfN \\cbN
    \\brdrcfN …), so reruns give the same bytes. Left as written if a table looks odd."""
    data = path.read_bytes()
    # fonts: {\fN ...;} entries, some with a nested {\*\falt ...} group
    start = data.index(b"{\\fonttbl")
    end = _group_end(data, start)
    table = data[start:end + 1]
    fonts = re.findall(rb"\{\\f(\d+)((?:[^{}]|\{[^{}]*\})*)\}", table)
    if len(fonts) != len(re.findall(rb"\{\\f\d", table)) or len({n for n, _ in fonts}) != len(fonts):
        return
    order = sorted(fonts, key=lambda f: f[1])
    fnew = {old: str(i).encode() for i, (old, _) in enumerate(order)}
    ftable = b"{\\fonttbl" + b"".join(b"{\\f" + fnew[n] + rest + b"}" for n, rest in order) + b"}"
    data = data[:start] + b"\x00FONTTBL\x00" + data[end + 1:]
    # colours: ;\redR\greenG\blueB; entry 0 (the empty "auto" colour) stays first
    cstart = data.find(b"{\\colortbl")
    ctable = b""
    cnew: dict[bytes, bytes] = {}
    if cstart != -1:
        cend = _group_end(data, cstart)
        entries = data[cstart + len(b"{\\colortbl"):cend].split(b";")
        if entries and entries[-1].strip() == b"":
            entries = entries[:-1]
        body = [e.strip() for e in entries[1:]]
        if len(set(body)) == len(body) and all(re.fullmatch(rb"(\\[a-z]+\d+)+", e) for e in body):
            order_c = sorted(range(len(body)), key=lambda i: body[i])
            cnew = {str(i + 1).encode(): str(j + 1).encode() for j, i in enumerate(order_c)}
            ctable = (b"{\\colortbl;" + b"".join(body[i] + b";" for i in order_c) + b"}")
            data = data[:cstart] + b"\x00COLORTBL\x00" + data[cend + 1:]
    data = re.sub(rb"\\(deff|af|f)(\d+)(?![0-9])",
                  lambda m: b"\\" + m.group(1) + fnew.get(m.group(2), m.group(2)), data)
    if cnew:
        data = re.sub(rb"\\(" + RTF_COLOR_WORDS + rb")(\d+)(?![0-9])",
                      lambda m: b"\\" + m.group(1) + cnew.get(m.group(2), m.group(2)), data)
        data = data.replace(b"\x00COLORTBL\x00", ctable)
    path.write_bytes(data.replace(b"\x00FONTTBL\x00", ftable))


def with_final_paragraph(source: Path, target: Path) -> Path:
    """The .docx with an empty paragraph after a table that ends the body, as Word always
    writes it. python-docx (and so tests/fixtures/sample.docx) lets the table end the body;
    Writer then saves a .doc whose table Writer itself no longer reads back (the text comes
    back as one paragraph), which is not a file an office would have."""
    src = zipfile.ZipFile(source)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                data = re.sub(rb"</w:tbl>(\s*<w:sectPr)", rb"</w:tbl><w:p/>\1", data)
            dst.writestr(info, data)
    target.write_bytes(out.getvalue())
    return target


# --------------------------------------------------------------------------- SpreadsheetML


def write_spreadsheetml(xlsx: Path, target: Path) -> None:
    """The workbook as Excel 2003 saves "XML Spreadsheet 2003": one <Cell> per top-left
    cell of a merge with ss:MergeAcross/ss:MergeDown, covered cells left out (ss:Index
    after a gap), numbers typed Number."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    wb = load_workbook(xlsx)
    out = ['<?xml version="1.0"?>', '<?mso-application progid="Excel.Sheet"?>',
           '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"',
           ' xmlns:o="urn:schemas-microsoft-com:office:office"',
           ' xmlns:x="urn:schemas-microsoft-com:office:excel"',
           ' xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"',
           ' xmlns:html="http://www.w3.org/TR/REC-html40">',
           ' <DocumentProperties xmlns="urn:schemas-microsoft-com:office:office">',
           '  <Author>Administrator</Author><Created>2024-01-01T00:00:00Z</Created>'
           '<Version>11.9999</Version>',
           ' </DocumentProperties>',
           ' <Styles><Style ss:ID="Default" ss:Name="Normal"><Alignment ss:Vertical="Center"/>'
           '<Font ss:FontName="宋体" x:CharSet="134" ss:Size="12"/></Style>'
           '<Style ss:ID="s21"><Alignment ss:Vertical="Center" ss:WrapText="1"/><Borders>'
           + "".join(f'<Border ss:Position="{p}" ss:LineStyle="Continuous" ss:Weight="1"/>'
                     for p in ("Bottom", "Left", "Right", "Top"))
           + '</Borders></Style></Styles>']
    for ws in wb.worksheets:
        spans = {}
        covered = set()
        for rng in ws.merged_cells.ranges:
            spans[(rng.min_row, rng.min_col)] = (rng.max_row - rng.min_row,
                                                 rng.max_col - rng.min_col)
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    if (r, c) != (rng.min_row, rng.min_col):
                        covered.add((r, c))
        out.append(f' <Worksheet ss:Name="{html.escape(ws.title)}">')
        out.append(f'  <Table ss:ExpandedColumnCount="{ws.max_column}" '
                   f'ss:ExpandedRowCount="{ws.max_row}" x:FullColumns="1" x:FullRows="1" '
                   'ss:DefaultColumnWidth="54" ss:DefaultRowHeight="14.25">')
        for col in range(1, ws.max_column + 1):
            letter = get_column_letter(col)
            width = ws.column_dimensions[letter].width or 8.43
            out.append(f'   <Column ss:Width="{width * 6:.2f}"/>')
        for r in range(1, ws.max_row + 1):
            cells, last = [], 0
            for c in range(1, ws.max_column + 1):
                if (r, c) in covered:
                    continue
                value = ws.cell(r, c).value
                span = spans.get((r, c))
                if value is None and not span:
                    continue
                attrs = "" if c == last + 1 else f' ss:Index="{c}"'
                if span and span[1]:
                    attrs += f' ss:MergeAcross="{span[1]}"'
                if span and span[0]:
                    attrs += f' ss:MergeDown="{span[0]}"'
                attrs += ' ss:StyleID="s21"'
                if value is None:
                    cells.append(f"<Cell{attrs}/>")
                else:
                    kind = "Number" if isinstance(value, (int, float)) else "String"
                    text = html.escape(str(value), quote=False).replace("\n", "&#10;")
                    cells.append(f'<Cell{attrs}><Data ss:Type="{kind}">{text}</Data></Cell>')
                last = c + (span[1] if span else 0)
            out.append(f'   <Row ss:Index="{r}">' + "".join(cells) + "</Row>" if cells
                       else f'   <Row ss:Index="{r}"/>')
        out.append("  </Table>")
        out.append('  <WorksheetOptions xmlns="urn:schemas-microsoft-com:office:excel">'
                   "<ProtectObjects>False</ProtectObjects></WorksheetOptions>")
        out.append(" </Worksheet>")
    out.append("</Workbook>")
    target.write_bytes(("\r\n".join(out) + "\r\n").encode("utf-8"))


# --------------------------------------------------------------------------- MHT


def tiny_png(rgb: tuple[int, int, int] = (200, 30, 30), size: int = 8) -> bytes:
    """A small solid PNG (the site logo a browser saves with the page)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    raw = b"".join(b"\x00" + bytes(rgb) * size for _ in range(size))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def write_mht(html_text: str, target: Path, *, page_url: str, charset: str, codec: str,
              transfer: str, style: str) -> None:
    """Save a page as a browser does: multipart/related, the HTML part first, then its images,
    CRLF line ends, headers written the way each browser writes them.

    ``style`` "chrome": Chrome's "Webpage, Single File" (From: <Saved by Blink>,
    Snapshot-Content-Location, boundary ----MultipartBoundary--…, Content-ID per part);
    "ie": Internet Explorer's "Web Archive, single file" (From: <Saved by Windows Internet
    Explorer 8>, X-MimeOLE, the "This is a multi-part message" preamble, ----=_NextPart_…)."""
    import quopri

    title = re.search(r"<title>(.*?)</title>", html_text).group(1)
    body = html_text.encode(codec)
    if transfer == "base64":
        encoded = base64.encodebytes(body).decode("ascii")
    else:
        encoded = quopri.encodestring(body).decode("ascii")
    encoded = encoded.replace("\r\n", "\n").replace("\n", "\r\n")
    base = page_url.split("/zwgk/")[0]
    images = list(dict.fromkeys(re.findall(r'<img src="([^"]+)"', html_text)))
    png = base64.encodebytes(tiny_png()).decode("ascii").replace("\n", "\r\n")
    if style == "chrome":
        boundary = "----MultipartBoundary--cG2Ujw1qnh0Ts3KlRkxxGwOq6ykdy4mKuU3u5cJF8u----"
        subject = email.header.Header(title, "utf-8").encode(maxlinelen=998)
        head = ["From: <Saved by Blink>", f"Snapshot-Content-Location: {page_url}",
                f"Subject: {subject}", "Date: Mon, 1 Jan 2024 00:00:00 -0000", "MIME-Version: 1.0",
                "Content-Type: multipart/related;", '\ttype="text/html";', f'\tboundary="{boundary}"',
                "", ""]
        page_head = ["Content-Type: text/html", "Content-ID: <frame-4C1B5A0E7F6D3B2A@mhtml.blink>",
                     f"Content-Transfer-Encoding: {transfer}", f"Content-Location: {page_url}"]
        if charset.lower() != "utf-8":
            page_head[0] = f'Content-Type: text/html; charset="{charset}"'
    else:
        boundary = "----=_NextPart_000_0000_01DA3C5E.2B7F3A40"
        subject = email.header.Header(title, charset).encode(maxlinelen=998) \
            if charset.lower() not in ("gb2312", "gbk") else \
            "=?gb2312?B?" + base64.b64encode(title.encode(codec)).decode("ascii") + "?="
        head = ["From: <Saved by Windows Internet Explorer 8>", f"Subject: {subject}",
                "Date: Mon, 1 Jan 2024 08:00:00 +0800", "MIME-Version: 1.0",
                "Content-Type: multipart/related;", '\ttype="text/html";', f'\tboundary="{boundary}"',
                "X-MimeOLE: Produced By Microsoft MimeOLE V6.1.7601.17609", "",
                "This is a multi-part message in MIME format.", "", ""]
        page_head = ["Content-Type: text/html;", f'\tcharset="{charset}"',
                     f"Content-Transfer-Encoding: {transfer}", f"Content-Location: {page_url}"]
    out = "\r\n".join(head)
    out += f"--{boundary}\r\n" + "\r\n".join(page_head) + "\r\n\r\n" + encoded
    if not out.endswith("\r\n"):
        out += "\r\n"
    for i, src in enumerate(images):
        part = ["Content-Type: image/png", "Content-Transfer-Encoding: base64",
                f"Content-Location: {base}{src}"]
        if style == "chrome":
            part.insert(1, f"Content-ID: <frame-{i:016X}@mhtml.blink>")
        out += f"\r\n--{boundary}\r\n" + "\r\n".join(part) + "\r\n\r\n" + png
    out += f"\r\n--{boundary}--\r\n"
    target.write_bytes(out.encode("ascii"))


# --------------------------------------------------------------------------- archives


def _dos_datetime(when: tuple[int, ...] = FIXED_TIME) -> tuple[int, int]:
    y, mo, d, h, mi, s = when
    return (h << 11) | (mi << 5) | (s // 2), ((y - 1980) << 9) | (mo << 5) | d


class _GbkInfo(zipfile.ZipInfo):
    """A zip entry whose name is stored in GBK (code page 936) without the UTF-8 flag, as
    Windows' built-in zip and old WinRAR/2345好压 on Chinese Windows store it."""

    def _encodeFilenameFlags(self):  # noqa: N802 - zipfile's own name
        return self.filename.encode("gbk"), self.flag_bits & ~0x800


def write_zip(target: Path, entries: list[tuple[str, bytes | None]], *, gbk: bool) -> None:
    """``entries``: (name, data) with data None for a folder entry."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in entries:
            info = (_GbkInfo if gbk else zipfile.ZipInfo)(name, FIXED_TIME)
            info.create_system = 0 if gbk else 3  # MS-DOS / Unix
            if data is None:
                info.external_attr = 0x10  # MS-DOS directory attribute
                zf.writestr(info, b"")
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0x20 if gbk else (0o100644 << 16)
                zf.writestr(info, data)
    target.write_bytes(buf.getvalue())


def write_7z(target: Path, entries: list[tuple[str, bytes]]) -> None:
    seven = shutil.which("7z") or shutil.which("7za")
    if not seven:
        sys.exit("make_legacy_fixtures: the 7z command is needed (apt-get install p7zip-full)")
    stamp = dt.datetime(*FIXED_TIME).timestamp()
    with tempfile.TemporaryDirectory() as tmp:
        names = []
        for name, data in entries:
            p = Path(tmp) / name
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(data)
            os.utime(p, (stamp, stamp))
            names.append(name)
        target.unlink(missing_ok=True)
        subprocess.run([seven, "a", "-t7z", "-mx=9", "-mtc=off", "-mta=off", "-bd", "-bso0",
                        str(target.resolve()), *names], cwd=tmp, check=True, capture_output=True)


def _rar_unicode_name(name: str) -> bytes:
    """RAR 4's compressed Unicode file name: a high byte, then per 4 characters a flag byte
    (2 bits each; 2 = low and high byte follow) and the UTF-16 code units."""
    units = name.encode("utf-16-le")
    pairs = [units[i:i + 2] for i in range(0, len(units), 2)]
    out = bytearray([0])
    for i in range(0, len(pairs), 4):
        group = pairs[i:i + 4]
        flags = 0
        for j in range(len(group)):
            flags |= 2 << (6 - 2 * j)
        out.append(flags)
        for p in group:
            out += p
    return bytes(out)


def write_rar4(target: Path, entries: list[tuple[str, bytes]]) -> None:
    """A RAR 4 (1.5-4.x format) archive with every entry stored (method 0x30), names as
    WinRAR on Chinese Windows writes them: OEM code page (GBK) bytes, NUL, the Unicode
    form (flag 0x200), backslash separators, host OS Win32."""
    def block(head_type: int, flags: int, body: bytes) -> bytes:
        head = struct.pack("<BHH", head_type, flags, 7 + len(body)) + body
        return struct.pack("<H", zlib.crc32(head) & 0xFFFF) + head

    ftime, fdate = _dos_datetime()
    out = bytearray(b"Rar!\x1a\x07\x00")
    out += block(0x73, 0x0000, b"\x00" * 6)  # archive header: reserved fields
    for name, data in entries:
        win = name.replace("/", "\\")
        raw = win.encode("gbk")
        if any(ord(ch) > 127 for ch in win):
            raw += b"\x00" + _rar_unicode_name(win)
            flags = 0x8000 | 0x0200
        else:
            flags = 0x8000
        body = struct.pack("<IIBIIBBHI", len(data), len(data), 2, zlib.crc32(data) & 0xFFFFFFFF,
                           (fdate << 16) | ftime, 29, 0x30, len(raw), 0x20) + raw
        out += block(0x74, flags, body) + data
    out += block(0x7B, 0x4000, b"")
    target.write_bytes(bytes(out))


# --------------------------------------------------------------------------- broken


def truncate(source: Path, target: Path, fraction: float = 0.5) -> None:
    data = source.read_bytes()
    target.write_bytes(data[: int(len(data) * fraction)])


def unknown_kingsoft(target: Path, kind: str) -> None:
    """A made-up Kingsoft-like header ("KSO" + the kind) and 4 KiB of pseudo-random bytes:
    no OLE, zip, RTF, HTML or text signature. Deterministic (seeded)."""
    rng = random.Random(f"unknown-{kind}")
    body = bytes(rng.getrandbits(8) for _ in range(4096))
    target.write_bytes(b"KSO\x00" + kind.upper().encode() + b"\x00\x01\x00" + body)


# --------------------------------------------------------------------------- check


def check_merges(xlsx: Path, xls: Path) -> str:
    """Compare the merged ranges of the .xls (xlrd) with the .xlsx (openpyxl)."""
    try:
        import xlrd
        from openpyxl import load_workbook
    except ImportError:
        return "not checked (xlrd not installed)"
    src = {ws.title: sorted((r.min_row - 1, r.max_row, r.min_col - 1, r.max_col)
                            for r in ws.merged_cells.ranges)
           for ws in load_workbook(xlsx).worksheets}
    book = xlrd.open_workbook(str(xls), formatting_info=True)
    for sheet in book.sheets():
        got = sorted(tuple(m) for m in sheet.merged_cells)
        if got != src.get(sheet.name):
            sys.exit(f"make_legacy_fixtures: {xls.name} sheet {sheet.name}: merged ranges differ "
                     f"from {xlsx.name}")
    return f"{sum(len(v) for v in src.values())} merged ranges as in {xlsx.name}"


# --------------------------------------------------------------------------- main


def make_all(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    broken = out / "broken"
    broken.mkdir(exist_ok=True)
    made: list[Path] = []

    def mark(p: Path) -> Path:
        made.append(p)
        return p

    books = [FIXTURES / f"{n}.xlsx" for n in ("sample", "levels", "pagebreak")]
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "docx").mkdir()
        docs = [with_final_paragraph(FIXTURES / f"{n}.docx", tmp / "docx" / f"{n}.docx")
                for n in ("sample", "preamble")]
        office = Office(tmp)
        conv = tmp / "conv"
        for made_file in office.convert(books, "xls:MS Excel 97", conv):
            shutil.copyfile(made_file, mark(out / made_file.name))
        for made_file in office.convert(books, "ods:calc8", conv):
            fixed_odf(made_file)
            shutil.copyfile(made_file, mark(out / made_file.name))
        for made_file in office.convert(docs, "doc:MS Word 97", conv):
            shutil.copyfile(made_file, mark(out / made_file.name))
        for made_file in office.convert(docs, "odt:writer8", conv):
            fixed_odf(made_file)
            shutil.copyfile(made_file, mark(out / made_file.name))
        for made_file in office.convert(docs, "rtf:Rich Text Format", conv):
            fixed_rtf(made_file)
            shutil.copyfile(made_file, mark(out / made_file.name))
        notable = office.convert([FIXTURES / "broken" / "notable.docx"], "doc:MS Word 97",
                                 tmp / "notable")[0]
        shutil.copyfile(notable, mark(broken / "notable.doc"))

        for target, source, filt in [
            (broken / "encrypted.xls", out / "sample.xls", "MS Excel 97"),
            (broken / "encrypted.doc", out / "preamble.doc", "MS Word 97"),
        ]:
            if not target.exists():  # salted anew on every save: keep the one there is
                office.save_with_password(source, tmp / target.name, filt)
                shutil.copyfile(tmp / target.name, target)
            mark(target)

    # LibreOffice 7.4 ignores the password when it stores OOXML: msoffcrypto-tool encrypts
    # (ECMA-376 agile, an OLE file holding EncryptedInfo + EncryptedPackage)
    target = broken / "encrypted.xlsx"
    if not target.exists():
        try:
            from msoffcrypto.format.ooxml import OOXMLFile
        except ImportError:
            print("  encrypted.xlsx: skipped (pip install msoffcrypto-tool to make it)")
        else:
            with open(FIXTURES / "pagebreak.xlsx", "rb") as plain, open(target, "wb") as out_f:
                OOXMLFile(plain).encrypt(PASSWORD, out_f)
    if target.exists():
        mark(target)

    for name in ("sample", "levels", "pagebreak"):
        print(f"  {name}.xls: {check_merges(FIXTURES / f'{name}.xlsx', out / f'{name}.xls')}")

    # WPS Office's own names for the binary formats
    shutil.copyfile(out / "sample.xls", mark(out / "sample.et"))
    shutil.copyfile(out / "sample.doc", mark(out / "sample.wps"))

    # lying names
    shutil.copyfile(FIXTURES / "sample.html", mark(out / "sample_html.xls"))
    write_spreadsheetml(FIXTURES / "sample.xlsx", mark(out / "sample_spreadsheetml.xls"))
    tsv = SAMPLE.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    mark(out / "sample_tsv.xls").write_bytes(b"\xff\xfe" + tsv.replace("\n", "\r\n")
                                             .encode("utf-16-le"))
    mark(out / "sample_tsv.pdf").write_bytes(SAMPLE.read_bytes())
    shutil.copyfile(out / "preamble.rtf", mark(out / "preamble_rtf.doc"))
    shutil.copyfile(FIXTURES / "preamble.docx", mark(out / "preamble_docx.doc"))

    # web archives
    sample_html = (FIXTURES / "sample.html").read_text(encoding="utf-8")
    url = "http://www.changzhi.gov.cn/zwgk/zdgkml/202303/t20230301_1234567.shtml"
    write_mht(sample_html, mark(out / "sample.mht"), page_url=url, charset="utf-8",
              codec="utf-8", transfer="quoted-printable", style="chrome")
    gbk_html = sample_html.replace("charset=utf-8", "charset=gb2312")
    write_mht(gbk_html, mark(out / "sample_gbk.mht"), page_url=url, charset="gb2312",
              codec="gb18030", transfer="base64", style="ie")
    levels_html = (FIXTURES / "levels.html").read_bytes().decode("gb18030")
    write_mht(levels_html, mark(out / "levels.mht"),
              page_url="http://www.changzhi.gov.cn/zwgk/jcgk/202303/t20230302_7654321.shtml",
              charset="gb2312", codec="gb18030", transfer="quoted-printable", style="ie")

    # archives
    letter = COVER_LETTER.encode("gbk")
    xls = (out / "sample.xls").read_bytes()
    write_zip(mark(out / "catalog_gbk.zip"), [
        (f"{FOLDER}/", None),
        (f"{FOLDER}/{COVER_NAME}", letter),
        (f"{FOLDER}/附件/", None),
        (f"{FOLDER}/附件/{CATALOG_XLS}", xls),
    ], gbk=True)
    write_zip(mark(out / "catalog_utf8.zip"), [
        (COVER_NAME, COVER_LETTER.encode("utf-8")),
        (CATALOG_DOC, (out / "sample.doc").read_bytes()),
    ], gbk=False)
    write_zip(mark(out / "nested.zip"), [
        (COVER_NAME, letter),
        ("政务公开目录材料.zip", (out / "catalog_gbk.zip").read_bytes()),
    ], gbk=True)
    write_7z(mark(out / "catalog.7z"), [(COVER_NAME, letter), (CATALOG_XLS, xls)])
    write_rar4(mark(out / "catalog.rar"), [(COVER_NAME, letter), (f"{FOLDER}/{CATALOG_XLS}", xls)])

    # broken
    truncate(out / "sample.xls", mark(broken / "truncated.xls"))
    truncate(out / "sample.doc", mark(broken / "truncated.doc"))
    unknown_kingsoft(mark(broken / "unknown.wps"), "wps")
    unknown_kingsoft(mark(broken / "unknown.et"), "et")
    logo = tiny_png()
    write_zip(mark(broken / "nocatalog.zip"), [(COVER_NAME, letter), ("单位标识.png", logo)],
              gbk=True)
    write_7z(mark(broken / "nocatalog.7z"), [(COVER_NAME, letter), ("单位标识.png", logo)])
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=LEGACY, help="fixture folder")
    args = parser.parse_args(argv)
    for p in make_all(args.out):
        digest = hashlib.sha256(p.read_bytes()).hexdigest()[:12]
        print(f"{os.path.relpath(p, REPO)}\t{p.stat().st_size} bytes\t{digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
