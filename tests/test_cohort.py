"""The cohort API: the prior file, pooling toward it, the engines, and logs that fail.

The command line is tested in ``test_cli_cohort.py``, the page and charts in
``test_cohort_page.py``, and whether pooling across people is honest (error, coverage,
people unlike the cohort) in ``test_cohort_pooling.py``.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings

from conftest import examples
from first_month import first_month_logs
from stretchlog.analysis import analyse
from stretchlog.cohort import SchedulerError, collect_logs, person_result, run_cohort
from stretchlog.effects.prior import (
    MIN_SPREAD,
    CohortPrior,
    PersonFit,
    PriorError,
    StretchPrior,
    fit_prior,
    read_prior,
    write_prior,
)
from stretchlog.testing.cohort import simulate_cohort

TODAY = date(2026, 9, 1)
BROKEN = b"date,stretch,hold_s,pain_before\n2026-02-30,pigeon,30,5\n2026-03-01,pigeon,-4,5\n"


def _logs(sim):
    return [(f, log.csv_text().encode()) for f, log in zip(sim.files, sim.logs)]


@pytest.fixture(scope="module")
def sim():
    return simulate_cohort(10, days=(50, 120), seed=11)


@pytest.fixture(scope="module")
def cohort(sim):
    extra = [("broken.csv", BROKEN), ("empty.csv", b""), ("binary.csv", bytes(range(256)))]
    return run_cohort(_logs(sim) + extra, today=TODAY, jobs=1)


# --------------------------------------------------------------------------- the prior file


def _prior() -> CohortPrior:
    return CohortPrior(
        (StretchPrior("reclining-hip-stretch", "Reclining hip stretch", 0.8, 0.05, 0.3, 40),
         StretchPrior("side-bend", "Side bend", -0.4, 0.06, 0.25, 35)),
        person_sd=0.1, new_mean=0.2, new_sd=0.5, n_people=50, made="2026-08-01",
    )


def test_prior_survives_its_file_exactly(tmp_path):
    pr = _prior()
    path = write_prior(pr, tmp_path / "cohort.json")
    back = read_prior(path)
    assert back.stretches == pr.stretches
    assert (back.person_sd, back.new_mean, back.new_sd, back.n_people, back.made) == (
        pr.person_sd, pr.new_mean, pr.new_sd, pr.n_people, pr.made)
    assert back.source == "cohort.json"
    data = json.loads(path.read_text())
    assert set(data) == {"format", "made", "n_people", "person_sd", "new_stretch", "stretches", "about"}
    # per-stretch distributions only: no file names, no rows, no one's estimates
    assert set(data["stretches"][0]) == {"stretch", "name", "mean", "mean_se", "spread", "n_people"}


@pytest.mark.parametrize(
    ("edit", "column", "value"),
    [
        (lambda d: d.update(format="something/1"), "format", "something/1"),
        (lambda d: d["stretches"][1].update(spread=-1), "stretches[1].spread", "-1"),
        (lambda d: d["stretches"][0].update(mean="big"), "stretches[0].mean", "big"),
        (lambda d: d["stretches"][0].update(n_people=0), "stretches[0].n_people", "0"),
        (lambda d: d.pop("person_sd"), "person_sd", "None"),
        (lambda d: d["new_stretch"].update(sd=float("nan")), "new_stretch.sd", "nan"),
    ],
)
def test_a_broken_prior_file_names_the_field_the_value_and_what_was_expected(tmp_path, edit, column, value):
    d = _prior().to_dict()
    edit(d)
    path = tmp_path / "p.json"
    path.write_text(json.dumps(d))
    with pytest.raises(PriorError) as exc:
        read_prior(path)
    problems = exc.value.problems
    assert any(p.column == column and p.value == value for p in problems), problems
    assert "p.json" in str(exc.value)
    assert "expected" in str(exc.value)


@pytest.mark.parametrize("content", [b"", b"{not json", b"\xff\xfe\x00", b"[1, 2]"])
def test_a_file_that_is_not_a_prior_is_refused_in_words(tmp_path, content):
    path = tmp_path / "x.json"
    path.write_bytes(content)
    with pytest.raises(PriorError) as exc:
        read_prior(path)
    assert exc.value.problems and "stretchlog cohort --export-prior" in str(exc.value)


def test_a_missing_prior_file_is_named(tmp_path):
    with pytest.raises(PriorError, match="no-such.json"):
        read_prior(tmp_path / "no-such.json")


# --------------------------------------------------------------------------- the posterior


def test_posterior_weighs_own_evidence_against_the_cohort():
    pr = _prior()
    units = ["reclining-hip-stretch"]
    # own evidence as strong as the cohort's spread, and not far from it: halfway
    s2 = 0.3**2 + 0.05**2
    mean, cov = pr.posterior(units, np.array([1.2]), np.array([[s2]]))
    assert mean[0] == pytest.approx((0.8 + 1.2) / 2)
    assert cov[0, 0] == pytest.approx(s2 / 2)
    # almost no own evidence: the cohort's; overwhelming own evidence: the person's own
    weak, _ = pr.posterior(units, np.array([2.0]), np.array([[1e6]]))
    strong, _ = pr.posterior(units, np.array([2.0]), np.array([[1e-8]]))
    assert weak[0] == pytest.approx(0.8, abs=1e-4)
    assert strong[0] == pytest.approx(2.0, abs=1e-4)


def test_strong_evidence_far_from_the_cohort_is_barely_pulled():
    """Heavy tails: a year of logs (SE 0.085) putting a stretch 1.5 points above the cohort
    moves by a fraction of its own SE, where a normal prior would pull it by about one SE."""
    pr = _prior()
    V = np.array([[0.085**2]])
    mean, cov = pr.posterior(["reclining-hip-stretch"], np.array([2.3]), V)
    S = 0.3**2 + 0.05**2
    normal = 0.8 + S / (S + V[0, 0]) * 1.5
    assert 2.3 - normal > 0.09
    assert 2.3 - mean[0] < 0.03
    assert cov[0, 0] <= V[0, 0]


def test_a_stretch_the_cohort_lacks_gets_the_new_stretch_prior_and_sides_share_some():
    pr = _prior()
    m, S = pr.prior_for(["custom:thing", "side-bend|left", "side-bend|right", "reclining-hip-stretch"])
    assert m.tolist() == [0.2, -0.4, -0.4, 0.8]
    assert S[0, 0] == pytest.approx(0.5**2)
    assert S[1, 1] == pytest.approx(0.25**2 + 0.06**2)
    # the two sides of one stretch are related (more than two stretches), not identical
    assert S[1, 3] < S[1, 2] < S[1, 1]
    assert np.all(np.linalg.eigvalsh(S) > 0)


def test_fit_prior_needs_enough_people_and_says_so():
    fits = [PersonFit(("a",), np.array([1.0]), np.array([[0.04]]), 30, (10,)) for _ in range(4)]
    with pytest.raises(ValueError, match="at least 5 people"):
        fit_prior(fits)
    pr = fit_prior(fits, min_people=3)
    assert pr.stretches[0].spread == MIN_SPREAD  # identical people: spread floored, never 0


def test_estimates_from_fewer_than_three_sessions_do_not_enter_the_fit():
    fits = [PersonFit(("a", "b"), np.array([1.0, 5.0]), np.diag([0.04, 0.04]), 30, (10, 2))
            for _ in range(6)]
    pr = fit_prior(fits)
    assert [s.stretch for s in pr.stretches] == ["a"]


# --------------------------------------------------------------------------- one answer


def test_analysis_with_a_prior_is_the_report_repooled(sim, cohort):
    text = sim.logs[0].csv_text()
    import io

    with_prior = analyse(io.StringIO(text), today=TODAY, prior=cohort.prior)
    alone = analyse(io.StringIO(text), today=TODAY)
    pd.testing.assert_frame_equal(with_prior.effects, alone.relief.with_prior(cohort.prior).effects)
    pd.testing.assert_frame_equal(
        cohort.reports[sim.files[0]].effects, with_prior.effects)
    assert with_prior.relief.notes[-1] == cohort.prior.describe()
    assert with_prior.to_dict()["prior"]["n_people"] == cohort.prior.n_people
    # the per-side table also takes the prior, and sides stay estimable
    assert with_prior.effects_by_side["effect"].notna().any()
    # the lasting, dose and trend answers do not depend on the prior
    pd.testing.assert_frame_equal(with_prior.lasting, alone.lasting)


def test_with_prior_none_gives_back_the_person_s_own_answer(sim):
    import io

    alone = analyse(io.StringIO(sim.logs[1].csv_text()), today=TODAY).relief
    pd.testing.assert_frame_equal(alone.with_prior(None).effects, alone.effects)


# --------------------------------------------------------------------------- the overview


def test_broken_files_are_named_and_the_rest_still_reported(cohort, sim):
    assert len(cohort.ok) == len(sim.files)
    assert {r.file for r in cohort.failed} == {"broken.csv", "empty.csv", "binary.csv"}
    probs = cohort.problems
    broken = probs.loc[probs["file"] == "broken.csv", "problem"].tolist()
    assert any("row 2" in p and "date" in p and "2026-02-30" in p for p in broken), broken
    assert any("row 3" in p and "hold_s" in p for p in broken), broken
    people = cohort.people
    assert people["status"].tolist()[-3:] == ["not read"] * 3
    assert set(people.loc[people["status"] == "ok", "file"]) == set(sim.files)
    assert "3 files could not be read" in cohort.headline()


def test_flagged_people_come_first(cohort):
    flagged = cohort.people["n_flags"].to_numpy() > 0
    assert flagged.any()
    first_unflagged = int(np.argmin(flagged))
    assert not flagged[first_unflagged:].any()
    assert set(cohort.flags["file"]) == set(cohort.people.loc[flagged, "file"])


def test_the_stretch_table_is_the_prior_with_counts(cohort):
    st = cohort.stretches
    assert list(st["stretch"]) == [s.stretch for s in cohort.prior.stretches]
    assert (st["ci_low"] <= st["mean"]).all() and (st["mean"] <= st["ci_high"]).all()
    assert ((st["share_helped"] >= 0) & (st["share_helped"] <= 1)).all()
    assert (st["n_helps"] <= st["n_tried"]).all()
    assert (st["n_people"] >= 5).all()


def test_the_top_stretches_are_the_pooled_report_s(cohort):
    for r in cohort.ok:
        top = cohort.people.set_index("file").at[r.file, "top"]
        eff = cohort.reports[r.file].effects
        first = eff[eff["rank"].notna() & eff["verdict"].isin(["helps", "may help"])]
        if first.empty:
            assert top == ""
        else:
            assert top.startswith(first["name"].iloc[0])


def test_a_small_cohort_says_what_the_summary_still_needs():
    sim = simulate_cohort(3, days=40, seed=4)
    c = run_cohort(_logs(sim), today=TODAY, jobs=1)
    assert c.prior is None
    assert "at least 5 people" in c.prior_note
    assert c.stretches.empty
    # each person still gets their own answer
    pd.testing.assert_frame_equal(
        c.reports[sim.files[0]].effects,
        analyse(__import__("io").StringIO(sim.logs[0].csv_text()), today=TODAY).effects)


def test_to_dict_is_json_with_no_leaked_missing_words(cohort):
    text = json.dumps(cohort.to_dict(), allow_nan=False)
    assert "NaN" not in text
    d = json.loads(text)
    assert d["format"] == "stretchlog.cohort/1"
    assert len(d["people"]) == len(cohort.results)


def test_collect_logs_takes_folders_files_and_names_a_missing_path(tmp_path):
    (tmp_path / "a.csv").write_text("x")
    (tmp_path / "a.plan.csv").write_text("x")
    (tmp_path / "notes.txt").write_text("x")
    other = tmp_path / "b.csv"
    other.write_text("x")
    assert [p.name for p in collect_logs([tmp_path])] == ["a.csv", "b.csv"]
    assert [p.name for p in collect_logs([other])] == ["b.csv"]
    with pytest.raises(FileNotFoundError, match="nope"):
        collect_logs([tmp_path / "nope"])


def test_a_folder_runs_the_same_as_its_files(tmp_path, sim):
    paths = simulate_cohort(6, days=40, seed=3).write(tmp_path)
    a = run_cohort([tmp_path], today=TODAY, jobs=1)
    b = run_cohort(paths, today=TODAY, jobs=1)
    pd.testing.assert_frame_equal(a.people, b.people)


# --------------------------------------------------------------------------- engines


def test_local_processes_give_the_same_overview(sim, cohort):
    extra = [("broken.csv", BROKEN), ("empty.csv", b""), ("binary.csv", bytes(range(256)))]
    seen = []
    par = run_cohort(_logs(sim) + extra, today=TODAY, jobs=2,
                     progress=lambda k, n, f: seen.append((k, n, f)))
    assert par.engine == "2 local processes"
    for name in ("people", "stretches", "effects", "pain", "flags", "problems"):
        pd.testing.assert_frame_equal(getattr(par, name), getattr(cohort, name), check_exact=True)
    assert [k for k, _, _ in seen] == list(range(1, len(sim.files) + 4))
    assert {f for _, _, f in seen} == set(sim.files) | {"broken.csv", "empty.csv", "binary.csv"}


def test_dask_gives_the_same_overview(sim, cohort):
    distributed = pytest.importorskip("distributed", reason="Dask's distributed scheduler is not installed")
    extra = [("broken.csv", BROKEN), ("empty.csv", b""), ("binary.csv", bytes(range(256)))]
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        remote = run_cohort(_logs(sim) + extra, today=TODAY, scheduler=cluster.scheduler_address)
    assert remote.engine.startswith("Dask at tcp://")
    for name in ("people", "stretches", "effects", "pain", "flags", "problems"):
        pd.testing.assert_frame_equal(getattr(remote, name), getattr(cohort, name), check_exact=True)


def test_an_unreachable_scheduler_is_said_plainly():
    pytest.importorskip("distributed", reason="Dask's distributed scheduler is not installed")
    with pytest.raises(SchedulerError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        run_cohort([("a.csv", b"date,stretch\n")], today=TODAY, scheduler="tcp://127.0.0.1:9")


def test_every_worker_uses_one_blas_thread():
    """The per-log function limits BLAS itself, so it holds on any engine (run in a fresh
    process where the environment does not set it)."""
    code = (
        "from datetime import date\n"
        "from stretchlog.cohort import person_result\n"
        "person_result(('a.csv', b'date,stretch,hold_s\\n2026-01-01,pigeon,30\\n'), date(2026, 1, 2))\n"
        "from threadpoolctl import threadpool_info\n"
        "print(sorted({i['num_threads'] for i in threadpool_info() if i['user_api'] == 'blas'}))\n"
    )
    env = {k: v for k, v in __import__("os").environ.items() if not k.endswith("_NUM_THREADS")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "[1]"


# --------------------------------------------------------------------------- every log


SLOW = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]


@settings(max_examples=examples(25, 300), deadline=None, suppress_health_check=SLOW)
@example(text="date,stretch,hold_s\n")
@given(text=first_month_logs())
def test_every_valid_log_gets_a_cohort_answer_with_and_without_a_prior(text):
    r = person_result(("p.csv", text.encode()), TODAY)
    assert r.ok, r.problems
    for rep in (r.relief, r.relief.with_prior(_prior())):
        e = rep.effects
        shown = e["effect"].notna()
        assert (e.loc[shown, "ci_low"] <= e.loc[shown, "effect"]).all()
        assert (e.loc[shown, "effect"] <= e.loc[shown, "ci_high"]).all()
        assert all(math.isfinite(v) for v in e.loc[shown, ["effect", "ci_low", "ci_high"]].to_numpy().ravel())
        # where there is no number, the row says why in words
        missing = e.loc[~shown]
        assert missing["verdict"].isin(["cannot separate", "not enough data"]).all()
        assert (missing["reason"].astype(str).str.len() > 0).all()


def test_the_single_log_commands_use_one_blas_thread_too():
    """`stretchlog effects` limits BLAS itself, run as a user runs it (no environment variable)."""
    from pathlib import Path

    sample = Path(__file__).resolve().parents[1] / "data" / "sample" / "stretch-log.csv"
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from stretchlog.cli.app import app\n"
        f"r = CliRunner().invoke(app, ['effects', {str(sample)!r}, '--format', 'json'])\n"
        "assert r.exit_code == 0, r.output\n"
        "from threadpoolctl import threadpool_info\n"
        "print(sorted({i['num_threads'] for i in threadpool_info() if i['user_api'] == 'blas'}))\n"
    )
    env = {k: v for k, v in __import__("os").environ.items() if not k.endswith("_NUM_THREADS")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[1]"


def test_logs_too_short_for_any_figure_are_not_counted_as_having_one():
    two = (b"date,time,stretch,side,hold_s,reps,pain_before,pain_after,tightness,notes\n"
           b"2026-11-01,21:30,reclining hip stretch,left,60,3,6,5,7,\n"
           b"2026-11-02,21:30,knees to chest,both,30,4,6,3,,\n")
    c = run_cohort([("a.csv", two), ("b.csv", two)], today=TODAY, jobs=1)
    assert c.prior is None
    assert "(0 logs with any figure)" in c.prior_note
