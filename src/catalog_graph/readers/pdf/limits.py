"""Work a PDF may cost: what its pages draw and unpack, counted against the settings' limits.

A broken or hostile file (a zip bomb of a content stream, millions of path segments or
characters, a damaged stream pdfminer would recover byte by byte) is stopped while it is
interpreted, before its objects fill memory or its pages take hours: a page over the page
limits raises :class:`PageTooBusy` (the page is skipped), pages over the file limits together
:class:`FileTooBusy` (the file is refused). Content is also forecast before any page runs
(:func:`content_forecast`), so most such files are refused at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from catalog_graph.readers.pdf.settings import PdfSettings


class PageTooBusy(Exception):
    """A page drawing far more than a catalog page does (a broken or hostile file)."""


class FileTooBusy(Exception):
    """Pages drawing, all told, far more than a catalog does (a broken or hostile file)."""


class FileBudget:
    """What the pages of a file read so far have used of the file limits."""

    def __init__(self, settings: PdfSettings) -> None:
        self.settings = settings
        self.segments = 0
        self.chars = 0
        self.content = 0


class PageBudget:
    """What one page (with the forms it draws) has used of the page limits; it adds the same to
    the file's."""

    def __init__(self, file: FileBudget) -> None:
        self.segments = 0
        self.chars = 0
        self.content = 0
        self.file = file
        self.limits = file.settings

    def segment(self) -> None:
        self.segments += 1
        self.file.segments += 1
        limits = self.limits
        if self.segments > limits.max_segments:
            raise PageTooBusy(f"over {limits.max_segments} path segments in its drawing objects")
        if self.file.segments > limits.max_file_segments:
            raise FileTooBusy(f"over {limits.max_file_segments} path segments")

    def add_chars(self, count: int) -> None:
        self.chars += count
        self.file.chars += count
        limits = self.limits
        if self.chars > limits.max_chars:
            raise PageTooBusy(f"over {limits.max_chars} characters")
        if self.file.chars > limits.max_file_chars:
            raise FileTooBusy(f"over {limits.max_file_chars} characters")

    def add_streams(self, streams: Sequence[object]) -> None:
        """Count the unpacked size of content streams about to be run, unpacking no more
        than the limit allows (a few KB can hold gigabytes)."""
        limits = self.limits
        for obj in streams:
            size = unpacked_size(obj, limits.max_content - self.content, limits.max_damaged)
            self.content += size
            self.file.content += size
            if self.content > limits.max_content:
                raise PageTooBusy(f"over {limits.max_content // (1024 * 1024)} MiB of content")
            if self.file.content > limits.max_file_content:
                raise FileTooBusy(f"over {limits.max_file_content // (1024 * 1024)} MiB of content")


def unpacked_size(obj: object, room: int, max_damaged: int) -> int:
    """How many bytes a content stream unpacks to, counting no further than ``room`` + 1
    (0 for anything else). A damaged zlib stream small enough is unpacked once as pdfminer would
    recover it, without its byte-by-byte loop; one larger than ``max_damaged`` is
    :class:`PageTooBusy`."""
    from pdfminer.pdftypes import LITERALS_FLATE_DECODE, PDFStream

    stream = obj.resolve() if hasattr(obj, "resolve") else obj
    if not isinstance(stream, PDFStream):
        return 0
    if stream.data is not None:
        return len(stream.data)
    data = stream.rawdata or b""
    if stream.decipher and stream.objid is not None and stream.genno is not None:
        data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
    filters = stream.get_filters()
    if not (filters and filters[0][0] in LITERALS_FLATE_DECODE):
        return len(data)
    size, damaged = _inflated_size(data, room + 1)
    if damaged and size <= room and len(filters) == 1 and not filters[0][1]:
        stream.data, stream.rawdata = _inflate_damaged(data), None
    elif damaged and len(data) > max_damaged:
        raise PageTooBusy(f"a damaged compressed stream of {len(data) // 1024} KB")
    return size


def content_forecast(pages: Sequence[Any], settings: PdfSettings) -> int:
    """How much content the pages' own streams unpack to, as the page budgets will count it
    (forms drawn not included), counting no further than ``max_file_content`` + 1. A stream
    shared by many pages is unpacked once and counted for each."""
    max_content, max_file_content = settings.max_content, settings.max_file_content
    total = 0
    sizes: dict[int, int] = {}  # object number → size
    for page in pages:
        on_page = 0
        try:
            for obj in page.page_obj.contents:
                stream = obj.resolve() if hasattr(obj, "resolve") else obj
                number = getattr(stream, "objid", None)
                if number is None:
                    on_page += unpacked_size(stream, max_file_content - total, settings.max_damaged)
                else:
                    if number not in sizes:
                        sizes[number] = unpacked_size(stream, max_file_content - total,
                                                      settings.max_damaged)
                    on_page += sizes[number]
                if on_page > max_content:
                    break
        except Exception:  # noqa: BLE001 - a damaged page is reported when it is read
            continue
        total += min(on_page, max_content + 1)
        if total > max_file_content:
            break
    return total


def _inflated_size(data: bytes, limit: int) -> tuple[int, bool]:
    """How many bytes zlib ``data`` unpacks to, counting no further than ``limit``, and
    whether it is damaged (unpacking stops with an error)."""
    import zlib

    inflater = zlib.decompressobj()
    size = 0
    try:
        while data and size <= limit:
            size += len(inflater.decompress(data, 1024 * 1024))
            data = inflater.unconsumed_tail
    except zlib.error:
        return size, True
    return size, False


def _inflate_damaged(data: bytes) -> bytes:
    """What pdfminer makes of a damaged zlib stream, which it feeds to zlib one byte at a time
    (12 s for a 186 KB stream whose only fault was its checksum): everything before the first
    bad byte when that byte is in the closing checksum, else nothing. The bad byte is found by
    bisection on copies of the inflater."""
    import zlib

    inflater = zlib.decompressobj()
    out: list[bytes] = []
    pos = 0
    while pos < len(data):
        chunk = data[pos:pos + 65536]
        trial = inflater.copy()
        try:
            out.append(trial.decompress(chunk))
        except zlib.error:
            good, bad = 0, len(chunk)  # a prefix of ``good`` bytes unpacks, of ``bad`` does not
            while bad - good > 1:
                middle = (good + bad) // 2
                try:
                    inflater.copy().decompress(chunk[:middle])
                    good = middle
                except zlib.error:
                    bad = middle
            if pos + good < len(data) - 3:  # not in the checksum: pdfminer gives up
                return b""
            out.append(inflater.decompress(chunk[:good]))
            break
        inflater = trial
        pos += len(chunk)
    return b"".join(out)
