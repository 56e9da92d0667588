"""The sections of the HTML report, one function each, and the small HTML helpers they share.

Each section function takes the parts of an :class:`~stretchlog.analysis.Analysis` it
shows and returns one ``<section>`` of HTML; the ones with charts draw them with
:mod:`stretchlog.plots`, embed them as PNG data URIs and append each URI to
``charts`` (the page counts them). Every text that comes from the log is escaped
with :func:`esc`. :mod:`stretchlog.report.html` puts the sections together into
the page.
"""

from __future__ import annotations

import base64
import html
import io
import math
import struct

import matplotlib.pyplot as plt
import pandas as pd

from stretchlog import plots
from stretchlog.model.thresholds import BOUTS_PER_ROUTINE, FELT_RELIEF, MCID_POINTS
from stretchlog.words import chance, joined, number, plural, share_of
from stretchlog.routine.text import ROLE_MARK, duration, made_line, marks_legend, why

__all__ = [
    "DISCLAIMER",
    "esc",
    "paragraph",
    "summary",
    "experiment",
    "experiment_error",
    "overview",
    "relief",
    "trends",
    "habits",
    "routine",
    "method",
    "safety",
    "png_size",
    "CHART_DPI",
]

DISCLAIMER = (
    "stretchlog reads your own records. It is advice, not a diagnosis, and not a medical "
    "device. Stretch gently and never into pain; see a professional if pain is severe, "
    "spreads, or lasts."
)


# --------------------------------------------------------------------------- helpers


def esc(value: object) -> str:
    """Escape any value for HTML text or attributes."""
    return html.escape("" if value is None else str(value), quote=True)


#: Charts are drawn at this many dots per inch and shown at half their pixel size, so
#: they stay sharp on high-density (2x) screens and when printed.
CHART_DPI = 220
_SCREEN_DPI = CHART_DPI / 2


def _png(ax_or_axes) -> str:
    """The figure of an Axes (or array of Axes) as a base64 PNG data URI (2x); closes it."""

    ax = ax_or_axes.flat[0] if hasattr(ax_or_axes, "flat") else ax_or_axes
    fig = ax.figure
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=CHART_DPI, bbox_inches="tight", facecolor="white")
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def png_size(uri: str) -> tuple[int, int]:
    """Width and height in pixels of a PNG data URI (read from its header).

    Examples
    --------
    >>> import base64, struct
    >>> head = b"\\x89PNG\\r\\n\\x1a\\n" + struct.pack(">I", 13) + b"IHDR" + struct.pack(">II", 640, 480)
    >>> png_size("data:image/png;base64," + base64.b64encode(head).decode())
    (640, 480)
    """
    head = base64.b64decode(uri.split(",", 1)[1][:32])
    return struct.unpack(">II", head[16:24])


def _figure(uri: str, alt: str, caption: str, *, cls: str = "") -> str:
    w, h = png_size(uri)
    width, height = round(w * _SCREEN_DPI / CHART_DPI), round(h * _SCREEN_DPI / CHART_DPI)
    klass = f' class="{cls}"' if cls else ""
    return (
        f'<figure{klass}><img src="{uri}" alt="{esc(alt)}" width="{width}" height="{height}">'
        f"<figcaption>{esc(caption)}</figcaption></figure>"
    )


def _table(headers: list[str], rows: list[list[object]], *, numeric: set[int] | None = None, cls: str = "") -> str:
    """A table in a box of its own that scrolls sideways when the screen is narrower than it."""
    numeric = numeric or set()
    head = "".join(f"<th{' class=num' if i in numeric else ''}>{esc(h)}</th>" for i, h in enumerate(headers))
    body = "".join(
        "<tr>" + "".join(f"<td{' class=num' if i in numeric else ''}>{esc(c)}</td>" for i, c in enumerate(r)) + "</tr>"
        for r in rows
    )
    return (f'<div class="scroll"><table class="{cls}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>")


def _kv(rows: list[list[object]]) -> str:
    """Label and value pairs (a definition list: the value goes under its label on a phone)."""
    return '<dl class="kv">' + "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in rows) + "</dl>"


def paragraph(text: str) -> str:
    """One escaped paragraph."""
    return f"<p>{esc(text)}</p>"


def _ul(items) -> str:
    items = [i for i in items if i]
    return "<ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>" if items else ""


# --------------------------------------------------------------------------- sections


def overview(summary, ses: pd.DataFrame, charts: list[str]) -> str:
    """The log at a glance (:class:`~stretchlog.model.summary.LogSummary`) and the habit calendar."""
    rows = [
        ["Sessions", summary.sessions_line],
        ["Bouts (one row of the log each)", f"{summary.n_bouts}, {summary.n_stretches} different stretches"
                                            + (f" ({summary.n_custom} of your own)" if summary.n_custom else "")],
        ["How pain was rated", ", ".join(f"{k}: {plural(v, 'session')}" for k, v in summary.styles.items())],
        ["Pain segments", f"{summary.n_segments}, of which {summary.n_single_bout_segments} hold a single bout"],
        ["Time of day", ", ".join(f"{k} {v}" for k, v in summary.times_of_day.items())],
    ]
    if summary.mean_start_pain is not None:
        rows.append(["Pain (0-10)", f"{summary.mean_start_pain} at the start of a session on average, "
                                    f"{summary.mean_end_pain} at the end"])
    out = ['<section id="overview"><h2>Your log at a glance</h2>', _kv(rows)]
    uri = _png(plots.habit_calendar(ses))
    charts.append(uri)
    out.append(_figure(uri, "Calendar of sessions per day",
                       "Each square is a day; the darker, the more sessions. Gaps show breaks in the habit.", cls="calendar"))
    out.append("</section>")
    return "".join(out)


def relief(report, lasting: pd.DataFrame, meaningful: pd.DataFrame, charts: list[str]) -> str:
    """Relief per stretch (a :class:`~stretchlog.effects.relief.ReliefReport`), lasting relief
    and the share of sessions that mattered."""
    eff = report.effects.sort_values("rank", na_position="last")
    out = ['<section id="relief"><h2>Which stretches relieve your pain</h2>']
    out.append(paragraph(
        "Relief is counted in points of the 0-10 pain scale for one bout of a stretch (one row of "
        "your log); positive means less pain. Each estimate is adjusted for the pain you started "
        "with (a high reading tends to come down by itself) and for the stretch's place in the "
        "session, and pooled toward your average so that a stretch tried twice on a good day "
        "cannot come first. The range is a 95% interval: the true relief is very likely inside it."
    ))
    if len(eff):
        uri = _png(plots.relief_forest(eff))
        charts.append(uri)
        forest_at = len(out)  # the lasting-relief chart joins it here (side by side in print)
        out.append(_figure(uri, "Relief per bout for each stretch with 95% intervals",
                           "Dots are the estimates, lines the 95% intervals; right of the zero line means "
                           "less pain. Stretches are in ranking order (by verdict, then by the relief each gives at least).", cls="half"))
        rows = []
        for r in eff.itertuples(index=False):
            has = not pd.isna(r.effect)
            rows.append([
                "" if pd.isna(r.rank) else int(r.rank),
                r.name,
                str(r.verdict) if has else (str(r.reason) or str(r.verdict)),
                number(r.effect, 2, signed=True) if has else (
                    "cannot tell" if r.verdict == "cannot separate" else "not yet"),
                f"{number(r.ci_low, 2, signed=True)} to {number(r.ci_high, 2, signed=True)}" if has else "",
                number(r.cautious, 2, signed=True) if has else "",
                chance(r.p_felt) if has else "",
                int(r.n_bouts),
                int(r.n_sessions),
            ])
        out.append(_table(["Rank", "Stretch", "Verdict", "Relief per bout", "95% interval", "Relief at least",
                           "Chance you feel it", "Bouts", "Sessions"], rows, numeric={0, 3, 4, 5, 6, 7, 8}))
        out.append(paragraph(
            f"Verdict: judged against the relief you would feel, {FELT_RELIEF:g} points a bout (a routine "
            f"of {BOUTS_PER_ROUTINE} such bouts makes the {MCID_POINTS:g}-point change people notice). "
            "Helps: the whole 95% interval is above that. May help: surely some relief, maybe less than "
            "that. No clear effect: the log cannot tell yet. Too small to feel: less than "
            f"{FELT_RELIEF:g} either way, however sure. Makes it worse / slightly worse: the pain surely "
            f"goes up after it. Chance you feel it: how likely the true relief is at least {FELT_RELIEF:g} "
            "points a bout. Relief at least: the relief per bout the stretch gives with 90% probability "
            "(a cautious figure: a stretch needs steady results to score well). Stretches are ranked by "
            "verdict, then by this figure, so a stretch with a higher best guess but a wider range can "
            "rank lower."
        ))
    if len(report.groups):
        out.append("<h3>Stretches your log cannot tell apart</h3>")
        out.append(_ul(f"{r['names']}: {r['reason']}. {r['advice']}" for r in report.groups.to_dict("records")))
    if report.notes:
        out.append("<h3>Notes on the fit</h3>" + _ul(report.notes))
    if len(lasting) and len(eff) and lasting["lasting"].isna().all():
        reasons = list(dict.fromkeys(str(r) for r in lasting["reason"] if str(r)))
        why = reasons[0] if len(reasons) == 1 else "no stretch has a figure yet"
        out.append(paragraph(f"Does the relief last until the next session? Not enough data yet: {why}."))
    elif len(lasting) and len(eff):
        uri = _png(plots.relief_lasting(eff, lasting))
        charts.append(uri)
        out[forest_at] = ('<div class="pair">' + out[forest_at] + _figure(
            uri, "Immediate and lasting relief per stretch",
            "Circles: relief right after the stretch. Squares: how much lower the next "
            "session's starting pain was. Lasting relief is an association, not proof.", cls="half") + "</div>")
    if len(meaningful):
        share = float(meaningful.iloc[0]["share_with"])
        if not math.isnan(share):
            out.append(paragraph(
                f"Sessions with a change you would notice (at least 2 points or 30% less pain "
                f"from start to end): {share_of(share, int(meaningful.iloc[0]['n_with']))}."
            ))
    out.append("</section>")
    return "".join(out)


def trends(tr, ses: pd.DataFrame, curve: pd.DataFrame, charts: list[str]) -> str:
    """Pain over time, tightness per stretch and side, what needs more work, left and right."""
    out = ['<section id="trends"><h2>Tightness and pain over weeks and months</h2>']
    uri = _png(plots.pain_timeline(ses, trend=tr.pain))
    charts.append(uri)
    out.append(_figure(uri, "Pain at the start and end of each session over time",
                       "Each session's pain before and after stretching, with the weekly average. "
                       "A change of 2 points or 30% is the smallest most people notice.", cls="wide"))
    for line in _pain_lines(tr.pain):
        out.append(paragraph(line))
    table = tr.by_stretch_side
    if len(table):
        from stretchlog.trends.fit import span_words

        rows = []
        for d in table.to_dict("records"):
            has = number(d.get("change")) != "" and d["verdict"] != "not enough data"
            days = (pd.Timestamp(d["last_date"]) - pd.Timestamp(d["first_date"])).days
            size = d.get("size") if isinstance(d.get("size"), str) else ""
            rows.append([
                d["name"],
                d["side"],
                number(d["tightness_now"]),
                f"{number(d['change'], 1, signed=True, bare_zero=True)} "
                f"({number(d['change_lo'], 1, signed=True, bare_zero=True)} to "
                f"{number(d['change_hi'], 1, signed=True, bare_zero=True)})"
                if has else f"rated on {plural(d['n_days'], 'day')}",
                span_words(days) if days > 0 else "",
                f"{size} {d['verdict']}" if size else d["verdict"],
            ])
        out.append("<h3>Tightness by stretch and side</h3>")
        out.append(_table(["Stretch", "Side", "Tightness now (0-10)", "Change so far, points (95% interval)",
                           "Over", "Verdict"], rows, numeric={2, 3}))
        out.append(paragraph("Change so far: from the first rating to the last, over the time in 'Over'; "
                             "negative = looser. Looser or tighter is said whenever the interval leaves "
                             "out 'no change': clearly when the change is about 1 point or more (the "
                             "smallest change you can feel on a 0-10 rating), slowly when it is less. "
                             "Flat means the interval stays within 1 point either way: no change you "
                             "would feel. Not sure yet means the log allows both no change and a change "
                             "you would feel; more weeks of ratings will narrow it down."))
    if len(curve):
        axes = plots.tightness_grid(curve, trends=tr.by_stretch_side)
        uri = _png(axes)
        charts.append(uri)
        out.append(_figure(uri, "Tightness over time for each stretch",
                           "Points are your ratings, the line a smoothed curve; each panel's title gives "
                           "the verdict.", cls="tall"))
    nmw = tr.needs_more_work
    if len(nmw):
        out.append("<h3>Needs more work</h3>")
        out.append(paragraph("The guides: the stretches that are hardest to do are probably the ones you "
                             "need most."))
        out.append(_ul(f"{r['name']}" + (f", {r['side']} side" if r["side"] not in ("both", "") else "")
                       + f": {r['reason']}" for r in nmw.to_dict("records")))
    if len(tr.sides):
        uri = _png(plots.left_right(tr.sides))
        charts.append(uri)
        out.append(_figure(uri, "Left and right tightness for one-sided stretches",
                           "Each pair of dots compares your left and right side; an imbalance is flagged "
                           "only when one side stays tighter through the log.", cls="half"))
    out.append("</section>")
    return "".join(out)


def _pain_lines(pain) -> list[str]:
    lines = [f"Trend: {pain.verdict}: {pain.why}."]
    change = pain.change
    if change is not None:
        lines.append(change.sentence)
    return lines


def habits(hb) -> str:
    """Sessions a week, the longest break, the streak, evening vs morning."""
    out = ['<section id="habits"><h2>Habits</h2>']
    rows = [
        ["Sessions a week", hb.rate_sentence],
        ["Longest break", f"{plural(hb.longest_gap_days, 'day')} ({hb.gap_from} to {hb.gap_to})"
                          if hb.longest_gap_days else "none"],
        ["Current streak", hb.streak_sentence],
    ]
    tod = hb.to_frame().iloc[0]
    rows.append(["Evening vs morning", f"{tod['time_of_day_verdict']}: {tod['time_of_day_why']}"])
    out.append(_kv(rows))
    out.append(paragraph("The guides advise stretching just before bed; this compares the relief of your "
                         "evening and morning sessions at the same starting pain."))
    out.append("</section>")
    return "".join(out)


def _step(item) -> str:
    """One stretch of the routine as a list item: name, mark, dose and time."""
    mark = ROLE_MARK.get(item.role, "")
    tag = f' <span class="mark">{esc(mark)}</span>' if mark else ""
    return (f'<li value="{item.position}"><strong>{esc(item.name)}</strong>{tag} '
            f'<span class="dose">{esc(item.dose)} &middot; {esc(duration(item.seconds))}</span></li>')


def _steps(rt) -> str:
    """The routine as an ordered list (second rounds after a line of their own)."""
    first = [i for i in rt.items if i.round == 1]
    again = [i for i in rt.items if i.round != 1]
    out = '<ol class="steps">' + "".join(_step(i) for i in first) + "</ol>"
    if again:
        out += ('<p class="then">Then go back to the hard ones:</p><ol class="steps">'
                + "".join(_step(i) for i in again) + "</ol>")
    legend = marks_legend(rt)
    if legend:
        out += '<p class="small">' + esc("; ".join(f"[{m}] {t}" for m, t in legend)) + ".</p>"
    return out


def summary(rt, effects: pd.DataFrame, pain, flags, *, has_log: bool = True, experiment=None) -> str:
    """The answer first: safety flags, today's routine, what works, and the pain trend.

    Parameters
    ----------
    rt : Routine
        Today's routine, the same object :func:`stretchlog.routine.build.routine` returns.
    effects : DataFrame
        The relief per stretch (:attr:`stretchlog.analysis.Analysis.effects`).
    pain : PainOverTime or None
        The pain trend of the log (:attr:`stretchlog.analysis.Analysis.pain`).
    flags : sequence
        The safety flags; each one's ``message`` is shown first, in a frame.
    has_log : bool
        False for a log with no bouts yet (no relief or trend to show).
    experiment : ExperimentResult, optional
        The self-experiment beside the log (:attr:`stretchlog.analysis.Analysis.experiment`):
        its answer in one line, linked to its section.

    Returns
    -------
    str
        One ``<section id="summary">``.
    """
    out = ['<section id="summary"><h2>The answer first</h2>']
    if flags:
        items = "".join(f"<li>{esc(getattr(f, 'message', f))}</li>" for f in flags)
        out.append('<div id="safety" class="flag" role="alert"><h3>Safety first</h3>'
                   f"<ul>{items}</ul><p>{esc(DISCLAIMER)}</p></div>")
    out.append('<div class="cols"><div class="today">')
    out.append(f"<h3>Today: {esc(rt.title)}, about {esc(duration(rt.total_seconds))}</h3>")
    if rt.items:
        out.append(_steps(rt))
    else:
        out.append(paragraph("Nothing fits in this time: allow a few more minutes."))
    if rt.relief_line:
        out.append(f'<p class="small">{esc(rt.relief_line)}</p>')
    elif rt.why_mode:
        out.append(f'<p class="small">{esc(rt.why_mode)}</p>')
    out.append('<p class="small noprint"><a href="#routine">Why each stretch, and what was left out</a></p>')
    out.append('</div><div class="works">')
    if has_log and len(effects):
        eff = effects.sort_values("rank", na_position="last")
        good = eff[eff["verdict"].isin(["helps", "may help"])].head(4)
        bad = eff[eff["verdict"].astype(str).str.startswith("makes it")]
        out.append("<h3>What works for you</h3>")
        if len(good):
            out.append("<ol>" + "".join(
                f"<li><strong>{esc(r.name)}</strong>: {esc(r.verdict)}, about "
                f"{esc(number(r.effect, 1))} points less pain a bout (at least {esc(number(r.cautious, 1))})</li>"
                for r in good.itertuples(index=False)) + "</ol>")
        else:
            out.append(paragraph("No stretch clearly eases your pain yet: keep rating pain before and "
                                 "after each stretch."))
        if len(bad):
            out.append(paragraph("Leave out: " + "; ".join(
                f"{r.name} ({r.verdict}, about {number(-r.effect, 1)} points more pain a bout)"
                for r in bad.itertuples(index=False)) + "."))
        out.append('<p class="small noprint"><a href="#relief">Every stretch, with its range</a></p>')
    if experiment is not None:
        out.append("<h3>Your self-experiment</h3>")
        out.append(f"<ul><li>{esc(experiment.headline)}</li></ul>")
        out.append('<p class="small noprint"><a href="#experiment">The whole answer, with its checks</a></p>')
    if has_log and pain is not None:
        out.append("<h3>Your pain over time</h3>")
        out.append(paragraph(f"{pain.verdict.capitalize()}: {pain.why}."))
        change = pain.change
        if change is not None:
            out.append(f'<p class="small">{esc(change.sentence)}</p>')
    out.append("</div></div>")
    if not flags:
        out.append('<p id="safety" class="ok"><strong>Safety:</strong> nothing in your log calls for easing off '
                   "or seeing a professional.</p>")
    out.append("</section>")
    return "".join(out)


def _plan_day(d) -> str:
    d = pd.Timestamp(d)
    return f"{d:%a} {d.day} {d:%b} {d.year}"


def experiment(result, charts: list[str]) -> str:
    """The self-experiment beside the log (an :class:`~stretchlog.experiment.ExperimentResult`),
    answer first: the headline, the result chart and the adherence calendar, the notes, the plan.

    Parameters
    ----------
    result : ExperimentResult
        :attr:`stretchlog.analysis.Analysis.experiment`.
    charts : list of str
        The two charts' URIs are appended.
    """
    from stretchlog.experiment.result import option_label

    plan = result.plan
    out = ['<section id="experiment"><h2>Your self-experiment</h2>']
    status = {"finished": "finished", "running": "running (an interim look)",
              "not started": "not started yet"}.get(result.status, result.status)
    out.append(f'<p class="answer"><strong>{esc(result.headline)}</strong></p>')
    if result.status != "not started":
        # drawn narrow (the figures under the option names, not in a column beside them), so
        # that a phone shows it at a readable size
        fig = plt.figure(figsize=(5.6, 5.9), layout="constrained")
        uri = _png(plots.experiment_result(result, ax=fig.add_subplot()))
        charts.append(uri)
        a, b = option_label(plan, plan.a), option_label(plan, plan.b)
        out.append('<div class="pair">' + _figure(
            uri, f"Relief on each day of the plan with {a} and with {b}, and the difference",
            "Each mark is a day's relief (pain at the start minus the end), under the option the coin "
            "gave it; the bars are the means, adjusted for the starting pain. The bottom line is the "
            "difference with its interval; the grey band is a difference too small to feel.",
            cls="half"))
    uri = _png(plots.experiment_calendar(result))
    charts.append(uri)
    cal = _figure(uri, "Calendar of the plan: the option of each day and whether it was done",
                  "Each square is a planned day with the option the coin gave it; a tick means done as "
                  "planned, an arrow swapped, a cross missed.", cls="half")
    out.append(cal + "</div>" if result.status != "not started" else cal)
    if result.notes:
        out.append("<h3>How sure, and the checks</h3>" + _ul(result.notes))
    weekdays = sorted({pd.Timestamp(d).day_of_week for d in plan.schedule["date"]})
    names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    if len(weekdays) == 7:
        days_words = "every day"
    elif len(weekdays) >= 3 and weekdays[-1] - weekdays[0] == len(weekdays) - 1:
        days_words = f"{names[weekdays[0]]} to {names[weekdays[-1]]}"
    else:
        days_words = joined([names[d] for d in weekdays])
    rows = [
        ["Question", plan.question],
        ["Option A", plan.a.what],
        ["Option B", plan.b.what],
        ["Design", plan.design_words()[:1].upper() + plan.design_words()[1:]],
        ["Dates", f"{_plan_day(plan.start)} to {_plan_day(plan.end)}: {plural(plan.n_days, 'planned day')} "
                  f"over {plural(plan.weeks, 'week')} ({days_words})"],
        ["Status", status],
    ]
    out.append("<h3>The plan</h3>" + _kv(rows))
    out.append(paragraph(
        "A coin, not you, chose the option of each day, so neither option was favoured by being "
        "done on good days, and pain that eases by itself shows up under both. "
        "The interval is the range the true difference very likely lies in; it is wider while the "
        "plan runs, so that looking early cannot crown a false winner."
    ))
    out.append("</section>")
    return "".join(out)


def experiment_error(error) -> str:
    """The self-experiment section for a plan file that cannot be read: its problems, in words."""
    items = [str(p) for p in getattr(error, "problems", ())] or [str(error)]
    return (
        '<section id="experiment"><h2>Your self-experiment</h2>'
        + paragraph(f"The plan file beside the log cannot be read ({getattr(error, 'source', 'the plan')}); "
                    "fix these and run the report again:")
        + _ul(items)
        + "</section>"
    )


def routine(rt, charts: list[str], *, card: str | None = None) -> str:
    """The routine (a :class:`~stretchlog.routine.types.Routine`) in detail: why each
    stretch, the card, what was left out, and the notes.

    Parameters
    ----------
    rt : Routine
    charts : list of str
        The card's chart URI is appended.
    card : str, optional
        The file name of the printable card written with the report; when given, the
        page does not tell how to make one.
    """
    out = ['<section id="routine"><h2>Your routine: what works first</h2>']
    out.append(paragraph(f"{rt.title}: takes about {duration(rt.total_seconds)}. "
                         f"{rt.source_line}. {made_line(rt)}"))
    if rt.why_mode:
        out.append(paragraph(rt.why_mode))
    if rt.relief_line:
        out.append(f"<p><strong>{esc(rt.relief_line)}</strong></p>")
    frame = rt.to_frame()
    if len(frame):
        rows = [[item.position, item.name, why(item)] for item in rt.items]
        out.append("<h3>Why each stretch is in it</h3>")
        out.append(_table(["#", "Stretch", "Why (with the figures from your log)"], rows, numeric={0}))
    if rt.left_out:
        out.append("<h3>Left out</h3>" + _ul(f"{lo.name}: {lo.reason}" for lo in rt.left_out))
    if rt.rotation:
        out.append(paragraph(rt.rotation))
    if rt.notes:
        out.append(_ul(rt.notes))
    uri = _png(plots.routine_card(rt))
    charts.append(uri)
    caption = ("Your routine as a card. The printable card was written with this report: "
               f"{card}." if card else "Your routine as a card. Print it with 'stretchlog routine LOG --format pdf'.")
    out.append(_figure(uri, "Your routine as a card", caption, cls="card"))
    out.append("</section>")
    return "".join(out)


def method() -> str:
    """How to read the report: what the numbers mean and what they cannot know."""
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


def safety(flags) -> str:
    """The safety flags first, in a frame, or a line saying there are none."""
    if not flags:
        return (
            '<section id="safety" class="ok"><p><strong>Safety:</strong> nothing in your log calls '
            "for easing off or seeing a professional. " + esc(DISCLAIMER) + "</p></section>"
        )
    items = "".join(f"<li>{esc(getattr(f, 'message', f))}</li>" for f in flags)
    return (
        '<section id="safety" class="flag" role="alert"><h2>Safety first</h2>'
        f"<ul>{items}</ul><p>{esc(DISCLAIMER)}</p></section>"
    )
