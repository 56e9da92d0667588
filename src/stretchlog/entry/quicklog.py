"""The quick form: one stretch bout written as one short string, and back.

A bout is written as the stretch name, then fields separated by colons, then an
optional note after ``#``::

    reclining hip:60x3:left:t7:p5
    hamstring:10x9
    psoas 1:45x2:l:t8:p6>3 # felt it in the front of the hip

The name always comes first (a name the catalog knows, by id, name or alias, or
your own). The fields after it may come in **any order**; each is recognised by
its shape, ignoring case and spaces:

=================  ==========================================  ==================
shape              meaning                                     examples
=================  ==========================================  ==================
``N`` or ``Ns``    hold in seconds (required)                  ``60``, ``45s``, ``7.5``
``Nm``, ``M:SS``   hold in minutes, or minutes and seconds     ``1m``, ``1m30s``, ``1:30``
``NxR``            the hold, times R reps                      ``60x3``, ``30s x 2``, ``1m*3``
``xR``             reps alone (with a separate hold)           ``x3``
side               ``left``, ``right``, ``both`` or l, r, b    ``left``, ``r``
``tN``             tightness 0-10 (how hard it felt)           ``t7``, ``t6.5``
``pN``             pain after this bout, 0-10                  ``p5``
``pA>B``           pain before (A) and after (B) this bout     ``p6>4``
``pA>``            pain before this bout only                  ``p6>``
``# text``         a note, to the end of the string            ``# flexed quads``
=================  ==========================================  ==================

A hold written ``M:SS`` is read in the quick form for one-digit minutes only
(``1:30``; the colon also separates fields): write ``12m30s`` for longer ones.
``custom:`` before the name (``custom:cat cow:30x3``) says the name is a new
stretch of your own; the name is kept without it.

Left out: reps (1), side (both), tightness, pain and note (empty). The pain
before the first bout and after the last one usually come from the session
(``--pain`` and ``--end-pain`` on the command line). A name cannot contain ``:``
or ``#``; a field given twice, a value out of range or a token of no known shape
is an error that names the token and says what was expected.

:func:`format_bout` is the inverse of :func:`parse_bout`: ``parse_bout(format_bout(b)) == b``
for every bout, which is how "repeat the last session" shows a session as text.
Only the standard library and the contract's ranges (:mod:`stretchlog.log.schema`)
are used here.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Iterable

from stretchlog.log.schema import HOLD_MAX_S, PAIN_MAX, PAIN_MIN, SIDES

__all__ = [
    "Bout",
    "Session",
    "QuickFormError",
    "parse_bout",
    "parse_bouts",
    "format_bout",
    "parse_side",
    "parse_hold",
    "split_new_marker",
    "format_number",
    "HOLD_EXAMPLES",
]


class QuickFormError(ValueError):
    """A quick-form string that cannot be read; the message names the token."""


class _HoldError(QuickFormError):
    """A token that starts like a hold but is not one (the bout's text is added by parse_bout)."""

    def __init__(self, token: str):
        super().__init__(f"hold '{token.strip()}': expected {HOLD_EXAMPLES}")
        self.token = token.strip()


@dataclass(frozen=True)
class Bout:
    """One stretch bout as the user logs it (one future row of the log).

    Attributes
    ----------
    stretch : str
        The stretch as typed (matched to the catalog when the log is read).
    hold_s : float
        Seconds of one hold.
    reps : int
        Number of holds (default 1).
    side : str
        ``"left"``, ``"right"`` or ``"both"`` (default).
    tightness, pain_before, pain_after : float or None
        Readings 0-10; None when not taken.
    notes : str or None
        Free text, kept verbatim.
    """

    stretch: str
    hold_s: float
    reps: int = 1
    side: str = "both"
    tightness: float | None = None
    pain_before: float | None = None
    pain_after: float | None = None
    notes: str | None = None

    def without_readings(self) -> "Bout":
        """The same stretch, hold, reps and side with no pain, tightness or note.

        What "repeat the last session" offers: what was done, never what was felt.
        """
        return Bout(self.stretch, self.hold_s, self.reps, self.side)


@dataclass(frozen=True)
class Session:
    """The bouts done in one sitting, with the pain at its start and end.

    ``pain_before`` is the pain just before the first bout and ``pain_after`` the
    pain just after the last one; either may instead be set on that bout itself.
    ``date`` and ``time`` left as None mean "now" when the session is appended
    (a ``date`` given without a ``time`` leaves the time empty).
    """

    bouts: tuple[Bout, ...]
    pain_before: float | None = None
    pain_after: float | None = None
    date: _dt.date | None = None
    time: str | None = None

    def resolved_bouts(self) -> tuple[Bout, ...]:
        """The bouts with the session's start and end pain put on the first and last bout.

        Raises
        ------
        QuickFormError
            If the session's pain disagrees with a reading given on the bout itself.
        """
        bouts = list(self.bouts)
        if not bouts:
            return ()
        if self.pain_before is not None:
            first = bouts[0]
            if first.pain_before is not None and first.pain_before != self.pain_before:
                raise QuickFormError(
                    f"the pain at the start is given twice and differs: {format_number(self.pain_before)} "
                    f"for the session and {format_number(first.pain_before)} on its first bout "
                    f"({first.stretch}); give it once"
                )
            bouts[0] = replace(first, pain_before=float(self.pain_before))
        if self.pain_after is not None:
            last = bouts[-1]
            if last.pain_after is not None and last.pain_after != self.pain_after:
                raise QuickFormError(
                    f"the pain at the end is given twice and differs: {format_number(self.pain_after)} "
                    f"for the session and {format_number(last.pain_after)} after its last bout "
                    f"({last.stretch}); give it once"
                )
            bouts[-1] = replace(last, pain_after=float(self.pain_after))
        return tuple(bouts)


# --------------------------------------------------------------------------- numbers

_NUM = r"(?:\d+(?:\.\d*)?|\.\d+)"
_SECS = r"(?:s|sec|secs|second|seconds)"
_MINS = r"(?:m|min|mins|minute|minutes)"
#: A hold: seconds (45, 45s, 7.5), minutes (1m, 1.5min), minutes and seconds (1m30s, 1m30, 1:30).
_HOLD_SECONDS = re.compile(rf"^(?P<s>{_NUM}){_SECS}?$")
_HOLD_MINUTES = re.compile(rf"^(?P<m>{_NUM}){_MINS}$")
_HOLD_MIN_SEC = re.compile(rf"^(?P<m>\d+)(?:{_MINS}|:)(?P<s>{_NUM}){_SECS}?$")
#: A token that means a hold (it starts with a digit), with optional reps: "60x3", "1m30s x 2".
_HOLD = re.compile(r"^(?P<hold>[\d.][^x*×]*?)(?:[x*×](?P<reps>\d+))?$")
_HOLD_START = re.compile(r"^[\d.]")
#: What a hold looks like, for messages.
HOLD_EXAMPLES = "seconds such as 45, 90s, 1m or 1:30"
_REPS = re.compile(r"^[x*×]\s*(?P<reps>\d+)$")
_TIGHT = re.compile(rf"^t\s*(?P<t>{_NUM})$")
_PAIN = re.compile(rf"^p\s*(?:(?P<before>{_NUM})?\s*(?P<arrow>>)\s*(?P<after1>{_NUM})?|(?P<after>{_NUM}))$")

_SIDE_WORDS = {
    "left": "left", "l": "left", "lt": "left",
    "right": "right", "r": "right", "rt": "right",
    "both": "both", "b": "both",
}

_EXPECTED_FIELD = (
    "a hold like 60, 90s, 1m or 1m30s (60x3 for hold x reps), x3 for reps, a side (left, right, both "
    "or l, r, b), t7 for tightness, p5 for the pain after (p6>4 for before and after), "
    "or '# note' at the end"
)


def format_number(value: float | int) -> str:
    """A number as the log writes it: whole numbers without a decimal point, no exponent.

    Examples
    --------
    >>> format_number(60.0), format_number(7.5), format_number(3)
    ('60', '7.5', '3')
    """
    v = float(value)
    if math.isfinite(v) and v == math.floor(v) and abs(v) < 1e15:
        return str(int(v))
    return format(Decimal(repr(v)), "f")


def parse_side(text: str) -> str | None:
    """``left``/``right``/``both`` for a side word (l, r, b, lt, rt too), else None.

    Examples
    --------
    >>> parse_side("L"), parse_side("both"), parse_side("up")
    ('left', 'both', None)
    """
    return _SIDE_WORDS.get(text.strip().lower())


def parse_hold(text: str) -> float:
    """The seconds of a hold written as seconds, minutes, or minutes and seconds.

    Accepted: plain seconds (``45``, ``7.5``, ``45s``, ``45 sec``), minutes
    (``1m``, ``1.5 min``), and minutes with seconds (``1m30s``, ``1m30``, ``1:30``;
    the seconds part is below 60). Case and spaces are ignored. The range
    (more than 0, at most an hour) is checked by the caller.

    Parameters
    ----------
    text : str
        The hold as typed.

    Returns
    -------
    float
        Seconds.

    Raises
    ------
    ValueError
        For any other text (the message says what a hold looks like).

    Examples
    --------
    >>> parse_hold("45"), parse_hold("90s"), parse_hold("1m"), parse_hold("1:30"), parse_hold("1m30s")
    (45.0, 90.0, 60.0, 90.0, 90.0)
    """
    t = re.sub(r"\s+", "", str(text).lower())
    if m := _HOLD_SECONDS.match(t):
        return float(Decimal(m["s"]))
    if m := _HOLD_MINUTES.match(t):
        return float(Decimal(m["m"]) * 60)
    if (m := _HOLD_MIN_SEC.match(t)) and Decimal(m["s"]) < 60:
        return float(Decimal(m["m"]) * 60 + Decimal(m["s"]))
    raise ValueError(f"hold '{str(text).strip()}': expected {HOLD_EXAMPLES}")


def _check_range(token: str, what: str, value: float, lo: float, hi: float, *, low_open: bool = False) -> float:
    bad = value <= lo if low_open else value < lo
    if bad or value > hi:
        low = f"> {format_number(lo)}" if low_open else f"from {format_number(lo)}"
        high = f"<= {format_number(hi)}" if low_open else f"to {format_number(hi)}"
        raise QuickFormError(f"token '{token}': {what} must be {low} {'and ' if low_open else ''}{high}")
    return value


def _field_of(token: str) -> tuple[str, dict] | None:
    """Which field a token is (by shape) and its values, or None for no known shape."""
    t = re.sub(r"\s+", " ", token.strip().lower())
    compact = t.replace(" ", "")
    if (side := parse_side(t)) is not None:
        return "side", {"side": side}
    if (m := _HOLD.match(compact)) is not None or _HOLD_START.match(compact):
        try:
            seconds = parse_hold(m["hold"]) if m is not None else None
        except ValueError:
            seconds = None
        if seconds is None:
            raise _HoldError(token)
        out = {"hold_s": _check_range(token, "the hold (seconds)", seconds, 0, HOLD_MAX_S, low_open=True)}
        if m["reps"] is not None:
            out["reps"] = _reps(token, m["reps"])
        return "hold", out
    if m := _REPS.match(compact):
        return "reps", {"reps": _reps(token, m["reps"])}
    if m := _TIGHT.match(compact):
        return "tightness", {"tightness": _check_range(token, "tightness", float(m["t"]), PAIN_MIN, PAIN_MAX)}
    if m := _PAIN.match(compact):
        out: dict = {}
        after = m["after"] if m["after"] is not None else m["after1"]
        if m["before"] is not None:
            out["pain_before"] = _check_range(token, "pain", float(m["before"]), PAIN_MIN, PAIN_MAX)
        if after is not None:
            out["pain_after"] = _check_range(token, "pain", float(after), PAIN_MIN, PAIN_MAX)
        if not out:
            return None
        return "pain", out
    return None


def _looks_like_field(text: str) -> bool:
    try:
        return _field_of(text) is not None
    except _HoldError:
        return False  # starts with a digit but is no hold: a name like "90 90 hip stretch"
    except QuickFormError:
        return True


def _reps(token: str, text: str) -> int:
    reps = int(text)
    if reps < 1:
        raise QuickFormError(f"token '{token}': reps must be a whole number >= 1")
    return reps


# --------------------------------------------------------------------------- parse / format


def parse_bout(text: str) -> Bout:
    """Read one bout in the quick form (see the module notes for the syntax).

    Raises
    ------
    QuickFormError
        Naming the token that could not be read and what was expected.

    Examples
    --------
    >>> parse_bout("reclining hip:60x3:left:t7:p5")
    Bout(stretch='reclining hip', hold_s=60.0, reps=3, side='left', tightness=7.0, pain_before=None, pain_after=5.0, notes=None)
    >>> parse_bout("hamstring : p4 : 10x9 : B # flexed quads").notes
    'flexed quads'
    """
    if not isinstance(text, str):
        raise QuickFormError(f"a bout in the quick form is text like 'hamstring:10x9', got {text!r}")
    if "\n" in text or "\r" in text:
        raise QuickFormError(f"'{text.strip()}': a bout is one line (no line breaks)")
    body, hash_, note = text.partition("#")
    notes = note.strip() if hash_ else None
    tokens = _join_minutes([t.strip() for t in body.split(":")])
    if len(tokens) >= 2 and _is_new_marker(tokens[0]) and tokens[1] and not _looks_like_field(tokens[1]):
        tokens = tokens[1:]  # "custom:NAME:..." - a new stretch of your own, said on purpose
    name = tokens[0]
    where = f"in '{text.strip()}': "
    if not name:
        raise QuickFormError(where + "the stretch name comes first, e.g. 'hamstring:10x9'")
    if _looks_like_field(name):
        raise QuickFormError(
            where + f"'{name}' looks like a field, but the stretch name comes first, e.g. 'hamstring:{name}'"
        )
    values: dict = {}
    seen: dict[str, str] = {}
    for token in tokens[1:]:
        if token == "":
            continue
        try:
            found = _field_of(token)
        except _HoldError as exc:
            raise QuickFormError(
                f"hold '{exc.token}' in '{text.strip()}': expected {HOLD_EXAMPLES} "
                "(add x and the reps for several: 60x3)"
            ) from None
        except QuickFormError as exc:
            raise QuickFormError(where + str(exc)) from None
        if found is None:
            raise QuickFormError(where + f"token '{token}' is not a field: expected {_EXPECTED_FIELD}")
        kind, vals = found
        for key in vals:
            if key in values:
                first = seen[key]
                raise QuickFormError(
                    where + f"token '{token}' gives the {key.replace('_s', '').replace('_', ' ')} a second time "
                    f"(already '{first}'); give each field once"
                )
            seen[key] = token
        values.update(vals)
    if "hold_s" not in values:
        raise QuickFormError(
            where + f"a hold in seconds is needed, e.g. '{name}:30' or '{name}:30x2' (30 s, 2 reps)"
        )
    return Bout(
        stretch=name,
        hold_s=values["hold_s"],
        reps=values.get("reps", 1),
        side=values.get("side", "both"),
        tightness=values.get("tightness"),
        pain_before=values.get("pain_before"),
        pain_after=values.get("pain_after"),
        notes=notes or None,
    )


_MIN_SEC_TAIL = re.compile(r"^[0-5]\d(?:\.\d*)?\s*(?:s|sec|secs)?\s*(?:[x*×]\s*\d+)?$", re.IGNORECASE)


def _join_minutes(tokens: list[str]) -> list[str]:
    """Join a hold written ``1:30`` back together (the quick form splits fields at ``:``).

    Two holds in a row are an error anyway, so one digit followed by two digits
    (``1`` then ``30`` or ``30x2``) can only mean minutes and seconds. Longer
    holds are written ``12m30s``: ``30:45`` stays an error rather than 30 minutes.
    """
    out: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if 0 < i and i + 1 < len(tokens) and re.fullmatch(r"\d", tok) and _MIN_SEC_TAIL.match(tokens[i + 1]):
            out.append(f"{tok}:{tokens[i + 1]}")
            i += 2
            continue
        out.append(tok)
        i += 1
    return out


def _is_new_marker(text: str) -> bool:
    """True for the word that marks a new stretch of your own: ``custom`` (any case).

    Examples
    --------
    >>> _is_new_marker("Custom"), _is_new_marker("pigeon")
    (True, False)
    """
    return str(text).strip().lower() == "custom"


def split_new_marker(text: str) -> tuple[str, bool]:
    """A quick-form bout without its ``custom:`` mark, and whether it had one.

    ``custom:cat cow:30x3`` says "cat cow is a new stretch of my own, log it as
    that": the name written to the log is ``cat cow``.

    Examples
    --------
    >>> split_new_marker("custom:cat cow:30x3")
    ('cat cow:30x3', True)
    >>> split_new_marker("pigeon:45")
    ('pigeon:45', False)
    """
    head, colon, rest = str(text).partition(":")
    name = rest.partition(":")[0].partition("#")[0].strip()
    if colon and _is_new_marker(head) and name and not _looks_like_field(name):
        return rest.lstrip(), True
    return text, False


def format_bout(bout: Bout, *, readings: bool = True) -> str:
    """Write a bout in the quick form (the inverse of :func:`parse_bout`).

    Parameters
    ----------
    bout : Bout
    readings : bool
        With False, leave out tightness, pain and note: the stretch as it was done,
        as a template for a new session.

    Raises
    ------
    QuickFormError
        If the stretch name has a ``:``, ``#`` or line break (the quick form cannot hold it).

    Examples
    --------
    >>> format_bout(Bout("reclining hip", 60, 3, "left", tightness=7, pain_after=5))
    'reclining hip:60x3:left:t7:p5'
    >>> format_bout(Bout("psoas 1", 45, 2, "left", 8, 6, 3, "front of hip"), readings=False)
    'psoas 1:45x2:left'
    """
    name = bout.stretch.strip()
    if not name or any(c in name for c in ":#\r\n"):
        raise QuickFormError(f"the stretch name {bout.stretch!r} cannot be written in the quick form (no ':', '#' or line breaks)")
    parts = [name]
    hold = format_number(bout.hold_s)
    parts.append(hold if bout.reps == 1 else f"{hold}x{int(bout.reps)}")
    side = bout.side or "both"
    if side not in SIDES:
        raise QuickFormError(f"side {side!r}: expected one of {', '.join(SIDES)}")
    if side != "both":
        parts.append(side)
    if readings:
        if bout.tightness is not None:
            parts.append("t" + format_number(bout.tightness))
        if bout.pain_before is not None:
            after = "" if bout.pain_after is None else format_number(bout.pain_after)
            parts.append(f"p{format_number(bout.pain_before)}>{after}")
        elif bout.pain_after is not None:
            parts.append("p" + format_number(bout.pain_after))
    text = ":".join(parts)
    if readings and bout.notes:
        if "\n" in bout.notes or "\r" in bout.notes:
            raise QuickFormError("a note with line breaks cannot be written in the quick form")
        text += " # " + bout.notes.strip()
    return text


def parse_bouts(texts: Iterable[str]) -> tuple[Bout, ...]:
    """Read several quick-form bouts, reporting every bad one at once.

    Raises
    ------
    QuickFormError
        One line per bad bout, numbered from 1.
    """
    out, errors = [], []
    for i, text in enumerate(texts, start=1):
        try:
            out.append(parse_bout(text))
        except QuickFormError as exc:
            errors.append(f"bout {i}: {exc}")
    if errors:
        raise QuickFormError("\n".join(errors))
    return tuple(out)

