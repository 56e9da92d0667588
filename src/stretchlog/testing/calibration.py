"""The calibration study of issue 17: how honest is stretchlog's analysis, per logging style?

:func:`run_study` simulates seeded logs with a known truth
(:func:`stretchlog.testing.simulate.simulate_log`) in each logging style of
:data:`STYLES`, writes each as contract CSV, analyses it through the public API
exactly as a user's file is analysed (``stretchlog.analyse(file, today=...)``) and
records, per log and per stretch, what the analysis said beside the truth.
:func:`summarise_study` turns that into one row of figures per style,
:func:`targets_table` sets them against the targets of issue 17 and
:func:`study_markdown` renders both as markdown (``benchmarks/calibration.py``
prints it; ``tests/test_calibration_study.py`` runs a quick version).

Everything is measured through :class:`stretchlog.analysis.Analysis`
(``.effects``, ``.tightness``, ``.lasting``, ``.dose``, ``.side_relief``,
``.sides``), so when the statistics behind those tables change, the study
measures the new behaviour. What counts as a *claim* (a sentence the person reads
as a finding) is decided in one small function per kind, the only places to
adapt when labels or verdict words change:

* :func:`relief_claims` -- "this stretch helps" / "it makes pain worse";
* :func:`tightness_claims` -- "getting looser" / "getting tighter";
* :func:`lasting_claims` -- "the next session starts lower / higher";
* :func:`dose_claims` -- "more helps" / "more does worse";
* :func:`side_relief_claims` -- "the left (right) side gets more relief";
* :func:`side_tightness_claims` -- "the left (right) side is tighter".

The figures per style (:func:`summarise_study`)
-----------------------------------------------
Relief (per stretch, per bout, against ``truth.effects``; only stretches the
analysis gives a figure): ``rho`` (Spearman of estimate vs truth, mean over
logs), ``bias`` and ``rmse``, ``coverage`` (share of 95% intervals holding the
truth); ``null_helps`` (share of stretches with true relief 0 that are claimed to
help; every simulated log has one), ``null_above_zero`` (share of them whose
interval lies wholly above 0: "surely some relief", what "may help" says),
``helps_power`` (share of stretches with true relief above 0 claimed to help) and
``false_harm`` (share of stretches with true relief 0 or more claimed to make pain
worse).

Tightness (per stretch and side, against ``truth.tightness_slope``, points per
30 days): ``tight_right`` (of the stretch-sides with a true trend, the share whose
verdict names the right direction; :func:`tightness_by_slope` splits it by the
size of the trend), ``tight_wrong`` (of the true trends, the share called in the
opposite direction), ``false_trend`` (of the truly flat ones with a verdict, the
share called looser or tighter) and ``tight_coverage`` (share of slope intervals
holding the true slope); ``tight_right_stretch`` and ``false_trend_stretch`` are the
same for the per-stretch verdicts (sides together, against the mean of the sides'
slopes), the level the issue's figures were measured at.

Other claims (share of logs with at least one *false* claim: a claim where the
truth has no effect, or one of the opposite sign): ``false_lasting``,
``false_dose``, ``false_side_relief``, ``false_side_tight``, ``false_side`` (either)
and ``false_any`` (lasting, dose or side). Every style simulates ``dose_effect=0``
(so every dose claim is false) and no side imbalance (so every side claim is
false); lasting relief is the simulator's default (a tenth of each stretch's
immediate relief, 0 for the null stretch).

The same seeds are used in every style, so differences between styles are the
style's and not the luck of the draw (the logs of ``misspelled`` are those of
``mixed`` with other spellings, and ``per_bout`` and ``start_end`` share their
tightness ratings).

Targets (:data:`TARGETS`)
-------------------------
Coverage between 0.92 and 0.98 in every style; tightness direction right at least
0.85, per stretch and per side, in the styles made for it (``trend_target``: the year of trends, ten years;
the four-month styles show the figure unjudged: a few months of ratings leave most
of their trends uncalled); at most 0.05 false trends at either level and at most 0.05 of logs with
a false lasting, dose or side claim in every style.

Examples
--------
>>> results = run_study(styles=["per_bout"], n_logs=2)
>>> sorted(results["part"].unique())
['dose', 'lasting', 'relief', 'side_relief', 'side_tightness', 'tightness', 'tightness_stretch']
>>> summary = summarise_study(results)
>>> int(summary.loc[0, "logs"]), bool(0 <= summary.loc[0, "coverage"] <= 1)
(2, True)
"""

from __future__ import annotations

import io
import math
import time
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "RESULT_COLUMNS",
    "STYLES",
    "SUMMARY_COLUMNS",
    "TARGETS",
    "YEAR_SLOPES",
    "StudyStyle",
    "Target",
    "dose_claims",
    "oracle_tightness",
    "lasting_claims",
    "markdown_table",
    "relief_claims",
    "run_study",
    "side_relief_claims",
    "side_tightness_claims",
    "study_log",
    "study_markdown",
    "summarise_study",
    "targets_table",
    "tightness_by_slope",
    "tightness_claims",
]


# --------------------------------------------------------------------------- the styles


@dataclass(frozen=True)
class StudyStyle:
    """One logging style of the study: how its logs are simulated and how many.

    Attributes
    ----------
    options : dict
        Keyword options of :func:`stretchlog.testing.simulate.simulate_log` (all but ``seed``).
    logs : int
        Logs in a full run (``benchmarks/calibration.py``).
    quick_logs : int
        Logs in a quick run (``quick=True``; the test suite).
    cost : float
        Time of one log relative to a four-month log; ``run_study(n_logs=N)`` gives
        this style ``ceil(N / cost)`` logs, so long logs stay few.
    trend_target : bool
        The tightness-direction target is judged in this style.
    about : str
        One line for the table.
    """

    options: Mapping[str, Any]
    logs: int
    quick_logs: int = 6
    cost: float = 1.0
    trend_target: bool = False
    about: str = ""


#: Tightness trends of the year-long style, points per 30 days (the rest are flat): from
#: 0.10 to 0.25 either way, falling for stretches that start tight, rising for loose ones,
#: so a year stays on the 0-10 scale.
YEAR_SLOPES: dict[str, float] = {
    "standing-hamstring-stretch": -0.25,
    "psoas-stretch-kneeling": -0.20,
    "reclining-hip-stretch": -0.15,
    "tfl-it-band-stretch": -0.10,
    "passive-low-back-stretch": 0.25,
    "side-bend": 0.20,
    "double-knees-to-chest": 0.15,
    "quadratus-lumborum-stretch": 0.10,
    # flat: spinal-twist, seated-hip-stretch and the rarely tried pigeon-pose, seated-figure-four
}

# What every style shares: four months, no dose effect and equal sides (so any dose or
# side claim is false); the default repertoire has a null stretch (tfl-it-band-stretch, 0).
_BASE: dict[str, Any] = {"days": 120, "dose_effect": 0.0, "imbalance": False}

#: The logging styles of the study: name -> :class:`StudyStyle`.
STYLES: dict[str, StudyStyle] = {
    "per_bout": StudyStyle(
        {**_BASE, "style": "per_bout"}, logs=400, about="pain rated around every bout"
    ),
    "start_end": StudyStyle(
        {**_BASE, "style": "start_end"}, logs=400, about="pain only at a session's start and end"
    ),
    "mixed": StudyStyle(
        {**_BASE, "style": "mixed"}, logs=400, about="per session: per bout, start/end or partial"
    ),
    "sparse": StudyStyle(
        {**_BASE, "style": "mixed", "sessions_per_week": 1.5},
        logs=400,
        about="mixed, 1.5 sessions a week",
    ),
    "chosen_by_pain": StudyStyle(
        {
            **_BASE,
            "style": "mixed",
            "items_per_point": 1.5,
            "shuffle_prob": 0.0,
            "order_jitter": 0.0,
            "position_effect": 0.1,
        },
        logs=400,
        about="more stretches after a high first reading; fixed order, strongest first; "
        "position effect 0.1",
    ),
    "misspelled": StudyStyle(
        {**_BASE, "style": "mixed", "name_style": "varied", "usual_name_prob": 0.6},
        logs=400,
        about="mixed, 40% of names typed another way",
    ),
    "year_trends": StudyStyle(
        {**_BASE, "style": "mixed", "days": 365, "tightness_slopes": YEAR_SLOPES},
        logs=600,
        quick_logs=3,
        cost=1.0,
        trend_target=True,
        about="mixed, one year, tightness trends of 0.10-0.25 points a month",
    ),
    "ten_years": StudyStyle(
        {**_BASE, "style": "mixed", "days": 3650},
        logs=200,
        quick_logs=1,
        cost=2.0,
        trend_target=True,
        about="mixed, ten years (default tightness changes spread over the log)",
    ),
}


# --------------------------------------------------------------------------- claims
# One small function per kind of claim: what the person reads as a finding. Each returns
# the claimed direction per row (+1, -1, or 0 for no claim), on the frame's own index.

#: Relief verdict words that claim a stretch helps, or makes pain worse. The relief
#: table's ``verdict`` column (helps, may help, no clear effect, too small to feel,
#: slightly worse, makes it worse, ...) is read when it is there; "may help" (surely some
#: relief, maybe too little to feel) is hedged, so it is not a "helps" claim: add it here
#: to count it as one (``null_above_zero`` counts every interval above 0 regardless).
HELPS_LABELS: tuple[str, ...] = ("helps",)
WORSE_LABELS: tuple[str, ...] = ("makes it worse", "slightly worse")
_DIRECTION_LABELS = HELPS_LABELS + WORSE_LABELS + ("may help", "no clear effect")


def relief_claims(effects: pd.DataFrame) -> pd.Series:
    """The relief claim per stretch: +1 "it helps", -1 "it makes pain worse", 0 none.

    Where the table has a ``verdict`` column (or evidence labels that state a
    direction), its words are the claim (:data:`HELPS_LABELS`, :data:`WORSE_LABELS`).
    Without one (the labels strong / some / too little data grade precision only),
    "it helps" is a figure whose 95% interval lies wholly above 0 (what the routine
    lists as "works: eases pain by about ... (at least ...)") and "it makes pain
    worse" is the ``harmful`` flag (the table's "(makes pain worse)").

    Parameters
    ----------
    effects : DataFrame
        :attr:`stretchlog.analysis.Analysis.effects`.

    Returns
    -------
    Series of int

    Examples
    --------
    >>> eff = pd.DataFrame({"evidence": ["strong", "some", "too little data - try it more"],
    ...                     "effect": [0.5, 0.1, float("nan")], "ci_low": [0.2, -0.1, float("nan")],
    ...                     "harmful": [False, False, False]})
    >>> relief_claims(eff).tolist()
    [1, 0, 0]
    >>> relief_claims(eff.assign(verdict=["may help", "no clear effect", "not enough data"])).tolist()
    [0, 0, 0]
    """
    if "verdict" in effects.columns:
        words = effects["verdict"]
    else:
        words = effects["evidence"]
    words = words.astype("str").str.strip().str.lower()
    if "verdict" in effects.columns or words.isin(_DIRECTION_LABELS).any():
        helps = words.isin(HELPS_LABELS)
        worse = words.isin(WORSE_LABELS)
    else:
        helps = effects["effect"].notna() & (effects["ci_low"] > 0)
        worse = effects["harmful"].fillna(False).astype(bool)
    return pd.Series(np.where(helps, 1, np.where(worse, -1, 0)), index=effects.index)


#: Tightness verdicts that give no verdict at all (too few ratings): such rows are left
#: out of the false-trend rate's denominator (a hedge such as "not sure yet" stays in).
NO_TIGHTNESS_VERDICT: tuple[str, ...] = ("not enough data",)


def tightness_claims(tightness: pd.DataFrame) -> pd.Series:
    """The tightness claim per row: +1 "getting tighter", -1 "getting looser", 0 none.

    Any other verdict ("flat", "not enough data", a hedge such as "not sure yet") is
    no claim.

    Examples
    --------
    >>> tightness_claims(pd.DataFrame({"verdict": ["tighter", "flat", "looser", "not sure yet"]})).tolist()
    [1, 0, -1, 0]
    """
    verdict = tightness["verdict"].astype("str").str.strip().str.lower()
    return verdict.map({"tighter": 1, "looser": -1}).fillna(0).astype("int64")


def lasting_claims(lasting: pd.DataFrame) -> pd.Series:
    """The lasting-relief claim per stretch: the sign of a link the terminal lists, else 0.

    The terminal lists the ``clear`` links ("next session started 0.2 points lower
    per bout"); +1 is lower pain next time, -1 higher.

    Examples
    --------
    >>> lasting_claims(pd.DataFrame({"lasting": [0.2, -0.1, 0.3], "clear": [True, True, False]})).tolist()
    [1, -1, 0]
    """
    clear = lasting["clear"].fillna(False).astype(bool)
    sign = np.sign(lasting["lasting"].astype(float).fillna(0.0))
    return pd.Series(np.where(clear, sign, 0).astype("int64"), index=lasting.index)


def dose_claims(dose: pd.DataFrame) -> pd.Series:
    """The dose claim per stretch: +1 "more helps", -1 "more does worse", 0 none.

    Examples
    --------
    >>> dose_claims(pd.DataFrame({"verdict": ["more helps", "no clear difference", "more does worse"]})).tolist()
    [1, 0, -1]
    """
    verdict = dose["verdict"].astype("str").str.strip().str.lower()
    return verdict.map({"more helps": 1, "more does worse": -1}).fillna(0).astype("int64")


def side_relief_claims(side_relief: pd.DataFrame, sides: pd.DataFrame | None = None) -> pd.Series:
    """The left-vs-right relief claim per stretch id: +1 "left gets more relief", -1 right, 0 none.

    Two places say it: ``stretchlog effects --by-side`` (the ``imbalance`` rows of
    :attr:`~stretchlog.analysis.Analysis.side_relief`) and the "Finding" column of
    ``stretchlog trends`` ("the left side brings more relief", in
    :attr:`~stretchlog.analysis.Analysis.sides`); either counts.

    Examples
    --------
    >>> sr = pd.DataFrame({"stretch": ["a", "b"], "imbalance": [True, False],
    ...                    "better_side": ["right", ""], "difference": [-0.4, 0.1]})
    >>> side_relief_claims(sr).to_dict()
    {'a': -1, 'b': 0}
    """
    out: dict[str, int] = {}
    for rec in side_relief.itertuples(index=False):
        side = str(rec.better_side) if bool(rec.imbalance) else ""
        out[str(rec.stretch)] = {"left": 1, "right": -1}.get(side, 0)
    if sides is not None and len(sides):
        for rec in sides.itertuples(index=False):
            said = "more relief" in str(rec.finding)
            if said and out.get(str(rec.stretch_id), 0) == 0:
                out[str(rec.stretch_id)] = (
                    int(np.sign(rec.relief_diff)) if np.isfinite(rec.relief_diff) else 0
                )
    return pd.Series(out, dtype="int64")


def side_tightness_claims(sides: pd.DataFrame) -> pd.Series:
    """The left-vs-right tightness claim per stretch id: +1 "left is tighter", -1 right, 0 none.

    What the "Finding" column of ``stretchlog trends`` says: a flagged imbalance,
    and also "tighter on average" or "slightly tighter" (a credible difference the
    person reads as one side being tighter).

    Examples
    --------
    >>> s = pd.DataFrame({"stretch_id": ["a", "b"], "imbalance": [False, False], "tight_diff": [-0.2, 0.1],
    ...                   "finding": ["the right side is slightly tighter (0.2 points, under 1)",
    ...                               "no clear difference in tightness (left minus right -0.1 to +0.3)"]})
    >>> side_tightness_claims(s).to_dict()
    {'a': -1, 'b': 0}
    """
    out: dict[str, int] = {}
    for rec in sides.itertuples(index=False):
        said = bool(rec.imbalance) or " tighter" in str(rec.finding)
        diff = float(rec.tight_diff)
        out[str(rec.stretch_id)] = int(np.sign(diff)) if said and np.isfinite(diff) else 0
    return pd.Series(out, dtype="int64")


# --------------------------------------------------------------------------- one log

RESULT_COLUMNS = [
    "style",
    "seed",
    "part",
    "stretch",
    "side",
    "truth",
    "estimate",
    "ci_low",
    "ci_high",
    "verdict",
    "claim",
    "false_claim",
    "n_sessions",
    "rare",
    "log_sessions",
    "log_bouts",
    "seconds",
]


def _false(claim: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """A claim where the truth has no effect (|truth| < 1e-12) or one of the other sign."""
    truth = np.asarray(truth, dtype=float)
    known = np.isfinite(truth)
    none = known & (np.abs(truth) < 1e-12)
    against = known & (np.sign(truth) == -np.asarray(claim))
    return (np.asarray(claim) != 0) & (none | against)


def _rows(
    part: str,
    stretch: Iterable[str],
    side: Iterable[str],
    truth,
    estimate,
    ci_low,
    ci_high,
    verdict,
    claim,
    n_sessions=None,
    rare=None,
) -> pd.DataFrame:
    stretch = [str(s) for s in stretch]
    n = len(stretch)
    claim = np.asarray(claim, dtype="int64")
    truth = np.asarray(truth, dtype=float)

    def num(v) -> np.ndarray:
        return (
            np.full(n, np.nan)
            if v is None
            else np.asarray(pd.Series(v, dtype="float64"), dtype=float)
        )

    return pd.DataFrame(
        {
            "part": part,
            "stretch": pd.array(stretch, dtype="str"),
            "side": pd.array([str(s) for s in side], dtype="str"),
            "truth": truth,
            "estimate": num(estimate),
            "ci_low": num(ci_low),
            "ci_high": num(ci_high),
            "verdict": pd.array([str(v) for v in verdict], dtype="str"),
            "claim": claim,
            "false_claim": _false(claim, truth),
            "n_sessions": num(n_sessions),
            "rare": np.zeros(n, dtype=bool) if rare is None else np.asarray(rare, dtype=bool),
        }
    )


def study_log(style: str, seed: int, options: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Simulate one log, analyse it through :func:`stretchlog.analyse` and compare with the truth.

    Parameters
    ----------
    style : str
        A key of :data:`STYLES` (its options are used unless ``options`` is given).
    seed : int
        Seed of the simulated log.
    options : mapping, optional
        Options of :func:`~stretchlog.testing.simulate.simulate_log` instead of the style's.

    Returns
    -------
    DataFrame
        The rows of :func:`run_study` for this log.

    Raises
    ------
    ValueError
        If the simulated log has no stretch with true relief 0 (the null-stretch figure needs one).
    """
    from stretchlog.analysis import analyse
    from stretchlog.log.errors import StretchlogWarning
    from stretchlog.testing.simulate import simulate_log

    opts = dict(STYLES[style].options if options is None else options)
    t0 = time.perf_counter()
    log = simulate_log(seed=seed, **opts)
    truth = log.truth
    if not any(abs(v) < 1e-12 for v in truth.effects.values()):
        raise ValueError(f"style {style!r}: the simulated log needs a stretch with true relief 0")
    today = date.fromisoformat(str(log.frame["date"].max())) + timedelta(days=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StretchlogWarning)
        an = analyse(io.StringIO(log.csv_text()), today=today)
        eff, tight, last, dose = an.effects, an.tightness, an.lasting, an.dose
        side_relief, sides = an.side_relief, an.sides
        tight_stretch = an.trends.by_stretch
        n_sessions, n_bouts = an.summary.n_sessions, len(an.bouts)
    seconds = time.perf_counter() - t0

    parts = []
    # relief per stretch
    parts.append(
        _rows(
            "relief",
            eff["stretch"],
            [""] * len(eff),
            [truth.effects.get(str(s), np.nan) for s in eff["stretch"]],
            eff["effect"],
            eff["ci_low"],
            eff["ci_high"],
            eff["verdict"] if "verdict" in eff.columns else eff["evidence"],
            relief_claims(eff),
            eff["n_sessions"],
            [str(s) in truth.rare for s in eff["stretch"]],
        )
    )
    # tightness per stretch and side
    sides_of = tight["side"].astype("str").replace({"": "both"})
    parts.append(
        _rows(
            "tightness",
            tight["stretch_id"],
            sides_of,
            [
                truth.tightness_slope.get((str(s), d), np.nan)
                for s, d in zip(tight["stretch_id"], sides_of)
            ],
            tight["slope_30d"],
            tight["lo_30d"],
            tight["hi_30d"],
            tight["verdict"],
            tightness_claims(tight),
            tight["n_days"],
        )
    )
    # tightness per stretch, sides together: the truth is the mean of its sides' slopes
    def stretch_slope(stretch: str) -> float:
        slopes = [v for (s, _side), v in truth.tightness_slope.items() if s == stretch]
        return float(np.mean(slopes)) if slopes else np.nan

    parts.append(
        _rows(
            "tightness_stretch",
            tight_stretch["stretch_id"],
            [""] * len(tight_stretch),
            [stretch_slope(str(s)) for s in tight_stretch["stretch_id"]],
            tight_stretch["slope_30d"],
            tight_stretch["lo_30d"],
            tight_stretch["hi_30d"],
            tight_stretch["verdict"],
            tightness_claims(tight_stretch),
            tight_stretch["n_days"],
        )
    )
    # lasting relief per stretch
    parts.append(
        _rows(
            "lasting",
            last["stretch"],
            [""] * len(last),
            [truth.lasting.get(str(s), np.nan) for s in last["stretch"]],
            last["lasting"],
            last["ci_low"],
            last["ci_high"],
            np.where(
                last["clear"].fillna(False).astype(bool),
                "clear link",
                np.where(last["lasting"].notna(), "no clear link", "no figure"),
            ),
            lasting_claims(last),
            last["n_sessions"],
        )
    )
    # dose per stretch: the true slope is the simulator's one dose effect
    parts.append(
        _rows(
            "dose",
            dose["stretch"],
            [""] * len(dose),
            np.full(len(dose), truth.dose_effect),
            dose["slope"],
            dose["ci_low"],
            dose["ci_high"],
            dose["verdict"],
            dose_claims(dose),
            dose["n_bouts"],
        )
    )

    # left vs right: relief (true difference from the side effects) and tightness (equal
    # sides in the simulator unless the stretch is the imbalanced one; its size is not in
    # the truth, so such a stretch is left out of the false-claim count)
    def side_truth(s: str) -> float:
        left, right = truth.side_effects.get((s, "left")), truth.side_effects.get((s, "right"))
        return np.nan if left is None or right is None else float(left - right)

    sr_claims = side_relief_claims(side_relief, sides)
    sr = side_relief.reset_index(drop=True)
    parts.append(
        _rows(
            "side_relief",
            sr["stretch"],
            [""] * len(sr),
            [side_truth(str(s)) for s in sr["stretch"]],
            sr["difference"],
            sr["ci_low"],
            sr["ci_high"],
            np.where(sr["imbalance"].astype(bool), "imbalance", ""),
            [int(sr_claims.get(str(s), 0)) for s in sr["stretch"]],
        )
    )
    st_claims = side_tightness_claims(sides) if len(sides) else pd.Series(dtype="int64")
    sd = sides.reset_index(drop=True)
    tight_truth = [0.0 if side_truth(str(s)) == 0 else np.nan for s in sd["stretch_id"]]
    parts.append(
        _rows(
            "side_tightness",
            sd["stretch_id"],
            [""] * len(sd),
            tight_truth,
            sd["tight_diff"],
            sd["tight_lo"],
            sd["tight_hi"],
            np.where(
                sd["imbalance"].astype(bool),
                "imbalance",
                np.where(
                    [int(st_claims.get(str(s), 0)) != 0 for s in sd["stretch_id"]],
                    "tighter side",
                    "",
                ),
            ),
            [int(st_claims.get(str(s), 0)) for s in sd["stretch_id"]],
            sd["n_paired_days"],
        )
    )
    out = pd.concat([p for p in parts if len(p)], ignore_index=True)
    out.insert(0, "seed", seed)
    out.insert(0, "style", pd.array([style] * len(out), dtype="str"))
    out["log_sessions"] = int(n_sessions)
    out["log_bouts"] = int(n_bouts)
    out["seconds"] = seconds
    return out[RESULT_COLUMNS]


def _n_logs(name: str, n_logs: int | Mapping[str, int] | None, quick: bool) -> int:
    spec = STYLES[name]
    if isinstance(n_logs, Mapping):
        if name in n_logs:
            return int(n_logs[name])
        n_logs = None
    if n_logs is None:
        return spec.quick_logs if quick else spec.logs
    return max(1, math.ceil(int(n_logs) / spec.cost))


def run_study(
    styles: Iterable[str] | None = None,
    n_logs: int | Mapping[str, int] | None = None,
    first_seed: int = 0,
    quick: bool = False,
    *,
    progress: Callable[[str], None] | None = None,
) -> pd.DataFrame:
    """Simulate, analyse and compare with the truth, over seeded logs per logging style.

    Parameters
    ----------
    styles : iterable of str, optional
        Keys of :data:`STYLES` (default: all, in their order).
    n_logs : int or mapping, optional
        Logs per style: an int is the count for a four-month style, and a style with a
        ``cost`` above 1 (long logs) gets ``ceil(n_logs / cost)``; a mapping gives
        counts by style name. Default: each style's ``logs`` (``quick_logs`` with ``quick``).
    first_seed : int
        Seeds ``first_seed, first_seed + 1, ...`` (the same seeds in every style).
    quick : bool
        Use each style's ``quick_logs`` when ``n_logs`` is not given.
    progress : callable, optional
        Called with a line of text after each style (for benchmarks).

    Returns
    -------
    DataFrame
        One row per log and per stretch (and side) of each part of the analysis, columns
        :data:`RESULT_COLUMNS`: ``style``, ``seed``, ``part`` (``relief``,
        ``tightness`` per stretch and side, ``tightness_stretch`` per stretch,
        ``lasting``, ``dose``, ``side_relief``, ``side_tightness``),
        ``stretch``, ``side`` (tightness only), ``truth`` and ``estimate`` (relief per
        bout; slope per 30 days; lasting per bout; dose slope per doubling; left minus
        right), ``ci_low``/``ci_high``, ``verdict`` (the label or verdict shown),
        ``claim`` (+1/-1/0, from the claim functions), ``false_claim``, ``n_sessions``
        (of the stretch; days rated for tightness), ``rare``, ``log_sessions``,
        ``log_bouts`` and ``seconds`` (time to simulate and analyse the log; the only
        column that differs between runs).

    Examples
    --------
    >>> r = run_study(["sparse"], n_logs=1, first_seed=5)
    >>> (r["seed"].unique().tolist(), bool((r.loc[r["part"] == "relief", "truth"] == 0).any()))
    ([5], True)
    """
    names = list(STYLES) if styles is None else list(styles)
    unknown = [s for s in names if s not in STYLES]
    if unknown:
        raise ValueError(f"unknown style(s): {', '.join(unknown)}; known: {', '.join(STYLES)}")
    frames = []
    for name in names:
        n = _n_logs(name, n_logs, quick)
        t0 = time.perf_counter()
        for seed in range(first_seed, first_seed + n):
            frames.append(study_log(name, seed))
        if progress is not None:
            progress(f"{name}: {n} logs in {time.perf_counter() - t0:.0f} s")
    return pd.concat(frames, ignore_index=True)


# --------------------------------------------------------------------------- summary

#: The relief figures of :func:`summarise_study` (after ``style``, ``logs``, ``sessions``).
RELIEF_FIGURES = [
    "rho",
    "bias",
    "rmse",
    "coverage",
    "null_helps",
    "null_above_zero",
    "helps_power",
    "false_harm",
]
#: The tightness-trend figures.
TIGHTNESS_FIGURES = [
    "tight_right",
    "tight_wrong",
    "false_trend",
    "tight_coverage",
    "tight_right_stretch",
    "false_trend_stretch",
]
#: The other claims: share of logs with at least one false claim of each kind.
CLAIM_FIGURES = [
    "false_lasting",
    "false_dose",
    "false_side_relief",
    "false_side_tight",
    "false_side",
    "false_any",
]
SUMMARY_COLUMNS = ["style", "logs", "sessions", *RELIEF_FIGURES, *TIGHTNESS_FIGURES, *CLAIM_FIGURES]

_ZERO = 1e-12


def _spearman(a: pd.Series, b: pd.Series) -> float:
    from stretchlog.testing.check import _spearman as spearman

    return spearman(a, b)


def _share(mask: pd.Series) -> float:
    return float(mask.mean()) if len(mask) else np.nan


def _has_verdict(rows: pd.DataFrame) -> pd.Series:
    return ~rows["verdict"].astype("str").str.strip().str.lower().isin(NO_TIGHTNESS_VERDICT)


def summarise_study(results: pd.DataFrame) -> pd.DataFrame:
    """The study's figures, one row per style.

    Parameters
    ----------
    results : DataFrame
        From :func:`run_study`.

    Returns
    -------
    DataFrame
        Columns :data:`SUMMARY_COLUMNS`, styles in the order they appear in ``results``;
        shares are NaN where there was nothing to count. ``logs``; ``sessions`` (median
        per log). Relief, over the stretches with a figure: ``rho`` (Spearman of
        estimate vs truth, mean over logs), ``bias``, ``rmse``, ``coverage`` (share of
        95% intervals holding the truth), ``null_helps`` (share of stretches with true
        relief 0 claimed to help), ``null_above_zero`` (share of them whose 95% interval
        lies wholly above 0), ``helps_power`` (share of those with true relief above 0
        claimed to help),
        ``false_harm`` (share of stretches with true relief 0 or more claimed to make
        pain worse). Tightness, per stretch and side: ``tight_right`` (of the rows
        with a true trend, the share with the right verdict; "not enough data" counts
        as not right),
        ``tight_wrong`` (of all true trends, the share called the other way),
        ``false_trend`` (of the truly flat rows with a verdict, the share called
        looser or tighter), ``tight_coverage``; ``tight_right_stretch`` and
        ``false_trend_stretch`` per stretch, sides together. Other claims, share of logs with at
        least one false one: ``false_lasting``, ``false_dose``, ``false_side_relief``,
        ``false_side_tight``, ``false_side`` (either side kind) and ``false_any``
        (lasting, dose or side).

    Examples
    --------
    >>> s = summarise_study(run_study(["mixed"], n_logs=2))
    >>> list(s.columns[:4]), s["logs"].tolist()
    (['style', 'logs', 'sessions', 'rho'], [2])
    """
    rows = []
    for style, r in results.groupby("style", sort=False):
        logs = r["seed"].nunique()
        rel = r[(r["part"] == "relief") & r["truth"].notna()]
        est = rel[rel["estimate"].notna()]
        err = est["estimate"] - est["truth"]
        inside = (est["ci_low"] <= est["truth"]) & (est["truth"] <= est["ci_high"])
        rho = [_spearman(g["estimate"], g["truth"]) for _, g in est.groupby("seed")]
        tight = r[(r["part"] == "tightness") & r["truth"].notna()]
        trending = tight[tight["truth"].abs() > _ZERO]
        flat = tight[(tight["truth"].abs() <= _ZERO) & _has_verdict(tight)]
        tci = tight[tight["ci_low"].notna()]
        whole = r[(r["part"] == "tightness_stretch") & r["truth"].notna()]
        whole_trending = whole[whole["truth"].abs() > _ZERO]
        whole_flat = whole[(whole["truth"].abs() <= _ZERO) & _has_verdict(whole)]

        def false_logs(*parts: str, r: pd.DataFrame = r, logs: int = logs) -> float:
            hit = r.loc[r["part"].isin(parts) & r["false_claim"], "seed"].nunique()
            return float(hit / logs)

        rows.append(
            {
                "style": style,
                "logs": int(logs),
                "sessions": float(r.groupby("seed")["log_sessions"].first().median()),
                "rho": float(np.nanmean(rho)) if np.isfinite(rho).any() else np.nan,
                "bias": float(err.mean()) if len(err) else np.nan,
                "rmse": float(np.sqrt((err**2).mean())) if len(err) else np.nan,
                "coverage": _share(inside),
                "null_helps": _share(est.loc[est["truth"].abs() <= _ZERO, "claim"] == 1),
                "null_above_zero": _share(est.loc[est["truth"].abs() <= _ZERO, "ci_low"] > 0),
                "helps_power": _share(est.loc[est["truth"] > _ZERO, "claim"] == 1),
                "false_harm": _share(est.loc[est["truth"] >= -_ZERO, "claim"] == -1),
                "tight_right": _share(trending["claim"] == np.sign(trending["truth"])),
                "tight_wrong": _share(trending["claim"] == -np.sign(trending["truth"])),
                "false_trend": _share(flat["claim"] != 0),
                "tight_coverage": _share(
                    (tci["ci_low"] <= tci["truth"]) & (tci["truth"] <= tci["ci_high"])
                ),
                "tight_right_stretch": _share(
                    whole_trending["claim"] == np.sign(whole_trending["truth"])
                ),
                "false_trend_stretch": _share(whole_flat["claim"] != 0),
                "false_lasting": false_logs("lasting"),
                "false_dose": false_logs("dose"),
                "false_side_relief": false_logs("side_relief"),
                "false_side_tight": false_logs("side_tightness"),
                "false_side": false_logs("side_relief", "side_tightness"),
                "false_any": false_logs("lasting", "dose", "side_relief", "side_tightness"),
            }
        )
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def tightness_by_slope(results: pd.DataFrame, styles: Iterable[str] | None = None) -> pd.DataFrame:
    """Tightness verdicts by true slope: how often each size of trend is called right.

    Parameters
    ----------
    results : DataFrame
        From :func:`run_study`.
    styles : iterable of str, optional
        Only these styles (default: those with ``trend_target``).

    Returns
    -------
    DataFrame
        ``style``, ``slope`` (true, points per 30 days), ``rows``, ``right`` (the verdict
        names the true direction; for a true slope of 0: no call), ``flat`` (no call),
        ``wrong`` (the other direction, or any call on a flat row), ``mean_estimate``.

    Examples
    --------
    >>> t = tightness_by_slope(run_study(["year_trends"], n_logs=1))
    >>> sorted(t["slope"].round(2).unique().tolist())[:3]
    [-0.25, -0.2, -0.15]
    """
    names = (
        [s for s, spec in STYLES.items() if spec.trend_target] if styles is None else list(styles)
    )
    t = results[
        (results["part"] == "tightness") & results["style"].isin(names) & results["truth"].notna()
    ]
    t = t.assign(slope=t["truth"].round(6), sign=np.sign(t["truth"]))
    rows = []
    for (style, slope), g in t.groupby(["style", "slope"], sort=True):
        rows.append(
            {
                "style": style,
                "slope": float(slope),
                "rows": len(g),
                "right": _share(g["claim"] == g["sign"]),
                "flat": _share(g["claim"] == 0),
                "wrong": _share((g["claim"] != 0) & (g["claim"] != g["sign"])),
                "mean_estimate": float(g["estimate"].mean()),
            }
        )
    return pd.DataFrame(
        rows, columns=["style", "slope", "rows", "right", "flat", "wrong", "mean_estimate"]
    )


def oracle_tightness(style: str, n_logs: int = 60, first_seed: int = 0) -> dict[str, float]:
    """The best any 95% trend test can do per stretch-side: GLS with the simulator's true noise.

    For each simulated log of ``style``, each stretch-side's daily mean tightness is
    fitted by generalised least squares with the covariance the simulator actually
    used (stiff days: AR(1) with its ``phi`` and ``stiff_sd``; rating noise
    ``tightness_sd`` plus whole-number rounding, divided by the ratings that day), and a
    direction is called where the 95% interval excludes 0. No real analysis knows these
    parameters, so the share right is a ceiling for ``tight_right``.

    Parameters
    ----------
    style : str
        A key of :data:`STYLES`.
    n_logs : int
        Simulated logs (seeds ``first_seed``..).
    first_seed : int
        First seed.

    Returns
    -------
    dict
        ``oracle_right`` (share of truly trending stretch-sides called in their
        direction), ``oracle_false`` (share of truly flat ones given a direction), ``rows``.

    Examples
    --------
    >>> o = oracle_tightness("year_trends", n_logs=1)
    >>> 0 <= o["oracle_right"] <= 1
    True
    """
    import inspect

    from stretchlog.log.catalog import load_catalog
    from stretchlog.testing.simulate import simulate_log

    opts = dict(STYLES[style].options)
    defaults = {
        k: v.default for k, v in inspect.signature(simulate_log).parameters.items()
    }
    phi = float(opts.get("phi", defaults["phi"]))
    stiff = float(opts.get("stiff_sd", defaults["stiff_sd"])) ** 2
    noise = float(opts.get("tightness_sd", defaults["tightness_sd"])) ** 2 + 1 / 12
    cat = load_catalog()
    right, trending, false, flat = 0, 0, 0, 0
    for seed in range(first_seed, first_seed + n_logs):
        log = simulate_log(seed=seed, **opts)
        f = log.frame[log.frame["tightness"].notna()].copy()
        days = pd.to_datetime(f["date"])
        f["day"] = (days - days.min()).dt.days
        f["sid"] = [
            m.id if (m := cat.match(str(s))) is not None else str(s) for s in f["stretch"]
        ]
        f["sd"] = f["side"].astype("str").replace({"": "both", "nan": "both"})
        for (sid, side), g in f.groupby(["sid", "sd"]):
            truth = log.truth.tightness_slope.get((sid, side))
            if truth is None:
                continue
            d = g.groupby("day")["tightness"].agg(["mean", "size"])
            if len(d) < 6:
                continue
            t = d.index.to_numpy(float)
            v = stiff * phi ** np.abs(t[:, None] - t[None, :]) + np.diag(
                noise / d["size"].to_numpy(float)
            )
            x = np.column_stack([np.ones_like(t), t / 30])
            vi_x = np.linalg.solve(v, x)
            cov = np.linalg.inv(x.T @ vi_x)
            b = cov @ (vi_x.T @ d["mean"].to_numpy(float))
            called = abs(b[1]) > 1.959964 * np.sqrt(cov[1, 1])
            if abs(truth) > _ZERO:
                trending += 1
                right += bool(called and np.sign(b[1]) == np.sign(truth))
            else:
                flat += 1
                false += bool(called)
    return {
        "oracle_right": right / trending if trending else np.nan,
        "oracle_false": false / flat if flat else np.nan,
        "rows": trending + flat,
    }


# --------------------------------------------------------------------------- targets


@dataclass(frozen=True)
class Target:
    """One target of issue 17: a summary column, its allowed range and where it is judged."""

    label: str
    column: str
    low: float = -math.inf
    high: float = math.inf
    only_trend_styles: bool = False
    goal: str = field(default="")


#: The targets of issue 17.
TARGETS: tuple[Target, ...] = (
    Target("coverage of 95% intervals", "coverage", 0.92, 0.98, goal="0.92-0.98"),
    Target(
        "tightness direction right, per stretch",
        "tight_right_stretch",
        low=0.85,
        only_trend_styles=True,
        goal=">= 0.85",
    ),
    Target(
        "tightness direction right, per side",
        "tight_right",
        low=0.85,
        only_trend_styles=True,
        goal=">= 0.85",
    ),
    Target("false tightness trends, per side", "false_trend", high=0.05, goal="<= 0.05"),
    Target(
        "false tightness trends, per stretch", "false_trend_stretch", high=0.05, goal="<= 0.05"
    ),
    Target("logs with a false lasting/dose/side claim", "false_any", high=0.05, goal="<= 0.05"),
)


def targets_table(summary: pd.DataFrame) -> pd.DataFrame:
    """Each style's figures against :data:`TARGETS`.

    Parameters
    ----------
    summary : DataFrame
        From :func:`summarise_study`.

    Returns
    -------
    DataFrame
        One row per style and target: ``style``, ``target``, ``goal``, ``figure``,
        ``met`` (True/False, or NA where the target is not judged in the style or
        there is no figure).

    Examples
    --------
    >>> s = pd.DataFrame({"style": ["mixed"], "coverage": [0.95], "tight_right": [0.5],
    ...                   "tight_right_stretch": [0.6], "false_trend": [0.01],
    ...                   "false_trend_stretch": [0.02], "false_any": [0.2]})
    >>> targets_table(s)["met"].tolist()
    [True, <NA>, <NA>, True, True, False]
    """
    rows = []
    for rec in summary.to_dict("records"):
        spec = STYLES.get(str(rec["style"]))
        for t in TARGETS:
            value = float(rec.get(t.column, np.nan))
            judged = not t.only_trend_styles or (spec is not None and spec.trend_target)
            met = pd.NA if not judged or not np.isfinite(value) else bool(t.low <= value <= t.high)
            rows.append(
                {
                    "style": rec["style"],
                    "target": t.label,
                    "goal": t.goal,
                    "figure": value,
                    "met": met,
                }
            )
    out = pd.DataFrame(rows, columns=["style", "target", "goal", "figure", "met"])
    out["met"] = out["met"].astype("boolean")
    return out


# --------------------------------------------------------------------------- markdown


def markdown_table(frame: pd.DataFrame, formats: Mapping[str, str] | None = None) -> str:
    """A frame as a GitHub markdown table (no index); ``formats``: column -> format spec.

    Examples
    --------
    >>> print(markdown_table(pd.DataFrame({"a": ["x"], "b": [0.5]}), {"b": ".2f"}))
    | a | b |
    |---|---|
    | x | 0.50 |
    """
    formats = dict(formats or {})

    def cell(col: str, v: Any) -> str:
        if v is None or v is pd.NA or (isinstance(v, float) and not np.isfinite(v)):
            return "n/a"
        if col in formats:
            return format(v, formats[col])
        return str(v).replace("|", "\\|")

    cols = list(frame.columns)
    lines = ["| " + " | ".join(cols) + " |", "|" + "|".join("---" for _ in cols) + "|"]
    for rec in frame.itertuples(index=False):
        lines.append("| " + " | ".join(cell(c, v) for c, v in zip(cols, rec)) + " |")
    return "\n".join(lines)


_FORMATS = {
    "sessions": ".0f",
    "rho": ".2f",
    "bias": "+.3f",
    "helps_power": ".2f",
    "slope": "+.3f",
    "mean_estimate": "+.3f",
    "right": ".2f",
    "flat": ".2f",
    "wrong": ".2f",
}
_FORMATS.update(
    {c: ".3f" for c in SUMMARY_COLUMNS if c not in _FORMATS and c not in ("style", "logs")}
)


def study_markdown(summary: pd.DataFrame, by_slope: pd.DataFrame | None = None) -> str:
    """The figures per style and the targets (met / not met) as markdown.

    Parameters
    ----------
    summary : DataFrame
        From :func:`summarise_study`.
    by_slope : DataFrame, optional
        From :func:`tightness_by_slope`, shown after the targets.

    Examples
    --------
    >>> md = study_markdown(summarise_study(run_study(["per_bout"], n_logs=1)))
    >>> md.splitlines()[0]
    '### Relief per stretch'
    """
    head = ["style", "logs", "sessions"]
    tt = targets_table(summary)

    def verdict(rec) -> str:
        if pd.isna(rec["figure"]):
            return "n/a"
        shown = f"{rec['figure']:.3f}"
        if pd.isna(rec["met"]):
            return f"{shown} (not judged)"
        return f"{shown} {'met' if rec['met'] else '**NOT MET**'}"

    wide = pd.DataFrame({"style": pd.unique(tt["style"])})
    for t in TARGETS:
        sub = tt[tt["target"] == t.label].set_index("style")
        wide[f"{t.label} ({t.goal})"] = [verdict(sub.loc[s]) for s in wide["style"]]
    judged = tt["met"].dropna()
    out = [
        "### Relief per stretch",
        "",
        markdown_table(summary[head + RELIEF_FIGURES], _FORMATS),
        "",
        "### Tightness trends (per stretch and side; `_stretch`: per stretch, sides together)",
        "",
        markdown_table(summary[head + TIGHTNESS_FIGURES], _FORMATS),
        "",
        "### Logs with a false claim (lasting relief, dose, left vs right)",
        "",
        markdown_table(summary[head + CLAIM_FIGURES], _FORMATS),
        "",
        "### Targets (issue 17)",
        "",
        markdown_table(wide),
        "",
        f"{int(judged.sum())} of {len(judged)} judged targets met.",
    ]
    if by_slope is not None and len(by_slope):
        out += [
            "",
            "### Tightness verdicts by true slope (points per 30 days)",
            "",
            markdown_table(by_slope, _FORMATS),
        ]
    return "\n".join(out)
