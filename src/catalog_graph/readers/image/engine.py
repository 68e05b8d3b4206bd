"""The OCR engine behind one small interface: a picture of a cell's text → its lines.

An engine is anything with a ``name`` (written into each item's ``source.ocr``) and
``read(grey) -> list[TextLine]``: the text lines in a grey picture (uint8, dark text on light
paper), top to bottom, each with its box and a confidence from 0 to 1.

The engine used is :class:`RapidOcr`: RapidOCR (``rapidocr_onnxruntime`` 1.4.4), PaddleOCR's
PP-OCRv4 Chinese detection and recognition models run by ONNX Runtime. The models are files
inside that wheel and it has no code that downloads anything, so it runs offline on a machine
that only had the package registry. It is made once per process by :func:`engine` (a build's
worker processes each load it once, on their first scan) and uses every core it may run on,
one thread in a worker process of a build (the workers share the cores).

A GPU: install ``onnxruntime-gpu`` in place of ``onnxruntime`` (same import name, CUDA and
cuDNN versions as in ONNX Runtime's table) and set ``CATALOG_GRAPH_OCR_GPU=1``: the three
sessions then ask for the CUDA provider, falling back to the CPU.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import numpy as np

PACKAGE = "rapidocr_onnxruntime"
INSTALL = ("pip install 'catalog-graph[ocr]' && pip install --no-deps "
           "'rapidocr_onnxruntime==1.4.4'")
"""What to run for OCR (the engine's own metadata asks for the desktop OpenCV build, which needs
libGL; the extra brings the headless build instead, so the engine goes in without its deps)."""


@dataclass(frozen=True, slots=True)
class TextLine:
    """One line of text read in a picture: its box (pixels of that picture) and confidence."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    confidence: float


class OcrEngine(Protocol):
    """What the scan reader needs of an OCR engine."""

    name: str

    def read(self, grey: np.ndarray) -> list[TextLine]:
        """The text lines in a grey picture, top to bottom."""
        ...


class EngineMissing(Exception):
    """The OCR engine is not installed."""


_LOCK = threading.Lock()
_ENGINE: list[OcrEngine] = []
loads = 0
"""How many times this process has loaded the engine's models (once, after the first scan)."""


def engine() -> OcrEngine:
    """The process's OCR engine, made on first use (models loaded once per process)."""
    global loads
    with _LOCK:
        if not _ENGINE:
            _ENGINE.append(RapidOcr())
            loads += 1
        return _ENGINE[0]


def available() -> bool:
    """Whether the OCR engine is installed (without loading it)."""
    from importlib.util import find_spec

    return all(find_spec(m) is not None for m in (PACKAGE, "onnxruntime", "cv2"))


def _threads() -> int:
    configured = os.environ.get("CATALOG_GRAPH_OCR_THREADS", "")
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    import multiprocessing

    if multiprocessing.parent_process() is not None:
        return 1  # a build's worker: the workers share the cores
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


class RapidOcr:
    """RapidOCR (``rapidocr_onnxruntime``): text detection, then recognition of each line.

    Made with ``det_limit_type="max"``: RapidOCR's default scales every picture up until its
    short side is 736 px, which makes a cell crop 60 px high take a second; pictures are read
    at their own size (up to 4000 px, so a page is not shrunk either).
    """

    def __init__(self, threads: int | None = None) -> None:
        if not available():
            raise EngineMissing(f"reading scans needs an OCR engine: {INSTALL}")
        import logging

        from rapidocr_onnxruntime import RapidOCR

        logging.getLogger("RapidOCR").setLevel(logging.WARNING)
        gpu = os.environ.get("CATALOG_GRAPH_OCR_GPU", "") not in ("", "0")
        threads = threads or _threads()
        self._ocr = RapidOCR(intra_op_num_threads=threads, inter_op_num_threads=1,
                             det_limit_type="max", det_limit_side_len=4000, max_side_len=4000,
                             det_use_cuda=gpu, rec_use_cuda=gpu, cls_use_cuda=gpu)
        from importlib.metadata import version

        self.name = f"{PACKAGE} {version(PACKAGE)}"
        self._lock = threading.Lock()

    def read(self, grey: np.ndarray) -> list[TextLine]:
        """Lines of text in ``grey``: detected boxes grouped into lines, left to right. A lone
        small character detection misses (a 序号 ``4``, a check mark) is recognised on its own."""
        import numpy as np

        pad = 12  # detection finds text touching the border badly
        paper = int(np.percentile(grey, 90))
        img = np.pad(grey, pad, constant_values=paper)
        with self._lock:
            found, _ = self._ocr(np.ascontiguousarray(np.dstack([img] * 3)), use_cls=False)
        boxes = [(np.asarray(b, np.float32) - pad, str(t), float(s)) for b, t, s in found or []]
        if not boxes:
            return self._lone(grey, paper)
        return [_line(group) for group in _group_lines(boxes)]

    def _lone(self, grey: np.ndarray, paper: int) -> list[TextLine]:
        """Recognition alone on the inked part of a picture detection found nothing in."""
        import cv2
        import numpy as np

        dark = (grey < paper - 50).astype(np.uint8)
        n, labels, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=8)
        keep = [i for i in range(1, n) if stats[i, cv2.CC_STAT_AREA] >= 10]  # not dust
        if not keep:
            return []
        ys, xs = np.nonzero(np.isin(labels, keep))
        y0, y1 = max(0, int(ys.min()) - 4), int(ys.max()) + 5
        x0, x1 = max(0, int(xs.min()) - 4), int(xs.max()) + 5
        if y1 - y0 > 3 * 64:  # more than a line: not a lone character
            return []
        crop = np.pad(grey[y0:y1, x0:x1], 6, constant_values=paper)
        with self._lock:
            found, _ = self._ocr(np.ascontiguousarray(np.dstack([crop] * 3)), use_det=False,
                                 use_cls=False, use_rec=True)
        if not found or not str(found[0][0]).strip():
            return []
        return [TextLine(str(found[0][0]).strip(), x0, y0, x1, y1, float(found[0][1]))]


def _group_lines(boxes: list[tuple[np.ndarray, str, float]]) -> list[list[tuple]]:
    """Detected boxes into lines, top to bottom (a box joins the line it overlaps by half its
    height), each line left to right."""
    ordered = sorted(boxes, key=lambda b: float(b[0][:, 1].mean()))
    lines: list[list[tuple]] = []
    for box in ordered:
        y0, y1 = float(box[0][:, 1].min()), float(box[0][:, 1].max())
        if lines:
            ly0 = min(float(b[0][:, 1].min()) for b in lines[-1])
            ly1 = max(float(b[0][:, 1].max()) for b in lines[-1])
            if min(y1, ly1) - max(y0, ly0) > 0.5 * min(y1 - y0, ly1 - ly0):
                lines[-1].append(box)
                continue
        lines.append([box])
    return [sorted(line, key=lambda b: float(b[0][:, 0].min())) for line in lines]


def _line(boxes: list[tuple]) -> TextLine:
    text = "".join(b[1] for b in boxes)
    n = sum(len(b[1]) for b in boxes) or 1
    confidence = sum(b[2] * len(b[1]) for b in boxes) / n
    return TextLine(text, min(float(b[0][:, 0].min()) for b in boxes),
                    min(float(b[0][:, 1].min()) for b in boxes),
                    max(float(b[0][:, 0].max()) for b in boxes),
                    max(float(b[0][:, 1].max()) for b in boxes), confidence)
