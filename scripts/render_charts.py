"""Render every stretchlog chart from a log to PNG files, to look at them.

    python scripts/render_charts.py [LOG] [--out DIR] [--dpi 100]

Defaults: the sample log, ``/tmp/charts``, 100 dpi (the size a chart is meant to
be read at). Uses only the public chart functions with ``ax=None`` (their own
figure size), as a notebook would.
"""

from __future__ import annotations

import argparse
import os
from datetime import date
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("log", nargs="?", default=str(ROOT / "data" / "sample" / "stretch-log.csv"))
    parser.add_argument("--out", default="/tmp/charts")
    parser.add_argument("--dpi", type=int, default=100)
    args = parser.parse_args(argv)

    import matplotlib.pyplot as plt

    from stretchlog.log.reader import load_log
    from stretchlog.model.sessions import sessions
    from stretchlog import plots
    from stretchlog.effects.relief import lasting_relief, relief_report
    from stretchlog.routine.build import routine
    from stretchlog.trends.tightness import tightness_curve, tightness_trends
    from stretchlog.trends.pain import pain_over_time
    from stretchlog.trends.sides import side_asymmetry

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    bouts = load_log(args.log).bouts
    ses = sessions(bouts)
    report = relief_report(bouts, by_side=True)
    effects = relief_report(bouts).effects
    charts = {
        "relief_forest": lambda: plots.relief_forest(effects),
        "relief_forest_by_side": lambda: plots.relief_forest(report.effects),
        "relief_lasting": lambda: plots.relief_lasting(effects, lasting_relief(bouts)),
        "pain_timeline": lambda: plots.pain_timeline(ses, trend=pain_over_time(bouts, ses=ses)),
        "tightness_grid": lambda: plots.tightness_grid(
            tightness_curve(bouts), trends=tightness_trends(bouts))[0],
        "tightness_grid_muscles": lambda: plots.tightness_grid(
            tightness_curve(bouts, by="muscle_group"),
            trends=tightness_trends(bouts, by="muscle_group"))[0],
        "tightness_panel": lambda: plots.tightness_panel(
            tightness_curve(bouts), "psoas-stretch-kneeling", trends=tightness_trends(bouts)),
        "left_right_tightness": lambda: plots.left_right(side_asymmetry(bouts)),
        "left_right_relief": lambda: plots.left_right(report.sides, measure="relief"),
        "habit_calendar": lambda: plots.habit_calendar(ses),
        "routine_card": lambda: plots.routine_card(routine(bouts, seed=1, today=date(2026, 10, 1))),
        "routine_card_flare": lambda: plots.routine_card(
            routine(bouts, flare=True, minutes=5, seed=1, today=date(2026, 10, 1))),
        "routine_card_new_user": lambda: plots.routine_card(
            routine(None, seed=1, today=date(2026, 10, 1))),
    }
    for name, draw in charts.items():
        ax = draw()
        fig = ax.figure
        path = out / f"{name}.png"
        fig.savefig(path, dpi=args.dpi)
        w, h = fig.get_size_inches() * args.dpi
        print(f"{path}  {w:.0f}x{h:.0f}px")
        plt.close(fig)


if __name__ == "__main__":
    main()
