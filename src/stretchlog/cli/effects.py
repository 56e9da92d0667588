"""``stretchlog effects LOG``: which stretches relieve your pain, and how sure that is.

Registered in :mod:`stretchlog.cli.app` as ``app.command("effects")(cli_effects.effects)``.
Only typer and the standard library are imported at module level; pandas,
statsmodels and rich are imported when the command runs.
"""

from __future__ import annotations

from pathlib import Path

import typer

from stretchlog.cli.common import PRIOR_OPT

__all__ = ["effects"]

FORMATS = ("table", "csv", "json")


def effects(
    log: Path = typer.Argument(
        ..., help="The log file (CSV, one row per stretch bout).", show_default=False
    ),
    by_side: bool = typer.Option(
        False,
        "--by-side",
        help="Left and right separately for one-sided stretches, and whether they differ.",
    ),
    fmt: str = typer.Option(
        "table",
        "--format",
        "-f",
        help="table (for reading), csv or json (the full figures, for other tools).",
    ),
    catalog: Path | None = typer.Option(
        None,
        "--catalog",
        envvar="STRETCHLOG_CATALOG",
        help="Your own catalog file (TOML) that extends the built-in stretches.",
        show_default=False,
    ),
    explain: bool = typer.Option(
        False, "--explain", help="Explain every column and verdict of the table in full."
    ),
    prior: Path | None = PRIOR_OPT,
) -> None:
    """Which stretches relieve your pain, ranked, with how sure the log is about each.

    Relief is in points of the 0-10 pain scale per bout (one row of your log),
    estimated from every stretch of a session between two pain readings, adjusted
    for regression to the mean and for the order of stretches. The table's legend
    explains every column; docs/method.md explains the method. With --prior, each
    figure also leans on what a cohort's logs show of the stretch, as far as your
    own log is short (the note under the table says so).
    """
    fmt = fmt.strip().lower()
    if fmt not in FORMATS:
        raise typer.BadParameter(
            f"choose one of {', '.join(FORMATS)} (got {fmt!r})", param_hint="--format"
        )
    import stretchlog.analysis  # noqa: F401  (imports first: _load then turns garbage collection back on)
    from stretchlog.cli import common as cli

    an = cli._analysis(log, catalog, to_stderr=fmt != "table", prior=prior)
    report = an.relief_by_side if by_side else an.relief
    if fmt == "csv":
        typer.echo(report.effects.to_csv(index=False), nl=False)
        return
    if fmt == "json":
        typer.echo(json_text(an, by_side=by_side))
        return
    _print_report(cli._console(), an, report, by_side=by_side, source=log.name, explain=explain)


#: The name and version of the shape ``--format json`` writes (see docs/api.md).
JSON_FORMAT = "stretchlog.effects/2"


def json_text(an, *, by_side: bool) -> str:
    """Every table and claim the terminal shows, as one JSON object (shape :data:`JSON_FORMAT`)."""
    import json

    from stretchlog import __version__
    from stretchlog.analysis import records

    report = an.relief_by_side if by_side else an.relief
    doc = {
        "format": JSON_FORMAT,
        "stretchlog": __version__,
        "by_side": by_side,
        "effects": records(report.effects),
        "side_relief": records(an.side_relief),
        "inseparable": records(report.groups),
        "adjustments": records(report.model),
        "notes": list(report.notes),
        "lasting": records(an.lasting),
        "dose": records(an.dose),
        "meaningful": records(an.meaningful),
        # the cohort summary the figures lean on (--prior), or None
        "prior": None if an.prior is None else {
            "source": an.prior.source, "made": an.prior.made, "n_people": an.prior.n_people},
    }
    return json.dumps(doc, indent=2, ensure_ascii=False)


# --------------------------------------------------------------------------- the table


def _legend(*, full: bool) -> list[str]:
    """The table's legend (rich markup): a few lines, or in full for ``--explain``."""
    from stretchlog.effects.relief import RANK_QUANTILE
    from stretchlog.model.thresholds import BOUTS_PER_ROUTINE, FELT_RELIEF, MCID_POINTS

    if not full:
        return [
            "[bold]Relief[/]: points less pain (0-10) after one bout, one row of your log. "
            "[bold]Likely range[/]: the true relief is in it with 95% probability. "
            f"[bold]Feel it[/]: the chance of at least {FELT_RELIEF:g} points a bout, "
            "the relief you would feel.",
            "[dim]What each column and verdict means: stretchlog effects --explain "
            "(the method: docs/method.md).[/]",
        ]
    return [
        f"[bold]Verdict[/]: judged against the relief you would feel, {FELT_RELIEF:g} points a bout (a "
        f"routine of {BOUTS_PER_ROUTINE} such bouts makes the {MCID_POINTS:g}-point change people notice). "
        "[bold]helps[/] = the whole likely range is above that; [bold]may help[/] = surely some relief, "
        "maybe less than that; [bold]no clear effect[/] = the log cannot tell yet; [bold]too small to "
        f"feel[/] = less than {FELT_RELIEF:g} either way, however sure; [bold]makes it worse[/] / "
        "[bold]slightly worse[/] = the pain surely goes up after it.",
        "[bold]Relief[/] (per bout): points less pain (0-10 scale) after one bout - one row of your log - "
        "done first in a session. A high first reading tends to come down by itself, and a stretch done "
        "later in a session starts from lower pain: the figure allows for both. A one-sided stretch done "
        "on both sides is two bouts, so its relief per use is about twice this.",
        "[bold]Likely range[/]: the true relief lies in this range with 95% probability. Each estimate is "
        "pulled a little toward your average stretch, more so the less you have tried it.",
        f"[bold]Feel it[/]: the chance that the true relief is at least {FELT_RELIEF:g} points a bout.",
        "[bold]Sessions[/]: how many sessions of your log include the stretch.",
        f"[bold]Order[/]: by verdict, then by the relief a stretch gives at least, with {1 - RANK_QUANTILE:.0%} "
        "probability, so a stretch tried only a few times cannot come first on a lucky day.",
        "The method in full: docs/method.md.",
    ]


def _print_report(console, an, report, *, by_side: bool, source: str, explain: bool = False) -> None:
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    from stretchlog.cli.render import bullet
    from stretchlog.words import chance, number, plural

    eff = report.effects
    bouts = an.bouts
    if eff.empty:
        console.print(
            "Your log has no bouts yet, so there is nothing to estimate. Log a few sessions first."
        )
        return
    console.print(
        f"[bold]Which stretches relieve your pain[/] - from {plural(an.summary.n_sessions, 'session')} and "
        f"{plural(len(bouts), 'bout')} in {escape(source)}"
    )
    # Short headers that never wrap; the names and verdicts wrap whole words.
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True, show_edge=False)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Stretch", min_width=16)
    table.add_column("Verdict", min_width=15)
    table.add_column("Relief", justify="right", no_wrap=True)
    table.add_column("Likely range", justify="right", no_wrap=True)
    table.add_column("Feel it", justify="right", no_wrap=True)
    table.add_column("Sessions", justify="right", no_wrap=True)
    for rec in eff.itertuples(index=False):
        if rec.effect != rec.effect:  # no estimate
            table.add_row(
                "",
                escape(rec.name),
                "cannot tell apart (see below)" if rec.verdict == "cannot separate"
                else "not enough data yet (see below)",
                "?",
                "",
                "",
                str(rec.n_sessions),
                style="dim",
            )
            continue
        verdict = rec.verdict
        if verdict in ("no clear effect", "may help") and rec.evidence.startswith("too little"):
            verdict += ": try it more"
        style = {"helps": "bold green", "makes it worse": "bold red", "slightly worse": "red"}.get(rec.verdict)
        table.add_row(
            str(rec.rank),
            escape(rec.name),
            f"[{style}]{verdict}[/]" if style else verdict,
            number(rec.effect, bare_zero=True),
            f"{number(rec.ci_low, bare_zero=True)} to {number(rec.ci_high, bare_zero=True)}",
            chance(rec.p_felt),
            str(rec.n_sessions),
        )
    console.print(table)
    for line in _legend(full=explain):
        console.print(line)
    waiting = eff[eff["effect"].isna() & eff["evidence"].ne("cannot separate")]
    if len(waiting):
        console.print()
        console.print("[bold]No figure yet[/] - what each stretch still needs:")
        for rec in waiting.itertuples(index=False):
            bullet(console, f"{escape(rec.name)}: {escape(rec.reason)}.")
    if len(report.groups):
        console.print()
        console.print(
            "[bold]Cannot tell apart[/] - no number is shown for these, because any split would be made up:"
        )
        for rec in report.groups.itertuples(index=False):
            together = ""
            if rec.together == rec.together:
                together = (
                    f" Together ({escape(rec.together_pattern)}) they give "
                    f"{number(rec.together, bare_zero=True)} points "
                    f"({number(rec.together_low, bare_zero=True)} to "
                    f"{number(rec.together_high, bare_zero=True)})."
                )
            bullet(console, f"{escape(rec.reason)}.{together} [italic]{escape(rec.advice)}[/]")
    if by_side and len(an.side_relief):
        _print_sides(console, an.side_relief)
    _print_extras(console, an)
    for note in report.notes:
        console.print(f"[yellow]Note:[/] {escape(note)}")
    console.print()
    console.print(
        "[italic]This is advice from your own records, not a diagnosis. Never stretch into pain; see a "
        "clinician if pain is severe, new, or spreads down a leg.[/]"
    )


def _print_sides(console, sides) -> None:
    from rich.markup import escape

    from stretchlog.cli.render import bullet
    from stretchlog.words import number

    console.print()
    console.print("[bold]Left vs right[/] (relief per bout):")
    for rec in sides.itertuples(index=False):
        if rec.difference != rec.difference:
            bullet(console, f"{escape(rec.name)}: cannot compare the sides yet.")
            continue
        verdict = (
            f"[bold]the {rec.better_side} side gets more relief[/] - an imbalance worth working on"
            if rec.imbalance
            else "no clear difference"
        )
        bullet(
            console,
            f"{escape(rec.name)}: left {number(rec.left, bare_zero=True)}, "
            f"right {number(rec.right, bare_zero=True)}; difference "
            f"{number(rec.difference, signed=True, bare_zero=True)} "
            f"({number(rec.ci_low, bare_zero=True)} to {number(rec.ci_high, bare_zero=True)}): {verdict}."
        )


def _print_extras(console, an) -> None:
    from rich.markup import escape
    from rich.padding import Padding

    from stretchlog.cli.render import bullet
    from stretchlog.words import number, share_of

    ms = an.meaningful
    if len(ms) and ms.loc[0, "n_with"] > 0:
        share, n = ms.loc[0, "share_with"], int(ms.loc[0, "n_with"])
        console.print()
        console.print(
            f"[bold]Sessions that mattered[/]: {share_of(share, n)} lowered your pain by 2+ points or by "
            "30%+ (the usual threshold for a change you can feel)."
        )
        per = ms.iloc[1:]
        clear = per[per["clear"].astype(bool)]
        for rec in clear.itertuples(index=False):
            bullet(
                console,
                f"with {escape(rec.name)}: {share_of(rec.share_with, rec.n_with)}, without: "
                f"{share_of(rec.share_without, rec.n_without)} (sessions differ in more than this stretch)."
            )
    la = an.lasting
    shown = la[la["lasting"].notna()]
    if len(shown):
        console.print()
        console.print(
            "[bold]Does the relief last?[/] Link between a stretch and your next session's starting pain:"
        )
        clear = shown[shown["clear"].astype(bool)]
        for rec in clear.itertuples(index=False):
            word = "lower" if rec.lasting > 0 else "higher"
            bullet(
                console,
                f"{escape(rec.name)}: next session started "
                f"{number(abs(rec.lasting), bare_zero=True)} points {word} per bout "
                f"({number(rec.ci_low, bare_zero=True)} to {number(rec.ci_high, bare_zero=True)})."
            )
        if clear.empty:
            bullet(console, "no stretch shows a clear link yet.")
        console.print(
            Padding(
                "This is an association, not proof: a day that allows a long session may be a good "
                "day anyway.",
                (0, 0, 0, 2),
            )
        )
    do = an.dose
    if len(do):
        console.print()
        console.print(
            "[bold]Longer holds or more reps[/] (relief per bout for each doubling of seconds x reps):"
        )
        clear = do[do["verdict"].isin(["more helps", "more does worse"])]
        for rec in clear.itertuples(index=False):
            bullet(
                console,
                f"{escape(rec.name)}: {rec.verdict} "
                f"({number(rec.slope, signed=True, bare_zero=True)} per doubling, "
                f"{number(rec.ci_low, bare_zero=True)} to {number(rec.ci_high, bare_zero=True)}; "
                f"you did {rec.dose_low_s:.0f}-{rec.dose_high_s:.0f} s)."
            )
        unclear = do[do["verdict"].eq("no clear difference")]
        if len(unclear):
            names = ", ".join(escape(n) for n in unclear["name"])
            bullet(console, f"no clear difference: {names}.")
        flat = do[do["verdict"].eq("not enough variation")]
        if len(flat):
            names = ", ".join(escape(n) for n in flat["name"])
            bullet(console, f"not enough variation in how long you held them: {names}.")
        nopain = do[do["verdict"].eq("no pain to relieve")]
        if len(nopain):
            names = ", ".join(escape(n) for n in nopain["name"])
            bullet(console, f"always done with the pain at 0, so nothing to compare: {names}.")
