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

import matplotlib.pyplot as plt
import pandas as pd

from stretchlog import plots
from stretchlog.model.thresholds import BOUTS_PER_ROUTINE, FELT_RELIEF, MCID_POINTS
from stretchlog.words import chance, number, plural, share_of
from stretchlog.routine.text import duration, made_line, why

__all__ = [
    "DISCLAIMER",
    "esc",
    "paragraph",
    "overview",
    "relief",
    "trends",
    "habits",
    "routine",
    "method",
    "safety",
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


def _png(ax_or_axes) -> str:
    """The figure of an Axes (or array of Axes) as a base64 PNG data URI; closes it."""

    ax = ax_or_axes.flat[0] if hasattr(ax_or_axes, "flat") else ax_or_axes
    fig = ax.figure
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight", facecolor="white")
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _figure(uri: str, alt: str, caption: str) -> str:
    return (
        f'<figure><img src="{uri}" alt="{esc(alt)}">'
        f"<figcaption>{esc(caption)}</figcaption></figure>"
    )


def _table(headers: list[str], rows: list[list[object]], *, numeric: set[int] | None = None, cls: str = "") -> str:
    numeric = numeric or set()
    head = "".join(f"<th{' class=num' if i in numeric else ''}>{esc(h)}</th>" for i, h in enumerate(headers))
    body = "".join(
        "<tr>" + "".join(f"<td{' class=num' if i in numeric else ''}>{esc(c)}</td>" for i, c in enumerate(r)) + "</tr>"
        for r in rows
    )
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


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
        out.append(_figure(uri, "Relief per bout for each stretch with 95% intervals",
                           "Dots are the estimates, lines the 95% intervals; right of the zero line means "
                           "less pain. Stretches are in ranking order (by verdict, then by the relief each gives at least)."))
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
                chance(r.p_felt) if has else "",
                int(r.n_bouts),
                int(r.n_sessions),
            ])
        out.append(_table(["Rank", "Stretch", "Verdict", "Relief per bout", "95% interval",
                           "Chance you feel it", "Bouts", "Sessions"], rows, numeric={0, 3, 4, 5, 6, 7}))
        out.append(paragraph(
            f"Verdict: judged against the relief you would feel, {FELT_RELIEF:g} points a bout (a routine "
            f"of {BOUTS_PER_ROUTINE} such bouts makes the {MCID_POINTS:g}-point change people notice). "
            "Helps: the whole 95% interval is above that. May help: surely some relief, maybe less than "
            "that. No clear effect: the log cannot tell yet. Too small to feel: less than "
            f"{FELT_RELIEF:g} either way, however sure. Makes it worse / slightly worse: the pain surely "
            f"goes up after it. Chance you feel it: how likely the true relief is at least {FELT_RELIEF:g} "
            "points a bout. Stretches are ranked by verdict, then by the relief each gives at least."
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
        out.append(_figure(uri, "Immediate and lasting relief per stretch",
                           "Circles: relief right after the stretch. Squares: how much lower the next "
                           "session's starting pain was. Lasting relief is an association, not proof."))
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
                       "A change of 2 points or 30% is the smallest most people notice."))
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
                           "the verdict."))
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
                           "only when one side stays tighter through the log."))
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
    out.append(_table(["", ""], rows, cls="kv"))
    out.append(paragraph("The guides advise stretching just before bed; this compares the relief of your "
                         "evening and morning sessions at the same starting pain."))
    out.append("</section>")
    return "".join(out)


def routine(rt, charts: list[str]) -> str:
    """The routine (a :class:`~stretchlog.routine.types.Routine`): its card, items and notes."""
    out = ['<section id="routine"><h2>Your routine: what works first</h2>']
    out.append(paragraph(f"{rt.title}: takes about {duration(rt.total_seconds)}. "
                         f"{rt.source_line}. {made_line(rt)}"))
    if rt.why_mode:
        out.append(paragraph(rt.why_mode))
    if rt.relief_line:
        out.append(f"<p><strong>{esc(rt.relief_line)}</strong></p>")
    uri = _png(plots.routine_card(rt))
    charts.append(uri)
    out.append(_figure(uri, "Your routine as a card", "Print it with 'stretchlog routine LOG --format pdf'."))
    frame = rt.to_frame()
    if len(frame):
        rows = []
        for item, r in zip(rt.items, frame.to_dict("records")):
            rows.append([r.get("name", ""), r.get("side", ""), r.get("dose", ""),
                         f"{int(r.get('seconds', 0)) // 60}:{int(r.get('seconds', 0)) % 60:02d}",
                         why(item)])
        out.append(_table(["Stretch", "Side", "Hold x reps", "Time", "Why"], rows))
    if rt.left_out:
        out.append("<h3>Left out</h3>" + _ul(f"{lo.name}: {lo.reason}" for lo in rt.left_out))
    if rt.rotation:
        out.append(paragraph(rt.rotation))
    if rt.notes:
        out.append(_ul(rt.notes))
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
