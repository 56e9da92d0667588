"""The HTML report: one self-contained file with every result and chart.

:func:`build_report` runs the whole analysis of a log (summary, relief per stretch,
trends, habits, safety flags, routine), draws the charts of :mod:`stretchlog.plots`
to PNG and embeds them as data URIs, so the file opens anywhere with no network.
Every text that comes from the log (stretch names, notes, the file name) is
HTML-escaped. :func:`write_report` writes it (and, optionally, the printable card).
This module puts the page together; each section is built in
:mod:`stretchlog.report.sections`.

The report is written for two readers: the person who keeps the log and a
physiotherapist looking at it. Each section says in plain words what its numbers
and charts mean, and what they cannot tell.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from stretchlog import __version__
from stretchlog.analysis import Analysis, analyse
from stretchlog.log.catalog import Catalog
from stretchlog.report import sections
from stretchlog.report.sections import DISCLAIMER, esc
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
            sections.overview(summary, ses, charts),
            sections.relief(rel, lasting, meaningful, charts),
            sections.trends(tr, ses, curve, charts),
            sections.habits(tr.habits),
            sections.routine(rt, charts),
        ]
    else:
        body = [sections.paragraph("This log has no bouts yet. Log a session with 'stretchlog log' and run "
                                   "the report again."),
                sections.routine(rt, charts)]
    step(REPORT_STEPS[5])
    made = an.today.isoformat()
    span = f"{summary.first_date} to {summary.last_date}" if summary.first_date else "no sessions yet"
    name = Path(log.source).name
    main = sections.safety(tr.flags) + "".join(body) + sections.method()
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
        + esc(f"stretchlog {__version__} · input {name} ({summary.n_bouts} bouts, {span}) · made {made}. ")
        + esc(DISCLAIMER)
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
