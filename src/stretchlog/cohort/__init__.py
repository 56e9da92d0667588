"""Many logs at once: a clinic's clients or a study's participants.

:func:`run_cohort` analyses every log (in this process, in local processes, or on a
Dask cluster: the same per-log function everywhere), fits what the cohort's logs show
per stretch (:func:`stretchlog.effects.prior.fit_prior`) and sharpens each person's
estimates with it. The :class:`Cohort` it returns is what the ``stretchlog cohort``
command, its HTML page and notebook 06 read.

Sits above :mod:`stretchlog.analysis` (one Analysis per log) and beside
:mod:`stretchlog.routine`; the plots and report layers draw it.
"""

from stretchlog.cohort.overview import Cohort, cohort_from_results, run_cohort
from stretchlog.cohort.person import PersonResult, person_result
from stretchlog.cohort.run import SchedulerError, available_cores, collect_logs, run_logs

__all__ = [
    "Cohort",
    "PersonResult",
    "SchedulerError",
    "available_cores",
    "cohort_from_results",
    "collect_logs",
    "person_result",
    "run_cohort",
    "run_logs",
]
