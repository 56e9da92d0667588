"""What a plan can find before it is started: a power preview from the person's own log.

The log gives three things (:func:`noise_from_log`): how much a session's relief
varies from day to day once its starting pain is allowed for, how much of a day's
luck carries over to the next day (an AR(1) correlation between consecutive days),
and the rhythm of logging (on which weekdays, and how reliably). :func:`preview`
then simulates the plan many times with that noise and rhythm, with days missed at
the person's own rate, and analyses each simulated plan the way the real one will
be analysed (the A-minus-B difference by the plan's own design). The spread of the
estimate over the simulations gives the smallest difference the plan finds four
times in five (80% power at the 5% level), for each length in weeks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from stretchlog.experiment.design import draw_many, planned_dates
from stretchlog.model.thresholds import MCID_POINTS
from stretchlog.words import joined, plural

__all__ = ["Noise", "Preview", "noise_from_log", "preview", "WORTH_KNOWING", "MIN_NOISE_DAYS"]

#: The difference between two options the default plan length aims to find (points a
#: session): half the 2-point change a person notices, since the two options differ in
#: only part of a session.
WORTH_KNOWING = MCID_POINTS / 2
#: Days with pain rated at a session's start and end needed to read the noise from a log.
MIN_NOISE_DAYS = 8
#: Drift assumed where the log has too few consecutive days to measure it.
DEFAULT_RHO = 0.3
_Z = 1.959963984540054
_Z80 = 0.8416212335729143
_DAYNAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class Noise:
    """The day-to-day noise and rhythm of a log, as the preview uses them.

    Attributes
    ----------
    sd : float
        Spread (SD) of a day's session relief around what its starting pain predicts.
    rho : float
        Correlation of that luck between consecutive days (0 to 0.9).
    rho_measured : bool
        False when the log had too few consecutive days and :data:`DEFAULT_RHO` was used.
    days : int
        Days with a rated session the figures come from.
    weekdays : tuple of int
        The weekdays the person logs most (0 = Monday), as many as their days a week.
    logged_share : float
        Share of those weekdays, over the log's last eight weeks of logging, with a session.
    days_per_week : float
        Days with a session per week over the log's last eight weeks of logging.
    """

    sd: float
    rho: float
    rho_measured: bool
    days: int
    weekdays: tuple[int, ...]
    logged_share: float
    days_per_week: float

    def words(self) -> str:
        """Where the preview's figures come from, in a sentence."""
        drift = (
            f"good and bad days carry over about {100 * self.rho:.0f}% to the next day"
            if self.rho_measured
            else f"too few days in a row to measure how days carry over ({100 * DEFAULT_RHO:.0f}% assumed)"
        )
        return (
            f"From {plural(self.days, 'day')} of your log: a session's relief varies by about "
            f"{self.sd:.1f} points from day to day once its starting pain is allowed for; {drift}; "
            f"you log on about {self.days_per_week:.1f} days a week, mostly {joined([_DAYNAMES[d] for d in self.weekdays])} "
            f"({100 * self.logged_share:.0f}% of those days in your last eight weeks of logging)."
        )


@dataclass(frozen=True)
class Preview:
    """The plan's power, week by week (from :func:`preview`).

    Attributes
    ----------
    noise : Noise
    table : DataFrame
        ``weeks``, ``planned_days``, ``expected_days`` (likely logged), ``se`` (spread
        of the A-minus-B estimate), ``detectable`` (difference found with 80% power; NaN
        where the schedule has too few blocks for the randomisation test to reach 5%).
    weekdays : tuple of int
        The planned weekdays the preview simulated (0 = Monday).
    weeks : int
        The suggested length: the fewest weeks (2-12) that find :data:`WORTH_KNOWING`
        with 80% power, or 12.
    """

    noise: Noise
    table: pd.DataFrame = field(repr=False)
    weeks: int
    weekdays: tuple[int, ...] = ()

    def detectable(self, weeks: int) -> float:
        """The difference ``weeks`` weeks find with 80% power (extrapolated beyond the table)."""
        t = self.table.set_index("weeks")
        if weeks in t.index:
            return float(t.loc[weeks, "detectable"])
        last = t.index.max()
        return float(t.loc[last, "detectable"] * np.sqrt(last / weeks))

    def weeks_for(self, difference: float) -> int:
        """Weeks needed to find ``difference`` with 80% power (extrapolated as 1/sqrt(weeks))."""
        t = self.table
        ok = t[t["detectable"] <= difference]
        if len(ok):
            return int(ok["weeks"].iloc[0])
        finite = t[np.isfinite(t["detectable"])]
        if finite.empty:
            return int(t["weeks"].max())
        last = finite.iloc[-1]
        return int(np.ceil(last["weeks"] * (last["detectable"] / difference) ** 2))

    def power(self, weeks: int, difference: float) -> float:
        """Chance that ``weeks`` weeks show a true ``difference`` (two-sided 5%)."""
        se = self.detectable(weeks) / (_Z + _Z80)
        from scipy import stats

        return float(stats.norm.sf(_Z - difference / se) + stats.norm.cdf(-_Z - difference / se))

    def sentences(self, weeks: int | None = None) -> list[str]:
        """The preview in words: what ``weeks`` weeks can find, and what smaller differences take."""
        w = self.weeks if weeks is None else int(weeks)
        row = self.table.set_index("weeks")
        expected = (
            float(row.loc[w, "expected_days"])
            if w in row.index
            else w * len(self.noise.weekdays) * self.noise.logged_share
        )
        days = joined([_DAYNAMES[d] for d in (self.weekdays or self.noise.weekdays)])
        det = self.detectable(w)
        if not np.isfinite(det):
            can = self.table.loc[np.isfinite(self.table["detectable"]), "weeks"]
            return [
                f"With {plural(w, 'week')} of sessions on {days}, the plan cannot show a difference "
                "of any size: its schedule has too few blocks for the coin to reach the 5% level"
                + (f"; plan at least {plural(int(can.iloc[0]), 'week')}." if len(can) else ".")
            ] + [self.noise.words()]
        out = [
            f"With {plural(w, 'week')} of sessions on {days} (about {expected:.0f} days you are likely to "
            f"log, going by your log), the plan has an 80% chance to show a difference of "
            f"{det:.1f} points a session if there is one."
        ]
        if weeks is None and det > WORTH_KNOWING:
            out.append(
                f"{self.weeks} weeks is the longest plan suggested; finding a difference of "
                f"{WORTH_KNOWING:.1f} points would take about {plural(self.weeks_for(WORTH_KNOWING), 'week')}. "
                "A plan can still show a larger difference, or that there is none that large."
            )
        smaller = round(det / 2, 1)
        if smaller >= 0.1:
            out.append(
                f"A difference of {smaller:.1f} points a session would take about "
                f"{plural(self.weeks_for(smaller), 'week')}."
            )
        out.append(self.noise.words())
        return out


def noise_from_log(sessions: pd.DataFrame, *, today: date | None = None) -> Noise | None:
    """Read the day-to-day noise and rhythm from a log's sessions; None with too few rated days.

    Parameters
    ----------
    sessions : DataFrame
        The log's sessions (``date``, ``start_pain``, ``end_pain``, ``relief``).
    today : date, optional
        The rhythm is read from the eight weeks before this day or before the log's last
        session, whichever is earlier (a pause in logging does not make the rhythm zero).

    Examples
    --------
    >>> d = pd.date_range("2026-10-01", periods=40, freq="D")
    >>> rng = np.random.default_rng(1)
    >>> start = rng.integers(3, 8, 40).astype(float); rel = 0.5 * start + rng.normal(0, 1, 40)
    >>> s = pd.DataFrame({"date": d, "start_pain": start, "end_pain": start - rel, "relief": rel})
    >>> n = noise_from_log(s)
    >>> 0.6 < n.sd < 1.4, n.days, round(n.days_per_week)
    (True, 40, 7)
    """
    s = sessions[sessions["start_pain"].notna() & sessions["end_pain"].notna()].copy()
    if s.empty:
        return None
    s["day"] = pd.to_datetime(s["date"]).dt.normalize()
    d = s.groupby("day").agg(relief=("relief", "mean"), start=("start_pain", "mean")).reset_index()
    if len(d) < MIN_NOISE_DAYS:
        return None
    y, x = d["relief"].to_numpy(float), d["start"].to_numpy(float)
    cols = [np.ones_like(x)] + ([x] if np.ptp(x) > 0 else [])
    beta, *_ = np.linalg.lstsq(np.column_stack(cols), y, rcond=None)
    resid = y - np.column_stack(cols) @ beta
    sd = float(np.sqrt(resid @ resid / max(len(y) - len(cols), 1)))
    gap = d["day"].diff().dt.days.to_numpy()
    pairs = np.flatnonzero(gap == 1)
    rho, measured = DEFAULT_RHO, False
    if len(pairs) >= 10:
        r = np.corrcoef(resid[pairs], resid[pairs - 1])[0, 1]
        if np.isfinite(r):
            rho, measured = float(np.clip(r, 0.0, 0.9)), True
    # rhythm over the last eight weeks
    all_days = pd.to_datetime(sessions["date"]).dt.normalize()
    last = all_days.max() + pd.Timedelta(days=1)
    end = min(pd.Timestamp(today), last) if today is not None else last
    begin = max(all_days.min(), end - pd.Timedelta(days=56))
    recent = pd.Series(all_days[(all_days >= begin) & (all_days < end)].unique())
    span_days = max((end - begin).days, 7)
    per_week = len(recent) * 7 / span_days
    k = int(np.clip(round(per_week), 2, 7))
    counts = pd.Series(recent.dt.day_of_week).value_counts().reindex(range(7), fill_value=0)
    top = sorted(counts.sort_values(ascending=False, kind="stable").index[:k].tolist())
    possible = pd.date_range(begin, end - pd.Timedelta(days=1))
    possible = possible[possible.day_of_week.isin(top)]
    share = float(np.isin(possible, recent.to_numpy()).mean()) if len(possible) else 1.0
    return Noise(
        sd=max(sd, 0.1),
        rho=rho,
        rho_measured=measured,
        days=len(d),
        weekdays=tuple(int(t) for t in top),
        logged_share=float(np.clip(share, 0.05, 1.0)),
        days_per_week=float(per_week),
    )


def preview(
    noise: Noise,
    *,
    design: str = "pairs",
    weekdays: tuple[int, ...] | None = None,
    start: date = date(2027, 1, 4),
    weeks: range | list[int] = range(2, 13),
    draws: int = 600,
    seed: int = 0,
    max_run: int = 3,
) -> Preview:
    """Simulate the plan with the log's noise and rhythm: what each length can find.

    Parameters
    ----------
    noise : Noise
        From :func:`noise_from_log`.
    design : str
        The plan's design.
    weekdays : tuple of int, optional
        Planned weekdays (default: the log's usual ones).
    start : date
        First day (only the weekday pattern matters).
    weeks : iterable of int
        Lengths to try.
    draws : int
        Simulated plans per length.
    seed : int
        Seed of the simulation (the same seed gives the same preview).

    Examples
    --------
    >>> n = Noise(1.0, 0.3, True, 40, (0, 2, 4, 5), 0.9, 4.0)
    >>> p = preview(n, weeks=[2, 4, 8], draws=300)
    >>> p.table["detectable"].iloc[1:].is_monotonic_decreasing
    True
    >>> bool(p.table["detectable"].isna().iloc[0])  # 8 days, 16 schedules: never 5%
    True
    """
    wd = tuple(weekdays) if weekdays else noise.weekdays
    rng = np.random.default_rng([seed, 99])
    rows = []
    for w in weeks:
        dates = planned_dates(start, int(w), wd)
        m = len(dates)
        if m < 4:
            continue
        offset = np.array([(d - start).days for d in dates])
        n_cal = 7 * int(w)
        # AR(1) luck on every calendar day, stationary SD noise.sd
        e = rng.normal(0, noise.sd * np.sqrt(1 - noise.rho**2), size=(draws, n_cal))
        luck = np.empty_like(e)
        luck[:, 0] = rng.normal(0, noise.sd, size=draws)
        for t in range(1, n_cal):
            luck[:, t] = noise.rho * luck[:, t - 1] + e[:, t]
        y = luck[:, offset]
        seen = rng.random((draws, m)) < noise.logged_share
        z = draw_many(design, pd.to_datetime(dates), draws, rng, start=start, max_run=max_run).astype(bool)
        na = (seen & z).sum(axis=1)
        nb = (seen & ~z).sum(axis=1)
        ok = (na >= 2) & (nb >= 2)
        with np.errstate(invalid="ignore", divide="ignore"):
            est = (np.where(seen & z, y, 0).sum(axis=1) / na) - (np.where(seen & ~z, y, 0).sum(axis=1) / nb)
        se = float(np.std(est[ok], ddof=1)) if ok.sum() > 20 else np.nan
        # The randomisation test's smallest p-value is about 2 / (distinct schedules): the
        # real schedule and its mirror image always tie. Fewer than 40 schedules (a plan of
        # few pairs of days or weeks) can never reach 5%, whatever the difference.
        reachable = 2 / len(np.unique(z, axis=0)) <= 0.05
        rows.append(
            {
                "weeks": int(w),
                "planned_days": m,
                "expected_days": m * noise.logged_share,
                "se": se,
                "detectable": (_Z + _Z80) * se if reachable else np.nan,
            }
        )
    table = pd.DataFrame(rows, columns=["weeks", "planned_days", "expected_days", "se", "detectable"])
    good = table[table["detectable"] <= WORTH_KNOWING]
    chosen = int(good["weeks"].iloc[0]) if len(good) else int(table["weeks"].max())
    return Preview(noise, table, chosen, wd)
