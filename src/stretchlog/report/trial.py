"""The one-page summary of a self-experiment, for the person and for a clinician.

:func:`experiment_markdown` writes the answer of a self-experiment (an N-of-1
trial, :class:`~stretchlog.experiment.ExperimentResult`) as one page of Markdown,
laid out in the spirit of the CENT 2015 checklist for reporting N-of-1 trials: the
question, the design and how the days were randomised, the dates, the days planned,
done, missed and swapped, the outcome and how it was measured, the analysis, the
result for each option and the difference with its interval and p-value, the checks
for carry-over and period effects, adherence, and the limitations.

:func:`save_trial_pdf` sets the same page as a PDF (text only, no charts) on one A4
or Letter page with matplotlib; :func:`draw_trial_page` returns the figure and
shrinks the type until everything fits the page.

The page is built once as a list of blocks (:func:`trial_blocks`), and the two
renderers only set it, so the Markdown and the PDF always say the same thing.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from stretchlog import __version__
from stretchlog.experiment.result import DRAWS, LOOK_BOUNDARY, VERDICTS, ExperimentResult, option_label
from stretchlog.model.thresholds import FELT_RELIEF, MCID_POINTS, MCID_SHARE
from stretchlog.words import joined, plural, signed

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = [
    "experiment_markdown",
    "trial_blocks",
    "draw_trial_page",
    "save_trial_pdf",
    "PAPER",
    "DISCLAIMER",
    "SECTIONS",
]

#: Paper sizes in inches (portrait).
PAPER = {"A4": (8.27, 11.69), "Letter": (8.5, 11.0)}
#: The page's closing line.
DISCLAIMER = (
    "Advice from your own records, not a diagnosis. Stretch gently and never into pain; see a "
    "professional if pain is severe, spreads, or lasts."
)
#: The page's section headings, in order (CENT 2015 items in brackets in the docstring above).
SECTIONS: tuple[str, ...] = (
    "Question",
    "Design and randomisation",
    "Dates",
    "Days planned, done, missed and swapped",
    "Outcome",
    "Analysis",
    "Result",
    "Checks: carry-over and period",
    "Adherence",
    "Limitations",
)
_DAYNAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_KIND_WORDS = {
    "compare": "two stretches compared: on each planned day, do one and not the other",
    "dose": "two doses (hold and repetitions) of one stretch compared",
    "order": "the order of two stretches compared: which one comes first in the session",
}

# A block of the page: (kind, payload). Kinds: "title", "lead", "p", "h", "li",
# "table" (payload: (header, rows)).
Block = tuple[str, object]


# --------------------------------------------------------------------------- words


def _day(d) -> str:
    d = pd.Timestamp(d)
    return f"{d:%a} {d.day} {d:%b} {d.year}"


def _pct(level: float) -> str:
    """A confidence level: ``95%``, ``99.2%``; never ``100.0%`` (an early look's level rounds up to it)."""
    if level < 0.995:
        return f"{100 * level:.0f}%"
    return f"{100 * level:.1f}%" if level < 0.9995 else ">99.9%"


def _finite(*values: float) -> bool:
    return all(v is not None and np.isfinite(v) for v in values)


def _interval(lo: float, hi: float, level: float = 0.95) -> str:
    return f"{_pct(level)} interval {signed(lo)} to {signed(hi)}" if _finite(lo, hi) else "no interval"


def _weekdays(dates) -> str:
    days = sorted(set(pd.to_datetime(pd.Series(list(dates))).dt.day_of_week.tolist()))
    if len(days) == 7:
        return "every day"
    if len(days) >= 3 and days == list(range(days[0], days[-1] + 1)):
        return f"{_DAYNAMES[days[0]]} to {_DAYNAMES[days[-1]]}"
    return joined([_DAYNAMES[d] for d in days])


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _per_option(result: ExperimentResult) -> list[list[str]]:
    """One row per option: days rated, mean starting pain, mean relief, days with a noticeable change."""
    days = result.days
    rows = []
    for o in (result.plan.a, result.plan.b):
        d = days[(days["option"] == o.label) & days["relief"].notna()]
        n = len(d)
        share = result.meaningful.get(o.label, float("nan"))
        rows.append(
            [
                f"{o.label}: {o.what}",
                str(n),
                f"{d['start_pain'].mean():.1f}" if n else "-",
                f"{d['relief'].mean():.1f}" if n else "-",
                f"{round(share * n)} of {n}" if n and np.isfinite(share) else "-",
            ]
        )
    return rows


# --------------------------------------------------------------------------- the page


def trial_blocks(result: ExperimentResult, *, made: date | None = None) -> list[Block]:
    """The one-page summary as blocks (title, paragraphs, headings, list items, tables).

    Parameters
    ----------
    result : ExperimentResult
        The answer of the self-experiment.
    made : date, optional
        The day the summary is made (default: the result's ``today``).
    """
    r = result
    plan = r.plan
    c = r.counts
    made = made or r.today
    a_lab, b_lab = option_label(plan, plan.a), option_label(plan, plan.b)
    blocks: list[Block] = [("title", f"Self-experiment (N-of-1 trial): {plan.question}")]
    status = {"not started": "not started yet", "running": "running (an interim look)", "finished": "finished"}
    blocks.append(("lead", r.headline))
    blocks.append(
        (
            "p",
            f"One person's randomised self-experiment, read from their own stretching log by "
            f"stretchlog {__version__} on {_day(made)}; status: {status.get(r.status, r.status)}. "
            "Advice from the person's own records, not a diagnosis.",
        )
    )

    # -- question
    blocks.append(("h", "Question"))
    blocks.append(("li", plan.question))
    blocks.append(("li", f"What is compared: {_KIND_WORDS.get(plan.kind, plan.kind)}."))
    blocks.append(("li", f"Option A: {plan.a.what}. Option B: {plan.b.what}."))

    # -- design
    sched = plan.schedule
    blocks.append(("h", "Design and randomisation"))
    blocks.append(
        (
            "li",
            f"Design: {plan.design} - {plan.design_words()}. {plural(plan.n_days, 'planned day')} "
            f"on {_weekdays(sched['date'])} over {plural(plan.weeks, 'week')}; "
            f"{int((sched['option'] == 'A').sum())} given A and {int((sched['option'] == 'B').sum())} given B.",
        )
    )
    blocks.append(
        (
            "li",
            f"Randomisation: drawn by a seeded random generator (seed {plan.seed}) in balanced blocks and "
            "written to the plan file before the first day; the same seed draws the same schedule. "
            "Not blinded: the person knows which option they do.",
        )
    )

    # -- dates
    blocks.append(("h", "Dates"))
    blocks.append(
        (
            "li",
            f"Planned from {_day(plan.start)} to {_day(plan.end)}; analysed on {_day(r.today)} "
            f"({plural(c['past'], 'planned day')} passed or rated, "
            f"{plural(max(c['planned'] - c['past'], 0), 'day')} to come).",
        )
    )

    # -- days
    pct = f" ({100 * c['followed'] / c['past']:.0f}%)" if c["past"] else ""
    blocks.append(("h", "Days planned, done, missed and swapped"))
    blocks.append(
        (
            "table",
            (
                ["Days", "Count"],
                [
                    ["Planned", str(c["planned"])],
                    ["Passed (or already rated)", str(c["past"])],
                    ["Done as planned", f"{c['followed']}{pct}"],
                    ["Swapped (the other option done)", str(c["swapped"])],
                    ["Both options, neither, or a dose between", str(c["other"])],
                    ["Missed (no session logged)", str(c["missed"])],
                    ["Logged without pain at start and end", str(c["unrated"])],
                    ["Sessions on unplanned days (left out)", str(c["extra"])],
                    ["Analysed (relief rated)", f"{c['rated_a']} given A, {c['rated_b']} given B"],
                ],
            ),
        )
    )

    # -- outcome
    blocks.append(("h", "Outcome"))
    blocks.append(
        (
            "li",
            "Relief of a planned day: pain (0-10, self-rated) at the start of a session minus pain at "
            "its end, the mean over the day's sessions rated at both ends. Higher is better.",
        )
    )
    blocks.append(
        (
            "li",
            f"Size that matters: {r.felt:g} points a session, the relief a person would feel from the "
            f"bouts that differ between the options ({FELT_RELIEF:g} points a bout). A change people "
            f"notice in a session: {MCID_POINTS:g} points or {100 * MCID_SHARE:.0f}% less pain.",
        )
    )

    # -- analysis
    blocks.append(("h", "Analysis"))
    blocks.append(
        (
            "li",
            "As randomised (primary): every rated day under the option the plan gave it; difference "
            "A minus B adjusted for the day's starting pain (analysis of covariance). p-value from a "
            f"randomisation test over {DRAWS:,} re-draws of the plan's own design; interval by "
            "inverting that test.",
        )
    )
    blocks.append(
        (
            "li",
            "As done (secondary, not protected by the randomisation): days counted by what the log "
            "shows was done; regression with Newey-West standard errors.",
        )
    )
    blocks.append(
        (
            "li",
            "Looking early: a running plan's interval is widened (O'Brien-Fleming-type boundary, "
            f"{LOOK_BOUNDARY} / sqrt(share of days passed)) so that daily looks keep the chance of a "
            "false winner near 5%.",
        )
    )

    # -- result
    blocks.append(("h", "Result"))
    blocks.append(
        (
            "table",
            (
                ["Option", "Days rated", "Start pain", "Relief", "Noticeable"],
                _per_option(r),
            ),
        )
    )
    rows = []
    label = "Difference A minus B" + (" (interim)" if r.interim else "")
    if _finite(r.difference):
        rows.append([label, f"{signed(r.difference)} points", _interval(r.ci_low, r.ci_high, r.level)])
    if _finite(r.p_value):
        rows.append(["p-value (randomisation test)", f"{r.p_value:.3f}", "two-sided"])
    if _finite(r.prob_a_better):
        rows.append(["Chance that A is better", _chance(r.prob_a_better), "normal approximation"])
    if _finite(r.done_difference):
        rows.append(["As done, A minus B", f"{signed(r.done_difference)} points", _interval(r.done_low, r.done_high)])
    if rows:
        blocks.append(("table", (["Figure", "Estimate", "Interval"], rows)))
    verdict = VERDICTS.get(r.verdict, r.verdict)
    w = r.winner
    tail = f" The routine would use {w.what} (option {w.label})." if w is not None else ""
    blocks.append(("li", f"Verdict: {verdict}.{tail}"))

    # -- checks
    blocks.append(("h", "Checks: carry-over and period"))
    if _finite(r.carryover):
        clear = r.carry_low > 0 or r.carry_high < 0
        blocks.append(
            (
                "li",
                f"Carry-over (yesterday's option A vs B on today's relief): {signed(r.carryover)} points, "
                f"{_interval(r.carry_low, r.carry_high)}; "
                + ("a sign of carry-over." if clear else "no sign of carry-over."),
            )
        )
    elif plan.design == "weeks":
        blocks.append(("li", "Carry-over: limited by design (the option changes at most once a week)."))
    else:
        blocks.append(("li", "Carry-over: too few rated days in a row to check."))
    if _finite(r.period_change):
        clear = r.period_low > 0 or r.period_high < 0
        blocks.append(
            (
                "li",
                f"Period (difference in the second half minus the first): {signed(r.period_change)} points, "
                f"{_interval(r.period_low, r.period_high)}; "
                + ("the difference changed over the plan." if clear else "no sign it changed."),
            )
        )
    else:
        blocks.append(("li", "Period: too few rated days of each option in each half to check."))

    # -- adherence
    days = r.days
    missed = {lab: int(((days["option"] == lab) & (days["done"] == "missed")).sum()) for lab in "AB"}
    given = {lab: int((days["option"] == lab).sum()) for lab in "AB"}
    blocks.append(("h", "Adherence"))
    blocks.append(
        (
            "li",
            f"{c['followed']} of {plural(c['past'], 'planned day')} so far done as planned{pct}; "
            f"{c['swapped']} swapped (kept under the planned option, and counted as done in the as-done "
            f"figure); missed: {missed['A']} of {given['A']} A days and {missed['B']} of {given['B']} B days.",
        )
    )

    # -- limitations
    blocks.append(("h", "Limitations"))
    limits = [
        "One person: the answer is about this person, for these two options, in this period.",
        "Not blinded, and pain is self-rated: expecting one option to work can colour the ratings.",
        "Relief is measured within a session; lasting effects over days are not what this compares.",
        "Missed days are assumed missed for reasons unrelated to the option.",
    ]
    if r.interim:
        limits.append("Interim: the plan is not finished; the answer may change by its end.")
    if r.verdict in ("not enough data", "not started"):
        limits.append("Too few rated days for any figure yet.")
    blocks.append(("p", " ".join(limits)))
    blocks.append(("p", DISCLAIMER))
    return blocks


def _chance(p: float) -> str:
    return ">99%" if p > 0.99 else "<1%" if p < 0.01 else f"{100 * p:.0f}%"


def experiment_markdown(result: ExperimentResult, *, made: date | None = None) -> str:
    """The self-experiment's one-page summary as Markdown (CENT-style headings).

    Parameters
    ----------
    result : ExperimentResult
        From :func:`stretchlog.experiment.analyse_experiment` (or ``Analysis.experiment``).
    made : date, optional
        The day the summary is made (default: the result's ``today``).

    Returns
    -------
    str
        The page, ending in a newline. Its ``##`` headings are :data:`SECTIONS`.
    """
    out: list[str] = []
    for kind, payload in trial_blocks(result, made=made):
        if kind == "title":
            out += [f"# {payload}", ""]
        elif kind == "lead":
            out += [f"**{payload}**", ""]
        elif kind == "p":
            out += [str(payload), ""]
        elif kind == "h":
            if out and out[-1] != "":
                out.append("")
            out += [f"## {payload}", ""]
        elif kind == "li":
            out.append(f"- {payload}")
        elif kind == "table":
            header, rows = payload  # type: ignore[misc]
            if out and out[-1] != "":
                out.append("")
            out.append("| " + " | ".join(_cell(h) for h in header) + " |")
            out.append("|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|")
            for row in rows:
                out.append("| " + " | ".join(_cell(v) for v in row) + " |")
            out.append("")
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- the PDF page


class _Measure:
    """Text widths in inches, measured with the figure's renderer (at 10 points, scaled)."""

    def __init__(self, fig: "Figure") -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.font_manager import FontProperties

        if not hasattr(fig.canvas, "get_renderer"):
            FigureCanvasAgg(fig)  # to measure text; saving picks the writer by format
        self.renderer = fig.canvas.get_renderer()
        self.dpi = fig.dpi
        self._fp = FontProperties
        self._cache: dict[tuple[str, str], float] = {}

    def width(self, text: str, size: float, weight: str = "normal") -> float:
        key = (text, weight)
        if key not in self._cache:
            fp = self._fp(size=10, weight=weight)
            w = self.renderer.get_text_width_height_descent(text, fp, ismath=False)[0]
            self._cache[key] = w / self.dpi / 10
        return self._cache[key] * size

    def wrap(self, text: str, width: float, size: float, weight: str = "normal") -> list[str]:
        lines: list[str] = []
        line = ""
        for word in str(text).split():
            cand = f"{line} {word}" if line else word
            if not line or self.width(cand, size, weight) <= width:
                line = cand
            else:
                lines.append(line)
                line = word
        if line:
            lines.append(line)
        return lines or [""]


_MARGIN = 0.6  # inches
_SLACK = 0.97  # measured widths kept this much short of the limit (PDF glyph widths differ slightly)


def _layout(fig: "Figure", m: _Measure, blocks: list[Block], scale: float, draw: bool) -> float:
    """Set (or only measure) the blocks at ``scale``; return the y (inches from the top) reached."""
    w_in, h_in = fig.get_size_inches()
    left, right = _MARGIN, w_in - _MARGIN
    width = (right - left) * _SLACK
    body = 9.0 * scale
    y = _MARGIN

    def put(x: float, text: str, size: float, weight: str = "normal", style: str = "normal") -> None:
        if draw:
            fig.text(x / w_in, 1 - y / h_in, text, fontsize=size, weight=weight, style=style,
                     va="top", ha="left", color="black")

    def para(text: str, size: float, weight: str = "normal", indent: float = 0.0, bullet: bool = False,
             after: float = 0.35, style: str = "normal") -> None:
        nonlocal y
        lead = 0.16 if bullet else 0.0
        for i, line in enumerate(m.wrap(text, width - indent - lead, size, weight)):
            if bullet and i == 0:
                put(left + indent, "-", size, weight)
            put(left + indent + lead, line, size, weight, style)
            y += size * 1.32 / 72
        y += size * after / 72

    for kind, payload in blocks:
        if kind == "title":
            para(str(payload), 13.5 * scale, "bold", after=0.45)
        elif kind == "lead":
            para(str(payload), 10.0 * scale, "bold", after=0.5)
        elif kind == "p":
            para(str(payload), body, after=0.5)
        elif kind == "h":
            y += body * 0.35 / 72
            para(str(payload), 10.5 * scale, "bold", after=0.2)
        elif kind == "li":
            para(str(payload), body, bullet=True, after=0.1)
        elif kind == "table":
            header, rows = payload  # type: ignore[misc]
            y = _table(fig, m, header, rows, left, width, y, body, draw, w_in, h_in)
    return y


def _table(fig, m: _Measure, header, rows, left, width, y, size, draw, w_in, h_in) -> float:
    """A small table: the first column wraps, the others keep to their widest cell."""
    gap = 0.18
    n = len(header)
    widths = [max(m.width(str(r[j]), size, "bold" if r is header else "normal") for r in [header, *rows])
              for j in range(n)]
    rest = sum(widths[1:]) + gap * (n - 1)
    first = max(width - rest, width * 0.3)
    widths[0] = min(widths[0], first)
    line_h = size * 1.3 / 72
    for r_i, row in enumerate([header, *rows]):
        weight = "bold" if r_i == 0 else "normal"
        cells = [m.wrap(str(row[0]), widths[0], size, weight)] + [[str(v)] for v in row[1:]]
        x = left
        for j, lines in enumerate(cells):
            if draw:
                for k, line in enumerate(lines):
                    fig.text(x / w_in, 1 - (y + k * line_h) / h_in, line, fontsize=size, weight=weight,
                             va="top", ha="left", color="black")
            x += widths[j] + gap
        y += line_h * max(len(c) for c in cells)
        if r_i == 0 and draw:
            fig.add_artist(_rule(fig, left, left + sum(widths) + gap * (n - 1), y + 0.02, w_in, h_in))
        if r_i == 0:
            y += 0.05
    return y + size * 0.5 / 72


def _rule(fig, x0, x1, y, w_in, h_in):
    from matplotlib.lines import Line2D

    return Line2D([x0 / w_in, x1 / w_in], [1 - y / h_in, 1 - y / h_in], transform=fig.transFigure,
                  color="black", linewidth=0.5)


def draw_trial_page(result: ExperimentResult, *, paper: str = "A4", made: date | None = None) -> "Figure":
    """The one-page summary as a matplotlib figure, type shrunk until it fits the page.

    Raises
    ------
    ValueError
        For an unknown ``paper``.
    """
    from matplotlib.figure import Figure

    if paper not in PAPER:
        raise ValueError(f"paper {paper!r}: expected one of {', '.join(PAPER)}")
    w_in, h_in = PAPER[paper]
    blocks = trial_blocks(result, made=made)
    fig = Figure(figsize=(w_in, h_in), dpi=72)
    m = _Measure(fig)
    scale = 1.0
    while scale > 0.5 and _layout(fig, m, blocks, scale, draw=False) > h_in - _MARGIN:
        scale *= 0.95
    end = _layout(fig, m, blocks, scale, draw=True)
    fig.set_gid(f"bottom:{end:.4f}")  # where the text ends (inches from the top): tests read it
    return fig


def save_trial_pdf(result: ExperimentResult, path: str | Path, *, paper: str = "A4",
                   made: date | None = None) -> Path:
    """Write the one-page summary as a PDF (one page); return the path."""
    path = Path(path)
    fig = draw_trial_page(result, paper=paper, made=made)
    meta = {
        "Title": f"stretchlog self-experiment: {result.plan.question}",
        "Creator": f"stretchlog {__version__}",
        "Subject": result.headline,
    }
    fig.savefig(path, format="pdf", metadata=meta, facecolor="white")
    return path
