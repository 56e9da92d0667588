"""The package namespace: cheap to import, and its exports stay what they say."""

from __future__ import annotations

import subprocess
import sys

from conftest import SAMPLE


def test_import_stretchlog_is_cheap():
    code = "import sys, stretchlog; print(sorted(m for m in ('pandas', 'matplotlib', 'statsmodels', 'pandera') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_exports_survive_importing_the_modules_of_the_same_name():
    import stretchlog.model.segments  # noqa: F401  (the module import must not shadow the export)
    import stretchlog.model.sessions  # noqa: F401

    bouts = stretchlog.log.reader.load_log(SAMPLE).bouts
    assert len(stretchlog.session_table(bouts)) == bouts["session_id"].nunique()
    assert stretchlog.segment_table(bouts)["n_bouts"].sum() == len(bouts)
    for name in stretchlog.__all__:
        assert getattr(stretchlog, name) is not None
