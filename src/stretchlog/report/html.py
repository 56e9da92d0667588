"""The HTML report: one self-contained file with every result and chart.

:func:`build_report` runs the whole analysis of a log (summary, relief per stretch,
trends, habits, safety flags, routine), draws the charts of :mod:`stretchlog.plots`
to PNG and embeds them as data URIs, so the file opens anywhere with no network.
Every text that comes from the log (stretch names, notes, the file name) is
HTML-escaped. :func:`write_report` writes it (and, optionally, the printable card).
This module puts the page together; each section is built in
:mod:`stretchlog.report.sections`.

The report is written for two readers: the person who keeps the log and a
physiotherapist looking at it. It opens on the answer (any safety flag, today's
routine, what works, the pain trend), then gives the detail, starting with the
self-experiment when a plan (``LOG.plan.csv``) sits beside the log; each section says in
plain words what its numbers and charts mean, and what they cannot tell. It fits a
phone's width (wide tables scroll in their own box, charts are drawn at 2x and
shrink to the page), and its print stylesheet keeps table rows whole, leaves out the
on-screen card and the links, and sets charts side by side, so the sample log prints
on six Letter or A4 pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from stretchlog import __version__
from stretchlog.analysis import Analysis, analyse
from stretchlog.experiment import PlanError
from stretchlog.log.catalog import Catalog
from stretchlog.report import sections
from stretchlog.report.sections import DISCLAIMER, esc
from stretchlog.routine.build import routine
from stretchlog.words import plural

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


_CSS = """
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;max-width:62rem;
margin:0 auto;padding:.5rem 1rem 2rem;color:#1a1a1a;line-height:1.45;background:#fff;overflow-wrap:break-word}
h1{font-size:1.5rem;margin:.4rem 0 .1rem}h2{border-bottom:2px solid #0072B2;padding-bottom:.2rem;margin-top:2.2rem}
h3{margin:1.1rem 0 .4rem}#summary h2{margin-top:.8rem}#summary h3{font-size:1.05rem}
.meta{color:#555;margin:0;font-size:.9rem}.answer{font-size:1.1rem;border-left:4px solid #0072B2;padding:.2rem .8rem;background:#f3f8fc}.small{font-size:.9rem;color:#333}
nav{font-size:.9rem;margin:.3rem 0}nav a{margin-right:.8rem;white-space:nowrap;display:inline-block}
.flag{border:3px solid #D55E00;padding:.3rem 1rem;background:#fff4ec;margin:.6rem 0}
.ok{border-left:4px solid #009E73;padding:.3rem 1rem;background:#f2fbf8}
.cols{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,22rem),1fr));gap:0 2rem}
.cols>div{min-width:0}
ol.steps{padding-left:1.6rem;margin:.3rem 0}ol.steps li{margin:.25rem 0}
.dose{white-space:nowrap;color:#333}.then{margin:.4rem 0 0;font-style:italic}
.mark{border:1.5px solid #000;padding:0 .25rem;font-size:.75rem;font-weight:700}
.scroll{overflow-x:auto;max-width:100%;margin:1rem 0}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;padding:.3rem .5rem;
text-align:left;vertical-align:top}th{background:#f3f6f9}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}td.num{white-space:nowrap}
dl.kv{display:grid;grid-template-columns:minmax(8rem,16rem) 1fr;gap:0;margin:1rem 0}
dl.kv dt{font-weight:600;padding:.3rem .5rem .3rem 0;border-bottom:1px solid #ddd}
dl.kv dd{margin:0;padding:.3rem 0;border-bottom:1px solid #ddd}
figure{margin:1.5rem 0;max-width:100%}figure img{max-width:100%;height:auto;border:1px solid #eee;display:block}
figcaption{color:#444;font-size:.95rem}footer{margin-top:3rem;color:#555;font-size:.9rem;border-top:1px solid #ddd}
@media (max-width:40rem){body{padding:.3rem .7rem 1.5rem}h2{font-size:1.3rem}
dl.kv{grid-template-columns:1fr}dl.kv dt{border-bottom:0;padding-bottom:0}dl.kv dd{padding-top:.1rem}
th,td{padding:.25rem .35rem}
.scroll table{width:max-content;min-width:100%}.scroll th,.scroll td{max-width:13rem}}
@page{margin:12mm 11mm}
@media print{body{max-width:none;padding:0;font-size:9pt;line-height:1.28}nav,figure.card,.noprint{display:none}
h1{font-size:14pt}h2{font-size:12pt;margin:.9rem 0 .3rem;break-after:avoid}h3{font-size:10pt;margin:.5rem 0 .2rem;
break-after:avoid}p{margin:.35rem 0}p,li{orphans:3;widows:3}a{color:inherit;text-decoration:none}
tr,li,dt,dd,figure,.flag,.ok{break-inside:avoid}thead{display:table-header-group}
.scroll{overflow:visible;margin:.3rem 0}table{font-size:8pt}th,td{padding:.08rem .25rem}dl.kv{margin:.3rem 0}
dl.kv dt,dl.kv dd{padding:.06rem .3rem}figure{margin:.3rem 0}figcaption{font-size:7.5pt;line-height:1.2}
figure img{border:0;width:auto;max-height:75mm;max-width:100%}figure.calendar img{max-height:38mm}
figure.wide img{max-height:58mm}figure.tall img{max-height:170mm}figure.half img{max-height:80mm}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:0 4mm}.pair figure img{width:100%;max-height:none}
#summary .cols{grid-template-columns:1fr 1fr}.small{font-size:8.5pt}footer{margin-top:.8rem}}
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
    card: str | Path | None = None,
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
    card : str or Path, optional
        The printable card written with this report, if any: the page then names it
        instead of telling how to make one.

    Returns
    -------
    html : str
        A complete, self-contained HTML page. It opens on the answer (the
        ``summary`` section: safety flags, today's routine, what works, the pain
        trend), then the detail; it fits a phone's width and prints compactly.
    parts : dict
        ``routine``, ``flags``, ``n_charts`` and ``catalog`` (for the caller, e.g. to
        write the card with :func:`stretchlog.report.card.save_card`).

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
    card_name = Path(card).name if card is not None else None
    try:
        exp, exp_section = an.experiment, None
    except PlanError as error:  # a broken plan file: said in its section, the rest still shows
        exp, exp_section = None, sections.experiment_error(error)
    if exp is not None:
        exp_section = sections.experiment(exp, charts)
    if len(bouts):
        body = [
            sections.summary(rt, rel.effects, tr.pain, tr.flags, experiment=exp),
            *([exp_section] if exp_section else []),
            sections.overview(summary, ses, charts),
            sections.relief(rel, lasting, meaningful, charts),
            sections.trends(tr, ses, curve, charts),
            sections.habits(tr.habits),
            sections.routine(rt, charts, card=card_name),
        ]
    else:
        body = [sections.summary(rt, rel.effects, None, tr.flags, has_log=False, experiment=exp),
                *([exp_section] if exp_section else []),
                sections.paragraph("This log has no bouts yet. Log a session with 'stretchlog log' and run "
                                   "the report again."),
                sections.routine(rt, charts, card=card_name)]
    step(REPORT_STEPS[5])
    made = an.today.isoformat()
    span = f"{summary.first_date} to {summary.last_date}" if summary.first_date else "no sessions yet"
    name = Path(log.source).name
    main = "".join(body) + sections.method()
    # Link only the sections this log has (a new log has no relief or trends yet).
    nav = "".join(
        f'<a href="#{anchor}">{label}</a>'
        for anchor, label in _NAV
        if f'<section id="{anchor}"' in main
    )
    page = (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>stretchlog report: {esc(name)}</title><style>{_CSS}</style></head><body>"
        f"<header><h1>Your stretching report</h1><p class=\"meta\">Log <strong>{esc(name)}</strong>, "
        f"{esc(span)}. Made {esc(made)} by stretchlog {esc(__version__)}.</p>"
        f"<nav>{nav}</nav>"
        "</header><main>"
        + main
        + "</main><footer><p>"
        + esc(f"stretchlog {__version__} · input {name} ({plural(summary.n_bouts, 'bout')}, {span}) · made {made}. ")
        + esc(DISCLAIMER)
        + "</p></footer></body></html>\n"
    )
    return page, {"routine": rt, "flags": tr.flags, "n_charts": len(charts), "catalog": an.catalog}


_NAV: tuple[tuple[str, str], ...] = (
    ("summary", "In short"),
    ("experiment", "Experiment"),
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
    page, parts = build_report(analyse(log_path, catalog=catalog), minutes=minutes, seed=seed, progress=progress,
                               card=card)
    out = Path(out)
    write_atomic(out, page)
    card_path = None
    if card is not None:
        from stretchlog.report.card import save_card

        card_path = save_card(parts["routine"], card, catalog=parts["catalog"])
    return ReportResult(path=out, card=card_path, n_charts=parts["n_charts"], n_flags=len(parts["flags"]))
