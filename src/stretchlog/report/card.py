"""The printable one-page routine card (matplotlib).

:func:`draw_card` draws a :class:`~stretchlog.routine.types.Routine` on an A5 (or A4)
portrait page; :func:`save_card` writes it as PDF (or PNG/SVG, by the file's
suffix). The card is made for a fridge or the floor beside the mat: large type,
black on white, and no meaning carried by colour alone (experiments are marked
``TRY``, second rounds ``+``, uncertain ones ``?``; the safety line sits in a
heavy black frame). It shows the routine with holds, reps and sides, a box to
tick per item, the date range the routine was learned from, what was left out
and why, and the safety line.

Only a :class:`matplotlib.figure.Figure` is used (no pyplot, no rcParams), so
drawing a card changes nothing global.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

from stretchlog.routine.text import ROLE_MARK, duration, made_line, marks_legend, short_dose, short_reason
from stretchlog.routine.types import DISCLAIMER, Routine, RoutineItem
from stretchlog.words import joined

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = ["draw_card", "save_card", "PAPER"]

#: Paper sizes in inches (portrait).
PAPER = {"A5": (5.83, 8.27), "A4": (8.27, 11.69)}
_MAX_ROWS = 12
_MAX_SAFETY_LINES = 8
INK = "#000000"
SOFT = "#E6E6E6"


def _side(i: RoutineItem) -> str:
    return {"each side": "each side", "both": "both at once", "left": "LEFT side only",
            "right": "RIGHT side only"}.get(i.side, i.side)


def draw_card(routine: Routine, *, paper: str = "A5", fig: "Figure | None" = None) -> "Figure":
    """Draw the routine card on a new (or the given) figure and return the figure.

    Parameters
    ----------
    routine : Routine
    paper : {"A5", "A4"}
        Page size, portrait. Type scales with the page.
    fig : Figure, optional
        Draw on this figure (its size is set to the paper).
    """
    from matplotlib.figure import Figure
    from matplotlib.patches import FancyBboxPatch, Rectangle

    if paper not in PAPER:
        raise ValueError(f"paper must be one of {', '.join(PAPER)}, not {paper!r}")
    w_in, h_in = PAPER[paper]
    k = w_in / PAPER["A5"][0]  # type scale
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = fig if fig is not None else Figure()
    if not hasattr(fig.canvas, "get_renderer"):
        FigureCanvasAgg(fig)  # to measure text; saving picks the writer by format
    fig.set_size_inches(w_in, h_in)
    fig.patch.set_facecolor("white")
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, w_in)
    ax.set_ylim(h_in, 0)  # y grows downwards, in inches
    ax.axis("off")
    m = 0.35 * k  # margin
    right = w_in - m
    width = right - m
    chars = int(width * 72 / (0.55 * 9.5))  # wrap width for 9.5 pt text (average glyph ~0.55 em)
    y = m

    def text(x, yy, s, size, **kw):
        return ax.text(x, yy, s, fontsize=size * k, color=INK, va="top", **kw)

    # 1. safety first, in a heavy frame
    if routine.safety:
        lines = _safety_lines(routine, chars - 4)
        box_h = (0.30 + 0.17 * len(lines)) * k
        ax.add_patch(Rectangle((m, y), width, box_h, fill=False, lw=2.5 * k, ec=INK))
        text(m + 0.1 * k, y + 0.07 * k, "(!) SAFETY FIRST", 11, weight="bold")
        text(m + 0.1 * k, y + 0.28 * k, "\n".join(lines), 9.5, linespacing=1.3)
        y += box_h + 0.15 * k

    # 2. title and where it comes from
    title = {"flare": "When pain flares: what works first", "full": "My stretch routine",
             "starting point": "A starting routine"}[routine.mode]
    _fit_text(ax, m, y, title, right, k, sizes=(19, 17, 15), weight="bold")
    y += 0.42 * k
    text(m, y, f"{routine.minutes:g}-minute budget, takes about {duration(routine.total_seconds)}", 11)
    y += 0.24 * k
    learned = routine.source_line
    text(m, y, f"{learned}.\n{made_line(routine)[:-1]} by stretchlog.", 9, linespacing=1.3)
    y += 0.46 * k
    if routine.relief_line:
        lead = textwrap.wrap(routine.relief_line, chars)
        text(m, y, "\n".join(lead), 9.5, weight="bold", linespacing=1.3)
        y += (0.17 * len(lead) + 0.09) * k
    if routine.mode == "starting point":
        lead = textwrap.wrap(routine.why_mode + " Hips first, lower back last.", chars)
        text(m, y, "\n".join(lead), 9.5, style="italic", linespacing=1.3)
        y += (0.17 * len(lead) + 0.09) * k

    # the small print and the footer are laid out first, so the table gets what is left
    notes = [textwrap.wrap(n, chars) for n in _notes(routine)]
    notes_h = sum((0.17 * len(n) + 0.08) * k for n in notes)
    foot = textwrap.wrap(DISCLAIMER, chars)
    foot_h = (0.17 * len(foot) + 0.2) * k

    # 3. the routine table
    cols = {"no": m, "name": m + 0.32 * k, "dose": m + 3.45 * k, "tick": right - 0.32 * k}
    text(cols["no"], y, "#", 9.5, weight="bold")
    text(cols["name"], y, "Stretch", 9.5, weight="bold")
    dose_head = text(cols["dose"], y, "Hold x reps", 9.5, weight="bold")
    text(cols["tick"] + 0.12 * k, y, "Done", 9.5, weight="bold", ha="center")
    y += 0.22 * k
    ax.plot([m, right], [y, y], color=INK, lw=1.2 * k)
    items = list(routine.items)
    extra = 0.24 * k if any(i.round == 2 for i in items) else 0.0
    room = h_in - m - foot_h - notes_h - y - extra - 0.15 * k  # for the rows and the closing rule
    n_items = max(len(items), 1)
    # full rows (name, then the reason) when they fit; else compact rows (no reason line)
    compact = room / n_items < 0.42 * k
    row_h = max(0.24 * k, min(0.27 * k, room / n_items)) if compact else min(0.56 * k, room / n_items)
    if compact:  # hold x reps and the side on one line: give them more room
        cols["dose"] = m + 3.0 * k
        dose_head.set_x(cols["dose"])
    cap = max(3, int((room + 1e-9) // row_h))
    shown = items if len(items) <= cap else items[: cap - 1]  # one row's room for "... and N more"
    second_round_started = False
    for n, i in enumerate(shown):
        if i.round == 2 and not second_round_started:
            second_round_started = True
            text(m, y + 0.03 * k, "Then go back to the hard ones:", 9.5, style="italic")
            y += 0.24 * k
        if n % 2 == 1:
            ax.add_patch(Rectangle((m, y), width, row_h, color=SOFT, lw=0, zorder=0))
        yy = y + 0.04 * k
        mark = ROLE_MARK[i.role]
        text(cols["no"], yy, str(i.position), 12, weight="bold")
        clock = f"{i.seconds // 60}:{i.seconds % 60:02d}"
        if compact:
            limit = cols["dose"] - (0.55 if mark else 0.1) * k
            t = _fit_text(ax, cols["name"], yy, i.name, limit, k, sizes=(11, 10), weight="bold")
            if mark:
                text(_right_edge(ax, t) + 0.1 * k, yy + 0.02 * k, mark, 8, weight="bold",
                     bbox=dict(boxstyle="square,pad=0.15", fc="white", ec=INK, lw=1.0 * k))
            side = {"each side": "each side", "both": "", "left": "LEFT only", "right": "RIGHT only"}[i.side]
            _fit_text(ax, cols["dose"], yy, f"{i.hold_s} s x {i.reps}" + (f", {side}" if side else ""),
                      cols["tick"] - 0.05 * k, k, sizes=(10, 9), weight="bold")
            ax.add_patch(FancyBboxPatch((cols["tick"] + 0.02 * k, yy), 0.18 * k, 0.18 * k,
                                        boxstyle="square,pad=0", fill=False, ec=INK, lw=1.2 * k))
            y += row_h
            continue
        _fit_text(ax, cols["name"], yy, i.name, cols["dose"] - 0.1 * k, k, weight="bold")
        rx = cols["name"]
        if mark:
            t = text(rx + 0.04 * k, yy + 0.235 * k, mark, 8, weight="bold",
                     bbox=dict(boxstyle="square,pad=0.15", fc="white", ec=INK, lw=1.0 * k))
            rx = _right_edge(ax, t) + 0.1 * k
        _fit_text(ax, rx, yy + 0.22 * k, short_reason(i), cols["dose"] - 0.25 * k, k, sizes=(8.5, 8, 7.5),
                  style="italic")
        if i.dose_why and row_h >= 0.48 * k:
            _fit_text(ax, cols["name"], yy + 0.375 * k, f"dose: {short_dose(i)}", cols["dose"] - 0.25 * k, k,
                      sizes=(7.5, 7), style="italic")
        text(cols["dose"], yy, f"{i.hold_s} s x {i.reps}", 12, weight="bold")
        text(cols["dose"], yy + 0.22 * k, _side(i), 9, weight="bold" if i.side in ("left", "right") else "normal")
        ax.add_patch(FancyBboxPatch((cols["tick"] + 0.02 * k, yy + 0.0 * k), 0.2 * k, 0.2 * k,
                                    boxstyle="square,pad=0", fill=False, ec=INK, lw=1.2 * k))
        text(cols["tick"] + 0.12 * k, yy + 0.24 * k, clock, 8, ha="center")
        y += row_h
    if not items:
        text(m, y + 0.1 * k, "Nothing fits in this time: allow a few more minutes.", 11)
        y += row_h
    if len(items) > len(shown):
        text(m, y + 0.05 * k, f"... and {len(items) - len(shown)} more: print it on A4, or see the full list.",
             9.5)
        y += 0.25 * k
    ax.plot([m, right], [y, y], color=INK, lw=1.2 * k)
    y += 0.12 * k

    # 4. the small print that matters
    for lines in notes:
        text(m, y, "\n".join(lines), 9.5, linespacing=1.3)
        y += (0.17 * len(lines) + 0.08) * k

    # 5. footer: the safety line, always
    fy = h_in - m - 0.17 * k * len(foot)
    ax.plot([m, right], [fy - 0.08 * k, fy - 0.08 * k], color=INK, lw=0.8 * k)
    text(m, fy, "\n".join(foot), 9, linespacing=1.3, weight="bold")
    return fig


def _safety_lines(routine: Routine, chars: int) -> list[str]:
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
        lines += textwrap.wrap(("- " if len(texts) > 1 else "") + t, chars,
                               subsequent_indent="  " if len(texts) > 1 else "")
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
    if routine.left_out:
        out.append("Leave out: " + "; ".join(f"{x.name} ({_first_clause(x.reason)})" for x in routine.left_out)
                   + ".")
    if routine.mode != "flare":
        out.append("Rotate: now and then change the order within each body area, so the first stretch does "
                   "not get credit it did not earn.")
    else:
        out.append("Next: when the pain has settled, do your full routine.")
    return out


def _fit_text(ax, x: float, y: float, s: str, limit: float, k: float, sizes=(12, 11, 10), **kw):
    """Text at (x, y) that ends before ``limit``: smaller type first, then shortened. Returns the artist."""
    for size in sizes:
        t = ax.text(x, y, s, fontsize=size * k, color=INK, va="top", **kw)
        if _right_edge(ax, t) <= limit:
            return t
        t.remove()
    words = s
    while len(words) > 4:
        words = words[:-1]
        t = ax.text(x, y, words.rstrip() + "...", fontsize=sizes[-1] * k, color=INK, va="top", **kw)
        if _right_edge(ax, t) <= limit:
            return t
        t.remove()
    return t


def _right_edge(ax, t) -> float:
    """Right end of a text artist, in data units (inches)."""
    renderer = ax.figure.canvas.get_renderer()
    box = t.get_window_extent(renderer=renderer)
    return float(ax.transData.inverted().transform((box.x1, box.y0))[0])


def _first_clause(reason: str) -> str:
    return reason.split(":")[0] if ":" in reason else reason


def save_card(routine: Routine, path: str | Path, *, paper: str = "A5", dpi: int = 150) -> Path:
    """Draw the card and write it to ``path`` (PDF, PNG or SVG by the suffix); return the path.

    The PDF records the stretchlog version and the date range in its metadata.
    """
    from stretchlog import __version__

    path = Path(path)
    fig = draw_card(routine, paper=paper)
    fmt = path.suffix.lower().lstrip(".") or "pdf"
    meta = None
    if fmt == "pdf":
        meta = {"Title": "stretchlog routine card", "Creator": f"stretchlog {__version__}",
                "Subject": routine.source_line}
    fig.savefig(path, format=fmt, dpi=dpi, metadata=meta, facecolor="white")
    return path
