"""The cohort's HTML page: one self-contained file for a clinic's or a study's logs.

:func:`cohort_page` turns a :class:`stretchlog.cohort.Cohort` into a complete HTML
document with no external resource and no script: the charts of
:mod:`stretchlog.plots.cohort` are embedded as PNG data URIs, the style sheet is
inline. It opens on the answer (the headline, then who needs a look first, with each
safety flag's advice and the not-a-diagnosis disclaimer), then what helps most people
(the forest chart and its table, every figure explained in words), each person's row,
their pain week by week, the files that could not be read and how the figures were
made. Files are named by file name only; every text from a log (file and stretch
names, flag messages) is HTML-escaped. It fits a phone's width (the people table
turns into one card per person, the stretch table scrolls in its own box, the pain
panels come in two columns instead of four) and prints compactly.
:func:`write_cohort_page` writes it atomically.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd

from stretchlog import __version__
from stretchlog.model.thresholds import FELT_RELIEF
from stretchlog.plots.cohort import MIDDLE_80, forest_size, plot_cohort_pain, plot_cohort_stretches
from stretchlog.report.html import _CSS, write_atomic
from stretchlog.report.sections import CHART_DPI, _png, esc, paragraph, png_size
from stretchlog.trends.safety import DISCLAIMER
from stretchlog.words import chance, number, plural

__all__ = ["cohort_page", "write_cohort_page", "PAIN_PANELS"]

#: People drawn in the pain small multiples (flagged first).
PAIN_PANELS = 24

_SCREEN = CHART_DPI / 2  # charts are shown at half their pixel size (sharp on 2x screens)

_COHORT_CSS = """
.who{margin:.2rem 0 .1rem;font-size:1.05rem}.flag ul{margin:.2rem 0 .4rem;padding-left:1.2rem}
.flag .advice{color:#333}.disclaimer{font-size:.9rem;color:#333;margin:.6rem 0}
.answer p{margin:.2rem 0}.answer ul{margin:.3rem 0 .2rem;padding-left:1.2rem}
.explain ul{padding-left:1.2rem;font-size:.95rem}.explain li{margin:.3rem 0}
td.top span{display:block}td.dates span{white-space:nowrap}td.warn{color:#B34700;font-weight:600}
table.stack td.first{font-weight:600;min-width:8.5rem;overflow-wrap:anywhere}
picture{display:block}
@media (max-width:40rem){
table.stack,table.stack tbody,table.stack tr,table.stack td{display:block;width:100%}
.scroll table.stack{width:100%}table.stack thead{display:none}
table.stack tr{border:1px solid #ccc;border-radius:4px;margin:.5rem 0;padding:.25rem .5rem}
table.stack td,.scroll table.stack td{border:0;padding:.12rem 0;text-align:left;max-width:none;white-space:normal}
table.stack td::before{content:attr(data-label) ": ";font-weight:600;color:#444}
table.stack td.first::before{content:""}}
@media print{.flag{padding:.1rem .6rem}.explain ul{font-size:8.5pt}
figure.forest img{max-height:110mm}figure.pain img{max-height:200mm}}
"""


# --------------------------------------------------------------------------- helpers


def _img(uri: str, alt: str) -> str:
    w, h = png_size(uri)
    return (f'<img src="{uri}" alt="{esc(alt)}" width="{round(w * _SCREEN / CHART_DPI)}" '
            f'height="{round(h * _SCREEN / CHART_DPI)}">')


def _figure(body: str, caption: str, cls: str) -> str:
    return f'<figure class="{cls}">{body}<figcaption>{esc(caption)}</figcaption></figure>'


def _ul(items) -> str:
    items = [i for i in items if i]
    return "<ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>" if items else ""


def _stack_table(headers: list[str], rows: list[list[object]], *, numeric: set[int],
                 cls: str) -> str:
    """A table that scrolls in its own box on a wide screen and turns into one card per row
    on a phone (each cell then says its column's name; the first cell is the card's title)."""
    head = "".join(f"<th{' class=num' if i in numeric else ''}>{esc(h)}</th>"
                   for i, h in enumerate(headers))
    body = "".join(
        "<tr>" + "".join(
            f'<td data-label="{esc(headers[i])}"'
            + (" class=num" if i in numeric else (" class=first" if i == 0 else ""))
            + f">{esc(c)}</td>" for i, c in enumerate(r)) + "</tr>"
        for r in rows)
    return (f'<div class="scroll"><table class="stack {cls}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>")


def _trend_words(row: pd.Series) -> str:
    verdict = str(row.get("pain_verdict", "") or "")
    slope, lo, hi = (row.get(k) for k in ("pain_slope", "pain_lo", "pain_hi"))
    try:
        ok = all(math.isfinite(float(v)) for v in (slope, lo, hi))
    except (TypeError, ValueError):
        ok = False
    if not verdict:
        return ""
    if not ok:
        return verdict
    return (f"{verdict}: {number(slope, 1, signed=True, bare_zero=True)} points a month "
            f"({number(lo, 1, signed=True, bare_zero=True)} to "
            f"{number(hi, 1, signed=True, bare_zero=True)})")


# --------------------------------------------------------------------------- sections


def _answer(cohort: Any) -> str:
    people = cohort.people
    flagged = [f for f, n in zip(people["file"], people["n_flags"]) if n > 0]
    items = []
    if flagged:
        items.append(f"Needs a look first: {', '.join(flagged)}.")
    st = cohort.stretches
    if len(st):
        best = st.sort_values("mean", ascending=False).iloc[0]
        if best["ci_low"] > 0:
            items.append(
                f"Helps most people: {best['name']}, about {number(best['mean'], 1)} points less "
                f"pain a bout on average ({number(best['ci_low'], 1)} to {number(best['ci_high'], 1)}); "
                f"{best['n_helps']} of {plural(int(best['n_tried']), 'person', 'people')} who did it "
                "get relief from it in their own figures.")
        else:
            items.append("No stretch surely helps the cohort on average yet: see the chart below.")
    elif cohort.ok:
        items.append("Not enough people share a stretch yet to say what helps most people.")
    return (f'<div class="answer"><p><strong>{esc(cohort.headline())}</strong></p>'
            f"{_ul(items)}</div>")


def _flags(cohort: Any) -> str:
    out = ['<section id="flags"><h2>Needs a look first</h2>']
    flags = cohort.flags
    if flags.empty:
        out.append('<p class="ok">No one\'s log calls for easing off or seeing a professional.</p>')
        return "".join(out) + "</section>"
    order = [f for f, n in zip(cohort.people["file"], cohort.people["n_flags"]) if n > 0]
    out.append(paragraph(
        f"{plural(len(order), 'person', 'people')} with a safety flag, the most serious first. "
        "Each flag is worded for the person who keeps the log; the advice under it is what "
        "stretchlog tells them."))
    for file in order:
        mine = flags[flags["file"] == file]
        items = "".join(
            f"<li><strong>{esc(r.severity.capitalize())}:</strong> {esc(r.message)}"
            f'<br><span class="advice">{esc(r.advice)}</span></li>'
            for r in mine.itertuples(index=False))
        out.append(f'<div class="flag" role="alert"><h3 class="who">{esc(file)}</h3><ul>{items}</ul></div>')
    out.append(f'<p class="disclaimer"><strong>Not a diagnosis.</strong> {esc(DISCLAIMER)}</p>')
    return "".join(out) + "</section>"


def _stretches(cohort: Any, charts: list[str]) -> str:
    out = ['<section id="stretches"><h2>What helps most people</h2>']
    st = cohort.stretches
    if st.empty:
        out.append(paragraph(cohort.prior_note or "No stretch has a figure from enough people yet."))
        return "".join(out) + "</section>"
    fig = plt.figure(figsize=forest_size(len(st)), layout="constrained")
    uri = _png(plot_cohort_stretches(cohort, ax=fig.add_subplot()))
    charts.append(uri)
    out.append(_figure(_img(uri, "Average relief per bout of each stretch across people, with "
                                 "95% intervals and the range of most people"),
                       "Dots and dark lines: the cohort's average relief per bout and its 95% "
                       "interval. Pale bands: where most people's own relief lies. Right of the "
                       "black line means less pain; the grey band is relief too small to feel.",
                       "forest"))
    rows = []
    for r in st.sort_values("mean", ascending=False).itertuples(index=False):
        spread = 0.0 if pd.isna(r.spread) else float(r.spread)
        rows.append([
            r.name,
            int(r.n_people),
            number(r.mean, 2, signed=True, bare_zero=True),
            f"{number(r.ci_low, 2, signed=True, bare_zero=True)} to "
            f"{number(r.ci_high, 2, signed=True, bare_zero=True)}",
            f"{number(r.mean - MIDDLE_80 * spread, 1, signed=True, bare_zero=True)} to "
            f"{number(r.mean + MIDDLE_80 * spread, 1, signed=True, bare_zero=True)}",
            chance(r.share_helped),
            f"{int(r.n_helps)} of {int(r.n_tried)}",
        ])
    explain = _ul([
        "Relief is counted in points of the 0-10 pain scale for one bout of a stretch; positive "
        f"means less pain. A bout needs about {FELT_RELIEF:g} points to be felt (a routine of ten "
        "such bouts makes the 2-point change people notice).",
        "Average relief per bout: what the stretch gives the people in this cohort on average, "
        "each person's figure counting by how much their log can tell.",
        "95% interval: the range the true average very likely lies in. It is narrow when many "
        "people with long logs did the stretch.",
        "Most people (middle 80%): people differ; 8 in 10 people's own relief lies in this range "
        "(the average plus or minus 1.28 spreads, the spread being how much people differ). A "
        "range reaching below zero means some people get no relief from the stretch.",
        "Share helped: the share of people whose true relief is above zero, as the average and "
        "the spread imply.",
        "Helps in own figures: of the people who did the stretch, how many have the verdict "
        "\"helps\" or \"may help\" in their own figures (their own log, sharpened by the cohort).",
    ])
    out[-1] = f'<div class="cols"><div>{out[-1]}</div><div class="explain">{explain}</div></div>'
    out.append(_stack_table(["Stretch", "People", "Average relief per bout", "95% interval",
                             "Most people (middle 80%)", "Share helped", "Helps in own figures"],
                            rows, numeric={1, 2, 3, 4, 5, 6}, cls="stretches"))
    return "".join(out) + "</section>"


def _people(cohort: Any) -> str:
    out = ['<section id="people"><h2>Each person</h2>']
    people = cohort.people
    if people.empty:
        out.append(paragraph("No logs were given."))
        return "".join(out) + "</section>"
    out.append(paragraph(
        "People with a safety flag first, then by file name. Top stretches: each person's best "
        "stretches that help them, with their relief per bout (points of the 0-10 scale)"
        + (", sharpened by what the cohort shows" if cohort.prior is not None
           else ", from their own log alone (no cohort summary yet)")
        + ". Pain trend: their starting pain over the log, in points a month with its 95% "
        "interval (minus = going down)."))
    labels = ["File", "Sessions", "Dates", "Top stretches", "Pain trend", "Safety"]
    head = "".join(f"<th{' class=num' if h == 'Sessions' else ''}>{esc(h)}</th>" for h in labels)
    body = []
    for _, r in people.iterrows():
        if r["status"] != "ok":
            body.append(f'<tr><td data-label="{labels[0]}" class=first>{esc(r["file"])}</td>'
                        f'<td data-label="{labels[5]}" class=warn colspan=5>could not be read '
                        "(see Files that could not be read)</td></tr>")
            continue
        top = "".join(f"<span>{esc(t.strip())}</span>" for t in str(r["top"]).split(";") if t.strip())
        dates = (f"{esc(r['first_date'])} <span>to {esc(r['last_date'])}</span>"
                 if isinstance(r["first_date"], str) and r["first_date"] else "")
        safety = (f"{plural(int(r['n_flags']), 'flag')} (see Needs a look first)"
                  if r["n_flags"] else "no flag")
        cells = [
            (labels[0], esc(r["file"]), "first"),
            (labels[1], esc(int(r["sessions"])), "num"),
            (labels[2], dates, "dates"),
            (labels[3], top or "none clearly helps yet", "top"),
            (labels[4], esc(_trend_words(r)), ""),
            (labels[5], esc(safety), "warn" if r["n_flags"] else ""),
        ]
        body.append("<tr>" + "".join(
            f'<td data-label="{esc(lab)}"{f" class={cls}" if cls else ""}>{val}</td>'
            for lab, val, cls in cells) + "</tr>")
    out.append(f'<div class="scroll"><table class="stack people"><thead><tr>{head}</tr></thead>'
               f"<tbody>{''.join(body)}</tbody></table></div>")
    return "".join(out) + "</section>"


def _pain(cohort: Any, charts: list[str]) -> str:
    out = ['<section id="pain"><h2>Each person\'s pain over the weeks</h2>']
    if cohort.pain.empty:
        out.append(paragraph("No readable log has pain ratings yet."))
        return "".join(out) + "</section>"
    wide = _png(plot_cohort_pain(cohort, max_people=PAIN_PANELS, ncols=4))
    narrow = _png(plot_cohort_pain(cohort, max_people=PAIN_PANELS, ncols=2, panel_size=(1.95, 1.9)))
    charts += [wide, narrow]
    alt = "Each person's average starting pain week by week, flagged people first"
    nw, nh = (round(v * _SCREEN / CHART_DPI) for v in png_size(narrow))
    picture = (f'<picture><source media="(max-width: 40rem)" srcset="{narrow}" width="{nw}" '
               f'height="{nh}">{_img(wide, alt)}</picture>')
    n_ok = len(cohort.ok)
    caption = ("Each panel is one person: their average pain at the start of a session, week "
               "by week, on the same 0-10 scale; the title gives the file and the trend in a "
               "word. The dotted line at 7 is the pain the safety check calls high.")
    if n_ok > PAIN_PANELS:
        caption += f" The first {PAIN_PANELS} of {n_ok} people are shown (flagged first)."
    out.append(_figure(picture, caption, "pain tall"))
    return "".join(out) + "</section>"


def _unread(cohort: Any) -> str:
    if not cohort.failed:
        return ""
    out = ['<section id="unread"><h2>Files that could not be read</h2>',
           paragraph(f"{plural(len(cohort.failed), 'file')} broke the log format and "
                     f"{'was' if len(cohort.failed) == 1 else 'were'} left out; the rest were "
                     "analysed. Fix these problems and run the cohort again:")]
    for r in cohort.failed:
        out.append(f"<h3>{esc(r.file)}</h3>" + (_ul(r.problems) or paragraph("No details.")))
    return "".join(out) + "</section>"


def _method(cohort: Any) -> str:
    items = [
        "Everything here was made on this machine from the logs given; nothing was sent "
        "anywhere. Files are named by their file name only.",
        "Each log was analysed on its own first, as 'stretchlog report' does for one person. "
        "Then the cohort's average relief and spread per stretch were fitted from everyone's "
        "figures, and each person's estimates were sharpened with them: they lean on the "
        "cohort as far as their own log is short, and stand on their own as it grows."
        if cohort.prior is not None else
        "Each log was analysed on its own, as 'stretchlog report' does for one person. "
        "There is no cohort summary yet (see What helps most people), so each person's figures "
        "are their own log's alone; with one, they would lean on the cohort as far as their "
        "own log is short.",
        "What these figures cannot know: whether a stretch caused a change (people chose when "
        "to stretch), anything not logged, and anything about a diagnosis.",
    ]
    if cohort.prior is not None:
        items.insert(2, f"The cohort summary uses {plural(cohort.prior.n_people, 'person', 'people')}'s "
                        "logs; a stretch enters it once enough people have a figure for it.")
    return '<section id="method"><h2>How the figures were made</h2>' + _ul(items) + "</section>"


# --------------------------------------------------------------------------- entry points


def cohort_page(cohort: Any) -> str:
    """The cohort overview as one self-contained HTML page.

    Parameters
    ----------
    cohort : Cohort
        From :func:`stretchlog.cohort.run_cohort`.

    Returns
    -------
    str
        A complete HTML document: inline style sheet, charts as PNG data URIs, no
        script and no external resource. Sections (ids): the answer, ``flags``
        (needs a look first), ``stretches`` (what helps most people), ``people``,
        ``pain``, ``unread`` (only when a file could not be read), ``method``.

    Examples
    --------
    >>> from datetime import date
    >>> from stretchlog.cohort import run_cohort
    >>> page = cohort_page(run_cohort([("bad.csv", b"date\\n")], today=date(2026, 3, 1), jobs=1))
    >>> page.startswith("<!DOCTYPE html>") and "bad.csv" in page
    True
    """
    charts: list[str] = []
    main = "".join([
        '<section id="answer">', _answer(cohort), "</section>",
        _flags(cohort),
        _stretches(cohort, charts),
        _people(cohort),
        _pain(cohort, charts),
        _unread(cohort),
        _method(cohort),
    ])
    n_files = len(cohort.results)
    made = cohort.today.isoformat()
    nav = "".join(f'<a href="#{a}">{esc(t)}</a>' for a, t in (
        ("flags", "Needs a look"), ("stretches", "What helps"), ("people", "People"),
        ("pain", "Pain"), ("unread", "Not read"), ("method", "How made"))
        if f'<section id="{a}"' in main)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>stretchlog cohort: {esc(plural(n_files, 'log'))}</title>"
        f"<style>{_CSS}{_COHORT_CSS}</style></head><body>"
        "<header><h1>Cohort overview</h1>"
        f"<p class=\"meta\">{esc(plural(n_files, 'log file'))}, made {esc(made)} by stretchlog "
        f"{esc(__version__)}.</p><nav>{nav}</nav></header><main>"
        + main
        + "</main><footer><p>"
        + esc(f"Made on this machine by stretchlog {__version__} on {made} from "
              f"{plural(n_files, 'log file')} ({cohort.engine}); files are named by file name "
              "only. "
              + ("Each person's estimates lean on the cohort as far as their own log is short. "
                 if cohort.prior is not None else
                 "No cohort summary yet: each person's estimates are their own log's alone. "))
        + esc(DISCLAIMER)
        + "</p></footer></body></html>\n"
    )


def write_cohort_page(cohort: Any, path: str | Path) -> Path:
    """Write :func:`cohort_page` to ``path`` atomically (a temporary file beside it, then
    ``os.replace``), so a reader never sees half a page.

    Examples
    --------
    >>> write_cohort_page(cohort, "cohort.html")  # doctest: +SKIP
    PosixPath('cohort.html')
    """
    path = Path(path)
    write_atomic(path, cohort_page(cohort))
    return path
