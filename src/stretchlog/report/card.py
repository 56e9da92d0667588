"""The printable one-page routine card (matplotlib).

:func:`draw_card` draws a :class:`~stretchlog.routine.types.Routine` on an A5 (or A4)
portrait page; :func:`save_card` writes it as PDF (or PNG/SVG, by the file's
suffix). The card is made for a fridge or the floor beside the mat: large type,
black on white, and no meaning carried by colour alone (experiments are marked
``TRY``, second rounds ``+``, uncertain ones ``?``; the safety line sits in a
heavy black frame).

From top to bottom it shows: any safety flag, the title and the date range the
routine was learned from, then each stretch in order with its side, hold x reps,
time, a box to tick, a one-line "how to do it" from the catalog and why it is
there; then a grid to write the pain (0-10) before and after each session of a
week (two weeks when there is room), what was left out and why, and the safety
line. Type, how-to lines and spacing grow to fill the page when the routine is
short and shrink when it is long; names wrap rather than being cut.

Text is measured with the renderer at the resolution the card is saved at, so what
is measured is what is printed.

Only a :class:`matplotlib.figure.Figure` is used (no pyplot, no rcParams), so
drawing a card changes nothing global.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from stretchlog.routine.text import ROLE_MARK, duration, made_line, marks_legend, short_dose, short_reason
from stretchlog.routine.types import DISCLAIMER, Routine, RoutineItem
from stretchlog.words import joined

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

    from stretchlog.log.catalog import Catalog

__all__ = ["draw_card", "save_card", "short_howto", "PAPER", "SAVE_DPI"]

#: Paper sizes in inches (portrait).
PAPER = {"A5": (5.83, 8.27), "A4": (8.27, 11.69)}
#: The resolution cards are measured and (as pictures) saved at.
SAVE_DPI = 150
_MAX_SAFETY_LINES = 8
INK = "#000000"
SOFT = "#E6E6E6"
#: Measured widths are kept this much short of their limit: PDF and PNG glyph widths
#: differ by a fraction of a percent (hinting).
_SLACK = 0.97
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class _Look:
    """One try at laying out the rows: type scale, how-to lines, reason line, grid weeks."""

    scale: float
    howto_lines: int
    reason: bool
    weeks: int
    compact: bool = False  # dose and side on two lines, smaller print above and below


# From the roomiest to the tightest; the first that fits the page is used.
_LOOKS = tuple(
    _Look(s, h, r, w, c)
    for s, h, r, w, c in (
        (1.3, 3, True, 2, False), (1.2, 3, True, 2, False), (1.3, 3, True, 1, False), (1.2, 3, True, 1, False),
        (1.1, 2, True, 1, False), (1.0, 2, True, 1, False), (1.0, 2, False, 1, False), (0.92, 2, False, 1, True),
        (1.0, 1, True, 1, False), (0.92, 1, True, 1, False), (0.92, 1, True, 1, True), (0.92, 1, False, 1, True), (0.85, 1, False, 1, True), (0.8, 1, False, 1, True), (0.72, 1, False, 1, True),
    )
)


def _side(i: RoutineItem) -> str:
    return {"each side": "each side", "both": "both at once", "left": "LEFT side only",
            "right": "RIGHT side only"}.get(i.side, i.side)


def short_howto(text: str, max_chars: int) -> str:
    """A catalog instruction shortened to at most ``max_chars`` characters, sensibly.

    The first sentence is kept whole when it fits (with the second when that fits
    too); otherwise it is cut at the last clause (a comma, semicolon or "then")
    that fits and keeps at least 40% of the room, and only as a last resort between
    words, with "...".

    Examples
    --------
    >>> t = ("Lie on your back with knees bent, rest one ankle on the opposite knee, and hold "
    ...      "that ankle and knee to draw the crossed leg toward your chest. Pull, ease off.")
    >>> short_howto(t, 150)
    'Lie on your back with knees bent, rest one ankle on the opposite knee, and hold that ankle and knee to draw the crossed leg toward your chest.'
    >>> short_howto(t, 80)
    'Lie on your back with knees bent, rest one ankle on the opposite knee.'
    >>> short_howto("Stand tall and lean straight over to one side and hold it there.", 30)
    'Stand tall and lean...'
    >>> short_howto("", 40)
    ''
    """
    text = " ".join(text.split())
    if not text:
        return ""
    first = re.split(r"(?<=[.!?])\s+(?=[A-Z])", text)[0]
    if len(first) <= max_chars:
        # a second short sentence, when it fits too
        rest = text[len(first):].strip()
        second = re.split(r"(?<=[.!?])\s+(?=[A-Z])", rest)[0] if rest else ""
        if second and len(first) + 1 + len(second) <= max_chars:
            return f"{first} {second}"
        return first
    body = first.rstrip(".!?")
    cuts = [m.start() for m in re.finditer(r",|;|\s(?:then|and then)\s", body)]
    for c in reversed(cuts):
        piece = body[:c].rstrip(" ,;")
        if len(piece) + 1 <= max_chars and len(piece) >= max(12, int(max_chars * 0.4)):
            return piece + "."
    words = body.split()
    out = ""
    for w in words:
        if len(out) + len(w) + (1 if out else 0) + 3 > max_chars:
            break
        out = f"{out} {w}" if out else w
    return out.rstrip(" ,;") + "..."


class _Pen:
    """Draws and measures text on the card's Axes (inches, y down)."""

    def __init__(self, fig: "Figure", ax, k: float, cache: dict[tuple, float] | None = None) -> None:
        from matplotlib.font_manager import FontProperties

        self.fig, self.ax, self.k = fig, ax, k
        self.renderer = fig.canvas.get_renderer()
        self._fp = FontProperties
        self._cache: dict[tuple, float] = {} if cache is None else cache

    def width(self, s: str, size: float, weight: str = "normal", style: str = "normal") -> float:
        """Width in inches of one line of text at ``size`` points (times the paper scale)."""
        # each word is measured once, at 20 points, and scaled: widths grow with the type
        # size, and a line is its words plus the spaces between them (measuring is slow)
        words = s.split(" ")
        total = sum(self._unit(w, weight, style) for w in words if w)
        total += (len(words) - 1) * self._unit(" ", weight, style)
        return total * size * self.k

    def _unit(self, word: str, weight: str, style: str) -> float:
        key = (word, weight, style)
        if key not in self._cache:
            fp = self._fp(size=20, weight=weight, style=style)
            if word == " ":  # a space alone measures as nothing: take it from "x x" less "xx"
                two = self.renderer.get_text_width_height_descent("x x", fp, ismath=False)[0]
                one = self.renderer.get_text_width_height_descent("xx", fp, ismath=False)[0]
                w = two - one
            else:
                w = self.renderer.get_text_width_height_descent(word, fp, ismath=False)[0]
            self._cache[key] = w / self.fig.dpi / 20
        return self._cache[key]

    def wrap(self, s: str, width: float, size: float, weight: str = "normal", style: str = "normal",
             max_lines: int = 99) -> list[str]:
        """Greedy word wrap measured with the renderer; the last allowed line ends in "..." if cut."""
        limit = width * _SLACK
        lines: list[str] = []
        line = ""
        words = s.split()
        for n, w in enumerate(words):
            cand = f"{line} {w}" if line else w
            if self.width(cand, size, weight, style) <= limit or not line:
                line = cand
                continue
            lines.append(line)
            line = w
            if len(lines) == max_lines:
                last = lines[-1]
                while last and self.width(last + "...", size, weight, style) > limit:
                    last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
                lines[-1] = last.rstrip(" ,;.") + "..."
                return lines
        if line:
            lines.append(line)
        # a single word longer than the column: cut it (never runs past the limit)
        out = []
        for ln in lines:
            while self.width(ln, size, weight, style) > limit and len(ln) > 2:
                ln = ln[:-2] + "."
            out.append(ln)
        return out

    def text(self, x: float, y: float, s: str, size: float, *, limit: float | None = None, **kw):
        """Text at (x, y), top-left anchored; ``limit`` (inches) is where it must end (kept as its gid).

        Text that would run past ``limit`` is set in smaller type until it fits.
        """
        kw.setdefault("color", INK)
        if limit is not None and kw.get("ha", "left") == "left":
            weight, style = str(kw.get("weight", "normal")), str(kw.get("style", "normal"))
            widest = max(self.width(line, size, weight, style) for line in s.split("\n"))
            room = (limit - x) * _SLACK
            if widest > room > 0:
                size *= room / widest
        t = self.ax.text(x, y, s, fontsize=size * self.k, va="top", **kw)
        if limit is not None:
            t.set_gid(f"limit:{limit:.4f}")
        return t


def draw_card(routine: Routine, *, paper: str = "A5", fig: "Figure | None" = None,
              catalog: "Catalog | None" = None, dpi: int = SAVE_DPI) -> "Figure":
    """Draw the routine card on a new (or the given) figure and return the figure.

    Parameters
    ----------
    routine : Routine
    paper : {"A5", "A4"}
        Page size, portrait. Type scales with the page.
    fig : Figure, optional
        Draw on this figure (its size is set to the paper).
    catalog : Catalog, optional
        Where the "how to do it" lines come from (the built-in catalog when not given).
    dpi : int
        Resolution the text is measured at; save at the same (as :func:`save_card` does).

    Returns
    -------
    Figure
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    if paper not in PAPER:
        raise ValueError(f"paper must be one of {', '.join(PAPER)}, not {paper!r}")
    w_in, h_in = PAPER[paper]
    fig = fig if fig is not None else Figure()
    if not hasattr(fig.canvas, "get_renderer"):
        FigureCanvasAgg(fig)  # to measure text; saving picks the writer by format
    fig.set_size_inches(w_in, h_in)
    fig.set_dpi(dpi)
    fig.patch.set_facecolor("white")
    howtos = _howtos(routine, catalog)
    cache: dict[tuple, float] = {}
    for n, look in enumerate(_LOOKS):
        fig.clear()
        last = n == len(_LOOKS) - 1
        if _draw(fig, routine, w_in, h_in, look, howtos, force=last, cache=cache):
            break
    return fig


def _howtos(routine: Routine, catalog: "Catalog | None") -> dict[str, str]:
    """Each stretch's catalog instruction ("" for the user's own stretches)."""
    if catalog is None:
        # the built-in entries, as read once per process (no new catalog is loaded for a card)
        from stretchlog.log.catalog import Catalog, _builtin

        catalog = Catalog(_builtin())
    out = {}
    for i in routine.items:
        try:
            out[i.stretch] = catalog.get(i.stretch).instructions
        except KeyError:
            out[i.stretch] = ""
    return out


def _draw(fig: "Figure", routine: Routine, w_in: float, h_in: float, look: _Look, howtos: dict[str, str],
          *, force: bool, cache: dict[tuple, float]) -> bool:
    """Lay the card out with one look; False (and a half-drawn figure) when the rows do not fit."""
    from matplotlib.patches import Rectangle

    k = w_in / PAPER["A5"][0]  # type scale
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, w_in)
    ax.set_ylim(h_in, 0)  # y grows downwards, in inches
    ax.axis("off")
    pen = _Pen(fig, ax, k, cache)
    m = 0.35 * k  # margin
    right = w_in - m
    width = right - m
    lh = 1.3 / 72  # inches of line height per point of type (before k)
    y = m

    # 1. safety first, in a heavy frame
    if routine.safety:
        lines = _safety_lines(routine, pen, width - 0.2 * k)
        box_h = (0.30 + 9.5 * lh * len(lines) + 0.06) * k
        ax.add_patch(Rectangle((m, y), width, box_h, fill=False, lw=2.5 * k, ec=INK))
        pen.text(m + 0.1 * k, y + 0.07 * k, "(!) SAFETY FIRST", 11, weight="bold")
        pen.text(m + 0.1 * k, y + 0.28 * k, "\n".join(lines), 9.5, linespacing=1.3, limit=right - 0.1 * k)
        y += box_h + 0.15 * k

    # 2. title and where it comes from
    title = {"flare": "When pain flares: what works first", "full": "My stretch routine",
             "starting point": "A starting routine"}[routine.mode]
    pen.text(m, y, title, 18, weight="bold", limit=right)
    y += 0.36 * k
    order = " Hips first, lower back last." if routine.mode != "flare" else " Best first."
    pen.text(m, y, f"{routine.minutes:g}-minute budget, takes about {duration(routine.total_seconds)}.{order}", 10,
             limit=right)
    y += 0.21 * k
    small = pen.wrap(f"{routine.source_line}. {made_line(routine)[:-1]} by stretchlog.", width, 8.5)
    pen.text(m, y, "\n".join(small), 8.5, linespacing=1.3, limit=right)
    y += (8.5 * lh * len(small) + 0.08) * k
    lead = routine.relief_line or (routine.why_mode if routine.mode == "starting point" else "")
    lead_size, note_size = (8, 8) if look.compact else (9, 8.5)
    if lead:
        lines = pen.wrap(lead, width, lead_size, weight="bold")
        pen.text(m, y, "\n".join(lines), lead_size, weight="bold", linespacing=1.3, limit=right)
        y += (lead_size * lh * len(lines) + 0.1) * k

    # the bottom of the page is laid out first (notes, footer), so the rows get what is left
    notes = [pen.wrap(n, width, note_size) for n in _notes(routine)]
    notes_h = sum((note_size * lh * len(n) + 0.06) * k for n in notes)
    foot = pen.wrap(DISCLAIMER, width, 8.5, weight="bold")
    foot_h = (8.5 * lh * len(foot) + 0.16) * k
    min_box = 0.23 if look.compact else 0.27
    grid_min = _grid_height(look.weeks, min_box, k)
    bottom = h_in - m - foot_h - notes_h - grid_min - 0.16 * k

    # 3. the routine: one block per stretch
    s = look.scale
    cols = {"no": m, "name": m + 0.36 * k, "dose": right - 1.42 * k, "tick": right - 0.24 * k}
    name_w = cols["dose"] - 0.12 * k - cols["name"]  # inches on the page
    pen.text(cols["no"], y, "#", 9, weight="bold")
    pen.text(cols["name"], y, "Stretch, and how to do it", 9, weight="bold", limit=cols["dose"] - 0.12 * k)
    pen.text(cols["dose"], y, "Hold x reps", 9, weight="bold", limit=cols["tick"] - 0.05 * k)
    pen.text(right, y, "Done", 9, weight="bold", ha="right")
    y += 0.2 * k
    ax.plot([m, right], [y, y], color=INK, lw=1.2 * k)
    y += 0.02 * k
    blocks = [_block(pen, i, howtos.get(i.stretch, ""), look, name_w) for i in routine.items]
    heights = [b[-1] for b in blocks]
    then_h = 0.22 * k if look.compact else 0.26 * k
    extra = then_h if any(i.round == 2 for i in routine.items) else 0.0
    need = sum(heights) * k + extra
    room = bottom - y
    if need > room and not force:
        return False
    # spare room: up to 0.12 in more between rows, then taller boxes in the pain grid
    spare = max(0.0, room - need)
    pad = min(0.12 * k, spare / max(len(blocks), 1) / 2) if blocks else 0.0
    spare -= pad * 2 * len(blocks)
    shown = len(blocks)
    if need > room:  # only with the tightest look: as many rows as fit, then a line saying how many more
        total, shown = 0.0, 0
        for h in heights:
            if (total + h) * k + extra + 0.25 * k > room:
                break
            total += h
            shown += 1
    second_round_started = False
    for n, (i, blk) in enumerate(zip(routine.items[:shown], blocks[:shown])):
        name_lines, how_lines, reason, h = blk
        if i.round == 2 and not second_round_started:
            second_round_started = True
            pen.text(m, y + 0.03 * k, "Then go back to the hard ones:", 9.5, style="italic", limit=right)
            y += then_h
        row_h = h * k + 2 * pad
        if n % 2 == 1:
            ax.add_patch(Rectangle((m, y), width, row_h, color=SOFT, lw=0, zorder=0))
        yy = y + pad + 0.04 * k
        pen.text(cols["no"], yy, str(i.position), 12.5 * s, weight="bold")
        t = pen.text(cols["name"], yy, "\n".join(name_lines), 11.5 * s, weight="bold", linespacing=1.15,
                     limit=cols["dose"] - 0.12 * k)
        mark = ROLE_MARK[i.role]
        if mark:
            last_w = pen.width(name_lines[-1], 11.5 * s, "bold")
            my = yy + (len(name_lines) - 1) * 11.5 * s * 1.15 / 72 * k + 0.02 * k
            pen.text(cols["name"] + last_w * 1.03 + 0.1 * k, my, mark, 8, weight="bold",
                     limit=cols["dose"] - 0.12 * k,
                     bbox=dict(boxstyle="square,pad=0.15", fc="white", ec=INK, lw=1.0 * k))
        ty = yy + len(name_lines) * 11.5 * s * 1.15 / 72 * k + 0.03 * k
        if how_lines:
            pen.text(cols["name"], ty, "\n".join(how_lines), 8.5 * s, linespacing=1.25,
                     limit=cols["dose"] - 0.12 * k)
            ty += len(how_lines) * 8.5 * s * 1.25 / 72 * k + 0.02 * k
        if reason:
            pen.text(cols["name"], ty, reason, _reason_size(s), style="italic", limit=cols["dose"] - 0.12 * k)
        pen.text(cols["dose"], yy, f"{i.hold_s} s x {i.reps}", 12 * s, weight="bold", limit=cols["tick"] - 0.05 * k)
        dy = yy + 12 * s * 1.3 / 72 * k
        clock = f"{i.seconds // 60}:{i.seconds % 60:02d} min"
        strong = "bold" if i.side in ("left", "right") else "normal"
        if look.compact:
            side = {"each side": "each side", "both": "both", "left": "LEFT only", "right": "RIGHT only"}[i.side]
            pen.text(cols["dose"], dy, f"{side}, {clock}", 8.5 * s, weight=strong, limit=cols["tick"] - 0.05 * k)
        else:
            pen.text(cols["dose"], dy, _side(i), 9 * s, weight=strong, limit=cols["tick"] - 0.05 * k)
            pen.text(cols["dose"], dy + 9 * s * 1.3 / 72 * k, clock, 8 * s, limit=cols["tick"] - 0.05 * k)
        box = 0.2 * k
        ax.add_patch(Rectangle((right - box, yy), box, box, fill=False, ec=INK, lw=1.2 * k))
        y += row_h
    if not routine.items:
        pen.text(m, y + 0.1 * k, "Nothing fits in this time: allow a few more minutes.", 11, limit=right)
        y += 0.4 * k
    if shown < len(blocks):
        pen.text(m, y + 0.05 * k, f"... and {len(blocks) - shown} more: print it on A4, or see the full list.",
                 9.5, limit=right)
        y += 0.25 * k
    ax.plot([m, right], [y, y], color=INK, lw=1.2 * k)
    y += 0.12 * k

    # 4. the pain grid: a week (or two) of sessions, before and after
    box_h = min(0.42, min_box + max(0.0, spare) / k / (3 * look.weeks + 1)) if not force else min_box
    y = _grid(pen, m, right, y, look.weeks, box_h, k)

    # 5. the small print that matters
    for lines in notes:
        pen.text(m, y, "\n".join(lines), note_size, linespacing=1.3, limit=right)
        y += (note_size * lh * len(lines) + 0.06) * k

    # 6. footer: the safety line, always
    fy = h_in - m - 8.5 * lh * len(foot) * k
    ax.plot([m, right], [fy - 0.08 * k, fy - 0.08 * k], color=INK, lw=0.8 * k)
    pen.text(m, fy, "\n".join(foot), 8.5, linespacing=1.3, weight="bold", limit=right)
    return True


def _block(pen: _Pen, i: RoutineItem, howto: str, look: _Look, name_w: float):
    """The lines of one stretch's block and its height in inches (before the paper scale)."""
    s = look.scale
    name_lines = pen.wrap(i.name + ("  [TRY]" if ROLE_MARK[i.role] else ""), name_w, 11.5 * s, "bold",
                          max_lines=3)
    if ROLE_MARK[i.role]:  # the mark is drawn as a framed tag after the name
        last = name_lines[-1].replace("[TRY]", "").rstrip()
        name_lines = name_lines[:-1] + ([last] if last else [])
    how_lines: list[str] = []
    if i.round != 1:
        pass  # a second round: the how-to is in the first round's row
    elif howto:
        # the longest sensible shortening (whole sentences, then clauses) that fits the lines
        chars = len(howto)
        while chars > 12:
            how = short_howto(howto, chars)
            how_lines = pen.wrap(how, name_w, 8.5 * s, max_lines=look.howto_lines)
            if not how_lines[-1].endswith("...") or how.endswith("..."):
                if len(how_lines) <= look.howto_lines and not (how_lines[-1].endswith("...")
                                                               and not how.endswith("...")):
                    break
            chars = min(chars - 4, len(how) - 1)
    elif i.stretch.startswith("custom:"):
        how_lines = pen.wrap("Your own stretch: do it as you usually do.", name_w, 8.5 * s,
                             max_lines=look.howto_lines)
    rs = _reason_size(s)
    reason = short_reason(i) if look.reason or i.round != 1 else ""
    if reason and pen.width(reason, rs, style="italic") > name_w * _SLACK:
        reason = pen.wrap(reason, name_w, rs, style="italic", max_lines=1)[0]
    h = (len(name_lines) * 11.5 * s * 1.15 + len(how_lines) * 8.5 * s * 1.25 + (rs * 1.3 if reason else 0)) / 72
    dose_h = (12 * 1.3 + 8.5 * 1.3) if look.compact else (12 + 9 * 1.3 + 8 * 1.3)
    h = max(h, dose_h * s / 72) + (0.06 if look.compact else 0.1)  # the dose column's lines
    return name_lines, how_lines, reason, h


def _reason_size(scale: float) -> float:
    """Type size of the reason line: it grows with the rows, but less (it is the small print)."""
    return 7.5 * min(scale, 1.05)


def _grid_height(weeks: int, box_h: float, k: float) -> float:
    return (0.24 + weeks * 3 * box_h + (weeks - 1) * 0.1) * k


def _grid(pen: _Pen, left: float, right: float, y: float, weeks: int, box_h: float, k: float) -> float:
    """The pain grid: per week, a row for the date and rows for pain before and after. Returns the new y."""
    from matplotlib.patches import Rectangle

    ax = pen.ax
    pen.text(left, y, "Your pain (0-10) just before and just after each session:", 9, weight="bold", limit=right)
    y += 0.22 * k
    label_w = 0.62 * k
    cell = (right - left - label_w) / 7
    for w in range(weeks):
        for r, label in enumerate(("Date" if w == 0 else f"Week {w + 1}", "Before", "After")):
            yy = y + r * box_h * k
            pen.text(left, yy + 0.05 * k, label, 8.5, weight="bold" if r else "normal",
                     limit=left + label_w - 0.04 * k)
            for c in range(7):
                ax.add_patch(Rectangle((left + label_w + c * cell, yy), cell, box_h * k, fill=False, ec=INK,
                                       lw=0.8 * k))
                if r == 0:
                    pen.text(left + label_w + c * cell + 0.04 * k, yy + 0.03 * k, _DAYS[c], 6.5,
                             color="#555555", limit=left + label_w + (c + 1) * cell)
        y += 3 * box_h * k + 0.1 * k
    return y + 0.04 * k


def _safety_lines(routine: Routine, pen: _Pen, width: float) -> list[str]:
    """The safety box: each flag about the whole log in full; flags about single
    stretches in one line (those stretches are also under "Leave out")."""
    general = [msg for msg, sid in zip(routine.safety, routine.safety_stretches) if not sid]
    names = [n for n in dict.fromkeys(n for n in routine.safety_stretch_names if n)]
    texts = list(general)
    if names:
        texts.append(f"Ease off {joined(names)}: {'it' if len(names) == 1 else 'each'} raised your pain in "
                     "several recent bouts. Never stretch into pain; ask a physical therapist if it keeps hurting.")
    lines: list[str] = []
    for t in texts:
        wrapped = pen.wrap(("- " if len(texts) > 1 else "") + t, width, 9.5)
        lines += [wrapped[0]] + [("  " if len(texts) > 1 else "") + x for x in wrapped[1:]]
    if len(lines) > _MAX_SAFETY_LINES:
        lines = lines[: _MAX_SAFETY_LINES - 1] + ["... and more: see 'stretchlog trends'."]
    return lines + ["Advice from your own records, not a diagnosis."]


def _notes(routine: Routine) -> list[str]:
    out = []
    legend = marks_legend(routine)
    if legend:
        parts = []
        for mk, t in legend:
            if mk == "TRY":
                t += ": rate your pain (0-10) just before and just after it"
            parts.append(f"[{mk}] {t}")
        out.append("; ".join(parts) + ".")
    if routine.mode == "starting point":
        out.append("Keep learning: rate your pain (0-10) just before and just after each stretch.")
    doses = _dose_notes(routine)
    if doses:
        out.append("Doses: " + "; ".join(doses) + ".")
    if routine.left_out:
        out.append("Leave out: " + "; ".join(f"{x.name} ({_first_clause(x.reason)})" for x in routine.left_out)
                   + ".")
    if routine.mode != "flare":
        out.append("Rotate: now and then change the order within each body area, so the first stretch does "
                   "not get credit it did not earn.")
    else:
        out.append("Next: when the pain has settled, do your full routine.")
    return out


def _dose_notes(routine: Routine) -> list[str]:
    """Each dose's reason in a few words, stretches with the same reason together:
    ``"shorter than usual (longer holds added nothing clear) for #1, #2"`` (by the card's numbers)."""
    groups: dict[str, list[str]] = {}
    for i in routine.items:
        if i.round == 1 and i.dose_why:
            groups.setdefault(short_dose(i), []).append(f"#{i.position}")
    if len(groups) == 1:
        return [f"{next(iter(groups))} for all"] if len(routine.items) > 1 else [next(iter(groups))]
    return [f"{why} for {', '.join(where)}" for why, where in groups.items()]


def _first_clause(reason: str) -> str:
    """A left-out reason's first words: up to a colon or a bracket."""
    return re.split(r":| \(", reason, maxsplit=1)[0]


def save_card(routine: Routine, path: str | Path, *, paper: str = "A5", dpi: int = SAVE_DPI,
              catalog: "Catalog | None" = None) -> Path:
    """Draw the card and write it to ``path`` (PDF, PNG or SVG by the suffix); return the path.

    Parameters
    ----------
    routine : Routine
    path : str or Path
    paper : {"A5", "A4"}
    dpi : int
        Resolution of a PNG; text is measured at it too.
    catalog : Catalog, optional
        For the "how to do it" lines (the built-in catalog when not given; pass the
        log's own catalog so your own entries' instructions are used).

    Returns
    -------
    Path

    Notes
    -----
    The PDF records the stretchlog version and the date range in its metadata.
    """
    from stretchlog import __version__

    path = Path(path)
    fig = draw_card(routine, paper=paper, catalog=catalog, dpi=dpi)
    fmt = path.suffix.lower().lstrip(".") or "pdf"
    meta = None
    if fmt == "pdf":
        meta = {"Title": "stretchlog routine card", "Creator": f"stretchlog {__version__}",
                "Subject": routine.source_line}
    fig.savefig(path, format=fmt, dpi=dpi, metadata=meta, facecolor="white")
    return path
