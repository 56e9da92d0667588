"""stretchlog: learn from your own stretching log which stretches relieve your back pain.

>>> import stretchlog
>>> bouts = stretchlog.read_log("data/sample/stretch-log.csv")  # doctest: +SKIP
>>> stretchlog.session_table(bouts)                               # doctest: +SKIP

(The tables are ``session_table`` and ``segment_table`` here because the modules
``stretchlog.sessions`` and ``stretchlog.segments`` would shadow functions of the
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
]

_LAZY = {
    "LogError": "stretchlog.errors",
    "Problem": "stretchlog.errors",
    "StretchlogWarning": "stretchlog.errors",
    "load_catalog": "stretchlog.catalog",
    "read_log": "stretchlog.logfile",
    "load_log": "stretchlog.logfile",
    "write_log": "stretchlog.logfile",
    "session_table": "stretchlog.sessions",
    "segment_table": "stretchlog.segments",
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'stretchlog' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
