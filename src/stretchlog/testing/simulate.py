"""Seeded simulator of stretch logs with a known truth (for tests and benchmarks).

:func:`simulate_log` writes a log exactly as a person would keep it (the CSV
contract's columns, typed stretch names, gaps and all) from a generative model
whose parameters are returned alongside it in :class:`SimTruth`. The estimators
of stretchlog are tested by checking that they recover that truth.
:func:`simulate_bouts` makes logs of a given size (tens of thousands to millions
of rows) for benchmarks.

The generative model, in plain words
------------------------------------
Time. The log runs for ``days`` days. Each day has a few time slots (a morning
window 06:30-08:30 and an evening window 20:00-22:30; very busy benchmark logs
get extra slots); each slot holds a session with a fixed probability, so there
are ``sessions_per_week`` sessions a week on average. Some sessions (only the
first of a day) have no time written.

Pain between sessions. A day's true pain level is ``baseline + pain_slope * t/30
+ u_t``, where ``t`` is days since the start and ``u`` is an AR(1) series across
days (``phi`` ~0.7, stationary SD ``day_sd``): bad days come in runs. A session
starts at that level plus a little session noise, minus the *lasting* effect of
the bouts of the previous session (``lasting[s]`` per bout of stretch ``s``;
only the previous session counts, it does not accumulate), clipped to 0..10.

Readings. Every pain reading is ``clip(round(true + N(0, reading_sd)), 0, 10)``:
a noisy whole number. A reading written twice (a ``pain_before`` that restates
the previous bout's ``pain_after``) is the same reading, so the two cells agree.

What the person decides (confounding by indication). At the session start the
person reads their pain once (this is the first bout's ``pain_before``) and
decides from that *noisy reading*: a higher reading means more stretches
(``items_mean + items_per_point * (reading - baseline)`` plus noise) and a
higher chance of starting with the favourite stretch. Since the reading is
noisy, sessions chosen by a high reading regress to the mean on their own.
Which stretches are done is a weighted draw without replacement from the
usual repertoire (the keys of ``effects``); the favourite is always included
when it is put first.

Order. The chosen stretches are done in the person's usual order (the order
of ``effects``) with a little jitter; in a share of sessions (``shuffle_prob``)
the order is shuffled completely, which makes the position effect estimable.

Bouts. A stretch done on both sides gives two bouts (left then right, or
right then left); sided stretches are done one side only now and then. Each
bout lowers the true pain by ``effect`` of its stretch (its side's effect for a
sided stretch) ``+ position_effect * position`` (0-based bout position in the
session: later bouts let go more easily) ``+ dose_effect * log2(dose / usual
dose)`` ``+ N(0, bout_sd)``. True pain is floored at 0 and capped at 10 after
every bout, so relief is censored in sessions that reach 0.

What gets written (logging styles). ``per_bout``: ``pain_before`` on the first
bout and ``pain_after`` on every bout (later bouts' ``pain_before`` mostly
empty, sometimes restating the previous ``pain_after``). ``start_end``: only the
first ``pain_before`` and the last ``pain_after``. ``mixed``: each session is
per-bout, start/end-only or a partial chain (after-readings on some bouts
only). The first bout always has ``pain_before`` and the last ``pain_after``.

Rare and inseparable stretches. ``rare`` stretches are never in the usual draw:
each is done in exactly ``rare_sessions`` randomly chosen sessions. With
``inseparable=True`` a pair of stretches is always done together, one right
after the other, with no reading between them: only their sum is estimable.
With ``imbalance=True`` one sided stretch works better on the left than on the
right by ``imbalance_size`` (``effects`` holds the mean of its two sides).

Tightness. Each bout's tightness (0..10) is a level for its (stretch, side)
``+ slope * t/30`` ``+`` a shared "stiff day" AR(1) component ``+`` noise,
rounded and clipped; some stretches loosen over time, some tighten, most are
flat; about 10% of bouts leave tightness empty. By default the pain and
tightness trends are set as a total change over the whole log (``pain_change``
and the built-in table), so long logs stay on the 0..10 scale.

Doses and notes. ``hold_s`` and ``reps`` vary around the stretch's usual
dose; a few bouts carry a note (one with a comma, one with quotes).

Everything is drawn from ``numpy.random.default_rng(seed)``: the same seed and
options give the identical frame. The whole simulation is vectorised over
sessions and bouts (no Python loop per session), so a million rows take a few
seconds.

The code, in modules of their own: the stretches and their defaults
(:mod:`stretchlog.testing.stretches`), the person's design
(:mod:`stretchlog.testing.design`), the draws (:mod:`stretchlog.testing.generate`)
and what a simulation returns (:mod:`stretchlog.testing.truth`); this module
holds the options and the two entry points, and re-exports the public names.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any, Literal

import numpy as np

from stretchlog.testing.design import make_design
from stretchlog.testing.generate import WINDOWS, generate
from stretchlog.testing.stretches import (
    DEFAULT_EFFECTS,
    DEFAULT_INSEPARABLE,
    DEFAULT_RARE,
    DEFAULT_STRETCHES,
    StretchSpec,
    stretch_table,
)
from stretchlog.testing.truth import COLUMNS, SimTruth, SimulatedLog

__all__ = [
    "COLUMNS",
    "DEFAULT_EFFECTS",
    "DEFAULT_INSEPARABLE",
    "DEFAULT_RARE",
    "DEFAULT_STRETCHES",
    "SimTruth",
    "SimulatedLog",
    "StretchSpec",
    "simulate_bouts",
    "simulate_log",
]

Style = Literal["per_bout", "start_end", "mixed"]
NameStyle = Literal["typed", "varied", "id"]


def _options(**kw: Any) -> dict[str, Any]:
    """The options of the generator, checked (``style``, ``name_style``, ``favourite_first``)."""
    kw.setdefault("end", None)
    if kw["style"] not in ("per_bout", "start_end", "mixed"):
        raise ValueError(f"style must be 'per_bout', 'start_end' or 'mixed', not {kw['style']!r}")
    if kw["name_style"] not in ("typed", "varied", "id"):
        raise ValueError(f"name_style must be 'typed', 'varied' or 'id', not {kw['name_style']!r}")
    fa, _ = kw["favourite_first"]
    if not 0.0 < fa < 1.0:
        raise ValueError("favourite_first[0] must be a probability strictly between 0 and 1")
    return kw


def simulate_log(
    *,
    days: int = 120,
    seed: int = 0,
    sessions_per_week: float = 4.5,
    style: Style = "mixed",
    effects: Mapping[str, float] | None = None,
    rare: Mapping[str, float] | None = None,
    rare_sessions: int | Iterable[int] = (3, 5),
    inseparable: bool = False,
    imbalance: bool | str = False,
    imbalance_size: float = 0.5,
    stretches: Any = None,
    favourite: str | None = None,
    weights: Mapping[str, float] | None = None,
    lasting: Mapping[str, float] | float = 0.1,
    position_effect: float = 0.05,
    dose_effect: float = 0.0,
    baseline: float = 6.0,
    pain_slope: float | None = None,
    pain_change: float = -1.0,
    phi: float = 0.7,
    day_sd: float = 0.9,
    session_sd: float = 0.4,
    reading_sd: float = 0.7,
    bout_sd: float = 0.3,
    tightness_slopes: Mapping[Any, float] | None = None,
    tightness_sd: float = 0.6,
    stiff_sd: float = 0.7,
    tightness_missing: float = 0.1,
    items_mean: float = 3.5,
    items_per_point: float = 0.6,
    favourite_first: tuple[float, float] = (0.25, 0.9),
    shuffle_prob: float = 0.3,
    order_jitter: float = 0.6,
    both_sides_prob: float = 0.85,
    mixed_weights: tuple[float, float, float] = (0.4, 0.25, 0.35),
    restate_prob: float = 0.15,
    empty_time_prob: float = 0.04,
    empty_side_prob: float = 0.2,
    notes_rate: float = 0.02,
    name_style: NameStyle = "typed",
    usual_name_prob: float = 0.8,
    start: str = "2026-01-05",
) -> SimulatedLog:
    """Simulate a personal stretch log from a known truth (see the module docstring).

    Parameters
    ----------
    days : int
        Length of the log in days.
    seed : int
        Seed of ``numpy.random.default_rng``; the same seed and options give the
        identical frame.
    sessions_per_week : float
        Average number of sessions a week (mornings and evenings).
    style : {"per_bout", "start_end", "mixed"}
        How pain is written: around every bout, only at the session's start and
        end, or a per-session mix of those and partial chains.
    effects : dict, optional
        The usual repertoire in the person's usual order: stretch id -> true relief
        per bout (default :data:`DEFAULT_EFFECTS`: one clearly best, several modest,
        one ~0, one harmful).
    rare : dict, optional
        Rarely tried stretches: id -> true relief per bout (default :data:`DEFAULT_RARE`).
    rare_sessions : int or sequence of int
        In how many sessions each rare stretch is done.
    inseparable : bool
        Add the pair :data:`DEFAULT_INSEPARABLE`, always done together with no
        reading between them.
    imbalance : bool or str
        Make one sided stretch (``True``: psoas stretch 1; or the id given) work
        better on the left than on the right by ``imbalance_size``.
    stretches : mapping, DataFrame or iterable, optional
        The stretch table (id -> :class:`StretchSpec`; or a frame/objects with
        ``id``, ``name``, ``sided``, ``hold_s``, ``reps`` such as a catalog).
        Default :data:`DEFAULT_STRETCHES`.
    favourite : str, optional
        The stretch put first more often when the first reading is high (default:
        the one with the largest effect).
    weights : dict, optional
        Relative chance of each usual stretch being chosen (default 1, favourite 2).
    lasting : dict or float
        Per-bout effect on the next session's starting pain, by id, or a fraction
        of each stretch's immediate effect.
    position_effect : float
        Extra relief per 0-based bout position.
    dose_effect : float
        Extra relief per doubling of hold_s x reps over the usual dose.
    baseline : float
        Pain level at the start of the log.
    pain_slope : float, optional
        Change of the baseline per 30 days; default ``pain_change`` spread over the log.
    pain_change : float
        Total change of the baseline over the log, used when ``pain_slope`` is None.
    phi, day_sd : float
        AR(1) coefficient and SD of the day-to-day pain (also used for stiff days).
    session_sd, reading_sd, bout_sd : float
        SDs of a session's start around its day's level, of a reading's error and
        of a bout's own relief.
    tightness_slopes : dict, optional
        True tightness change per 30 days by ``(id, side)`` or by id (all sides);
        default: the built-in changes spread over the log.
    tightness_sd, stiff_sd, tightness_missing : float
        Tightness noise SD, SD of the shared stiff-day AR(1), share of empty cells.
    items_mean, items_per_point : float
        Stretches per session at a first reading equal to ``baseline``, and extra
        stretches per point of first reading above it.
    favourite_first : (float, float)
        Chance of starting with the favourite at a reading equal to ``baseline``,
        and its log-odds increase per point of reading.
    shuffle_prob, order_jitter : float
        Share of sessions done in a random order; jitter of the usual order.
    both_sides_prob : float
        Chance a sided stretch is done on both sides.
    mixed_weights : (float, float, float)
        For ``style="mixed"``: shares of per-bout, start/end-only and partial sessions.
    restate_prob : float
        Chance a later bout restates the previous ``pain_after`` as its ``pain_before``.
    empty_time_prob, empty_side_prob, notes_rate : float
        Chance of an empty time (first session of a day), of an empty side on a
        two-sided stretch, and of a note on a bout.
    name_style : {"typed", "varied", "id"}
        Stretch names as the person types them, with occasional other spellings
        (case, aliases), or canonical ids.
    usual_name_prob : float
        For ``"varied"``: share of rows with the usual spelling.
    start : str
        ISO date of the first day.

    Returns
    -------
    SimulatedLog

    Examples
    --------
    >>> log = simulate_log(days=30, seed=3)
    >>> list(log.frame.columns) == list(COLUMNS)
    True
    >>> max(log.truth.effects, key=log.truth.effects.get)
    'reclining-hip-stretch'
    """
    return _run(dict(locals()))


def simulate_bouts(
    n_bouts: int,
    *,
    seed: int = 0,
    sessions_per_week: float | None = None,
    max_years: float = 40.0,
    end: str = "2026-06-30",
    **options: Any,
) -> SimulatedLog:
    """Simulate a log of about ``n_bouts`` rows (for benchmarks).

    Whole sessions are kept up to the one that reaches ``n_bouts``, so the log
    has between ``n_bouts`` and ``n_bouts`` plus one session's bouts. Uses the
    model of :func:`simulate_log`; the trends are spread over the whole log.

    Parameters
    ----------
    n_bouts : int
        Wanted number of rows (e.g. 40_000, 100_000, 1_000_000).
    seed : int
        Seed of the random generator.
    sessions_per_week : float, optional
        Default 14 (about two sessions a day: 40_000 rows span about ten
        years), raised so the log spans at most ``max_years`` (a million rows
        take about 7 sessions a day).
    max_years : float
        Longest span of the log when ``sessions_per_week`` is not given.
    end : str
        ISO date of the log's last day (its start follows from the size).
    **options
        Any keyword option of :func:`simulate_log` except ``days`` and ``start``.

    Returns
    -------
    SimulatedLog

    Examples
    --------
    >>> log = simulate_bouts(2_000, seed=1)
    >>> 2_000 <= len(log.frame) < 2_100
    True
    """
    if n_bouts < 1:
        raise ValueError("n_bouts must be at least 1")
    if "days" in options or "start" in options:
        raise TypeError(
            "simulate_bouts sets days and start from n_bouts; use simulate_log for those"
        )
    sig = dict(options)
    # expected bouts per session, to size the number of days
    eff = sig.get("effects") or DEFAULT_EFFECTS
    table = stretch_table(sig.get("stretches"))
    both_p = sig.get("both_sides_prob", 0.85)
    per_item = float(
        np.mean([1 + both_p if table[s].sided else 1.0 for s in eff if s in table] or [1.0])
    )
    items = min(float(sig.get("items_mean", 3.5)), len(eff))
    per_session = max(1.0, items * per_item)
    sessions = n_bouts / per_session
    spw = sessions_per_week
    if spw is None:
        spw = max(14.0, 7.0 * sessions / (max_years * 365.25))
        spw = min(spw, 0.8 * len(WINDOWS) * 7)
    days = math.ceil(sessions / (spw / 7.0) * 1.15) + 7
    unknown = set(options) - set(_KWDEFAULTS)
    if unknown:
        raise TypeError(f"unknown option(s): {', '.join(sorted(unknown))}")
    for _ in range(8):
        kw = {
            **_KWDEFAULTS,
            **options,
            "days": days,
            "seed": seed,
            "sessions_per_week": spw,
            "end": end,
        }
        log = _run(kw, max_bouts=n_bouts)
        if len(log.frame) >= n_bouts:
            return log
        days = int(days * 1.5) + 7
    return log


_DESIGN_KEYS = (
    "effects",
    "rare",
    "rare_sessions",
    "inseparable",
    "imbalance",
    "imbalance_size",
    "stretches",
    "favourite",
    "weights",
    "lasting",
    "tightness_slopes",
)
_KWDEFAULTS: dict[str, Any] = {
    k: v
    for k, v in (simulate_log.__kwdefaults__ or {}).items()
    if k not in ("days", "seed", "start")
}


def _run(kw: dict[str, Any], max_bouts: int | None = None) -> SimulatedLog:
    """Simulate from all of ``simulate_log``'s keyword arguments (``max_bouts``: see ``simulate_bouts``)."""
    kw = dict(kw)
    days, seed = int(kw.pop("days")), kw.pop("seed")
    dkw = {k: kw.pop(k) for k in _DESIGN_KEYS}
    kw["favourite_first"] = tuple(kw["favourite_first"])
    kw["mixed_weights"] = tuple(kw["mixed_weights"])
    d = make_design(**dkw, opts=_options(**kw))
    return generate(d, days, seed, max_bouts=max_bouts)
