"""Charts of stretchlog results: axes-level functions, one question each.

Every function takes a result frame (or object) of the analysis and an optional
matplotlib Axes, draws on it and returns it, seaborn style::

    ax = relief_forest(relief_effects(bouts))          # a new figure, sized to fit
    relief_forest(relief_effects(bouts), ax=my_axes)   # or your own Axes

Nothing global is touched: no ``rcParams`` changes, no ``plt.show()``, no files.
With ``ax=None`` a new pyplot figure is made (so Jupyter shows it); pass your own
Axes (for example from a ``matplotlib.figure.Figure``) to keep pyplot out of it.
Only :func:`tightness_grid` and :func:`plot_cohort_pain` lay out several panels, and
only when they are not given the axes to fill.

Readable for colour-blind people: the Okabe-Ito palette, and every colour comes
with a marker shape, a fill, a line style or words (see
:mod:`stretchlog.plots.style`).

The charts, the question each answers, and what it draws:

- :func:`relief_forest`: Which stretches relieve my pain?
  (``effects.relief_effects``)
- :func:`relief_lasting`: Does the relief last until my next session?
  (``relief_effects`` and ``effects.lasting_relief``)
- :func:`pain_timeline`: Is my pain going down over the weeks?
  (``sessions`` and ``trends_pain.pain_over_time``)
- :func:`tightness_panel`, :func:`tightness_grid`: Which muscles are getting looser,
  and which tighter? (``trends.tightness_curve`` and ``trends.tightness_trends``)
- :func:`left_right`: Is one side tighter / does one side get more relief?
  (``trends_sides.side_asymmetry``, ``effects.side_differences``)
- :func:`habit_calendar`: How regularly do I stretch? (``sessions``)
- :func:`routine_card`: What should I do today? (``routine.routine``)
- :func:`experiment_result`: Which option of my self-experiment gives more relief?
  (``experiment.analyse_experiment``)
- :func:`experiment_calendar`: Did I keep to the plan, day by day?
  (``experiment.analyse_experiment``)
- :func:`plan_power`: How long should a self-experiment run? (``experiment.preview``)
- :func:`plot_cohort_stretches`: Which stretches help most people? (``cohort.Cohort``)
- :func:`plot_cohort_pain`: Is each person's pain going down? (``cohort.Cohort``;
  small multiples, like :func:`tightness_grid` it lays out its own panels)
"""

from __future__ import annotations

from stretchlog.plots.card import routine_card
from stretchlog.plots.cohort import plot_cohort_pain, plot_cohort_stretches
from stretchlog.plots.experiment import experiment_calendar, experiment_result, plan_power
from stretchlog.plots.relief import left_right, relief_forest, relief_lasting
from stretchlog.plots.style import EVIDENCE_STYLE, HARMFUL_STYLE, OKABE_ITO, SIDE_STYLE
from stretchlog.plots.tightness import tightness_grid, tightness_keys, tightness_panel
from stretchlog.plots.timeline import habit_calendar, pain_timeline

__all__ = [
    "relief_forest",
    "relief_lasting",
    "pain_timeline",
    "tightness_panel",
    "tightness_grid",
    "tightness_keys",
    "left_right",
    "habit_calendar",
    "routine_card",
    "experiment_result",
    "experiment_calendar",
    "plan_power",
    "plot_cohort_stretches",
    "plot_cohort_pain",
    "OKABE_ITO",
    "EVIDENCE_STYLE",
    "HARMFUL_STYLE",
    "SIDE_STYLE",
]
