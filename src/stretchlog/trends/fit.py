"""The one estimator behind every trend: a straight line through daily values,
with a 95% interval that survives day-to-day autocorrelation.

Why this method
---------------
Tightness and pain ratings come in runs: a stiff day makes every stretch feel
tight, and bad days cluster (methods notes §8). Ordinary least-squares (OLS)
intervals assume independent days and call trends on flat series far too often.
Here:

* the **slope** is OLS on one value per calendar day (the mean of that day's
  ratings), with days since the first day as x. OLS is unbiased whatever the
  correlation of the errors, gives a slope in points per 30 days directly, and
  handles irregular logging and gaps of months without special cases;
* its **standard error** is a Newey-West (HAC, Bartlett kernel) estimate computed
  on the *calendar*: the residuals sit on a daily grid with zeros on days without
  a value (the "amplitude-modulated" series of Parzen; Datta & Du 2012), so a lag
  always means a number of days, as statsmodels' row-based ``maxlags`` cannot;
* the bandwidth is a fixed share of the span (``bandwidth=0.2``: 20% of the days;
  with ``persistence``, at most :data:`MEMORY_DAYS` days),
  and the interval uses **fixed-b critical values** (Kiefer & Vogelsang 2005) for
  that share, computed by simulation for the trend slope and for a mean (the
  tables below), times a small-sample factor ``t(n-2) / z``. Fixed-b intervals
  keep close to their nominal coverage when the errors are persistent and the
  series short, where the usual normal-quantile HAC interval is too narrow.

Theil-Sen with a Hamed-Rao Mann-Kendall test was the alternative: robust, but its
interval assumes independent points and the autocorrelation correction gives a
p-value, not an interval for the slope. Daily means of 0-10 ratings have no wild
outliers, so OLS loses little.

Checked in ``tests/test_trends_simulation.py`` against simulated logs with known
slopes and AR(1) "stiff days". With strongly persistent noise and only a few weeks
of data every method has few effectively independent days; the intervals are then
wide, and the verdicts say "not sure yet" rather than guess.

Stiff spells and short logs (``persistence``)
---------------------------------------------
Fixed-b values assume the errors' memory is short next to the bandwidth. Stiff
spells last days; a log of a few months, or a stretch rated on only a handful of
days, is not long enough for that, and the plain interval above then leaves out
the truth more often than 1 time in 20 (measured on simulated logs with stiff
days carrying 70% over from one day to the next: 5.5-6% of truly flat stretches
called looser or tighter in four-to-six-month logs, 7.6% when a stretch is rated
on only 6-10 days; with the corrections below, 4.0-5.0%).
``fit_trend(..., persistence=(share, carry))`` corrects the interval for a
*reference* model of stiff days (:data:`STIFF_DAYS`): a share ``share`` of the
variation of a day's value is stiffness that carries ``carry`` over to the next
day (correlation ``share * carry**lag`` between days ``lag`` apart), the rest is
independent. Two corrections, both from the calendar days actually logged:

* the Bartlett weights leave out part of the correlation within the bandwidth
  (the truncation bias of the kernel); the standard error is multiplied by the
  square root of (slope variance under the model) / (its Bartlett-weighted
  version), never less than 1;
* the small-sample factor uses Student t with the *effective* number of days under
  the model (days logged / variance inflation of the slope), minus 3 instead of
  2: with 6-12 days the t(n-2) factor falls short of the critical value simulated
  for the actual days (4.73 against 4.36 for 6 days two weeks apart).

For a year of a stretch rated every few days both corrections are small (about
1% on the interval), so the power to see a real change is kept; on year-long
simulated logs about 5% (4.7-4.8%) of truly flat stretches are called looser or
tighter, the nominal rate of a 95% interval. A stretch rated almost every day
through long stiff spells (0.8-0.9 carried over) still gets intervals somewhat
too narrow (6-8% false trends, against 37-50% for independent-days OLS); an
estimate of the persistence from a few months of one person's log was tried and
is too noisy, and too low, to do better.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import stats

from stretchlog.words import plural

__all__ = [
    "BANDWIDTH",
    "MIN_DAYS",
    "MEMORY_DAYS",
    "MIN_SPAN_DAYS",
    "STIFF_DAYS",
    "MeanFit",
    "TrendFit",
    "change_call",
    "critical_value",
    "day_numbers",
    "direction",
    "fit_mean",
    "fit_trend",
    "span_words",
]

#: Bartlett bandwidth as a share of the span in days (fixed-b).
BANDWIDTH = 0.2
#: A trend needs values on at least this many days ...
MIN_DAYS = 6
#: ... spread over at least this many days (last minus first).
MIN_SPAN_DAYS = 21

# 0.975 quantiles of the fixed-b limit of |t| for the Bartlett kernel, by b = lags / span,
# for the slope of a linear trend and for a mean; 60,000 draws of 1,000 iid normal
# points each (Monte Carlo error about 0.01). b = 0 is the normal quantile.
_B = np.array([0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1.0])
_CV = {
    "trend": np.array([1.960, 2.078, 2.250, 2.526, 2.803, 3.075, 3.549, 4.324, 5.112, 5.827]),
    "mean": np.array([1.960, 2.009, 2.086, 2.230, 2.382, 2.531, 2.834, 3.444, 4.142, 4.749]),
}
_Z975 = 1.959963984540054

#: Reference model of stiff days for ``fit_trend(..., persistence=...)``: half of the
#: day-to-day variation of a rating is stiffness shared across days, carrying 80% over
#: to the next day (it halves in about three days). The simulator's stiff days
#: (``stretchlog.testing.simulate``: AR(1) with phi 0.7, SD 0.7 against rating noise SD
#: 0.6, the pattern of the methods notes, section 8) carry 70%; the reference is set a
#: little more persistent so that somewhat longer spells are covered too. Against 70%
#: it costs under 1 point of power on a year of ratings (measured: 0.878 against 0.883
#: of true trends called right per stretch) and keeps four-month logs at or under 5%
#: false trends (4.0-5.0% against 4.7-5.7%).
STIFF_DAYS: tuple[float, float] = (0.5, 0.8)

#: Longest lag, in days, the Bartlett weights need to cover when the interval is corrected
#: for :data:`STIFF_DAYS` (``fit_trend(..., persistence=...)``): where the reference
#: correlation between days has fallen to 0.5 * 0.8**45 = 0.00002, and the truncation
#: correction above covers what is left. Past a span of 225 days the bandwidth is this
#: many days rather than 20% of the span, which keeps the fixed-b critical value from
#: growing with a memory the errors do not have (3.08 at 20% of a year, 2.65 at 45
#: days). Measured on 300 year-long simulated logs with true changes of 1.2-3 points a
#: year: 82% of them called in the right direction per side and 89% per stretch,
#: against 81% and 87% with 20% of the span; 4.8% (per side) and 5.2% (per stretch) of
#: truly flat ones got a direction. A month (30 days) gained another point of power but
#: raised false trends on series rated daily through weeks-long stiff spells (carry 0.9)
#: from 8.0% to 8.8%; 45 days leaves them as they were.
MEMORY_DAYS = 45


@dataclass(frozen=True)
class TrendFit:
    """A straight-line trend through daily values.

    Attributes
    ----------
    n_days : int
        Days with a value.
    span_days : int
        Days from the first to the last value.
    slope, lo, hi : float
        Change in points per 30 days and its 95% interval (NaN when it cannot be fitted).
    level_end : float
        The line's value on the last day.
    """

    n_days: int
    span_days: int
    slope: float
    lo: float
    hi: float
    level_end: float

    @property
    def enough(self) -> bool:
        """Enough days over a long enough span to call a direction."""
        return bool(
            self.n_days >= MIN_DAYS and self.span_days >= MIN_SPAN_DAYS and np.isfinite(self.slope)
        )

    @property
    def change(self) -> tuple[float, float, float]:
        """The line's change from the first to the last day, in points, with its 95% interval.

        The slope and its interval times the span in 30-day units (NaN when there is
        no slope).

        Examples
        --------
        >>> TrendFit(40, 330, -0.15, -0.25, -0.05, 5.0).change
        (-1.65, -2.75, -0.55)
        """
        k = self.span_days / 30.0
        return (round(self.slope * k, 12), round(self.lo * k, 12), round(self.hi * k, 12))


def shortfall(n_days: int, span_days: int, what: str = "rated") -> str:
    """Why a trend cannot be called yet, and how much more logging it takes.

    Parameters
    ----------
    n_days : int
        Days with a value so far.
    span_days : int
        Days from the first to the last of them.
    what : str
        What happened on those days ("rated", "sessions").

    Examples
    --------
    >>> shortfall(2, 1)
    'rated on 2 days, 1 day apart; a trend needs at least 6 days spread over 3 weeks: 4 more days, the last at least 20 days after the latest'
    >>> shortfall(1, 0, "sessions")
    'sessions on 1 day; a trend needs at least 6 days spread over 3 weeks: 5 more days, the last at least 21 days after the latest'
    >>> shortfall(8, 10)
    'rated on 8 days over 10 days; a trend needs at least 6 days spread over 3 weeks: 11 more days of logging'
    """
    days = plural(n_days, "day")
    if n_days <= 1:
        have = f"{what} on {days}"
    elif n_days == 2:
        have = f"{what} on {days}, {plural(span_days, 'day')} apart"
    else:
        have = f"{what} on {days} over {plural(span_days, 'day')}"
    need = f"a trend needs at least {MIN_DAYS} days spread over {MIN_SPAN_DAYS // 7} weeks"
    more_days = max(MIN_DAYS - n_days, 0)
    more_span = max(MIN_SPAN_DAYS - span_days, 0)
    if more_days and more_span:
        todo = (
            f"{plural(more_days, 'more day')}, the last at least "
            f"{plural(more_span, 'day')} after the latest"
        )
    elif more_days:
        todo = plural(more_days, "more day")
    else:
        todo = f"{plural(more_span, 'more day')} of logging"
    return f"{have}; {need}: {todo}"


@dataclass(frozen=True)
class MeanFit:
    """A mean of daily values with an autocorrelation-robust 95% interval."""

    n_days: int
    mean: float
    lo: float
    hi: float


@lru_cache(maxsize=4096)  # a pure function of small integers; many groups share an n
def critical_value(n: int, *, kind: str = "trend", bandwidth: float = BANDWIDTH) -> float:
    """Two-sided 95% critical value for a fixed-b Bartlett HAC t statistic.

    The fixed-b quantile for ``bandwidth`` (interpolated in a simulated table),
    times ``t_{n-k}(0.975) / z(0.975)`` for small samples (k = 2 for a trend, 1 for
    a mean).

    Examples
    --------
    >>> round(critical_value(10_000), 2)
    3.08
    >>> round(critical_value(20, kind="mean"), 2)
    2.7
    """
    k = 2 if kind == "trend" else 1
    base = float(np.interp(bandwidth, _B, _CV[kind]))
    df = max(n - k, 1)
    return base * float(stats.t.ppf(0.975, df)) / _Z975


def _hac_sum(day: np.ndarray, u: np.ndarray, bandwidth: float) -> float:
    """Bartlett-weighted sum of autocovariances of u placed on the calendar."""
    span = int(day[-1] - day[0]) + 1
    grid = np.zeros(span)
    grid[day - day[0]] = u
    lags = bandwidth * span
    top = min(span - 1, int(np.floor(lags)))
    if top < 1:
        return float(grid @ grid)
    if top < 64:
        gam = np.array([grid[: span - k] @ grid[k:] for k in range(top + 1)])
    else:
        nfft = 1 << int(np.ceil(np.log2(2 * span)))
        f = np.fft.rfft(grid, nfft)
        gam = np.fft.irfft(f * np.conj(f), nfft)[: top + 1]
    w = 1.0 - np.arange(1, top + 1) / (lags + 1.0)
    return float(gam[0] + 2.0 * (w @ gam[1:]))


def _calendar_autocov(day: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Sums of x_i * x_j over pairs of days 0, 1, 2, ... days apart (x placed on the calendar)."""
    span = int(day[-1] - day[0]) + 1
    grid = np.zeros(span)
    grid[day - day[0]] = x
    nfft = 1 << int(np.ceil(np.log2(2 * span)))
    f = np.fft.rfft(grid, nfft)
    return np.fft.irfft(f * np.conj(f), nfft)[:span]


def _persistence_factors(
    day: np.ndarray, tc: np.ndarray, bandwidth: float, persistence: tuple[float, float]
) -> tuple[float, float]:
    """(variance factor >= 1, effective number of days) of the slope under the reference model.

    The variance factor is the slope's variance under the model over its
    Bartlett-weighted version (what the HAC estimates); the effective number of days
    is the number logged over the slope's variance inflation under the model.
    """
    share, carry = persistence
    n = tc.size
    gam = _calendar_autocov(day, tc)
    span = gam.size
    if share <= 0 or carry <= 0 or span < 2:
        return 1.0, float(n)
    lag = np.arange(1, span, dtype=float)
    rho = share * np.exp(lag * np.log(carry))
    lags = bandwidth * span
    w = np.where(lag <= min(span - 1, np.floor(lags)), 1.0 - lag / (lags + 1.0), 0.0)
    full = gam[0] + 2.0 * float(gam[1:] @ rho)
    weighted = gam[0] + 2.0 * float(gam[1:] @ (rho * w))
    factor = max(1.0, full / weighted) if weighted > 0 else 1.0
    n_eff = n * gam[0] / full if full > 0 else float(n)
    return factor, float(min(n_eff, n))


def fit_trend(
    day,
    value,
    *,
    bandwidth: float = BANDWIDTH,
    persistence: tuple[float, float] | None = None,
) -> TrendFit:
    """Fit a straight line to daily values; slope per 30 days with a 95% interval.

    Parameters
    ----------
    day : array of int
        Calendar day numbers (e.g. days since the first day), one per value,
        strictly increasing (aggregate to one value per day first).
    value : array of float
        The day's value (e.g. mean tightness that day); no NaN.
    bandwidth : float
        Bartlett bandwidth as a share of the span (see the module docstring).
    persistence : (float, float), optional
        ``(share, carry)`` of a reference model of stiff days (e.g.
        :data:`STIFF_DAYS`): correct the interval for stiff spells and few days as
        the module docstring describes, with the bandwidth capped at
        :data:`MEMORY_DAYS` days. None (the default): the plain fixed-b interval.

    Returns
    -------
    TrendFit
        NaN slope and interval with fewer than 3 days or a span of 0 days; a zero
        slope and zero-width interval when every value is the same.

    Examples
    --------
    >>> import numpy as np
    >>> day = np.arange(0, 120, 2)                      # every other day for 4 months
    >>> noise = np.random.default_rng(0).normal(0, 0.5, day.size)
    >>> fit = fit_trend(day, 6 - day / 60 + noise)       # truly -0.5 points per 30 days
    >>> round(fit.slope, 2), round(fit.lo, 2), round(fit.hi, 2), fit.enough
    (-0.43, -0.63, -0.23, True)
    >>> wide = fit_trend(day, 6 - day / 60 + noise, persistence=STIFF_DAYS)
    >>> round(wide.lo, 2), round(wide.hi, 2)                # a little wider for stiff spells
    (-0.65, -0.21)
    """
    d = np.asarray(day, dtype=np.int64)
    y = np.asarray(value, dtype=float)
    n = d.size
    span = int(d[-1] - d[0]) if n else 0
    if n < 3 or span <= 0:
        level = float(y.mean()) if n else float("nan")
        return TrendFit(n, span, float("nan"), float("nan"), float("nan"), level)
    t = (d - d[0]).astype(float)
    tc = t - t.mean()
    stt = float(tc @ tc)
    ym = float(y.mean())
    b = float(tc @ (y - ym)) / stt
    resid = y - ym - b * tc
    if persistence is not None:
        bandwidth = min(bandwidth, MEMORY_DAYS / (span + 1.0))
    s = _hac_sum(d, tc * resid, bandwidth) * n / (n - 2)
    se = float(np.sqrt(s)) / stt if s > 0 else 0.0
    if persistence is None:
        cv = critical_value(n, kind="trend", bandwidth=bandwidth)
    else:
        factor, n_eff = _persistence_factors(d, tc, bandwidth, persistence)
        se *= float(np.sqrt(factor))
        base = float(np.interp(bandwidth, _B, _CV["trend"]))
        cv = base * float(stats.t.ppf(0.975, max(n_eff - 3.0, 1.0))) / _Z975
    half = cv * se
    level_end = ym + b * float(tc[-1])
    return TrendFit(n, span, 30.0 * b, 30.0 * (b - half), 30.0 * (b + half), level_end)


def fit_mean(day, value, *, bandwidth: float = BANDWIDTH) -> MeanFit:
    """Mean of daily values with a fixed-b HAC 95% interval (see :func:`fit_trend`).

    Examples
    --------
    >>> import numpy as np
    >>> m = fit_mean(np.arange(30), np.resize([1.0, 2.0, 3.0], 30))
    >>> m.mean, m.lo < 2 < m.hi
    (2.0, True)
    """
    d = np.asarray(day, dtype=np.int64)
    y = np.asarray(value, dtype=float)
    n = d.size
    if n < 2:
        mean = float(y.mean()) if n else float("nan")
        return MeanFit(n, mean, float("nan"), float("nan"))
    m = float(y.mean())
    s = _hac_sum(d, y - m, bandwidth) * n / (n - 1)
    se = float(np.sqrt(s)) / n if s > 0 else 0.0
    half = critical_value(n, kind="mean", bandwidth=bandwidth) * se
    return MeanFit(n, m, m - half, m + half)


def direction(slope: float, lo: float, hi: float, min_rate: float) -> int:
    """+1 rising, -1 falling, 0 flat, by the rule of methods §8.

    A direction is called only when the 95% interval excludes 0 **and** the slope
    is at least ``min_rate`` (points per 30 days) in size: a change too small to
    matter is "flat" even when it is certain.

    Examples
    --------
    >>> direction(-0.5, -0.8, -0.2, 1 / 6), direction(0.05, 0.01, 0.09, 1 / 6), direction(0.4, -0.1, 0.9, 1 / 6)
    (-1, 0, 0)
    """
    if not (np.isfinite(slope) and np.isfinite(lo) and np.isfinite(hi)):
        return 0
    if lo > 0 and slope >= min_rate:
        return 1
    if hi < 0 and slope <= -min_rate:
        return -1
    return 0


def change_call(lo: float, hi: float, min_change: float) -> str:
    """What a 95% interval for a change says: rising, falling, no change that matters, or not sure.

    The rule of the tightness verdicts (``docs/method.md``, "Tightness over weeks
    and months"), for an interval of a change over the span logged (see
    :attr:`TrendFit.change`):

    * ``"rising"`` / ``"falling"`` when the interval leaves out 0 (no change), in
      either direction, whatever its size;
    * ``"no change"`` when it holds 0 and lies wholly inside ``-min_change`` to
      ``+min_change``: the data agree with no change **and** rule out a change of
      ``min_change`` or more (an equivalence rule);
    * ``"not sure"`` otherwise (or when the interval is not finite): it holds both
      no change and a change of ``min_change`` or more.

    Unlike :func:`direction` there is no minimum size for a direction; the size is
    said in words instead.

    Parameters
    ----------
    lo, hi : float
        The 95% interval of the change (same units as ``min_change``).
    min_change : float
        The smallest change that matters, > 0.

    Examples
    --------
    >>> change_call(-2.4, -0.6, 1.0), change_call(0.1, 0.5, 1.0), change_call(-0.7, 0.4, 1.0)
    ('falling', 'rising', 'no change')
    >>> change_call(-1.8, 0.4, 1.0), change_call(float("nan"), float("nan"), 1.0)
    ('not sure', 'not sure')
    """
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return "not sure"
    if lo > 0:
        return "rising"
    if hi < 0:
        return "falling"
    if -min_change < lo and hi < min_change:
        return "no change"
    return "not sure"


def span_words(days: int) -> str:
    """A span of days in plain words: days or weeks under two months, then months, then years.

    Examples
    --------
    >>> span_words(1), span_words(10), span_words(23), span_words(330), span_words(365), span_words(1200)
    ('1 day', '10 days', '3 weeks', '11 months', '12 months', '3.3 years')
    """
    days = int(days)
    if days < 14:
        return plural(days, "day")
    if days < 61:
        return plural(round(days / 7), "week")
    if days < 730:
        return plural(round(days / 30.4375), "month")
    return f"{days / 365.25:.1f} years"


def day_numbers(dates) -> np.ndarray:
    """Whole days since 1970-01-01 for a datetime series or array (int64)."""
    return np.asarray(dates, dtype="datetime64[ns]").astype("datetime64[D]").astype(np.int64)
