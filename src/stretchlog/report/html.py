"""The HTML report: one self-contained file with every result and chart.

:func:`build_report` runs the whole analysis of a log (summary, relief per stretch,
trends, habits, safety flags, routine), draws the charts of :mod:`stretchlog.plots`
to PNG and embeds them as data URIs, so the file opens anywhere with no network.
Every text that comes from the log (stretch names, notes, the file name) is
HTML-escaped. :func:`write_report` writes it (and, optionally, the printable card).

The report is written for two readers: the person who keeps the log and a
physiotherapist looking at it. Each section says in plain words what its numbers
and charts mean, and what they cannot tell.
"""

from __future__ import annotations

import base64
import html
import io
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from stretchlog import __version__, plots
from stretchlog.analysis import Analysis, analyse
from stretchlog.effects.more import share_words
from stretchlog.log.catalog import Catalog
from stretchlog.routine.build import routine

__all__ = ["ReportResult", "build_report", "write_report", "write_atomic", "REPORT_STEPS"]

#: The steps of :func:`build_report`, in order (for progress displays).
REPORT_STEPS: tuple[str, ...] = (
    "Reading the log",
    "Estimating relief per stretch",
    "Following tightness and pain over time",
    "Building your routine",
    "Drawing the charts",
    "Writing the page",
)

Progress = Callable[[str], None]

DISCLAIMER = (
    "stretchlog reads your own records. It is advice, not a diagnosis, and not a medical "
    "device. Stretch gently and never into pain; see a professional if pain is severe, "
    "spreads, or lasts."
)


@dataclass(frozen=True)
class ReportResult:
    """What :func:`write_report` wrote.

    Attributes
    ----------
    path : Path
        The HTML report.
    card : Path or None
        The printable routine card (PDF), if one was asked for.
    n_charts : int
        Charts embedded in the report.
    n_flags : int
        Safety flags shown at the top.
    """

    path: Path
    card: Path | None
    n_charts: int
    n_flags: int


# --------------------------------------------------------------------------- helpers


def _e(value: object) -> str:
    """Escape any value for HTML text or attributes."""
    return html.escape("" if value is None else str(value), quote=True)


def _num(value: object, digits: int = 1, signed: bool = False) -> str:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return ""
    if math.isnan(v):
        return ""
    return f"{v:+.{digits}f}" if signed else f"{v:.{digits}f}"


def _png(ax_or_axes) -> str:
    """The figure of an Axes (or array of Axes) as a base64 PNG data URI; closes it."""

    ax = ax_or_axes.flat[0] if hasattr(ax_or_axes, "flat") else ax_or_axes
    fig = ax.figure
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight", facecolor="white")
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _percent(p: object) -> str:
    """A probability as a percentage that never claims certainty: '>99%', '<1%'."""
    try:
        v = float(p)
    except (TypeError, ValueError):
        return ""
    if math.isnan(v):
        return ""
    if v > 0.99:
        return ">99%"
    if v < 0.01:
        return "<1%"
    return f"{100 * v:.0f}%"


def _figure(uri: str, alt: str, caption: str) -> str:
    return (
        f'<figure><img src="{uri}" alt="{_e(alt)}">'
        f"<figcaption>{_e(caption)}</figcaption></figure>"
    )


def _table(headers: list[str], rows: list[list[object]], *, numeric: set[int] | None = None, cls: str = "") -> str:
    numeric = numeric or set()
    head = "".join(f"<th{' class=num' if i in numeric else ''}>{_e(h)}</th>" for i, h in enumerate(headers))
    body = "".join(
        "<tr>" + "".join(f"<td{' class=num' if i in numeric else ''}>{_e(c)}</td>" for i, c in enumerate(r)) + "</tr>"
        for r in rows
    )
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _p(text: str) -> str:
    return f"<p>{_e(text)}</p>"


def _ul(items) -> str:
    items = [i for i in items if i]
    return "<ul>" + "".join(f"<li>{_e(i)}</li>" for i in items) + "</ul>" if items else ""


# --------------------------------------------------------------------------- sections


def _overview(summary, ses: pd.DataFrame, charts: list[str]) -> str:

    rows = [
        ["Sessions", summary.sessions_line],
        ["Bouts (one row of the log each)", f"{summary.n_bouts}, {summary.n_stretches} different stretches"
                                            + (f" ({summary.n_custom} of your own)" if summary.n_custom else "")],
        ["How pain was rated", ", ".join(f"{k}: {v} sessions" for k, v in summary.styles.items())],
        ["Pain segments", f"{summary.n_segments}, of which {summary.n_single_bout_segments} hold a single bout"],
        ["Time of day", ", ".join(f"{k} {v}" for k, v in summary.times_of_day.items())],
    ]
    if summary.mean_start_pain is not None:
        rows.append(["Pain (0-10)", f"{summary.mean_start_pain} at the start of a session on average, "
                                    f"{summary.mean_end_pain} at the end"])
    out = ['<section id="overview"><h2>Your log at a glance</h2>', _table(["", ""], rows, cls="kv")]
    uri = _png(plots.habit_calendar(ses))
    charts.append(uri)
    out.append(_figure(uri, "Calendar of sessions per day",
                       "Each square is a day; the darker, the more sessions. Gaps show breaks in the habit."))
    out.append("</section>")
    return "".join(out)


def _relief(report, lasting: pd.DataFrame, meaningful: pd.DataFrame, charts: list[str]) -> str:

    eff = report.effects.sort_values("rank", na_position="last")
    out = ['<section id="relief"><h2>Which stretches relieve your pain</h2>']
    out.append(_p(
        "Relief is counted in points of the 0-10 pain scale for one bout of a stretch (one row of "
        "your log); positive means less pain. Each estimate is adjusted for the pain you started "
        "with (a high reading tends to come down by itself) and for the stretch's place in the "
        "session, and pooled toward your average so that a stretch tried twice on a good day "
        "cannot come first. The range is a 95% interval: the true relief is very likely inside it."
    ))
    if len(eff):
        uri = _png(plots.relief_forest(eff))
        charts.append(uri)
        out.append(_figure(uri, "Relief per bout for each stretch with 95% intervals",
                           "Dots are the estimates, lines the 95% intervals; right of the zero line means "
                           "less pain. Stretches are in ranking order (by the relief each gives at least)."))
        rows = []
        for r in eff.itertuples(index=False):
            has = not pd.isna(r.effect)
            rows.append([
                "" if pd.isna(r.rank) else int(r.rank),
                r.name,
                _num(r.effect, 2, signed=True) if has else (
                    "cannot tell" if r.evidence == "cannot separate" else "not yet"),
                f"{_num(r.ci_low, 2, True)} to {_num(r.ci_high, 2, True)}" if has else "",
                _percent(r.p_helps) if has else "",
                int(r.n_bouts),
                int(r.n_sessions),
                ("makes pain worse" if bool(r.harmful) else str(r.evidence)) if has else str(r.reason or r.evidence),
            ])
        out.append(_table(["Rank", "Stretch", "Relief per bout", "95% interval", "Chance it helps",
                           "Bouts", "Sessions", "Evidence"], rows, numeric={0, 2, 3, 4, 5, 6}))
        out.append(_p(
            "Chance it helps: how likely the true relief is above zero (a normal approximation). "
            "Evidence: strong or some data, or too little (try it more)."
        ))
    if len(report.groups):
        out.append("<h3>Stretches your log cannot tell apart</h3>")
        out.append(_ul(f"{r['names']}: {r['reason']}. {r['advice']}" for r in report.groups.to_dict("records")))
    if report.notes:
        out.append("<h3>Notes on the fit</h3>" + _ul(report.notes))
    if len(lasting) and len(eff) and lasting["lasting"].isna().all():
        reasons = list(dict.fromkeys(str(r) for r in lasting["reason"] if str(r)))
        why = reasons[0] if len(reasons) == 1 else "no stretch has a figure yet"
        out.append(_p(f"Does the relief last until the next session? Not enough data yet: {why}."))
    elif len(lasting) and len(eff):
        uri = _png(plots.relief_lasting(eff, lasting))
        charts.append(uri)
        out.append(_figure(uri, "Immediate and lasting relief per stretch",
                           "Circles: relief right after the stretch. Squares: how much lower the next "
                           "session's starting pain was. Lasting relief is an association, not proof."))
    if len(meaningful):
        share = float(meaningful.iloc[0]["share_with"])
        if not math.isnan(share):
            out.append(_p(
                f"Sessions with a change you would notice (at least 2 points or 30% less pain "
                f"from start to end): {share_words(share, int(meaningful.iloc[0]['n_with']))}."
            ))
    out.append("</section>")
    return "".join(out)


def _trends(tr, ses: pd.DataFrame, curve: pd.DataFrame, charts: list[str]) -> str:

    out = ['<section id="trends"><h2>Tightness and pain over weeks and months</h2>']
    uri = _png(plots.pain_timeline(ses, trend=tr.pain))
    charts.append(uri)
    out.append(_figure(uri, "Pain at the start and end of each session over time",
                       "Each session's pain before and after stretching, with the weekly average. "
                       "A change of 2 points or 30% is the smallest most people notice."))
    for line in _pain_lines(tr.pain):
        out.append(_p(line))
    table = tr.by_stretch_side
    if len(table):
        rows = []
        for d in table.to_dict("records"):
            has = _num(d["slope_30d"]) != "" and d["verdict"] != "not enough data"
            rows.append([
                d["name"],
                d["side"],
                _num(d["tightness_now"]),
                f"{_num(d['slope_30d'], 2, True)} ({_num(d['lo_30d'], 2, True)} to {_num(d['hi_30d'], 2, True)})"
                if has else "",
                d["verdict"],
            ])
        out.append("<h3>Tightness by stretch and side</h3>")
        out.append(_table(["Stretch", "Side", "Tightness now (0-10)", "Change per 30 days (95% interval)",
                           "Verdict"], rows, numeric={2, 3}))
        out.append(_p("Looser or tighter is said only when the interval leaves out 'no change' and the "
                      "change is at least 1 point in 6 months."))
    if len(curve):
        axes = plots.tightness_grid(curve, trends=tr.by_stretch_side)
        uri = _png(axes)
        charts.append(uri)
        out.append(_figure(uri, "Tightness over time for each stretch",
                           "Points are your ratings, the line a smoothed curve; each panel's title gives "
                           "the verdict."))
    nmw = tr.needs_more_work
    if len(nmw):
        out.append("<h3>Needs more work</h3>")
        out.append(_p("The guides: the stretches that are hardest to do are probably the ones you need most."))
        out.append(_ul(f"{r['name']}" + (f", {r['side']} side" if r["side"] not in ("both", "") else "")
                       + f": {r['reason']}" for r in nmw.to_dict("records")))
    if len(tr.sides):
        uri = _png(plots.left_right(tr.sides))
        charts.append(uri)
        out.append(_figure(uri, "Left and right tightness for one-sided stretches",
                           "Each pair of dots compares your left and right side; an imbalance is flagged "
                           "only when one side stays tighter through the log."))
    out.append("</section>")
    return "".join(out)


def _pain_lines(pain) -> list[str]:
    lines = [f"Trend: {pain.verdict}: {pain.why}."]
    change = pain.change
    if change is not None:
        lines.append(change.sentence)
    return lines


def _habits(hb) -> str:
    out = ['<section id="habits"><h2>Habits</h2>']
    rows = [
        ["Sessions a week", hb.rate_sentence],
        ["Longest break", f"{hb.longest_gap_days} day{'s' if hb.longest_gap_days != 1 else ''} ({hb.gap_from} to {hb.gap_to})"
                          if hb.longest_gap_days else "none"],
        ["Current streak", hb.streak_sentence],
    ]
    tod = hb.to_frame().iloc[0]
    rows.append(["Evening vs morning", f"{tod['time_of_day_verdict']}: {tod['time_of_day_why']}"])
    out.append(_table(["", ""], rows, cls="kv"))
    out.append(_p("The guides advise stretching just before bed; this compares the relief of your evening "
                  "and morning sessions at the same starting pain."))
    out.append("</section>")
    return "".join(out)


def _routine(rt, charts: list[str]) -> str:

    out = ['<section id="routine"><h2>Your routine: what works first</h2>']
    out.append(_p(f"{rt.title}: takes about {rt.total_seconds // 60} min {rt.total_seconds % 60} s. "
                  f"Learned from {rt.learned_from}."))
    if rt.why_mode:
        out.append(_p(rt.why_mode))
    uri = _png(plots.routine_card(rt))
    charts.append(uri)
    out.append(_figure(uri, "Your routine as a card", "Print it with 'stretchlog routine LOG --format pdf'."))
    frame = rt.to_frame()
    if len(frame):
        rows = []
        for r in frame.to_dict("records"):
            rows.append([r.get("name", ""), r.get("side", ""), r.get("dose", ""),
                         f"{int(r.get('seconds', 0)) // 60}:{int(r.get('seconds', 0)) % 60:02d}",
                         r.get("reason", "")])
        out.append(_table(["Stretch", "Side", "Hold x reps", "Time", "Why"], rows))
    if rt.left_out:
        out.append("<h3>Left out</h3>" + _ul(f"{lo.name}: {lo.reason}" for lo in rt.left_out))
    if rt.rotation:
        out.append(_p(rt.rotation))
    if rt.notes:
        out.append(_ul(rt.notes))
    out.append("</section>")
    return "".join(out)


def _method() -> str:
    return (
        '<section id="method"><h2>How to read this report</h2>'
        + _ul([
            "Everything here comes from your own log; nothing was sent anywhere.",
            "Relief per bout is estimated from every pain reading you logged: readings around one "
            "stretch say the most; readings only at the start and end of a session are shared among "
            "its stretches by a regression on which stretches each stretch of readings held.",
            "A 95% interval is the range the true value very likely lies in; a wide interval means "
            "the log does not say much yet. Log the stretch more, with a pain reading just before "
            "and after it, to narrow it.",
            "The ranking uses the relief a stretch gives at least (with 90% probability), not its "
            "best guess, so a stretch needs steady results to rank high.",
            "What the report cannot know: whether a stretch caused the change (you chose when to "
            "stretch), anything you did not log, and anything about your diagnosis.",
        ])
        + "</section>"
    )


def _safety(flags) -> str:
    if not flags:
        return (
            '<section id="safety" class="ok"><p><strong>Safety:</strong> nothing in your log calls '
            "for easing off or seeing a professional. " + _e(DISCLAIMER) + "</p></section>"
        )
    items = "".join(f"<li>{_e(getattr(f, 'message', f))}</li>" for f in flags)
    return (
        '<section id="safety" class="flag" role="alert"><h2>Safety first</h2>'
        f"<ul>{items}</ul><p>{_e(DISCLAIMER)}</p></section>"
    )


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;max-width:60rem;
margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.5;background:#fff}
h1{font-size:1.8rem;margin-bottom:.2rem}h2{border-bottom:2px solid #0072B2;padding-bottom:.2rem;margin-top:2.5rem}
.meta{color:#555;margin-top:0}section.flag{border:3px solid #D55E00;padding:.5rem 1rem;background:#fff4ec}
section.ok{border-left:4px solid #009E73;padding:.2rem 1rem;background:#f2fbf8}
table{border-collapse:collapse;margin:1rem 0;width:100%}th,td{border-bottom:1px solid #ddd;padding:.3rem .5rem;
text-align:left;vertical-align:top}th{background:#f3f6f9}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.kv td:first-child{font-weight:600;width:16rem}table.kv thead{display:none}
figure{margin:1.5rem 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{color:#444;font-size:.95rem}footer{margin-top:3rem;color:#555;font-size:.9rem;border-top:1px solid #ddd}
nav a{margin-right:1rem}
@media print{nav{display:none}section{page-break-inside:avoid}}
"""


# --------------------------------------------------------------------------- entry points


def write_atomic(path: Path, text: str) -> None:
    """Write text to a temporary file beside ``path`` and rename it into place."""
    import os
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a report is an ordinary file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def build_report(
    analysis: Analysis,
    *,
    minutes: float = 10,
    seed: int | None = None,
    progress: Progress | None = None,
) -> tuple[str, dict]:
    """The report's HTML for one log's analysis, and its parts.

    Every figure is read from ``analysis`` (computed there once), so the report
    shows what the terminal, the routine and the notebooks show for the same log.

    Parameters
    ----------
    analysis : Analysis
        From :func:`stretchlog.analysis.analyse`; its ``today`` is the report's date.
    minutes : float
        Time budget of the routine shown.
    seed : int, optional
        Makes the routine's experiments repeatable.
    progress : callable, optional
        Called with each step's name from :data:`REPORT_STEPS` as it starts.

    Returns
    -------
    html : str
        A complete, self-contained HTML page.
    parts : dict
        ``routine``, ``flags``, ``n_charts`` (for the caller, e.g. to write the card).

    Examples
    --------
    >>> from stretchlog.analysis import analyse
    >>> page, parts = build_report(analyse("data/sample/stretch-log.csv"), seed=1)  # doctest: +SKIP
    >>> page.startswith("<!DOCTYPE html>")  # doctest: +SKIP
    True
    """
    step = progress or (lambda name: None)
    an, log = analysis, analysis.log
    bouts = an.bouts
    step(REPORT_STEPS[0])
    summary, ses = an.summary, an.sessions
    step(REPORT_STEPS[1])
    rel, lasting, meaningful = an.relief, an.lasting, an.meaningful
    step(REPORT_STEPS[2])
    tr, curve = an.trends, an.tightness_curve()
    step(REPORT_STEPS[3])
    rt = routine(an, minutes=minutes, seed=seed)
    step(REPORT_STEPS[4])
    charts: list[str] = []
    if len(bouts):
        body = [
            _overview(summary, ses, charts),
            _relief(rel, lasting, meaningful, charts),
            _trends(tr, ses, curve, charts),
            _habits(tr.habits),
            _routine(rt, charts),
        ]
    else:
        body = [_p("This log has no bouts yet. Log a session with 'stretchlog log' and run the report again."),
                _routine(rt, charts)]
    step(REPORT_STEPS[5])
    made = an.today.isoformat()
    span = f"{summary.first_date} to {summary.last_date}" if summary.first_date else "no sessions yet"
    name = Path(log.source).name
    main = _safety(tr.flags) + "".join(body) + _method()
    # Link only the sections this log has (a new log has no relief or trends yet).
    nav = "".join(
        f'<a href="#{anchor}">{label}</a>'
        for anchor, label in _NAV
        if f'<section id="{anchor}"' in main
    )
    page = (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>stretchlog report: {_e(name)}</title><style>{_CSS}</style></head><body>"
        f"<header><h1>Your stretching report</h1><p class=\"meta\">Log <strong>{_e(name)}</strong>, "
        f"{_e(span)}. Made {_e(made)} by stretchlog {_e(__version__)}.</p>"
        f"<nav>{nav}</nav>"
        "</header><main>"
        + main
        + "</main><footer><p>"
        + _e(f"stretchlog {__version__} · input {name} ({summary.n_bouts} bouts, {span}) · made {made}. ")
        + _e(DISCLAIMER)
        + "</p></footer></body></html>\n"
    )
    return page, {"routine": rt, "flags": tr.flags, "n_charts": len(charts)}


_NAV: tuple[tuple[str, str], ...] = (
    ("overview", "Overview"),
    ("relief", "Relief"),
    ("trends", "Trends"),
    ("habits", "Habits"),
    ("routine", "Routine"),
    ("method", "How to read"),
)


def write_report(
    log_path: str | Path,
    out: str | Path,
    *,
    catalog: Catalog | None = None,
    minutes: float = 10,
    seed: int | None = None,
    card: str | Path | None = None,
    progress: Progress | None = None,
) -> ReportResult:
    """Read a log, build the report and write it (and optionally the routine card).

    Raises :class:`~stretchlog.log.errors.LogError` for a bad log; nothing is written then.
    The report is written to a temporary file beside ``out`` and renamed into place.
    """
    page, parts = build_report(analyse(log_path, catalog=catalog), minutes=minutes, seed=seed, progress=progress)
    out = Path(out)
    write_atomic(out, page)
    card_path = None
    if card is not None:
        from stretchlog.report.card import save_card

        card_path = save_card(parts["routine"], card)
    return ReportResult(path=out, card=card_path, n_charts=parts["n_charts"], n_flags=len(parts["flags"]))
