"""Highlight extractions in a document's text, server-side, from character offsets.

Extractions overlap freely (an entity inside an event sentence, a claim quote
running across two sentences), but HTML elements must nest. ``render`` cuts the
text at every span boundary and, segment by segment, keeps a stack of open
``<mark>`` elements ordered outermost first; a span that is still open when an
enclosing span closes is closed and reopened as a continuation fragment. The
order is fixed (start, then longer first, then kind, then title), so the same
spans always give the same HTML. All text is escaped.

The first fragment of each span carries ``id="span-<start>-<end>"`` so other
pages can link to ``/documents/<id>?focus=<start>-<end>#span-<start>-<end>``;
the focused span (added when no extraction has exactly those offsets) gets the
``focus`` class on every fragment. A mark may name more anchors (``claim-12``)
for pages that know a fact's id but not its offsets.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from markupsafe import Markup

FOCUS = "focus"


@dataclass(frozen=True)
class Mark:
    """One span to highlight: ``kind`` names its CSS class and legend entry; ``title`` is its tooltip."""

    start: int
    end: int
    kind: str
    title: str
    rank: int = 50  # ties on the same offsets: lower rank is the outer element
    anchors: tuple[str, ...] = ()  # more element ids to link to, e.g. "claim-12" (empty spans at its start)

    @property
    def anchor(self) -> str:
        return span_anchor(self.start, self.end)


def span_anchor(start: int, end: int) -> str:
    """The element id other pages link to for the text between ``start`` and ``end``."""
    return f"span-{start}-{end}"


def parse_focus(value: str | None, text_length: int) -> tuple[int, int] | None:
    """``"120-155"`` -> (120, 155) when it is a valid range of the text; None otherwise."""
    if not value:
        return None
    start_text, _, end_text = value.partition("-")
    if not (start_text.isdigit() and end_text.isdigit()):
        return None
    start, end = int(start_text), int(end_text)
    return (start, end) if 0 <= start < end <= text_length else None


def render(text: str, marks: list[Mark], focus: tuple[int, int] | None = None) -> Markup:
    """The text as HTML with every mark highlighted (nested, split where spans cross)."""
    marks = [m for m in marks if 0 <= m.start < m.end <= len(text)]
    if focus is not None and not any((m.start, m.end) == focus for m in marks):
        marks.append(Mark(focus[0], focus[1], FOCUS, "the passage you followed a link to", rank=0))
    marks.sort(key=_order)
    boundaries = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    out: list[str] = []
    stack: list[Mark] = []
    anchored: set[str] = set()
    by_start: dict[int, list[Mark]] = {}
    for mark in marks:
        by_start.setdefault(mark.start, []).append(mark)
    covering: list[Mark] = []
    for left, right in zip(boundaries, boundaries[1:]):
        covering = [m for m in covering if m.end > left] + by_start.get(left, [])
        covering.sort(key=_order)
        common = _common_prefix(stack, covering)
        for _ in range(len(stack) - common):
            out.append("</mark>")
        stack = stack[:common]
        for mark in covering[common:]:
            out.append(_open_tag(mark, anchored, focus))
            stack.append(mark)
        out.append(escape(text[left:right], quote=False))
    out.extend("</mark>" for _ in stack)
    return Markup("".join(out))


def _order(mark: Mark) -> tuple:
    return (mark.start, -mark.end, mark.rank, mark.kind, mark.title)


def _common_prefix(stack: list[Mark], wanted: list[Mark]) -> int:
    n = 0
    while n < len(stack) and n < len(wanted) and stack[n] is wanted[n]:
        n += 1
    return n


def _open_tag(mark: Mark, anchored: set[str], focus: tuple[int, int] | None) -> str:
    classes = ["hl", f"hl-{mark.kind}"]
    if focus is not None and (mark.start, mark.end) == focus:
        classes.append(FOCUS)
    attributes = [
        f'class="{" ".join(classes)}"',
        f'data-span="{mark.start}-{mark.end}"',
        f'data-kind="{escape(mark.kind)}"',
        'data-testid="highlight"',
        f'title="{escape(mark.title)}"',
    ]
    extra = ""
    if mark.anchor not in anchored:
        anchored.add(mark.anchor)
        attributes.insert(0, f'id="{mark.anchor}"')
        extra = "".join(
            f'<span id="{escape(name)}" class="anchor"></span>' for name in mark.anchors if name not in anchored
        )
        anchored.update(mark.anchors)
    return f"<mark {' '.join(attributes)}>{extra}"
