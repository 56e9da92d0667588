"""Randomised self-experiments (N-of-1 trials) on a person's own stretch log.

A coin, not the person, decides day by day (in balanced blocks) which of two
options to do: two stretches, two doses of one stretch, or which of two comes
first. The comparison is then fair by construction: no stretch gets the credit
for pain that eases anyway, none looks worse for being done on bad days.

Data flow, one way:

* :mod:`~stretchlog.experiment.design` - the options, the schedule drawn from a
  design (pairs of days, pairs of weeks, or free with a cap on runs) and the plan
  CSV written beside the log;
* :mod:`~stretchlog.experiment.power` - a preview of what the plan can detect,
  simulated with the noise, day-to-day drift and rhythm of the person's own log;
* :mod:`~stretchlog.experiment.outcomes` - each planned day as done: which option
  the log shows, the session's relief, missed and swapped days;
* :mod:`~stretchlog.experiment.result` - the answer: a randomisation test over the
  plan's own design, its interval, adherence, carry-over and period checks and the
  verdict in words.
"""

from stretchlog.experiment.design import (
    DESIGNS,
    KINDS,
    Option,
    Plan,
    PlanError,
    draw_schedule,
    make_plan,
    parse_dose,
    plan_path,
    read_plan,
    write_plan,
)
from stretchlog.experiment.outcomes import plan_days, today_line
from stretchlog.experiment.power import Noise, Preview, noise_from_log, preview
from stretchlog.experiment.result import ExperimentResult, analyse_experiment
from stretchlog.experiment.setup import Proposal, default_plan_seed, parse_weekdays, propose_plan, resolve_options

__all__ = [
    "DESIGNS",
    "KINDS",
    "ExperimentResult",
    "Noise",
    "Option",
    "Plan",
    "PlanError",
    "Preview",
    "Proposal",
    "analyse_experiment",
    "default_plan_seed",
    "draw_schedule",
    "make_plan",
    "noise_from_log",
    "parse_dose",
    "parse_weekdays",
    "plan_days",
    "plan_path",
    "preview",
    "propose_plan",
    "read_plan",
    "resolve_options",
    "today_line",
    "write_plan",
]
