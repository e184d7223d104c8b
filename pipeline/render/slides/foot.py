"""The foot of a content slide: one small line naming the sources of what the slide shows.

Bullets leave their citations out (a citation broken over two lines of a bullet
is hard to read from the back of a room); the works they draw on are named
here, whole, each as the document's style cites it ("Toljan & Vrooman, 2018";
"[3]" in a numeric style), at the design's `foot` size, never under `foot_min`.
A list too long for the line ends in "…" after the last whole citation; the
speaker notes always hold the full list.
"""

from __future__ import annotations

from pipeline.render.slides.layout import FIT_GUARD, INSET, Box, Frame, TextBlock, fit_text
from pipeline.render.slides.text import Para, Span

PREFIX = "Sources: "
GAP = 4.0  # points between the body and the foot line, and between the foot line and the footer


def foot_box(frame: Frame) -> Box:
    """Where the sources line goes: one line at the foot size, just above the footer."""
    height = frame.design.size("foot") * frame.design.line_spacing + 2 * INSET + FIT_GUARD
    return Box(frame.body.x, frame.footer.y - GAP - height, frame.body.w, height)


def body_above_foot(frame: Frame) -> Box:
    """The body box shortened to end above the sources line."""
    body = frame.body
    return Box(body.x, body.y, body.w, foot_box(frame).y - GAP - body.y)


def sources_note(texts: tuple[str, ...]) -> str:
    """The notes' line naming every source of the slide (empty when it has none)."""
    return PREFIX + "; ".join(texts) + "." if texts else ""


def foot_line(frame: Frame, texts: tuple[str, ...]) -> TextBlock | None:
    """The sources line fitted to one line: as many whole citations as fit, then "…"; None without sources."""
    if not texts:
        return None
    box = foot_box(frame)
    largest, smallest = frame.design.size("foot"), frame.design.size("foot_min")
    for keep in range(len(texts), 0, -1):
        text = PREFIX + "; ".join(texts[:keep]) + ("; …" if keep < len(texts) else "")
        para = Para((Span(text),))
        size = fit_text(frame, box, [para], largest, smallest)
        if size is not None:
            break
    else:  # not even one citation fits: the notes name them
        para, size = Para((Span(PREFIX + "…"),)), smallest
    return TextBlock(box, (para,), size, colour="muted", line_spacing=frame.design.line_spacing,
                     name="Sources", anchor="bottom")
