"""stretchlog: learn from your own stretching log which stretches relieve your back pain.

>>> import stretchlog
>>> bouts = stretchlog.read_log("data/sample/stretch-log.csv")  # doctest: +SKIP
>>> stretchlog.session_table(bouts)                               # doctest: +SKIP

(The tables are ``session_table`` and ``segment_table`` here because the modules
``stretchlog.model.sessions`` and ``stretchlog.model.segments`` would shadow functions of the
same name once imported.)

Importing the package is cheap: pandas, statsmodels and matplotlib are imported
only by the modules that need them. The public API is re-exported lazily.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "LogError",
    "Problem",
    "StretchlogWarning",
    "load_catalog",
    "read_log",
    "load_log",
    "write_log",
    "session_table",
    "segment_table",
    "analyse",
    "Analysis",
    "build_routine",
    "plots",
    "simulate_log",
    "read_prior",
    "fit_prior",
    "write_prior",
    "CohortPrior",
    "run_cohort",
    "blas_threads",
]

_LAZY = {
    "LogError": "stretchlog.log.errors",
    "Problem": "stretchlog.log.errors",
    "StretchlogWarning": "stretchlog.log.errors",
    "load_catalog": "stretchlog.log.catalog",
    "read_log": "stretchlog.log.reader",
    "load_log": "stretchlog.log.reader",
    "write_log": "stretchlog.log.reader",
    "session_table": "stretchlog.model.sessions",
    "segment_table": "stretchlog.model.segments",
    "analyse": "stretchlog.analysis",
    "Analysis": "stretchlog.analysis",
    "build_routine": "stretchlog.routine.build",
    "plots": "stretchlog.plots",
    "simulate_log": "stretchlog.testing.simulate",
    "read_prior": "stretchlog.effects.prior",
    "fit_prior": "stretchlog.effects.prior",
    "write_prior": "stretchlog.effects.prior",
    "CohortPrior": "stretchlog.effects.prior",
    "run_cohort": "stretchlog.cohort",
    "blas_threads": "stretchlog._threads",
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'stretchlog' has no attribute {name!r}")
    import importlib

    imported = importlib.import_module(module)
    value = imported if module == f"stretchlog.{name}" else getattr(imported, name)
    globals()[name] = value
    return value
