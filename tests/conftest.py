"""Shared fixtures: the contract's own five-line example, and a file writer."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# Hypothesis profiles: "default" keeps `make test` short; STRETCHLOG_DEEP_TESTS=1 runs
# the property and fuzz tests with many more examples, for deliberate runs.
DEEP = os.environ.get("STRETCHLOG_DEEP_TESTS") == "1"
settings.register_profile("default", deadline=None)
settings.register_profile("deep", max_examples=1000, deadline=None)
settings.load_profile("deep" if DEEP else "default")


def examples(normal: int, deep: int) -> int:
    """How many Hypothesis examples a slow property runs: few in `make test`, many when deep."""
    return deep if DEEP else normal

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

HEADER = "date,time,stretch,side,hold_s,reps,pain_before,pain_after,tightness,notes"

CONTRACT_EXAMPLE = f"""{HEADER}
2026-11-01,21:30,reclining hip stretch,left,60,3,6,5,7,
2026-11-01,21:30,reclining hip stretch,right,60,3,,4,5,
2026-11-01,21:30,hamstring stretch,both,10,9,,,6,flexed quads
2026-11-01,21:30,psoas stretch 1,left,45,2,,3,8,
2026-11-02,07:15,knees to chest,both,30,4,5,4,,
"""

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample" / "stretch-log.csv"
BROKEN = ROOT / "data" / "sample" / "broken-log.csv"


@pytest.fixture
def example_text() -> str:
    return CONTRACT_EXAMPLE


@pytest.fixture
def write(tmp_path):
    """write(text or bytes, name='log.csv') -> path of a new file under tmp_path."""

    def _write(content, name: str = "log.csv") -> Path:
        path = tmp_path / name
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8", newline="")
        else:
            path.write_bytes(content)
        return path

    return _write


def headless_chrome(window: str, *, console_log: bool = False):
    """A headless Chromium driven by chromedriver (Debian's packages), for the report tests.

    Skips the test when the packages are missing, and fails under CI, which must
    install them (see .ci/run). The caller quits the driver.
    """
    import shutil

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    chromedriver = shutil.which("chromedriver")
    if not (chromium and chromedriver):
        if os.environ.get("CI"):
            pytest.fail("CI must install Debian's chromium and chromium-driver (see .ci/run)")
        pytest.skip("Debian packages chromium and chromium-driver are not installed")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    for flag in (
        "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-quic", f"--window-size={window}",
    ):
        opts.add_argument(flag)
    if console_log:
        opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(executable_path=chromedriver), options=opts)

