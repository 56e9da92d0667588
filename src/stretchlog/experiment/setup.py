"""Setting up a plan from a person's log: options checked, length previewed, schedule drawn.

:func:`propose_plan` is what ``stretchlog plan`` and the notebook call. It refuses a
plan that cannot answer, with the reason in words: an option that is neither in
the catalog nor in the log, a stretch the log shows makes pain worse, two equal
options, fewer days than a comparison needs at the person's logging rhythm, or a
schedule that can be drawn so few ways that its coin could never show a difference.
"""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from stretchlog.experiment.design import DESIGNS, KINDS, MAX_RUN, Option, Plan, PlanError, make_plan, parse_dose
from stretchlog.experiment.power import Noise, Preview, noise_from_log, preview
from stretchlog.log.catalog import Catalog, custom_id, normalize_name
from stretchlog.log.errors import Problem
from stretchlog.words import plural

__all__ = ["Proposal", "propose_plan", "resolve_options", "default_plan_seed", "MIN_LOGGED_DAYS", "DEFAULT_WEEKS"]

#: A plan must be likely to give at least this many logged days (four of each option).
MIN_LOGGED_DAYS = 8
#: Length when the log is too short for a preview.
DEFAULT_WEEKS = 4
_DAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}


@dataclass(frozen=True)
class Proposal:
    """A drawn plan and what it can find.

    Attributes
    ----------
    plan : Plan
    preview : Preview or None
        None when the log has too few rated days to read its noise from.
    noise_missing : str
        Why there is no preview, in words ("" when there is one).
    """

    plan: Plan
    preview: Preview | None
    noise_missing: str = ""

    def sentences(self) -> list[str]:
        """What the plan can find, in words."""
        if self.preview is None:
            return [self.noise_missing]
        w = self.plan.weeks
        return self.preview.sentences(None if w == self.preview.weeks else w)


def default_plan_seed(today: date, kind: str, values: tuple[str, ...]) -> int:
    """A seed from the day and the options: the same command on the same day draws the same plan.

    Examples
    --------
    >>> default_plan_seed(date(2026, 12, 5), "compare", ("a", "b")) == default_plan_seed(
    ...     date(2026, 12, 5), "compare", ("a", "b"))
    True
    """
    text = f"{today.isoformat()}|{kind}|{'|'.join(values)}"
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) % 1_000_000


def parse_weekdays(text: str) -> tuple[int, ...]:
    """``"mon,wed,fri"`` -> ``(0, 2, 4)``.

    Examples
    --------
    >>> parse_weekdays("Mon, wed,FRI")
    (0, 2, 4)
    """
    out = []
    for part in str(text).split(","):
        key = part.strip().lower()[:3]
        if key not in _DAYS:
            raise PlanError(
                [Problem(None, "days", part.strip(), "days of the week such as mon,wed,fri")], source="plan"
            )
        out.append(_DAYS[key])
    return tuple(sorted(set(out)))


def _resolve_name(
    name: str,
    catalog: Catalog,
    known: dict[str, str],
) -> tuple[str, str] | None:
    m = catalog.match(name)
    if m is not None:
        return m.id, known.get(m.id, m.name)
    cid = custom_id(name)
    if cid in known:
        return cid, known[cid]
    return None


def _suggest(name: str, catalog: Catalog, known: dict[str, str]) -> str:
    pool = {normalize_name(s.name): s.name for s in catalog} | {normalize_name(v): v for v in known.values()}
    close = difflib.get_close_matches(normalize_name(name), list(pool), n=2, cutoff=0.6)
    return f" (did you mean {' or '.join(repr(pool[c]) for c in close)}?)" if close else ""


def resolve_options(
    kind: str,
    values: tuple[str, str] | list[str],
    catalog: Catalog,
    names: dict[str, str],
    harmful: set[str] | frozenset[str] = frozenset(),
) -> tuple[Option, Option]:
    """The two options from what the person typed.

    Parameters
    ----------
    kind : str
        One of :data:`~stretchlog.experiment.design.KINDS`.
    values : pair of str
        Stretch names (``compare``, ``order``) or ``"name:HOLDxREPS"`` (``dose``).
    catalog : Catalog
        The catalog (built-in plus the person's).
    names : dict
        The log's stretches: id -> the name the person uses.
    harmful : set of str
        Ids the log shows make pain worse.

    Raises
    ------
    PlanError
        An option neither in the catalog nor in the log, a harmful stretch, equal options.

    Examples
    --------
    >>> from stretchlog.log.catalog import load_catalog
    >>> a, b = resolve_options("compare", ("pigeon", "side bend"), load_catalog(), {})
    >>> a.stretch_id, b.stretch_id
    ('pigeon-pose', 'side-bend')
    """
    problems: list[Problem] = []
    if kind not in KINDS:
        raise PlanError([Problem(None, "kind", kind, f"one of {', '.join(KINDS)}")], source="plan")
    if len(values) != 2:
        raise PlanError([Problem(None, "options", " ".join(values), "exactly two options")], source="plan")
    parsed = []
    for v in values:
        if kind == "dose":
            try:
                name, hold, reps = parse_dose(v)
            except ValueError as exc:
                problems.append(Problem(None, "--dose", v, str(exc).split(": expected ", 1)[-1]))
                continue
        else:
            name, hold, reps = v, None, None
        hit = _resolve_name(name, catalog, names)
        if hit is None:
            problems.append(
                Problem(
                    None,
                    f"--{kind}",
                    name,
                    "a stretch in the catalog or in your log" + _suggest(name, catalog, names)
                    + " (see `stretchlog catalog`)",
                )
            )
            continue
        sid, shown = hit
        if sid in harmful:
            problems.append(
                Problem(
                    None,
                    f"--{kind}",
                    name,
                    f"a stretch that does not make your pain worse: your log shows {shown} makes it "
                    "worse (the pain goes up after it), and a plan would ask you to do it on half "
                    "the days",
                )
            )
            continue
        parsed.append((sid, shown, hold, reps))
    if problems:
        raise PlanError(problems, source="plan")
    (ia, na, ha, ra), (ib, nb, hb, rb) = parsed
    if kind == "dose" and ia != ib:
        raise PlanError(
            [Problem(None, "--dose", f"{values[0]} / {values[1]}", "two doses of the same stretch")], source="plan"
        )
    if kind == "compare":
        a, b = Option("A", ia, na), Option("B", ib, nb)
    elif kind == "dose":
        a, b = Option("A", ia, na, ha, ra), Option("B", ib, nb, hb, rb)
    else:
        a, b = Option("A", ia, na, then_id=ib, then_name=nb), Option("B", ib, nb, then_id=ia, then_name=na)
    if (a.stretch_id, a.hold_s, a.reps) == (b.stretch_id, b.hold_s, b.reps):
        raise PlanError(
            [Problem(None, f"--{kind}", " / ".join(values), "two different options: one option compared with itself answers nothing")],
            source="plan",
        )
    return a, b


def propose_plan(
    kind: str,
    values: tuple[str, str] | list[str],
    *,
    catalog: Catalog,
    sessions: pd.DataFrame,
    names: dict[str, str],
    today: date,
    harmful: set[str] | frozenset[str] = frozenset(),
    weeks: int | None = None,
    design: str = "pairs",
    seed: int | None = None,
    weekdays: tuple[int, ...] | None = None,
    start: date | None = None,
    max_run: int = MAX_RUN,
) -> Proposal:
    """Check the options, preview the power from the log, and draw the plan.

    Parameters
    ----------
    kind, values
        The question (see :func:`resolve_options`).
    catalog, sessions, names, harmful
        From the person's analysed log.
    today : date
        The plan starts the day after (unless ``start``).
    weeks : int, optional
        Length; default: the preview's suggestion (or :data:`DEFAULT_WEEKS`).
    design : str
        ``pairs``, ``weeks`` or ``free``.
    seed : int, optional
        Default: :func:`default_plan_seed`.
    weekdays : tuple of int, optional
        Planned weekdays; default: the ones the person logs most (every day for a new log).
    start : date, optional
        First day (default: tomorrow).
    max_run : int
        Longest run of one option in the ``free`` design.

    Raises
    ------
    PlanError
        The options (see :func:`resolve_options`), a bad design, a plan that would
        likely give fewer than :data:`MIN_LOGGED_DAYS` logged days, or one with fewer than
        40 possible schedules (its randomisation test could never reach 5%).
    """
    if design not in DESIGNS:
        raise PlanError([Problem(None, "--design", design, f"one of {', '.join(DESIGNS)}")], source="plan")
    a, b = resolve_options(kind, values, catalog, names, harmful)
    noise: Noise | None = noise_from_log(sessions, today=today) if len(sessions) else None
    first = start or (today + timedelta(days=1))
    seed = default_plan_seed(today, kind, tuple(values)) if seed is None else int(seed)
    pv = None
    why = ""
    if noise is None:
        rated = int((sessions["start_pain"].notna() & sessions["end_pain"].notna()).sum()) if len(sessions) else 0
        why = (
            f"No preview: your log has {rated} session{'s' if rated != 1 else ''} with pain rated at the "
            f"start and the end; the preview needs 8 days of them to measure how much relief varies. "
            f"Planned {DEFAULT_WEEKS if weeks is None else weeks} weeks."
        )
        days = weekdays or tuple(range(7))
        share = 1.0
    else:
        days = weekdays or noise.weekdays
        share = noise.logged_share
        pv = preview(noise, design=design, weekdays=days, start=first, seed=seed, max_run=max_run)
    n_weeks = int(weeks) if weeks is not None else (pv.weeks if pv is not None else DEFAULT_WEEKS)
    plan = make_plan(kind, a, b, start=first, weeks=n_weeks, weekdays=days, design=design, seed=seed, max_run=max_run)
    likely = plan.n_days * share
    if likely < MIN_LOGGED_DAYS:
        per_week = len(days) * share
        need = int(np.ceil(MIN_LOGGED_DAYS / max(per_week, 1e-9)))
        raise PlanError(
            [
                Problem(
                    None,
                    "--weeks",
                    str(n_weeks),
                    f"a plan likely to give at least {MIN_LOGGED_DAYS} logged days (4 of each option); "
                    f"at your rhythm ({per_week:.1f} logged days a week) {plural(n_weeks, 'week')} give about "
                    f"{likely:.0f}: plan at least {need} weeks, or more days a week with --days",
                )
            ],
            source="plan",
        )
    n_sched = _schedules(plan)
    if 2 / n_sched > 0.05:
        def longer(w: int) -> Plan:
            return make_plan(kind, a, b, start=first, weeks=w, weekdays=days, design=design, seed=seed,
                             max_run=max_run)

        need = next((w for w in range(n_weeks + 1, 53) if 2 / _schedules(longer(w)) <= 0.05), None)
        raise PlanError(
            [
                Problem(
                    None,
                    "--weeks",
                    str(n_weeks),
                    f"a plan that can answer: {plan.n_days} planned days by {design} can be drawn only "
                    f"{n_sched} ways, so no difference, however large, could reach the 5% level"
                    + (f"; plan at least {need} weeks" if need else "")
                    + (", or more days a week with --days" if design != "weeks" else ""),
                )
            ],
            source="plan",
        )
    return Proposal(plan, pv, why)


def _schedules(plan: Plan) -> int:
    """How many schedules the plan's design can draw (counted over 400 draws).

    The randomisation test's smallest p-value is about 2 over this (the real schedule and
    its mirror image always tie): fewer than 40 schedules can never reach 5%.
    """
    return len(np.unique(plan.redraw(400, np.random.default_rng(0)), axis=0))
