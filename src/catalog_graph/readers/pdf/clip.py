"""Visible text only: pdfminer's interpreter extended to follow clipping paths.

A printer clips what it does not want seen: LibreOffice and Excel draw the whole text of a
merged cell cut by a page break on both pages and clip each part to its page. pdfminer draws
every glyph; the interpreter here follows the clipping path (its bounding box) through q/Q,
W/W*, and form XObjects, and removes text drawn outside it as it is drawn. It also counts
what the page draws against the limits (:mod:`catalog_graph.readers.pdf.limits`), so a
hostile page stops before it fills memory or takes minutes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from catalog_graph.readers.pdf.limits import FileBudget, PageBudget

if TYPE_CHECKING:
    from pdfplumber.page import Page


def clip_aware_layout(page: Page, spent: FileBudget) -> None:
    """Lay out the page with an interpreter that drops glyphs outside the clipping path
    (``PageTooBusy`` when the page exceeds the page limits, ``FileTooBusy`` when ``spent``,
    what the pages before used, goes over the file limits)."""
    from pdfplumber.page import PDFPageAggregatorWithMarkedContent

    device = PDFPageAggregatorWithMarkedContent(page.pdf.rsrcmgr, pageno=page.page_number,
                                                laparams=page.pdf.laparams)
    interpreter = _clip_interpreter_class()(page.pdf.rsrcmgr, device)
    interpreter.budget = PageBudget(spent)
    interpreter.max_operands = spent.settings.max_operands
    interpreter.process_page(page.page_obj)
    page._layout = device.get_result()


_CLASS: list[type] = []


def _clip_interpreter_class() -> type:
    """pdfminer's interpreter, following the clipping path (its bounding box) through q/Q,
    W/W*, form XObjects; text drawn outside it is removed as it is drawn."""
    if _CLASS:
        return _CLASS[0]
    from pdfminer.layout import LTChar
    from pdfminer.pdfinterp import PDFPageInterpreter
    from pdfminer.utils import apply_matrix_pt

    class ClipInterpreter(PDFPageInterpreter):
        _parent_clip: tuple[float, float, float, float] | None = None
        budget: PageBudget
        max_operands: int

        def dup(self):  # form XObjects start with the clip of the page drawing them
            child = super().dup()
            child._parent_clip = self.clip
            child.budget = self.budget
            child.max_operands = self.max_operands
            return child

        # ---- limits: a hostile page stops before it fills memory or takes minutes

        def execute(self, streams) -> None:
            self.budget.add_streams(streams)
            super().execute(streams)

        def push(self, obj) -> None:  # stray operands would pile up (and slow every pop)
            if len(self.argstack) >= self.max_operands:
                del self.argstack[0]
            self.argstack.append(obj)

        def do_m(self, x, y) -> None:
            self.budget.segment()
            super().do_m(x, y)

        def do_l(self, x, y) -> None:
            self.budget.segment()
            super().do_l(x, y)

        def do_c(self, x1, y1, x2, y2, x3, y3) -> None:
            self.budget.segment()
            super().do_c(x1, y1, x2, y2, x3, y3)

        def do_v(self, x2, y2, x3, y3) -> None:
            self.budget.segment()
            super().do_v(x2, y2, x3, y3)

        def do_y(self, x1, y1, x3, y3) -> None:
            self.budget.segment()
            super().do_y(x1, y1, x3, y3)

        def do_re(self, x, y, w, h) -> None:
            self.budget.segment()
            super().do_re(x, y, w, h)

        # ---- clipping

        def init_state(self, ctm) -> None:
            super().init_state(ctm)
            self.clip = self._parent_clip
            self.clip_stack: list = []
            self.pending_clip = False

        def do_q(self) -> None:
            self.clip_stack.append(self.clip)
            super().do_q()

        def do_Q(self) -> None:
            if self.clip_stack:
                self.clip = self.clip_stack.pop()
            super().do_Q()

        def do_W(self) -> None:
            self.pending_clip = True

        def do_W_a(self) -> None:
            self.pending_clip = True

        def _apply_clip(self) -> None:
            if not self.pending_clip:
                return
            self.pending_clip = False
            xs: list[float] = []
            ys: list[float] = []
            for seg in self.curpath:
                coords = seg[1:]
                for i in range(0, len(coords) - 1, 2):
                    x, y = apply_matrix_pt(self.ctm, (coords[i], coords[i + 1]))
                    xs.append(x)
                    ys.append(y)
            if not xs:
                return
            box = (min(xs), min(ys), max(xs), max(ys))
            if self.clip is not None:
                c = self.clip
                box = (max(box[0], c[0]), max(box[1], c[1]), min(box[2], c[2]), min(box[3], c[3]))
            self.clip = box

        def do_n(self) -> None:
            self._apply_clip()
            super().do_n()

        def do_f(self) -> None:
            self._apply_clip()
            super().do_f()

        def do_f_a(self) -> None:
            self._apply_clip()
            super().do_f_a()

        def do_S(self) -> None:
            self._apply_clip()
            super().do_S()

        def do_B(self) -> None:
            self._apply_clip()
            super().do_B()

        def do_B_a(self) -> None:
            self._apply_clip()
            super().do_B_a()

        def do_TJ(self, seq) -> None:
            if isinstance(seq, list):  # at most a byte per glyph: counted before it is drawn
                self.budget.add_chars(sum(len(x) for x in seq if isinstance(x, bytes)))
            container = self.device.cur_item
            before = len(container._objs)
            super().do_TJ(seq)
            clip = self.clip
            if clip is None:
                return
            x0, y0, x1, y1 = clip
            objs = container._objs
            drawn = objs[before:]
            kept = [o for o in drawn if not isinstance(o, LTChar)
                    or (x0 <= (o.x0 + o.x1) / 2 <= x1 and y0 <= (o.y0 + o.y1) / 2 <= y1)]
            if len(kept) != len(drawn):
                del objs[before:]
                objs.extend(kept)

    _CLASS.append(ClipInterpreter)
    return ClipInterpreter
