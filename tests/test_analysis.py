"""One Analysis per log: each part computed once, and one answer to each question everywhere."""

from __future__ import annotations

import io
import json
import re
import sys
from collections import Counter

import pytest
from typer.testing import CliRunner

from stretchlog.analysis import FORMAT, Analysis, analyse
from stretchlog.cli.app import app
from stretchlog.testing.simulate import simulate_log

#: The functions that compute a part; each may run at most once per analysis.
PARTS = {
    "stretchlog.model.sessions": "sessions",
    "stretchlog.model.segments": "segments",
    "stretchlog.model.summary": "summarise",
    "stretchlog.model.names": "display_names",
    "stretchlog.effects.lasting": "lasting_relief",
    "stretchlog.effects.dose": "dose_response",
    "stretchlog.effects.meaningful": "meaningful_sessions",
    "stretchlog.effects.model": "analyse",  # the relief fit itself
    "stretchlog.trends.report": "trends_report",
    "stretchlog.trends.tightness": ("tightness_levels", "tightness_curve"),
    "stretchlog.trends.safety": "safety_flags",
    "stretchlog.trends.sides": "side_asymmetry",
    "stretchlog.routine.build": "build",
    "stretchlog.log.catalog": "load_catalog",
}


@pytest.fixture
def counted(monkeypatch):
    """Count the calls of every part function, wherever a module has bound it."""
    calls: Counter[str] = Counter()
    for module, names in PARTS.items():
        __import__(module)
        for name in (names,) if isinstance(names, str) else names:
            original = getattr(sys.modules[module], name)
            key = f"{module}.{name}"

            def wrapper(*args, __f=original, __k=key, **kwargs):
                calls[__k] += 1
                return __f(*args, **kwargs)

            for mod in list(sys.modules.values()):
                if getattr(mod, "__name__", "").startswith("stretchlog"):
                    for attr, value in list(vars(mod).items()):
                        if value is original:
                            monkeypatch.setattr(mod, attr, wrapper)
    return calls


@pytest.fixture(scope="module")
def imbalanced_log(tmp_path_factory):
    path = tmp_path_factory.mktemp("log") / "log.csv"
    path.write_text(simulate_log(days=200, seed=5, style="mixed", imbalance=True).csv_text(), encoding="utf-8")
    return path


def test_parts_are_computed_on_first_use_and_kept(imbalanced_log):
    an = analyse(imbalanced_log)
    assert isinstance(an, Analysis)
    assert an.sessions is an.sessions and an.relief is an.relief and an.trends is an.trends
    assert an.effects is an.relief.effects and an.pain is an.trends.pain


def test_building_the_report_computes_each_part_once(counted, imbalanced_log, tmp_path):
    from stretchlog.report.card import save_card
    from stretchlog.report.html import build_report

    an = analyse(imbalanced_log)
    page, parts = build_report(an, seed=1)
    save_card(parts["routine"], tmp_path / "card.png")
    for key in ("stretchlog.model.sessions.sessions", "stretchlog.model.segments.segments",
                "stretchlog.model.summary.summarise", "stretchlog.model.names.display_names",
                "stretchlog.trends.report.trends_report", "stretchlog.trends.tightness.tightness_levels",
                "stretchlog.trends.safety.safety_flags", "stretchlog.trends.sides.side_asymmetry",
                "stretchlog.effects.lasting.lasting_relief", "stretchlog.effects.meaningful.meaningful_sessions",
                "stretchlog.routine.build.build", "stretchlog.log.catalog.load_catalog"):
        assert counted[key] == 1, f"{key} ran {counted[key]} times"
    # three relief fits: per stretch, per stretch and side (the one answer on left vs right),
    # and the dose model (the routine's doses)
    assert counted["stretchlog.effects.model.analyse"] == 3
    # the same report again from the same analysis computes nothing new
    before = counted.copy()
    build_report(an, seed=1)
    assert counted == before


def test_each_command_reads_the_catalog_once_and_fits_once(counted, imbalanced_log):
    runner = CliRunner()
    # fits: the relief model per stretch and by side (by side reuses the per-stretch rows of
    # stretches never split) and, for effects and the routine's doses, the dose model; each once
    for args, fits in ((["effects"], 2), (["effects", "--by-side"], 3), (["routine", "--seed", "1"], 3),
                       (["trends"], 1)):
        counted.clear()
        result = runner.invoke(app, [*args[:1], str(imbalanced_log), *args[1:]], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert counted["stretchlog.log.catalog.load_catalog"] == 1, args
        assert counted["stretchlog.model.segments.segments"] == 1, args
        assert counted["stretchlog.effects.model.analyse"] == fits, args


def _cli_json(*args):
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_one_question_one_answer_on_every_surface(imbalanced_log, tmp_path):
    log = str(imbalanced_log)
    effects = _cli_json("effects", log, "--format", "json")
    by_side = _cli_json("effects", log, "--by-side", "--format", "json")
    trends = _cli_json("trends", log, "--format", "json")
    plan = _cli_json("routine", log, "--format", "json", "--seed", "1", "--flare")
    # left vs right relief: effects --by-side and the trends' left/right table agree
    sides = {r["stretch"]: r for r in by_side["side_relief"]}
    assert sides, "the simulated log has one-sided stretches"
    for row in trends["sides"]:
        if row["stretch_id"] in sides and sides[row["stretch_id"]]["left"] is not None:
            # (the trends' tables are rounded to 4 decimals)
            assert row["relief_left"] == pytest.approx(sides[row["stretch_id"]]["left"], abs=1e-4)
            assert row["relief_right"] == pytest.approx(sides[row["stretch_id"]]["right"], abs=1e-4)
    assert effects["side_relief"] == by_side["side_relief"]
    # the routine's figures are the effects' figures
    per_stretch = {r["stretch"]: r for r in effects["effects"]}
    for item in plan["items"]:
        if item["effect"] is not None:
            assert item["effect"] == pytest.approx(per_stretch[item["stretch"]]["effect"], abs=1e-3)
    # and the report shows the same relief figures and the same routine
    out = tmp_path / "r.html"
    result = CliRunner().invoke(app, ["report", log, "--out", str(out), "--seed", "1"], catch_exceptions=False)
    assert result.exit_code == 0
    page = out.read_text(encoding="utf-8")
    for row in effects["effects"][:3]:
        assert f"{row['effect']:+.2f}" in page
    full = _cli_json("routine", log, "--format", "json", "--seed", "1")
    section = page[page.index('<section id="summary"'):]
    section = section[: section.index("</ol>")]  # today's routine, first on the page
    shown = re.findall(r'<li value="\d+"><strong>([^<]+)</strong>', section)
    assert [i["name"] for i in full["items"]] == shown


@pytest.mark.parametrize("which", ["simulated", "sample"])
def test_to_dict_carries_every_table_with_a_versioned_shape(imbalanced_log, which):
    from conftest import SAMPLE

    doc = analyse(imbalanced_log if which == "simulated" else SAMPLE).to_dict()
    assert doc["format"] == FORMAT
    assert {"effects", "effects_by_side", "side_relief", "inseparable", "adjustments", "notes", "lasting",
            "dose", "meaningful", "trends", "log"} <= set(doc)
    json.dumps(doc, allow_nan=False)  # JSON-ready: no NaN, no timestamps
    if which == "sample":  # the sample keeps one custom stretch, with a warning
        assert doc["log"]["warnings"][0]["column"] == "stretch"


def test_analyse_takes_a_path_a_file_a_frame_or_nothing(imbalanced_log):
    text = imbalanced_log.read_text(encoding="utf-8")
    a, b = analyse(imbalanced_log), analyse(io.StringIO(text))
    c = analyse(a.bouts)
    assert len(a.bouts) == len(b.bouts) == len(c.bouts)
    assert analyse(None).bouts.empty


def test_a_stretch_never_split_by_side_has_one_figure_and_one_label(imbalanced_log):
    from conftest import SAMPLE

    for log in (SAMPLE, imbalanced_log):
        per = {r["stretch"]: r for r in _cli_json("effects", str(log), "--format", "json")["effects"]}
        by_side = _cli_json("effects", str(log), "--by-side", "--format", "json")["effects"]
        split = {r["stretch"] for r in by_side if r["side"] in ("left", "right")}
        whole = [r for r in by_side if r["stretch"] not in split]
        assert whole, "the log has stretches done on both sides at once"
        for r in whole:
            for col in ("effect", "ci_low", "ci_high", "evidence", "harmful", "reason"):
                assert r[col] == per[r["stretch"]][col], (r["name"], col)
        ranks = [r["rank"] for r in by_side if r["rank"] is not None]
        assert ranks == list(range(1, len(ranks) + 1))


def test_trends_of_a_log_with_no_one_sided_bouts_fit_no_relief_model(counted):
    text = "date,stretch,hold_s,pain_before,pain_after,tightness\n" + "\n".join(
        f"2026-01-{d:02d},knees to chest,30,5,4,6" for d in range(1, 29))
    an = analyse(io.StringIO(text))
    assert an.trends.sides.empty and an.side_relief.empty
    assert counted["stretchlog.effects.model.analyse"] == 0
