"""Every command's --format json: a versioned shape carrying what the terminal shows."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from conftest import BROKEN, SAMPLE
from stretchlog.cli.app import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_validate_json_for_a_good_and_a_bad_log(tmp_path):
    good = run("validate", str(SAMPLE), "--format", "json")
    assert good.exit_code == 0
    doc = json.loads(good.stdout)
    assert doc["format"] == "stretchlog.validate/1" and doc["valid"] is True
    assert doc["summary"]["n_sessions"] == 105 and doc["warnings"][0]["column"] == "stretch"
    bad = run("validate", str(BROKEN), "-f", "json")
    assert bad.exit_code == 1
    doc = json.loads(bad.stdout)
    assert doc["valid"] is False and doc["problems"]
    assert all({"row", "column", "value", "expected"} <= set(p) for p in doc["problems"])
    missing = run("validate", str(tmp_path / "nope.csv"), "-f", "json")
    assert missing.exit_code == 1 and json.loads(missing.stdout)["valid"] is False


def test_catalog_json_lists_every_field():
    result = run("catalog", "--format", "json", "--region", "hips")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["format"] == "stretchlog.catalog/1"
    assert {s["region"] for s in doc["stretches"]} == {"hips"}
    assert {"id", "name", "aliases", "muscle_group", "sided", "hold_s", "reps", "instructions"} <= set(doc["stretches"][0])


def test_a_wrong_format_is_a_usage_error():
    assert run("validate", str(SAMPLE), "--format", "xml").exit_code == 2
    assert run("catalog", "--format", "xml").exit_code == 2


def test_catalog_json_stays_free_of_pandas():
    import subprocess
    import sys

    code = ("import sys; from stretchlog.cli.app import app; from typer.testing import CliRunner; "
            "CliRunner().invoke(app, ['catalog', '-f', 'json']); print('pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "False", out.stderr


def test_trends_json_names_its_shape():
    doc = json.loads(run("trends", str(SAMPLE), "--format", "json").stdout)
    assert doc["format"] == "stretchlog.trends/2"
    assert isinstance(doc["sides"], list) and isinstance(doc["pain_trend"], list)


def test_routine_json_names_its_shape():
    doc = json.loads(run("routine", str(SAMPLE), "--format", "json", "--seed", "1").stdout)
    assert doc["format"] == "stretchlog.routine/3" and doc["items"] and "why_mode" in doc
