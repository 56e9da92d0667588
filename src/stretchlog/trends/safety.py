"""Safety flags: when the log says to ease off or to see a professional.

The guides say: never stretch into pain, ease up when it hurts, and see a
physical therapist when pain lasts more than 72 hours without improving or keeps
getting worse. Three checks turn that into flags:

* **high pain that persists**: at least three sessions in a row, all starting at 7
  or more, from the first to the last more than 72 hours apart. Still going on at
  the end of the log: see a professional. Over, but ended within the last four
  weeks of the log: a milder flag (the latest such run only; older ones are
  history, and the pain trend covers them);
* **pain worsening steadily**: the starting pain of the last 14 days, or of the
  last 28, rises by at least 1 point over the window with a 95% interval above 0
  (the estimator of :mod:`stretchlog.trends.fit`);
* **a stretch that raised pain**: in at least 3 of its last 5 bouts with a reading
  just before and just after it alone, the pain went up by a point or more, and
  across those bouts it went up by half a point or more on average (only those
  bouts say what one stretch did; stretches not done in the last 8 weeks are left
  alone). On simulated logs this flags a truly harmful stretch in about a quarter
  of 4-month logs and a stretch with no effect in about 6%: a nudge, not a verdict.

Every flag carries :data:`DISCLAIMER`: this is advice read from the person's own
records, not a diagnosis.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from stretchlog.log._runs import run_starts
from stretchlog.log.catalog import Catalog
from stretchlog.model.tables import LogTables, tables_of
from stretchlog.trends.fit import day_numbers, fit_trend
from stretchlog.trends.sides import single_bout_relief
from stretchlog.words import iso_day, plural, signed

__all__ = [
    "DISCLAIMER",
    "HIGH_PAIN",
    "SafetyFlag",
    "flags_frame",
    "safety_flags",
]

#: The standing text every flag carries.
DISCLAIMER = (
    "This is advice read from your own log, not a diagnosis. If you are worried about your "
    "pain, or it comes with numbness, weakness, fever or loss of bladder or bowel control, "
    "see a doctor or physical therapist."
)
#: Starting pain at or above this is "high".
HIGH_PAIN = 7.0
#: High pain across more than this many hours of logs is flagged ...
HIGH_PAIN_HOURS = 72.0
#: ... when at least this many sessions in a row show it.
HIGH_PAIN_SESSIONS = 3
#: A run that is over is still reported if it ended this many days before the log's end.
HIGH_PAIN_RECENT_DAYS = 28
#: Trailing windows (days) checked for steadily worsening pain ...
WORSENING_WINDOWS = (14, 28)
#: ... and the smallest rise over a window that is flagged (points).
WORSENING_RISE = 1.0
#: A stretch is flagged when it raised pain by RAISE_POINTS or more in RAISE_COUNT
#: of its last RAISE_OF bouts measured on their own ...
RAISE_POINTS = 1.0
RAISE_COUNT = 3
RAISE_OF = 5
#: ... and on average across them the pain rose by at least this much. With noisy
#: whole-number readings a stretch that does nothing trips "3 of 5 up by 1" in about
#: 12% of 5-bout windows at a mean of 0.5, 3% at 1.0; a stretch that adds a point of
#: pain per bout is still caught 57% of the time at 1.0 (benchmarked by simulation).
RAISE_MEAN = 1.0
#: ... and it was done in the last this many days of the log.
RAISE_RECENT_DAYS = 56

SEVERITIES = ("see a professional", "ease off")


@dataclass(frozen=True)
class SafetyFlag:
    """One safety flag.

    Attributes
    ----------
    kind : str
        ``"high pain persisting"``, ``"pain worsening"`` or ``"stretch raised pain"``.
    severity : str
        ``"see a professional"`` (the stronger) or ``"ease off"``.
    message : str
        What the log shows, in plain words.
    advice : str
        What to do.
    first_date, last_date : str
        The period the flag is about (ISO dates).
    stretch_id : str or None
        The stretch, for ``"stretch raised pain"``.
    ongoing : bool
        Still the case at the end of the log.
    disclaimer : str
        :data:`DISCLAIMER`.
    """

    kind: str
    severity: str
    message: str
    advice: str
    first_date: str
    last_date: str
    stretch_id: str | None = None
    ongoing: bool = True
    disclaimer: str = DISCLAIMER


def _high_pain(ses: pd.DataFrame) -> list[SafetyFlag]:
    s = ses.dropna(subset=["start_pain"]).sort_values("start", kind="stable")
    high = (s["start_pain"] >= HIGH_PAIN).to_numpy()
    if not high.any():
        return []
    run = np.cumsum(np.r_[True, high[1:] != high[:-1]])
    # the runs of high-pain sessions, in time order: first and last start, sessions, peak
    start = s["start"].to_numpy()[high]
    pain = s["start_pain"].to_numpy()[high]
    at = run_starts(run[high])
    end = np.append(at[1:], len(start)) - 1
    rid, first, last, n, peak = run[high][at], start[at], start[end], end - at + 1, np.maximum.reduceat(pain, at)
    hours = (pd.Series(last - first).dt.total_seconds() / 3600.0).to_numpy()
    long = (hours > HIGH_PAIN_HOURS) & (n >= HIGH_PAIN_SESSIONS)
    last_run = run[-1] if high[-1] else -1
    log_end = s["start"].max()
    past = np.flatnonzero(long & (rid != last_run) & (last >= log_end - pd.Timedelta(days=HIGH_PAIN_RECENT_DAYS)))
    shown = np.flatnonzero(long & (rid == last_run)).tolist() + past[-1:].tolist()
    flags = []
    for i in sorted(shown):
        r = {"first": pd.Timestamp(first[i]), "last": pd.Timestamp(last[i]), "n": n[i], "peak": float(peak[i])}
        ongoing = rid[i] == last_run
        days = (r["last"].normalize() - r["first"].normalize()).days + 1
        message = (
            f"Every session from {iso_day(r['first'])} to {iso_day(r['last'])} ({plural(int(r['n']), 'session')} over "
            f"{plural(days, 'day')}) started with pain of {HIGH_PAIN:g} or more (up to {r['peak']:g})"
            + (", and it is still that high in your latest session." if ongoing else ".")
        )
        if ongoing:
            advice = (
                "Pain this high for more than 72 hours is a reason to see a doctor or physical therapist "
                "before stretching more. Until then, keep any stretching gentle and stop anything that hurts."
            )
        else:
            advice = (
                "It eased afterwards. If pain this high lasts more than 72 hours again, see a doctor or "
                "physical therapist rather than stretching through it."
            )
        flags.append(
            SafetyFlag(
                "high pain persisting",
                "see a professional" if ongoing else "ease off",
                message,
                advice,
                iso_day(r["first"]),
                iso_day(r["last"]),
                None,
                bool(ongoing),
            )
        )
    return flags


def _worsening(ses: pd.DataFrame) -> list[SafetyFlag]:
    s = ses.dropna(subset=["start_pain"])
    if s.empty:
        return []
    d = pd.DataFrame({"day": day_numbers(s["date"]), "pain": s["start_pain"].to_numpy(dtype=float)})
    daily = d.groupby("day", sort=True)["pain"].mean()
    day = daily.index.to_numpy(dtype=np.int64)
    value = daily.to_numpy()
    end = int(day[-1])
    for window in sorted(WORSENING_WINDOWS, reverse=True):
        inside = day > end - window
        if inside.sum() < 5 or day[inside][-1] - day[inside][0] < window // 2:
            continue
        fit = fit_trend(day[inside], value[inside])
        rise = fit.slope / 30.0 * (window - 1)
        if np.isfinite(fit.lo) and fit.lo > 0 and rise >= WORSENING_RISE:
            first, last = day[inside][0], end
            message = (
                f"Your starting pain has risen steadily over the last {window} days, by about "
                f"{rise:.1f} points (from {iso_day(first)} to {iso_day(last)}; {signed(fit.slope)} points a month, "
                f"95% interval {signed(fit.lo)} to {signed(fit.hi)})."
            )
            advice = (
                "Pain that keeps getting worse over two weeks or more is a reason to see a doctor or "
                "physical therapist. Ease off the stretches that hurt and never stretch into pain."
            )
            return [
                SafetyFlag(
                    "pain worsening", "see a professional", message, advice, iso_day(first), iso_day(last)
                )
            ]
    return []


def _raised(t: LogTables) -> list[SafetyFlag]:
    bouts = t.bouts
    rel = single_bout_relief(t)
    if rel.empty:
        return []
    log_end = bouts["date"].max()
    # each stretch's last RAISE_OF single bouts, stretches in order of their first such bout
    recent = rel.loc[rel.groupby("stretch_id", sort=False).cumcount(ascending=False).to_numpy() < RAISE_OF]
    code, sids = pd.factorize(recent["stretch_id"])
    date = recent["date"].to_numpy()
    day_first = np.full(len(sids), date.max())
    day_last = np.full(len(sids), date.min())
    np.minimum.at(day_first, code, date)
    np.maximum.at(day_last, code, date)
    agg = pd.DataFrame(
        {
            "n": np.bincount(code, minlength=len(sids)),
            "up": np.bincount(code, weights=recent["relief"].to_numpy() <= -RAISE_POINTS, minlength=len(sids)),
            # pandas' grouped mean (compensated summation), as the figures have always used
            "mean": recent["relief"].groupby(code).mean().to_numpy(),
            "first": day_first,
            "last": day_last,
        },
        index=pd.Index(sids, name="stretch_id"),
    )
    agg = agg.loc[
        (agg["up"] >= RAISE_COUNT)
        & (agg["mean"] <= -RAISE_MEAN)
        & (agg["last"] >= log_end - pd.Timedelta(days=RAISE_RECENT_DAYS))
    ]
    if agg.empty:
        return []
    cat = t.catalog
    typed = bouts.drop_duplicates("stretch_id").set_index("stretch_id")["stretch"]
    flags = []
    for sid, r in agg.iterrows():
        try:
            name = cat.get(sid).name
        except KeyError:
            name = str(typed.get(sid, sid))
        message = (
            f"{name} raised your pain by a point or more in {int(r['up'])} of its last {plural(int(r['n']), 'bout')} "
            f"with a reading just before and after it (between {iso_day(r['first'])} and {iso_day(r['last'])}; "
            f"{-r['mean']:.1f} points more pain on average)."
        )
        advice = (
            f"Ease off {name}: do it more gently, hold it shorter, or leave it out for now. Never "
            "stretch into pain. If it keeps hurting, ask a physical therapist about it."
        )
        flags.append(
            SafetyFlag(
                "stretch raised pain",
                "ease off",
                message,
                advice,
                iso_day(r["first"]),
                iso_day(r["last"]),
                str(sid),
                True,
            )
        )
    return flags


def safety_flags(
    data: LogTables | pd.DataFrame,
    *,
    catalog: Catalog | None = None,
) -> tuple[SafetyFlag, ...]:
    """Check a log for the three safety signals, strongest first.

    Parameters
    ----------
    data : LogTables or DataFrame
        The log's tables (:class:`stretchlog.model.tables.LogTables`, as an
        :class:`~stretchlog.Analysis` holds them), or its bouts as returned by
        :func:`stretchlog.read_log`.
    catalog : Catalog, optional
        For stretch names.

    Returns
    -------
    tuple of SafetyFlag
        Empty when nothing is flagged. "See a professional" before "ease off",
        ongoing before past, newest first.

    Examples
    --------
    >>> import io
    >>> from stretchlog import read_log
    >>> rows = [f"2026-03-{d:02d},knees to chest,30,{p},{p - 1}" for d, p in ((1, 5), (2, 8), (3, 7), (4, 8), (6, 9))]
    >>> flags = safety_flags(read_log(io.StringIO("date,stretch,hold_s,pain_before,pain_after\\n" + "\\n".join(rows))))
    >>> [(f.kind, f.severity, f.first_date, f.last_date) for f in flags]
    [('high pain persisting', 'see a professional', '2026-03-02', '2026-03-06')]
    >>> flags[0].disclaimer.startswith("This is advice read from your own log, not a diagnosis")
    True
    """
    t = tables_of(data, catalog)
    bouts = t.bouts
    if bouts.empty:
        return ()
    s = t.sessions
    flags = _high_pain(s) + _worsening(s) + _raised(t)
    rank = {sev: i for i, sev in enumerate(SEVERITIES)}
    flags.sort(key=lambda f: (rank[f.severity], not f.ongoing, _neg_date(f.last_date)))
    return tuple(flags)


def _neg_date(iso: str) -> int:
    return -int(np.datetime64(iso, "D").astype(np.int64))


def flags_frame(flags: tuple[SafetyFlag, ...]) -> pd.DataFrame:
    """Flags as a tidy frame, one row per flag (columns: the :class:`SafetyFlag` fields).

    Examples
    --------
    >>> flags_frame(()).columns.tolist()[:3]
    ['kind', 'severity', 'message']
    """
    cols = list(SafetyFlag.__dataclass_fields__)
    if not flags:
        return pd.DataFrame({c: pd.Series(dtype="bool" if c == "ongoing" else "str") for c in cols})
    return pd.DataFrame([asdict(f) for f in flags], columns=cols)
