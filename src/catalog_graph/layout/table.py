"""A RawTable → a Catalog of DisclosureItems.

What it does, in order:

1. Finds the title (the line above the table naming the catalog) and the header:
   one to three rows whose cells name known columns (序号, 公开事项 / 一级事项…, 公开内容,
   公开依据, 公开时限, 公开主体, 公开渠道和载体, 公开对象 / 全社会 / 特定群众, 公开方式 /
   主动 / 依申请, 公开层级). Columns are mapped by their header text, never by position.
2. Reads every data row as one item. A row with its own 序号 starts a numbered group;
   a row with an empty 序号 continues the group above, and its empty cells take the
   value above (merged cells in the source), while its own cells win. A cell covered
   by a merged range (``Cell.merged == "up"``) always takes the value above.
3. Item levels form a tree: a row's empty levels above its first own level come from
   the row above; levels below its last own level are cleared.
4. Repairs irregular rows instead of misreading them:
   - a row with more item levels than the header declares shifts its later cells to
     the right; the shift is found by what the cells hold (a basis has 《》 or 〔2018〕,
     a time limit says 工作日 / 实时 / 每年, channels carry ■ or 网站, marks are ✓ √),
     and when that pushed a mark off the end of the row, the empty mark cell the row
     lost is put back where the catalog's regular rows have theirs;
   - descriptive text standing in an item-level column while the content cell is
     empty is read as the content (公开内容);
   - a level written as ``重点民生领域—通知公告`` is two levels;
   - an empty 公开主体 is filled with the catalog's own body, named in its title;
   each repair is said in the item's ``warnings``.
5. Drops header rows repeated down the table (page breaks), notes (注：…) and page
   footers, saying so in the catalog's warnings.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import PurePath

from catalog_graph.errors import CatalogError
from catalog_graph.layout import header as C
from catalog_graph.layout.repairs import say
from catalog_graph.layout.values import (
    fold_wraps,
    join_lines,
    parse_time_limit,
    split_channels,
    split_list,
    split_methods,
)
from catalog_graph.lexicon import body_words
from catalog_graph.models import Catalog, Cell, DisclosureItem, RawTable, Source

MAX_HEADER_SEARCH = 60  # rows scanned for the header
STRONG = frozenset({C.BASIS, C.TIME, C.CHANNELS, "mark"})


@dataclass(slots=True)
class Column:
    """What one column of the table holds."""

    index: int
    field: str  # a field of columns.py, or "extra"
    label: str  # its header text; for a mark column the mark's meaning (全社会, 主动 …)
    mark: bool = False


@dataclass(slots=True)
class Header:
    start: int  # first header row
    end: int  # first row after the header
    columns: list[Column]
    signatures: list[tuple[str, ...]]  # the header rows' texts, to drop repeats

    def of(self, field: str) -> list[Column]:
        """The columns holding a field, left to right."""
        return [c for c in self.columns if c.field == field]

    def first(self, field: str) -> Column | None:
        """The first column holding a field, if any."""
        return next((c for c in self.columns if c.field == field), None)


# ---------------------------------------------------------------- cells


def _own(cell: Cell | None) -> str:
    return cell.text if cell is not None and cell.merged is None else ""


def _state(cell: Cell | None) -> str:
    """own | empty | up | left"""
    if cell is None:
        return "empty"
    if cell.merged:
        return cell.merged
    return "own" if cell.text else "empty"


def _signature(row: Sequence[Cell]) -> tuple[str, ...]:
    return tuple(C.normalize_header(c.text) for c in row if c.merged is None and c.text.strip())


# ---------------------------------------------------------------- header


def find_header(table: RawTable) -> Header:
    """Locate the header rows and map every column to a field."""
    rows = table.rows
    wide = [i for i, r in enumerate(rows) if sum(1 for c in r if _own(c).strip()) >= 2]
    if not wide:
        raise CatalogError(table.file, "holds no table (no row has two or more cells)", "no_table")
    start = None
    for i in range(min(len(rows), MAX_HEADER_SEARCH)):
        fields = {C.header_field(t) for t in (_own(c) for c in rows[i]) if t.strip()}
        fields.discard(None)
        if len(fields) >= 2 and fields & {C.NUMBER, C.LEVEL, C.CONTENT, C.BASIS}:
            start = i
            break
    if start is None:
        seen = [t for t in (_own(c).strip() for c in rows[wide[0]]) if t][:6]
        shown = "、".join(s[:12] for s in seen)
        raise CatalogError(table.file, f"has a table but its header names no known column "
                           f"(found: {shown}; expected 序号, 公开事项, 公开内容, 公开依据 …)",
                           "no_known_column")
    end = start + 1
    while end < len(rows) and end < start + 3 and (
            _is_subheader(rows[end]) or _under_spans(rows[end - 1], rows[end])):
        end += 1
    header_rows = rows[start:end]
    width = max(len(r) for r in header_rows)
    columns = _map_columns(header_rows, width)
    return Header(start, end, columns, [_signature(r) for r in header_rows])


def _is_subheader(row: Sequence[Cell]) -> bool:
    texts = [_own(c).strip() for c in row if _own(c).strip()]
    if not texts:
        return False
    return all(C.subheader_kind(t) or C.header_field(t) for t in texts)


def _under_spans(above: Sequence[Cell], row: Sequence[Cell]) -> bool:
    """A second header row by its shape: its own cells are short and sit only under header
    cells spanning several columns, while the single-column header cells reach down into it
    (``公开对象`` over ``全`` | ``特定群体``, ``序号`` merged down beside them)."""
    own = [j for j, c in enumerate(row) if _state(c) == "own"]
    if not own or not any(_state(c) == "up" for c in row):
        return False
    if any(len(C.normalize_header(row[j].text)) > 12 for j in own):
        return False

    def spanning(j: int) -> bool:
        start = j
        while start > 0 and start < len(above) and _state(above[start]) == "left":
            start -= 1
        return start + 1 < len(above) and _state(above[start + 1]) == "left" or (
            j < len(above) and _state(above[j]) == "left")

    return all(spanning(j) for j in own)


def _map_columns(header_rows: Sequence[Sequence[Cell]], width: int) -> list[Column]:
    top_row, sub_rows = header_rows[0], header_rows[1:]
    columns: list[Column] = []
    carried = ""
    for i in range(width):
        top_cell = top_row[i] if i < len(top_row) else None
        sub = ""
        for r in sub_rows:
            if i < len(r) and _own(r[i]).strip():
                sub = _own(r[i]).strip()
        top = _own(top_cell).strip()
        if top:
            carried = top
        elif _state(top_cell) == "left" or (sub and carried):
            top = carried  # a top header spanning columns
        else:
            carried = ""
        columns.append(_column(i, top, sub))
    _one_level_block(columns)
    # One column per single-valued field: later duplicates are kept as extra columns.
    seen: set[str] = set()
    for col in columns:
        if col.mark or col.field in (C.LEVEL, "extra"):
            continue
        if col.field in seen:
            col.field = "extra"
        seen.add(col.field)
    return columns


def _one_level_block(columns: list[Column]) -> None:
    """Item levels are one block of adjacent columns: a level-named column standing apart
    (事项类别 among the columns after 公开主体) is kept as an extra column."""
    runs: list[list[Column]] = []
    for col in columns:
        if col.field == C.LEVEL:
            if runs and runs[-1][-1].index == col.index - 1:
                runs[-1].append(col)
            else:
                runs.append([col])
    if len(runs) <= 1:
        return
    keep = max(runs, key=len)  # the first of the longest
    for run in runs:
        if run is not keep:
            for col in run:
                col.field = "extra"


def _column(index: int, top: str, sub: str) -> Column:
    top_field = C.header_field(top) if top else None
    if not sub:
        return Column(index, top_field or "extra", top)
    sub_kind = C.subheader_kind(sub)
    label = C.normalize_header(sub)
    if sub_kind == C.LEVEL or top_field == C.LEVEL:
        return Column(index, C.LEVEL, label)
    if top_field in (C.AUDIENCE, C.METHOD, C.TIER):
        return Column(index, top_field, C.complete_label(sub, top_field), mark=True)
    if sub_kind in (C.AUDIENCE, C.METHOD, C.TIER):
        return Column(index, sub_kind, label, mark=True)
    sub_field = C.header_field(sub)
    if sub_field:
        return Column(index, sub_field, label)
    return Column(index, top_field or "extra", f"{top}/{sub}" if top else sub)


# ---------------------------------------------------------------- title and body

_TITLE_HINT = re.compile(r"目录|清单|事项|标准")
_ATTACHMENT = re.compile(r"^附\s*件\s*[\d一二三四五六七八九十]*\s*[:：]?\s*$")
_BODY_MARKERS = ("政务公开", "政府信息", "信息公开", "主动公开", "依申请公开", "公开事项",
                 "公开标准", "公开目录", "公开清单")
_DOMAIN_SUFFIX = re.compile(r"(?<=[县市区旗镇乡道局委厅办府])[^县市区旗镇乡道局委厅办府]*领域$")
_YEAR_PREFIX = re.compile(r"^(?:附\s*件\s*[\d一二三四五六七八九十]*\s*[:：]?\s*)?"
                          r"(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}、)?\s*"
                          r"(?:[（(]?\d{4}年(?:度|版)?[）)]?)?")


def find_title(table: RawTable, header_start: int) -> str | None:
    """The catalog's title: given by the reader, or the line above the header naming it."""
    if table.title and table.title.strip():
        return " ".join(table.title.split())
    candidates = []
    for row in table.rows[:header_start]:
        texts = [_own(c).strip() for c in row if _own(c).strip()]
        if len(set(texts)) == 1 and not _ATTACHMENT.match(texts[0]):
            candidates.append(" ".join(texts[0].split()))
    hinted = [t for t in candidates if _TITLE_HINT.search(t)]
    if hinted:
        return hinted[-1]
    return candidates[0] if candidates else None


def body_of(title: str | None) -> str | None:
    """The body a catalog's title names: 长治市教育局主动公开事项目录 → 长治市教育局."""
    if not title:
        return None
    t = _YEAR_PREFIX.sub("", title.strip())
    cut = min((t.find(m) for m in _BODY_MARKERS if m in t), default=-1)
    if cut <= 0:
        return None
    body = t[:cut]
    if t.startswith("政府", cut) and body.endswith(body_words("before_government")):
        body += "政府"  # 某县人民政府信息公开目录: the marker began inside the body's name
    body = body.strip(" ：:（()）")
    if body.endswith("政府") and body[:-2].endswith(("局", "委", "厅", "办", "院", "会", "中心")):
        body = body[:-2]  # 某区教育局政府公开标准化目录: 政府 opens the marker, not the body
    body = re.sub(r"(?:\d{4}年(?:度)?|关于|基层|本级)$", "", body)
    body = _DOMAIN_SUFFIX.sub("", body)  # 某县财政预决算领域 → 某县
    if body.endswith("领域"):
        return None  # （一）义务教育领域…目录 names a field, not a body
    return body if len(body) >= 2 else None


# ---------------------------------------------------------------- rows

_FOOTER = re.compile(r"^第\s*\d+\s*页|^共\s*\d+\s*页|^-\s*\d+\s*-$|^\d+\s*/\s*\d+$")
_NOTE = re.compile(r"^(?:注|备注|说明|附注|填表说明)\s*[:：\d１-９]")
_DASH = re.compile(r"\s*(?:—{1,2}|――|－|--)\s*")


def _split_level(text: str) -> tuple[str, ...]:
    """重点民生领域—通知公告 → two levels; a dash inside 2023—2025年 stays."""
    text = " ".join(text.split())
    parts = _DASH.split(text)
    if len(parts) > 1 and all(2 <= len(p) <= 30 for p in parts) and not any(
        a[-1:].isdigit() or b[:1].isdigit() for a, b in zip(parts, parts[1:], strict=False)
    ):
        return tuple(parts)
    return (text,) if text else ()


class _Layout:
    """The state of reading one table top to bottom."""

    def __init__(self, table: RawTable, header: Header, title: str, body: str | None) -> None:
        self.table = table
        self.header = header
        self.title = title
        self.body = body
        self.levels = header.of(C.LEVEL)
        self.level_start = self.levels[0].index if self.levels else None
        self.level_end = self.levels[-1].index if self.levels else None
        contiguous = bool(self.levels) and [c.index for c in self.levels] == list(
            range(self.levels[0].index, self.levels[-1].index + 1))
        self.can_shift = contiguous
        self.fields = [c for c in header.columns if c.field != C.LEVEL]
        self.marks = [c for c in header.columns if c.mark]
        self.typed = self._typed()
        self.number_col = header.first(C.NUMBER)
        self.content_col = header.first(C.CONTENT)
        self.first_of = {f: header.first(f) for f in (C.CONTENT, C.BASIS, C.TIME, C.SUBJECT, C.CHANNELS,
                                                      C.AUDIENCE, C.METHOD, C.TIER)}
        self.marks_of = {f: [c for c in header.of(f) if c.mark] for f in (C.AUDIENCE, C.METHOD, C.TIER)}
        self.extras = [c for c in header.columns if c.field == "extra" and c.label]
        self.warnings: list[str] = []
        method_col = header.first(C.METHOD)
        self.default_method = "依申请" if ("依申请" in title and "主动" not in title) else "主动"
        self.single_method_col = method_col if (method_col and not method_col.mark) else None
        self.title_method = _method_of_title(title) if method_col is None else None

    def _typed(self) -> list[Column]:
        return [c for c in self.fields if c in self.marks or c.field in (C.BASIS, C.TIME, C.CHANNELS, C.SUBJECT)]

    def learn_marks(self, rows: Sequence[Sequence[Cell]]) -> None:
        """Columns that hold ✓ marks: declared under a mark label, or mostly marks in the data."""
        for col in self.fields:
            if col in self.marks:
                continue
            texts = [_own(r[col.index]).strip() for r in rows if col.index < len(r) and _own(r[col.index]).strip()]
            if texts and sum(map(C.is_mark, texts)) * 2 > len(texts):
                self.marks.append(col)
        self.marks.sort(key=lambda c: c.index)
        self.typed = self._typed()

    # -- shifts -----------------------------------------------------------

    def shift_of(self, row: Sequence[Cell]) -> int:
        """How many extra item levels this row has (its later cells sit that far right)."""
        if not self.can_shift or not self.typed:
            return 0
        assert self.level_end is not None
        scores: dict[int, int] = {}
        best = 0
        for k in (1, 2):
            extra = [_own(row[i]) for i in range(self.level_end + 1, self.level_end + 1 + k) if i < len(row)]
            if not any(t.strip() for t in extra) or any(looks & STRONG for looks in map(C.looks_like, extra)):
                break
            if not scores:
                scores[0] = self._fit(row, 0)
            scores[k] = self._fit(row, k)
            if scores[k] > scores[best] + 1:
                best = k
        return best

    def _fit(self, row: Sequence[Cell], k: int) -> int:
        score = 0
        for col in self.typed:
            j = col.index + k if self._after_levels(col) else col.index
            if j >= len(row):
                continue
            kinds = C.looks_like(_own(row[j]))
            if not kinds:
                continue
            want = "mark" if col in self.marks else col.field
            if want in kinds:
                score += 2
            elif kinds & STRONG:
                score -= 2
        content = self.content_col
        if content is not None and content.index + k < len(row):
            if C.looks_like(_own(row[content.index + k])) & STRONG:
                score -= 2
        return score

    def _after_levels(self, col: Column) -> bool:
        return self.level_end is not None and col.index > self.level_end

    def mark_pattern(self, row: Sequence[Cell]) -> tuple[bool, ...]:
        return tuple(C.is_mark(_own(row[c.index])) if c.index < len(row) else False for c in self.marks)

    def aligned(self, row: Sequence[Cell], k: int, usual_marks: tuple[bool, ...] | None) -> tuple[dict[int, Cell], list[str]]:
        """The cell of each non-level column for a row shifted by k, with the lost mark put back."""
        notes: list[str] = []
        out: dict[int, Cell] = {}
        for col in self.fields:
            j = col.index + k if self._after_levels(col) else col.index
            out[col.index] = row[j] if j < len(row) else Cell("")
        if k:
            notes.append(say("SHIFTED", found=len(self.levels) + k, declared=len(self.levels)))
            lost = [c for c in self.fields if c.index + k >= len(row)]
            if lost and all(c in self.marks for c in lost) and usual_marks is not None:
                kept = [out[c.index] for c in self.marks if c.index + k < len(row)]
                pattern = _restore_marks(kept, len(self.marks), usual_marks)
                for col, cell in zip(self.marks, pattern, strict=True):
                    out[col.index] = cell
                if any(C.is_mark(c.text) for c in kept):
                    notes.append(say("MARK_RESTORED"))
        return out, notes


def _method_of_title(title: str) -> str | None:
    """The method a catalog's title gives all its items: …主动公开…目录 → 主动 (依申请 alike);
    None when it names both or neither."""
    t = fold_wraps(title)
    active, on_request = "主动公开" in t, "依申请公开" in t
    if active != on_request:
        return "主动" if active else "依申请"
    return None


def _restore_marks(kept: list[Cell], width: int, usual: tuple[bool, ...]) -> list[Cell]:
    """Insert empty cells into ``kept`` to fill ``width`` columns, matching the usual pattern best."""
    missing = width - len(kept)
    best: list[Cell] | None = None
    best_distance = width + 1
    for gaps in combinations(range(width), missing):
        cells, it = [], iter(kept)
        for i in range(width):
            cells.append(Cell("") if i in gaps else next(it))
        distance = sum(C.is_mark(c.text) != u for c, u in zip(cells, usual, strict=True))
        if distance < best_distance:  # first best wins: earlier gaps, deterministic
            best, best_distance = cells, distance
    assert best is not None
    return best


# ---------------------------------------------------------------- main entry


@dataclass(slots=True)
class SectionRead:
    """How one catalog of a table was read (for ``explain``): its title, the row of the whole
    table its rows begin at, its header (rows counted from ``offset``), the rows read as its
    items (rows of the whole table, one item each, in order) and its first item's index."""

    title: str
    offset: int
    header: Header
    data: list[int]
    first_item: int


def build_catalog(table: RawTable, fmt: str = "text",
                  trace: list[SectionRead] | None = None) -> Catalog:
    """Read a RawTable into a Catalog of items (citations not yet attached).

    A table holding several catalogs, each under its own title row with its own header
    (``（一）义务教育领域……目录``, ``（二）…``), is read section by section: the file stays
    one catalog (its ``title`` the file's own title, else the first section's), and each item's
    ``catalog`` names the section it was read in; ``source.row`` counts data rows through the
    whole table.
    """
    header = find_header(table)
    title = find_title(table, header.start)
    warnings = list(table.warnings)
    if not title:
        title = PurePath(table.file).stem
        warnings.append(f"no title above the table; the catalog is named after its file ({title})")
    sections = find_sections(table, header)
    items: list[DisclosureItem] = []
    section_titles: list[str] = []
    for n, (start, end, own_title) in enumerate(sections):
        if n == 0:  # the first catalog: the table's own header, its rows up to the next title
            part, part_header, end_row = table, header, end
        else:  # a later one: its title row, its header, its rows
            part = RawTable(table.file, table.rows[start:end], table.pages[start:end], None, [])
            part_header, end_row = find_header(part), end - start
        section_title = own_title or title
        if len(sections) > 1:
            section_titles.append(section_title)
        data: list[int] = []
        first = len(items)
        items += _read_section(part, part_header, section_title, end_row, len(items), warnings,
                               data, body_of(title))
        if trace is not None:
            offset = 0 if n == 0 else start
            trace.append(SectionRead(section_title, offset, part_header,
                                     [offset + i for i in data], first))
    if len(sections) > 1:
        warnings.append(f"the file holds {len(sections)} catalogs, read as sections: "
                        + "；".join(section_titles))
    return Catalog(title=title, body=body_of(title), file=table.file, items=items,
                   warnings=warnings, format=fmt, sections=section_titles)


_SAME = frozenset({"同上", "同左", "同前", "同上。", "同左。", "同前。"})


def _read_section(table: RawTable, header: Header, title: str, stop: int, before: int,
                  warnings: list[str], data: list[int], file_body: str | None = None,
                  ) -> list[DisclosureItem]:
    """The items of one catalog's rows (``table.rows[header.end:stop]``); ``data`` gets the
    rows read as items."""
    body = body_of(title) or file_body  # a section's title may name only its field
    number_col = header.first(C.NUMBER)
    for i in range(header.end, min(stop, len(table.rows))):
        row = table.rows[i]
        texts = [_own(c).strip() for c in row if _own(c).strip()]
        if not texts:
            continue
        sig = _signature(row)
        if sig in header.signatures or (number_col and _own(_cell(row, number_col.index)).strip() == "序号"):
            continue  # a header repeated after a page break
        if len(set(texts)) == 1 and (_FOOTER.match(texts[0]) or _NOTE.match(texts[0])):
            warnings.append(f"skipped a note below the table: {texts[0][:40]}")
            continue
        data.append(i)
    if not data:
        raise CatalogError(table.file, "has a catalog header but no rows below it", "no_table")
    rows = [table.rows[i] for i in data]
    inferred = _columns_from_cells(header, rows)
    layout = _Layout(table, header, title, body)

    layout.learn_marks(rows)
    shifts = {i: layout.shift_of(table.rows[i]) for i in data}
    patterns = Counter(layout.mark_pattern(table.rows[i]) for i in data if shifts[i] == 0
                       and any(C.is_mark(_own(c)) for c in table.rows[i]))
    usual_marks = patterns.most_common(1)[0][0] if patterns else None
    splitters = _level_separators(layout, rows)

    items: list[DisclosureItem] = []
    prev_values: dict[int, str] = {}
    prev_slots: list[tuple[str, ...]] = []
    group: str | None = None
    for n, i in enumerate(data, start=before + 1):
        row = table.rows[i]
        k = shifts[i]
        cells, notes = layout.aligned(row, k, usual_marks)
        notes = inferred + notes if not items else notes

        # The group: a row with its own number starts one; otherwise it continues.
        if layout.number_col is not None:
            num_cell = cells[layout.number_col.index]
            continues = _state(num_cell) != "own"
            if not continues:
                group = " ".join(num_cell.text.split()).rstrip(".．、")
        else:
            first_level = _cell(row, layout.level_start) if layout.level_start is not None else None
            continues = bool(items) and _state(first_level) != "own"

        # Level slots as written, with a description in a level column moved to content.
        slot_cells: list[Cell] = []
        if layout.level_start is not None and layout.level_end is not None:
            slot_cells = [_cell(row, j) for j in range(layout.level_start, layout.level_end + 1 + k)]
        for j, cell in enumerate(slot_cells):
            if _state(cell) == "own" and fold_wraps(cell.text.strip()) in _SAME:
                label = layout.levels[min(j, len(layout.levels) - 1)].label or "item level"
                notes.append(say("SAME_AS_ABOVE", column=label, word=cell.text.strip()))
                slot_cells[j] = Cell("", merged="up")
        content_col = layout.header.first(C.CONTENT)
        moved: str | None = None
        if content_col is not None and _state(cells[content_col.index]) == "empty":
            own_slots = [j for j, c in enumerate(slot_cells) if _state(c) == "own"]
            for j in own_slots:
                if C.is_descriptive(slot_cells[j].text) and (j == len(slot_cells) - 1 or j > own_slots[0]):
                    moved = join_lines(slot_cells[j].text)
                    slot_cells[j] = Cell("")
                    col_label = layout.levels[min(j, len(layout.levels) - 1)].label or "item level"
                    notes.append(say("CONTENT_FROM_LEVEL", column=col_label))
                    break

        seps = [splitters.get(layout.level_start + j) if layout.level_start is not None else None
                for j in range(len(slot_cells))]
        slots = _resolve_levels(slot_cells, prev_slots, seps, notes)
        path = [name for slot in slots for name in slot]
        prev_slots = slots

        values: dict[int, str] = {}
        for col in layout.fields:
            cell = cells[col.index]
            state = _state(cell)
            if state == "own" and fold_wraps(cell.text.strip()) in _SAME and not col.mark:
                notes.append(say("SAME_AS_ABOVE", column=col.label or col.field,
                                 word=cell.text.strip()))
                state = "up"
            if state == "own":
                values[col.index] = cell.text
            elif state == "up" or (state == "empty" and continues):
                values[col.index] = prev_values.get(col.index, "")
            else:
                values[col.index] = ""
        if moved is not None and content_col is not None:
            values[content_col.index] = moved
        prev_values = values

        items.append(layout_item(layout, values, path, group, n, table.pages[i] if i < len(table.pages) else None, notes))
        read = table.ocr[i] if table.ocr is not None and i < len(table.ocr) else None
        if read is not None:  # a scanned row: how OCR read it, and its unsure cells
            items[-1].source.ocr = read
            items[-1].warnings.extend(read.warnings)

    return items


def find_sections(table: RawTable, header: Header) -> list[tuple[int, int, str | None]]:
    """The catalogs a table holds, as (first row, end row, own title): the first from the top,
    then one at every title row (one text across the row naming a catalog: …目录, …清单) that a
    header row follows. One section when the table holds one catalog."""
    rows = table.rows
    starts: list[tuple[int, str]] = []
    i = header.end
    while i < len(rows):
        texts = [_own(c).strip() for c in rows[i] if _own(c).strip()]
        if len(texts) == 1 and _SECTION_TITLE.search(texts[0]) and len(texts[0]) <= 80:
            nxt = next((j for j in range(i + 1, min(i + 4, len(rows)))
                        if any(_own(c).strip() for c in rows[j])), None)
            if nxt is not None and _header_like(rows[nxt]):
                starts.append((i, " ".join(texts[0].split())))
                i = nxt + 1
                continue
        i += 1
    if not starts:
        return [(0, len(rows), None)]
    sections: list[tuple[int, int, str | None]] = [(0, starts[0][0], None)]
    for n, (start, section_title) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(rows)
        sections.append((start, end, section_title))
    return sections


_SECTION_TITLE = re.compile(r"目录|清单|一览表|事项表")


def _header_like(row: Sequence[Cell]) -> bool:
    fields = {C.header_field(t) for t in (_own(c) for c in row) if t.strip()}
    fields.discard(None)
    return len(fields) >= 2 and bool(fields & {C.NUMBER, C.LEVEL, C.CONTENT, C.BASIS})


def _columns_from_cells(header: Header, rows: Sequence[Sequence[Cell]]) -> list[str]:
    """Columns whose header names nothing known (or was cut short: ``公开``, an empty 序号
    cell) read by what their cells hold, for fields the table has no column for; the notes."""
    notes: list[str] = []
    have = {c.field for c in header.columns}
    for col in header.columns:
        if col.field != "extra" or col.mark or (col.label and C.header_field(col.label)):
            continue
        if col.label and C.normalize_header(col.label) in C.known_names():
            continue
        texts = [_own(r[col.index]).strip() for r in rows
                 if col.index < len(r) and _own(r[col.index]).strip()]
        if len(texts) < 2 and not (texts and len(rows) == 1):
            continue
        votes: Counter[str] = Counter()
        for t in texts:
            kinds = C.looks_like(t) & {C.NUMBER, C.TIME, C.SUBJECT, C.CHANNELS, C.BASIS}
            if len(kinds) == 1:
                votes[next(iter(kinds))] += 1
        if not votes:
            continue
        field, count = votes.most_common(1)[0]
        if field in have or count * 10 < len(texts) * 8:
            continue
        if field == C.NUMBER and col.index != min(c.index for c in header.columns):
            continue  # a 序号 column is the table's first
        col.field = field
        have.add(field)
        notes.append(say("COLUMN_FROM_CELLS", column=col.index + 1, label=col.label or "no header",
                         field=field))
    return notes


_LEVEL_SEPS = ("／", "/", "＼", "\\", "—", "－", ">", "＞", "-")
_HEADER_SEP = re.compile(r"级\s*[／/＼\\—－>＞-]\s*[一二三四五六七八九\d]?级|[／/＼\\>＞]")


def _level_separators(layout: _Layout, rows: Sequence[Sequence[Cell]]) -> dict[int, str]:
    """The level columns whose cells hold several levels joined, and the separator: the
    header says so (``公开事项(一级/二级)``), or most of the column's cells are joined by it."""
    out: dict[int, str] = {}
    for col in layout.levels:
        texts = [_outside_titles(fold_wraps(_own(r[col.index]).strip())) for r in rows
                 if col.index < len(r) and _own(r[col.index]).strip()]
        if not texts:
            continue
        counts = {sep: sum(1 for t in texts if _joins(t, sep)) for sep in _LEVEL_SEPS}
        sep, count = max(counts.items(), key=lambda kv: kv[1])
        header_says = bool(_HEADER_SEP.search(col.label.split("(")[-1].split("（")[-1]))
        if count and (header_says or (count * 2 > len(texts) and count >= 2)):
            out[col.index] = sep
    return out


def _outside_titles(text: str) -> str:
    """The text with what stands inside 《》 and brackets blanked (a / there joins no levels)."""
    out, depth = [], 0
    for ch in text:
        if ch in "《（(〈<[【":
            depth += 1
        elif ch in "》）)〉>]】" and depth:
            depth -= 1
            out.append(" ")
            continue
        out.append(" " if depth else ch)
    return "".join(out)


def _joins(text: str, sep: str) -> bool:
    """Does ``sep`` join names of at least two characters in ``text`` (never digits: 2023-2025)?"""
    if sep not in text:
        return False
    parts = [p.strip() for p in text.split(sep)]
    return all(len(p) >= 2 for p in parts) and not any(
        a[-1:].isdigit() or b[:1].isdigit() for a, b in zip(parts, parts[1:], strict=False))


def _split_joined(text: str, sep: str | None, notes: list[str]) -> tuple[str, ...]:
    """A level cell's names: split at the column's separator outside 《》 and brackets."""
    name = join_lines(text)
    if sep is None:
        return _split_level(name)
    blank = _outside_titles(name)
    if not _joins(blank, sep):
        return _split_level(name)
    cuts = [i for i in range(len(blank)) if blank.startswith(sep, i)]
    parts, last = [], 0
    for i in cuts:
        parts.append(name[last:i].strip())
        last = i + len(sep)
    parts.append(name[last:].strip())
    parts = [p for p in parts if p]
    notes.append(say("LEVELS_SPLIT", text=name, count=len(parts), sep=sep))
    return tuple(parts)


def _cell(row: Sequence[Cell], index: int | None) -> Cell:
    if index is None or index >= len(row):
        return Cell("")
    return row[index]


def _resolve_levels(slot_cells: Sequence[Cell], prev: Sequence[tuple[str, ...]],
                    seps: Sequence[str | None] = (), notes: list[str] | None = None,
                    ) -> list[tuple[str, ...]]:
    """Level slots of a row, filled from the row above as a tree is (see module doc)."""
    states = [_state(c) for c in slot_cells]
    own = [j for j, s in enumerate(states) if s == "own"]

    def above(j: int) -> tuple[str, ...]:
        return prev[j] if j < len(prev) else ()

    if not own:
        return [above(j) if s in ("empty", "up") else () for j, s in enumerate(states)]
    first, last = own[0], own[-1]
    out: list[tuple[str, ...]] = []
    for j, (cell, s) in enumerate(zip(slot_cells, states, strict=True)):
        if s == "own":
            out.append(_split_joined(cell.text, seps[j] if j < len(seps) else None,
                                     notes if notes is not None else []))
        elif s == "left":
            out.append(())
        elif j < first or s == "up":
            out.append(above(j))
        elif j < last and list(out[:j]) == list(prev[:j]):
            out.append(above(j))  # a gap under an unchanged parent: merged above
        else:
            out.append(())
    return out


def layout_item(layout: _Layout, values: dict[int, str], path: list[str], group: str | None,
                row_number: int, page: int | None, notes: list[str]) -> DisclosureItem:
    """One item from a row's resolved values."""

    def text_of(field: str) -> str | None:
        col = layout.first_of[field]
        if col is None or col.mark:
            return None
        raw = values.get(col.index, "")
        if field == C.BASIS:
            value = raw.strip()  # as written: citations point into it
        elif field == C.CONTENT:
            value = " ".join(raw.split())  # as written, on one line
        else:
            value = join_lines(raw)  # names and values: wrap spaces folded
        return value or None

    def marked(field: str) -> list[str]:
        return [c.label for c in layout.marks_of[field] if C.is_mark(values.get(c.index, ""))]

    warnings = list(notes)
    audience = marked(C.AUDIENCE) or split_list(text_of(C.AUDIENCE))
    method = [{"主动公开": "主动", "依申请公开": "依申请"}.get(m, m) for m in marked(C.METHOD)]
    if not method and layout.single_method_col is not None:
        raw = values.get(layout.single_method_col.index, "")
        method = [layout.default_method] if C.is_mark(raw) else split_methods(raw)
    if not method and layout.title_method is not None:
        method = [layout.title_method]
        warnings.append(say("METHOD_FROM_TITLE", method=layout.title_method))
    tiers = marked(C.TIER) or split_list(text_of(C.TIER))
    subject = text_of(C.SUBJECT)
    if subject is None and layout.first_of[C.SUBJECT] is not None:
        if layout.body:
            subject = layout.body
            warnings.append(say("SUBJECT_FILLED", body=layout.body))
        else:
            warnings.append(say("SUBJECT_UNKNOWN"))
    extra = {}
    for col in layout.extras:
        if values.get(col.index, "").strip():
            extra[col.label] = join_lines(values[col.index])
    basis = text_of(C.BASIS)
    content = text_of(C.CONTENT)
    channels = layout.first_of[C.CHANNELS]
    source = Source(layout.table.file, page, row_number)
    key = "\x1f".join([layout.title, str(row_number), group or "", "\x1e".join(path)])
    item_id = hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return DisclosureItem(
        catalog=layout.title, id=item_id, number=group, path=path, content=content, basis=basis,
        time_limit=parse_time_limit(text_of(C.TIME)), subject=subject,
        channels=split_channels(values.get(channels.index, "") if channels else None),
        audience=audience, method=method, source=source, citations=[], warnings=warnings,
        level=tiers, extra=extra,
    )
