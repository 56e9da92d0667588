"""The plan of a self-experiment: its two options, its schedule and its CSV file.

Three kinds of question (:data:`KINDS`):

* ``compare`` - which of two stretches gives more relief (do one, not the other);
* ``dose`` - which of two doses (hold x reps) of one stretch gives more relief;
* ``order`` - whether doing stretch X before stretch Y gives more relief than Y before X.

Three designs (:data:`DESIGNS`), each drawn from a seeded random generator:

* ``pairs`` (default) - each pair of planned days holds both options, in random
  order (AB or BA): the two options never drift apart in time, as in an ABBA design;
* ``weeks`` - a whole week does one option; each pair of weeks holds both options in
  random order (for options whose effect may carry over to the next day);
* ``free`` - a coin for each day, but never more than ``max_run`` days in a row of
  the same option.

The plan is a plain CSV beside the log (``LOG.plan.csv``): one row per planned day,
with the date, the option and what to do, and the plan's definition repeated on
every row, so the file reads on its own in a spreadsheet.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from stretchlog.log.errors import LogError, Problem

__all__ = [
    "DESIGNS",
    "KINDS",
    "PLAN_COLUMNS",
    "Option",
    "Plan",
    "PlanError",
    "draw_many",
    "draw_schedule",
    "make_plan",
    "parse_dose",
    "plan_path",
    "read_plan",
    "write_plan",
]

#: The questions a plan can ask.
KINDS: tuple[str, ...] = ("compare", "dose", "order")
#: The designs a schedule can be drawn from.
DESIGNS: tuple[str, ...] = ("pairs", "weeks", "free")
#: Longest run of one option in the ``free`` design unless told otherwise.
MAX_RUN = 3

#: Columns of the plan CSV, in order.
PLAN_COLUMNS: tuple[str, ...] = (
    "date",
    "week",
    "block",
    "option",
    "do",
    "kind",
    "design",
    "seed",
    "stretch_id",
    "stretch",
    "hold_s",
    "reps",
    "then_id",
    "then",
)

_DOSE = re.compile(r"^\s*(?P<name>.+?)\s*:\s*(?P<hold>\d+)\s*(?:s)?\s*[x×*]\s*(?P<reps>\d+)\s*$", re.I)


class PlanError(LogError):
    """A plan that cannot be made, or a plan file that breaks its format.

    Carries :class:`~stretchlog.log.errors.Problem` rows like a bad log: the row as a
    spreadsheet shows it, the column, the value and what was expected.
    """


@dataclass(frozen=True)
class Option:
    """One arm of a self-experiment.

    Attributes
    ----------
    label : str
        ``"A"`` or ``"B"``.
    stretch_id, name : str
        The stretch (``order``: the one done first) - its canonical id and the name shown.
    hold_s, reps : int or None
        The dose (``dose`` plans only).
    then_id, then_name : str or None
        The stretch done second (``order`` plans only).

    Examples
    --------
    >>> Option("A", "pigeon-pose", "Pigeon pose", 30, 2).what
    'Pigeon pose, 30 s x 2'
    """

    label: str
    stretch_id: str
    name: str
    hold_s: int | None = None
    reps: int | None = None
    then_id: str | None = None
    then_name: str | None = None

    @property
    def what(self) -> str:
        """The option in a few words."""
        if self.then_id is not None:
            return f"{self.name} first, then {self.then_name}"
        if self.hold_s is not None:
            return f"{self.name}, {self.hold_s} s x {self.reps}"
        return self.name


@dataclass(frozen=True)
class Plan:
    """A drawn self-experiment: what is compared, how, and the schedule.

    Attributes
    ----------
    kind : str
        One of :data:`KINDS`.
    a, b : Option
        The two options.
    design : str
        One of :data:`DESIGNS`.
    seed : int
        The seed the schedule was drawn with (the same seed draws the same schedule).
    schedule : DataFrame
        One row per planned day: ``date`` (datetime64), ``week``, ``block``, ``option``
        (``"A"``/``"B"``), ``do`` (what to do, in words).
    max_run : int
        Longest run of one option (``free`` design).
    source : str
        Where the plan was read from (``""`` for a new plan).
    """

    kind: str
    a: Option
    b: Option
    design: str
    seed: int
    schedule: pd.DataFrame = field(repr=False)
    max_run: int = MAX_RUN
    source: str = ""

    @property
    def start(self) -> date:
        return self.schedule["date"].iloc[0].date()

    @property
    def end(self) -> date:
        return self.schedule["date"].iloc[-1].date()

    @property
    def n_days(self) -> int:
        return len(self.schedule)

    @property
    def weeks(self) -> int:
        return int(self.schedule["week"].max())

    def option(self, label: str) -> Option:
        return self.a if label == "A" else self.b

    @property
    def question(self) -> str:
        """The plan's question in words.

        Examples
        --------
        >>> p = make_plan("compare", Option("A", "a", "Pigeon pose"), Option("B", "b", "Side bend"),
        ...               start=date(2026, 12, 7), weeks=2, seed=1)
        >>> p.question
        'Which gives you more relief: Pigeon pose or Side bend?'
        """
        if self.kind == "order":
            return (
                f"Does {self.a.name} before {self.a.then_name} give you more relief than the other "
                "way round?"
            )
        if self.kind == "dose":
            return (
                f"Which dose of {self.a.name} gives you more relief: {self.a.hold_s} s x "
                f"{self.a.reps} or {self.b.hold_s} s x {self.b.reps}?"
            )
        return f"Which gives you more relief: {self.a.name} or {self.b.name}?"

    def design_words(self) -> str:
        """The design in one sentence."""
        if self.design == "weeks":
            return "each week does one option; each pair of weeks holds both, in random order"
        if self.design == "free":
            return (
                f"a coin for each day, never more than {self.max_run} days in a row of one option"
            )
        return "each pair of planned days holds both options, in random order"

    def redraw(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """``n`` fresh schedules from the same design: an (n, days) array, 1 = option A."""
        return draw_many(
            self.design, self.schedule["date"], n, rng,
            weeks=self.schedule["week"].to_numpy(), max_run=self.max_run,
        )


def _do_text(kind: str, mine: Option, other: Option) -> str:
    if kind == "compare":
        return f"{mine.name} (not {other.name})"
    if kind == "dose":
        return f"{mine.name}: hold {mine.hold_s} s, {mine.reps} times"
    return f"{mine.name} first, then {mine.then_name}"


def parse_dose(text: str) -> tuple[str, int, int]:
    """Split a dose option ``"name:HOLDxREPS"`` into its parts.

    Examples
    --------
    >>> parse_dose("reclining hip:30x2")
    ('reclining hip', 30, 2)
    >>> parse_dose("Pigeon pose : 60s x 3")
    ('Pigeon pose', 60, 3)
    """
    m = _DOSE.match(str(text))
    if not m or int(m["hold"]) <= 0 or int(m["reps"]) <= 0:
        raise ValueError(
            f"{text!r}: expected a stretch, a colon and a dose as hold seconds x reps, "
            "for example \"reclining hip:30x2\""
        )
    return m["name"], int(m["hold"]), int(m["reps"])


# --------------------------------------------------------------------------- schedules


def _weeks_of(dates: pd.Series | list, start: date) -> np.ndarray:
    d = pd.to_datetime(pd.Series(list(dates))).dt.normalize()
    return ((d - pd.Timestamp(start)).dt.days.to_numpy() // 7).astype(int)


def draw_many(
    design: str,
    dates,
    n: int,
    rng: np.random.Generator,
    *,
    start: date | None = None,
    weeks: np.ndarray | None = None,
    max_run: int = MAX_RUN,
) -> np.ndarray:
    """``n`` schedules drawn from ``design`` over the planned ``dates``: (n, days), 1 = A.

    Parameters
    ----------
    design : str
        One of :data:`DESIGNS`.
    dates : sequence of dates
        The planned days, in order.
    n : int
        How many schedules.
    rng : numpy.random.Generator
        The random source.
    start : date, optional
        First day of week 1 (default: the first date).
    weeks : array of int, optional
        The week of each date (default: counted from ``start``).
    max_run : int
        Longest run of one option (``free``).

    Examples
    --------
    >>> days = pd.date_range("2026-12-07", periods=6)
    >>> z = draw_many("pairs", days, 3, np.random.default_rng(0))
    >>> z.shape, (z[:, 0::2] + z[:, 1::2] == 1).all()
    ((3, 6), np.True_)
    """
    dates = list(pd.to_datetime(pd.Series(list(dates))))
    m = len(dates)
    if design not in DESIGNS:
        raise ValueError(f"design {design!r}: expected one of {', '.join(DESIGNS)}")
    if m == 0:
        return np.zeros((n, 0), dtype=np.int8)
    if design == "pairs":
        blocks = np.arange(m) // 2
        first_a = rng.integers(0, 2, size=(n, blocks.max() + 1))
        pos = np.arange(m) % 2
        z = np.where(pos == 0, first_a[:, blocks], 1 - first_a[:, blocks])
        if m % 2:  # the last day is a block of its own: a fair coin
            z[:, -1] = rng.integers(0, 2, size=n)
        return z.astype(np.int8)
    if design == "weeks":
        if weeks is None:
            weeks = _weeks_of(dates, start or dates[0].date())
        weeks = np.asarray(weeks)
        uniq = np.unique(weeks)
        rank = np.searchsorted(uniq, weeks)
        pair, pos = rank // 2, rank % 2
        first_a = rng.integers(0, 2, size=(n, pair.max() + 1))
        z = np.where(pos == 0, first_a[:, pair], 1 - first_a[:, pair])
        if len(uniq) % 2:
            lone = rank == len(uniq) - 1
            z[:, lone] = rng.integers(0, 2, size=(n, 1))
        return z.astype(np.int8)
    # free: a coin per day, a run of max_run forces the other option
    z = np.zeros((n, m), dtype=np.int8)
    run = np.zeros(n, dtype=int)
    for j in range(m):
        coin = rng.integers(0, 2, size=n).astype(np.int8)
        if j:
            forced = run >= max_run
            coin = np.where(forced, 1 - z[:, j - 1], coin)
            run = np.where(coin == z[:, j - 1], run + 1, 1)
        else:
            run[:] = 1
        z[:, j] = coin
    return z


def draw_schedule(
    design: str,
    dates,
    seed: int,
    *,
    start: date | None = None,
    max_run: int = MAX_RUN,
) -> pd.DataFrame:
    """One seeded schedule: ``date``, ``week``, ``block``, ``option`` per planned day.

    Examples
    --------
    >>> s = draw_schedule("pairs", pd.date_range("2026-12-07", periods=4), seed=3)
    >>> s["option"].tolist().count("A")
    2
    """
    dates = pd.to_datetime(pd.Series(list(dates))).dt.normalize()
    first = start or dates.iloc[0].date()
    z = draw_many(design, dates, 1, np.random.default_rng(seed), start=first, max_run=max_run)[0]
    week = _weeks_of(dates, first) + 1
    if design == "pairs":
        block = np.arange(len(dates)) // 2 + 1
    elif design == "weeks":
        rank = np.searchsorted(np.unique(week), week)
        block = rank // 2 + 1
    else:
        block = np.arange(len(dates)) + 1
    return pd.DataFrame(
        {
            "date": dates.to_numpy(),
            "week": week.astype(int),
            "block": block.astype(int),
            "option": np.where(z == 1, "A", "B"),
        }
    )


def planned_dates(start: date, weeks: int, weekdays: tuple[int, ...] | None = None) -> list[date]:
    """The planned days: ``weeks`` weeks from ``start``, on ``weekdays`` (0 = Monday; all by default).

    Examples
    --------
    >>> planned_dates(date(2026, 12, 7), 1, (0, 2, 4))
    [datetime.date(2026, 12, 7), datetime.date(2026, 12, 9), datetime.date(2026, 12, 11)]
    """
    days = [start + timedelta(days=i) for i in range(7 * weeks)]
    if weekdays:
        days = [d for d in days if d.weekday() in set(weekdays)]
    return days


def make_plan(
    kind: str,
    a: Option,
    b: Option,
    *,
    start: date,
    weeks: int,
    weekdays: tuple[int, ...] | None = None,
    design: str = "pairs",
    seed: int = 0,
    max_run: int = MAX_RUN,
) -> Plan:
    """Draw a plan: ``weeks`` weeks from ``start`` on ``weekdays``, options from ``design``.

    Parameters
    ----------
    kind : str
        One of :data:`KINDS`.
    a, b : Option
        The options (labels ``"A"`` and ``"B"``).
    start : date
        The first day.
    weeks : int
        Length in weeks (at least 1).
    weekdays : tuple of int, optional
        Days of the week to plan (0 = Monday); every day by default.
    design : str
        One of :data:`DESIGNS`.
    seed : int
        Seed of the draw.
    max_run : int
        Longest run of one option (``free`` design; at least 1).

    Raises
    ------
    PlanError
        For an unknown kind or design, equal options, or fewer than 4 planned days.

    Examples
    --------
    >>> p = make_plan("dose", Option("A", "x", "Pigeon pose", 30, 2), Option("B", "x", "Pigeon pose", 60, 3),
    ...               start=date(2026, 12, 7), weeks=2, seed=5)
    >>> p.n_days, sorted(p.schedule["option"].value_counts().tolist())
    (14, [7, 7])
    >>> p.schedule["do"].iloc[0].startswith("Pigeon pose: hold")
    True
    """
    problems = []
    if kind not in KINDS:
        problems.append(Problem(None, "kind", kind, f"one of {', '.join(KINDS)}"))
    if design not in DESIGNS:
        problems.append(Problem(None, "design", design, f"one of {', '.join(DESIGNS)}"))
    if (a.stretch_id, a.hold_s, a.reps, a.then_id) == (b.stretch_id, b.hold_s, b.reps, b.then_id):
        problems.append(
            Problem(None, "options", a.what, "two different options: a plan of one option answers nothing")
        )
    if max_run < 1:
        problems.append(Problem(None, "max_run", str(max_run), "at least 1"))
    dates = planned_dates(start, max(int(weeks), 0), weekdays)
    if len(dates) < 4:
        problems.append(
            Problem(
                None,
                "weeks",
                str(weeks),
                f"enough weeks for at least 4 planned days (got {len(dates)}): two of each option "
                "is the least that gives any comparison",
            )
        )
    if problems:
        raise PlanError(problems, source="plan")
    sched = draw_schedule(design, dates, int(seed), start=start, max_run=max_run)
    sched["do"] = [
        _do_text(kind, a if o == "A" else b, b if o == "A" else a) for o in sched["option"]
    ]
    return Plan(kind, a, b, design, int(seed), sched, max_run=max_run)


# --------------------------------------------------------------------------- the CSV file


def plan_path(log_path: str | os.PathLike) -> Path:
    """Where a log's plan lives: beside it, ``NAME.plan.csv``.

    Examples
    --------
    >>> plan_path("data/my-log.csv").as_posix()
    'data/my-log.plan.csv'
    """
    p = Path(log_path)
    return p.with_name(p.stem + ".plan.csv")


def plan_frame(plan: Plan) -> pd.DataFrame:
    """The plan as the rows of its CSV file (:data:`PLAN_COLUMNS`)."""
    s = plan.schedule
    opt = [plan.option(o) for o in s["option"]]
    design = plan.design if plan.design != "free" else f"free:{plan.max_run}"
    return pd.DataFrame(
        {
            "date": pd.to_datetime(s["date"]).dt.strftime("%Y-%m-%d"),
            "week": s["week"].astype(int),
            "block": s["block"].astype(int),
            "option": s["option"],
            "do": s["do"],
            "kind": plan.kind,
            "design": design,
            "seed": plan.seed,
            "stretch_id": [o.stretch_id for o in opt],
            "stretch": [o.name for o in opt],
            "hold_s": [o.hold_s if o.hold_s is not None else "" for o in opt],
            "reps": [o.reps if o.reps is not None else "" for o in opt],
            "then_id": [o.then_id or "" for o in opt],
            "then": [o.then_name or "" for o in opt],
        },
        columns=list(PLAN_COLUMNS),
    )


def write_plan(plan: Plan, path: str | os.PathLike, *, replace: bool = False) -> Path:
    """Write the plan CSV atomically (a temporary file, then renamed into place).

    Raises
    ------
    FileExistsError
        If ``path`` exists and ``replace`` is false.
    """
    path = Path(path)
    if path.exists() and not replace:
        raise FileExistsError(str(path))
    text = plan_frame(plan).to_csv(index=False, lineterminator="\n")
    fd, tmp = tempfile.mkstemp(prefix=".plan-", suffix=".tmp", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return path


def _int_or_none(v: str) -> int | None:
    v = str(v).strip()
    return int(v) if v.isdigit() else None


def read_plan(source: str | os.PathLike | io.StringIO) -> Plan:
    """Read and check a plan CSV (as :func:`write_plan` writes it).

    Raises
    ------
    PlanError
        Every problem at once, each naming the row (header = row 1), the column, the
        value and what was expected.
    FileNotFoundError
        If there is no such file.

    Examples
    --------
    >>> p = make_plan("compare", Option("A", "a", "Pigeon pose"), Option("B", "b", "Side bend"),
    ...               start=date(2026, 12, 7), weeks=1, seed=2)
    >>> buf = io.StringIO(plan_frame(p).to_csv(index=False))
    >>> read_plan(buf).schedule["option"].tolist() == p.schedule["option"].tolist()
    True
    """
    name = getattr(source, "name", None) or (
        str(source) if isinstance(source, (str, os.PathLike)) else "<plan>"
    )
    raw = pd.read_csv(source, dtype=str, keep_default_na=False)
    problems: list[Problem] = []
    missing = [c for c in PLAN_COLUMNS if c not in raw.columns]
    if missing:
        raise PlanError(
            [Problem(1, c, None, "this column in the plan file (write plans with `stretchlog plan`)") for c in missing],
            source=name,
        )
    if raw.empty:
        raise PlanError([Problem(None, None, None, "at least one planned day")], source=name)
    dates = pd.to_datetime(raw["date"], format="%Y-%m-%d", errors="coerce")
    for i in np.flatnonzero(dates.isna().to_numpy()):
        problems.append(Problem(int(i) + 2, "date", raw["date"].iloc[i], "a date as YYYY-MM-DD"))
    ok = dates.notna().to_numpy()
    later = dates[ok].diff().dt.days
    for i, gap in zip(np.flatnonzero(ok), later.to_numpy()):
        if not np.isnan(gap) and gap <= 0:
            problems.append(
                Problem(int(i) + 2, "date", raw["date"].iloc[i], "a date after the row above (one row per day, in order)")
            )
    for col, allowed in (("option", ("A", "B")), ("kind", KINDS)):
        for i, v in enumerate(raw[col]):
            if v not in allowed:
                problems.append(Problem(i + 2, col, v, " or ".join(allowed)))
    for col in ("week", "block", "seed"):
        for i, v in enumerate(raw[col]):
            if _int_or_none(v) is None:
                problems.append(Problem(i + 2, col, v, "a whole number"))
    design_raw = raw["design"].iloc[0]
    design, _, run = design_raw.partition(":")
    max_run = _int_or_none(run) if run else MAX_RUN
    if design not in DESIGNS or max_run is None or max_run < 1:
        problems.append(Problem(2, "design", design_raw, "pairs, weeks or free:N (N = the longest run)"))
    for col in ("kind", "design", "seed"):
        first = raw[col].iloc[0]
        for i, v in enumerate(raw[col]):
            if v != first:
                problems.append(Problem(i + 2, col, v, f"{first!r}, as on row 2 (one plan per file)"))
    kind = raw["kind"].iloc[0]
    options: dict[str, Option] = {}
    for label in ("A", "B"):
        rows = raw.index[raw["option"] == label]
        if len(rows) == 0:
            problems.append(Problem(None, "option", None, f"some days with option {label}"))
            continue
        first = raw.loc[rows[0]]
        for i in rows:
            for col in ("stretch_id", "stretch", "hold_s", "reps", "then_id", "then"):
                if raw.at[i, col] != first[col]:
                    problems.append(
                        Problem(int(i) + 2, col, raw.at[i, col], f"{first[col]!r}, as on row {int(rows[0]) + 2} (option {label} is the same every day)")
                    )
        hold, reps = _int_or_none(first["hold_s"]), _int_or_none(first["reps"])
        if kind == "dose" and (not hold or not reps):
            problems.append(Problem(int(rows[0]) + 2, "hold_s", first["hold_s"], "hold seconds and reps as whole numbers above 0 (a dose plan)"))
        if kind == "order" and not first["then_id"]:
            problems.append(Problem(int(rows[0]) + 2, "then_id", "", "the stretch done second (an order plan)"))
        if not first["stretch_id"]:
            problems.append(Problem(int(rows[0]) + 2, "stretch_id", "", "the stretch's id"))
        options[label] = Option(
            label,
            first["stretch_id"],
            first["stretch"] or first["stretch_id"],
            hold if kind == "dose" else None,
            reps if kind == "dose" else None,
            (first["then_id"] or None) if kind == "order" else None,
            (first["then"] or first["then_id"] or None) if kind == "order" else None,
        )
    if problems:
        raise PlanError(sorted(problems, key=lambda p: (p.row or 0, p.column or "")), source=name)
    sched = pd.DataFrame(
        {
            "date": dates.dt.normalize().to_numpy(),
            "week": raw["week"].astype(int).to_numpy(),
            "block": raw["block"].astype(int).to_numpy(),
            "option": raw["option"].to_numpy(),
            "do": raw["do"].to_numpy(),
        }
    )
    return Plan(
        kind, options["A"], options["B"], design, int(raw["seed"].iloc[0]), sched,
        max_run=int(max_run), source=name,
    )
