"""Numbers and counts in plain words, the same on every surface.

The terminal, the HTML report, the routine and the charts all say numbers the
same way through these helpers: a relief with its sign, a probability that never
claims certainty, a day, "1 day" but "2 days", a share of sessions. They are the
bottom layer of the package: plain Python, no pandas or numpy at import (the
command line imports them before anything heavy), and no other stretchlog module.

>>> signed(-0.04), number(float("nan")), chance(0.996), plural(2, "day")
('+0.0', '', '>99%', '2 days')
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from datetime import date, timedelta

__all__ = [
    "MINUS",
    "chance",
    "iso_day",
    "joined",
    "number",
    "plural",
    "points",
    "share_of",
    "signed",
    "signed_label",
]

#: The true minus sign (U+2212) of chart labels.
MINUS = "\u2212"

_EPOCH = date(1970, 1, 1)


def _float(value: object) -> float | None:
    """``value`` as a float, or None when it is missing (None, NaN) or not a number."""
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) else v


def signed(value: float, digits: int = 1) -> str:
    """A number with its sign, for text: zero keeps its plus sign, never ``-0.0``.

    Examples
    --------
    >>> signed(-0.04), signed(0.26), signed(-1.234, 2)
    ('+0.0', '+0.3', '-1.23')
    """
    r = round(float(value), digits) + 0.0
    return f"{r:+.{digits}f}"


def signed_label(value: float | None, digits: int = 1) -> str:
    """A number with its sign, for charts: a true minus sign (:data:`MINUS`), zero
    without a sign, and ``n/a`` for a missing or infinite value.

    Examples
    --------
    >>> signed_label(1.25), signed_label(-0.04), signed_label(None)
    ('+1.2', '0.0', 'n/a')
    >>> signed_label(-1.25) == MINUS + "1.2"
    True
    """
    if value is None or not math.isfinite(value):
        return "n/a"
    text = f"{value:+.{digits}f}"
    if float(text) == 0:
        text = f"{0:.{digits}f}"
    return text.replace("-", MINUS)


def number(
    value: object, digits: int = 1, signed: bool = False, missing: str = "", *, bare_zero: bool = False
) -> str:
    """A number for a table cell: ``missing`` when there is none.

    Parameters
    ----------
    value : object
        Anything ``float()`` takes; None, NaN and what is not a number give ``missing``.
    digits : int
        Digits after the point.
    signed : bool
        Always show the sign (``+0.25``).
    missing : str
        The text for a missing value.
    bare_zero : bool
        A value that rounds to zero shows as a bare ``0.0``, never ``-0.0`` or
        ``+0.0`` (the ``effects`` command's tables).

    Examples
    --------
    >>> number(1.234), number(0.25, 2, signed=True), number(None), number(float("nan"), missing="-")
    ('1.2', '+0.25', '', '-')
    >>> number(-0.04), number(-0.04, bare_zero=True), number(0.02, signed=True, bare_zero=True)
    ('-0.0', '0.0', '0.0')
    """
    v = _float(value)
    if v is None:
        return missing
    text = f"{v:+.{digits}f}" if signed else f"{v:.{digits}f}"
    if bare_zero and float(text) == 0:
        text = f"{0:.{digits}f}"
    return text


def chance(p: object) -> str:
    """A probability as a percentage that never claims certainty.

    Examples
    --------
    >>> chance(0.996), chance(0.004), chance(0.847), chance(None)
    ('>99%', '<1%', '85%', '')
    """
    v = _float(p)
    if v is None:
        return ""
    if v > 0.99:
        return ">99%"
    if v < 0.01:
        return "<1%"
    return f"{100 * v:.0f}%"


def points(value: float) -> str:
    """The size of a change in points of the 0-10 scale, without its sign.

    Examples
    --------
    >>> points(-1.04), points(2.5), points(0.96)
    ('1.0 point', '2.5 points', '1.0 point')
    """
    size = abs(value)
    return f"{size:.1f} point" + ("" if round(size, 1) == 1 else "s")


def plural(n: object, word: str, plural_form: str | None = None) -> str:
    """A count and its word: ``1 day``, ``2 days``.

    Parameters
    ----------
    n : int
        The count, shown as it is.
    word : str
        The singular (it may have words before the noun: ``"more day"``).
    plural_form : str, optional
        The plural when it is not ``word + "s"``.

    Examples
    --------
    >>> plural(1, "day"), plural(0, "day"), plural(3, "more session"), plural(2, "stretch", "stretches")
    ('1 day', '0 days', '3 more sessions', '2 stretches')
    """
    if n == 1:
        return f"{n} {word}"
    return f"{n} {plural_form if plural_form is not None else word + 's'}"


def share_of(share: float, n: int, word: str = "session") -> str:
    """A share of ``n`` things in words: a count below 10, a percentage from 10 on.

    Examples
    --------
    >>> share_of(1.0, 2), share_of(0.5714, 105)
    ('2 of 2 sessions', '57% of 105 sessions')
    """
    if n < 10:
        return f"{round(share * n)} of {plural(n, word)}"
    return f"{share:.0%} of {plural(n, word)}"


def iso_day(day: object) -> str:
    """A day as ``YYYY-MM-DD``, from a day number (days since 1970-01-01) or a timestamp.

    Examples
    --------
    >>> iso_day(20454), iso_day("2026-01-01 21:30")
    ('2026-01-01', '2026-01-01')
    """
    if isinstance(day, numbers.Real):
        return (_EPOCH + timedelta(days=int(day))).isoformat()
    import pandas as pd

    return str(pd.Timestamp(day).date())


def joined(items: Sequence[str]) -> str:
    """Names in a sentence: ``a``, ``a and b``, ``a, b and c``.

    Examples
    --------
    >>> joined(["pigeon"]), joined(["pigeon", "cobra", "twist"])
    ('pigeon', 'pigeon, cobra and twist')
    """
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
