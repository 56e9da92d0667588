"""Per-stretch relief estimates: the algebra, the rules, the edge cases and the command.

Numbers are worked out by hand where the data are noise-free; simulation studies
over many seeded logs are in ``test_effects_calibration.py``.
"""

from __future__ import annotations

import io
import json
import warnings

import numpy as np
import pandas as pd
import pytest
import typer
from conftest import SAMPLE
from typer.testing import CliRunner

from stretchlog.cli import effects as cli_effects
from stretchlog.effects.relief import (
    EFFECT_COLUMNS,
    dose_response,
    inseparable_groups,
    lasting_relief,
    meaningful_sessions,
    relief_effects,
    relief_report,
    side_differences,
)
from stretchlog.effects.model import build_design, null_projection, whiten
from stretchlog.effects.pool import pool
from stretchlog.log.errors import StretchlogWarning
from stretchlog.log.reader import read_log
from stretchlog.model.segments import segments
from stretchlog.testing.simulate import simulate_log

HEADER = "date,time,stretch,side,hold_s,reps,pain_before,pain_after"
EFFECTS = {"pigeon": 1.0, "knees to chest": 2.0, "QL stretch": 0.0}
IDS = {
    "pigeon": "pigeon-pose",
    "knees to chest": "double-knees-to-chest",
    "QL stretch": "quadratus-lumborum-stretch",
}
ORDERS = [
    ["pigeon", "knees to chest", "QL stretch"],
    ["knees to chest", "QL stretch"],
    ["QL stretch", "pigeon"],
    ["pigeon", "QL stretch", "knees to chest"],
    ["knees to chest", "pigeon"],
    ["QL stretch", "knees to chest", "pigeon"],
]


def _read(text: str) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StretchlogWarning)
        return read_log(io.StringIO(text))


def exact_log(style_of=lambda day: "per_bout", days: int = 18) -> str:
    """A noise-free log: each bout lowers pain by its stretch's effect, nothing else moves."""
    lines = [HEADER]
    for day in range(days):
        order = ORDERS[day % len(ORDERS)]
        pain = 8.0 - day % 3
        style = style_of(day)
        date = f"2026-01-{day + 1:02d}"
        for i, name in enumerate(order):
            before = pain if i == 0 else ""
            pain -= EFFECTS[name]
            last = i == len(order) - 1
            after = pain if (style == "per_bout" or last) else ""
            lines.append(f"{date},07:00,{name},both,30,1,{before},{after}")
    return "\n".join(lines) + "\n"


def test_exact_recovery_per_bout():
    rep = relief_report(_read(exact_log()), pool=False)
    got = rep.effects.set_index("stretch")["raw_effect"]
    for name, eff in EFFECTS.items():
        assert got[IDS[name]] == pytest.approx(eff, abs=1e-8)


def test_segments_holding_several_bouts_are_shared_by_regression_not_split_equally():
    # every other session is rated only at its start and end
    text = exact_log(lambda day: "per_bout" if day % 2 else "start_end", days=24)
    eff = relief_effects(_read(text), pool=False).set_index("stretch")
    for name, truth in EFFECTS.items():
        assert eff.loc[IDS[name], "raw_effect"] == pytest.approx(truth, abs=1e-8)
    # a log rated only at start and end, with varied combinations, still separates them
    text = exact_log(lambda day: "start_end", days=24)
    eff = relief_effects(_read(text), pool=False).set_index("stretch")
    assert eff["raw_effect"].notna().all()
    for name, truth in EFFECTS.items():
        assert eff.loc[IDS[name], "raw_effect"] == pytest.approx(truth, abs=1e-8)


def test_columns_and_types_are_stable():
    eff = relief_effects(_read(exact_log()))
    assert list(eff.columns) == [c for c in EFFECT_COLUMNS if c != "side"]
    assert eff["rank"].dtype == "Int64"
    assert eff["unit"].eq("per bout").all()
    assert eff["harmful"].dtype == bool
    assert list(relief_effects(_read(exact_log()), by_side=True).columns) == EFFECT_COLUMNS
    ranked = eff.dropna(subset=["effect"])
    assert list(ranked["rank"]) == list(range(1, len(ranked) + 1))
    assert ranked["cautious"].is_monotonic_decreasing
    assert ((ranked["ci_low"] <= ranked["effect"]) & (ranked["effect"] <= ranked["ci_high"])).all()
    assert ranked["p_helps"].between(0, 1).all()


def test_rare_lucky_stretch_does_not_top_the_list():
    text = simulate_log(days=120, seed=7, style="per_bout").csv_text()
    # tried three times, with a big drop each time (good days)
    text += ("2026-06-01,07:00,cat cow,,30,1,7,4,,\n2026-06-03,07:00,cat cow,,30,1,6,3,,\n"
             "2026-06-05,07:00,cat cow,,30,1,6,3,,\n")
    eff = relief_effects(_read(text)).set_index("stretch")
    cat = eff.loc["custom:catcow"]
    assert (
        cat["raw_effect"] > eff["raw_effect"].drop("custom:catcow").max()
    )  # the raw figure is the largest
    assert cat["rank"] > 1
    assert cat["effect"] < cat["raw_effect"] - 0.5  # pulled toward the person's average
    assert cat["evidence"].startswith("too little data")


def test_a_stretch_in_two_sessions_gets_no_figure_but_words():
    text = simulate_log(days=120, seed=7, style="per_bout").csv_text()
    text += "2026-06-01,07:00,cat cow,,30,1,7,4,,\n2026-06-03,07:00,cat cow,,30,1,6,3,,\n"
    cat = relief_effects(_read(text)).set_index("stretch").loc["custom:catcow"]
    assert pd.isna(cat["effect"]) and pd.isna(cat["ci_low"]) and pd.isna(cat["rank"])
    assert not cat["harmful"]
    assert cat["reason"] == (
        "in 2 sessions so far; a relief figure needs it in at least 3 sessions with pain rated "
        "before and after it: 1 more session"
    )


def test_inseparable_pair_gets_no_number_and_a_reason_by_name():
    log = simulate_log(days=90, seed=5, style="per_bout", inseparable=True)
    rep = relief_report(_read(log.csv_text()))
    eff = rep.effects.set_index("stretch")
    pair = ["erector-spinae-stretch", "lower-trunk-rotation"]
    assert eff.loc[pair, "effect"].isna().all()
    assert eff.loc[pair, "rank"].isna().all()
    assert (eff.loc[pair, "evidence"] == "cannot separate").all()
    assert eff.drop(index=pair)["effect"].notna().all()
    groups = inseparable_groups(_read(log.csv_text()))
    assert len(groups) == 1
    row = groups.iloc[0]
    assert row["stretches"] == " + ".join(pair)
    assert "Lower trunk rotation" in row["reason"] and "Erector spinae" in row["reason"]
    assert "Rate your pain between" in row["advice"]
    # their joint relief can be measured and is reported as such
    assert (
        np.isfinite(row["together"])
        and row["together_low"] < row["together"] < row["together_high"]
    )


def test_stretch_in_every_start_end_session_cannot_be_told_from_the_session():
    subsets = [
        [],
        ["knees to chest"],
        ["QL stretch"],
        ["spinal twist"],
        ["knees to chest", "QL stretch"],
        ["QL stretch", "spinal twist"],
        ["knees to chest", "spinal twist"],
    ]
    lines = [HEADER]
    for day in range(21):
        date = f"2026-01-{day + 1:02d}"
        others = subsets[day % len(subsets)]
        start = 5 + day % 3
        lines.append(f"{date},07:00,pigeon,both,30,1,{start},{'' if others else start - 1}")
        for i, other in enumerate(others):
            last = i == len(others) - 1
            lines.append(
                f"{date},07:00,{other},both,30,1,,{start - 1 - len(others) + day % 2 if last else ''}"
            )
    eff = relief_effects(_read("\n".join(lines) + "\n")).set_index("stretch")
    assert np.isnan(eff.loc["pigeon-pose", "effect"])
    assert "opening part of every session" in eff.loc["pigeon-pose", "reason"]
    assert eff.drop(index="pigeon-pose")["effect"].notna().all()


def test_harmful_stretch_is_flagged_and_ranked_last():
    log = simulate_log(days=150, seed=11, style="per_bout")
    eff = relief_effects(_read(log.csv_text())).set_index("stretch")
    assert bool(eff.loc["side-bend", "harmful"])
    assert eff.loc["side-bend", "rank"] == eff["rank"].max()
    assert eff.drop(index="side-bend")["harmful"].sum() == 0


def test_by_side_rows_and_imbalance():
    log = simulate_log(days=365, seed=3, style="per_bout", imbalance=True, imbalance_size=1.2)
    bouts = _read(log.csv_text())
    eff = relief_effects(bouts, by_side=True)
    psoas = eff[eff["stretch"] == "psoas-stretch-kneeling"].set_index("side")
    assert set(psoas.index) == {"left", "right"}
    assert psoas.loc["left", "effect"] > psoas.loc["right", "effect"]
    assert eff.loc[eff["stretch"] == "passive-low-back-stretch", "side"].tolist() == ["both"]
    sides = side_differences(bouts).set_index("stretch")
    assert bool(sides.loc["psoas-stretch-kneeling", "imbalance"])
    assert sides.loc["psoas-stretch-kneeling", "better_side"] == "left"
    assert sides.loc["psoas-stretch-kneeling", "ci_low"] > 0


EDGE = {
    "one session": f"{HEADER}\n2026-01-01,07:00,pigeon,left,30,1,6,5\n2026-01-01,07:00,pigeon,right,30,1,,4\n"
    "2026-01-01,07:00,knees to chest,,30,1,,4\n",
    "one stretch": HEADER
    + "\n"
    + "".join(f"2026-01-{d:02d},07:00,pigeon,both,30,1,{5 + d % 2},4\n" for d in range(1, 10)),
    "all zero": HEADER
    + "\n"
    + "".join(
        f"2026-01-{d:02d},07:00,pigeon,both,30,1,0,0\n2026-01-{d:02d},07:00,knees to chest,,30,1,,0\n"
        for d in range(1, 10)
    ),
    "constant": HEADER
    + "\n"
    + "".join(
        f"2026-01-{d:02d},07:00,knees to chest,,30,1,5,5\n2026-01-{d:02d},07:00,pigeon,both,30,1,,5\n"
        for d in range(1, 10)
    ),
    "done once": exact_log(days=12) + "2026-02-25,07:00,cat cow,,30,1,6,2\n",
}


@pytest.mark.parametrize("case", list(EDGE))
def test_edge_cases_give_clear_answers(case):
    bouts = _read(EDGE[case])
    rep = relief_report(bouts)
    eff = rep.effects
    assert len(eff) == bouts["stretch_id"].nunique()
    # every row has a number or a reason, never both missing
    assert (eff["effect"].notna() | eff["reason"].ne("")).all()
    assert (eff["effect"].isna() | eff["reason"].eq("")).all()
    est = eff.dropna(subset=["effect"])
    assert np.isfinite(est[["effect", "ci_low", "ci_high", "p_helps"]].to_numpy()).all()
    for f in (lasting_relief, dose_response, meaningful_sessions):
        assert len(f(bouts)) >= 1
    relief_report(bouts, by_side=True)
    if case == "one session":
        assert any("Only 1 session" in n for n in rep.notes)
        assert (est["evidence"] == "too little data - try it more").all()
    if case == "all zero":  # nothing to relieve: no figure, and the reason says so
        assert any("done with the pain at 0" in n for n in rep.notes)
        assert eff["effect"].isna().all() and eff["verdict"].eq("not enough data").all()
        assert eff["reason"].str.contains("already at 0").all() and not eff["harmful"].any()
    if case == "constant":
        assert (est["effect"].abs() < 1e-9).all()
        assert not est["harmful"].any()
    if case == "one stretch":
        assert "opening part of every session" in eff.loc[0, "reason"]
    if case == "done once":
        once = eff.set_index("stretch").loc["custom:catcow"]
        assert once["n_bouts"] == 1
        assert np.isnan(once["effect"]) or once["evidence"].startswith("too little data")


def test_empty_log():
    bouts = _read(HEADER + "\n")
    rep = relief_report(bouts)
    assert rep.effects.empty and list(rep.effects.columns) == [
        c for c in EFFECT_COLUMNS if c != "side"
    ]
    assert rep.notes and "no bouts" in rep.notes[0]
    for f in (
        lasting_relief,
        dose_response,
        meaningful_sessions,
        inseparable_groups,
        side_differences,
    ):
        assert f(bouts).empty


def test_alpha_is_checked_and_widens_intervals():
    bouts = _read(exact_log())
    with pytest.raises(ValueError):
        relief_effects(bouts, alpha=0)
    wide = relief_effects(bouts, alpha=0.01).set_index("stretch")
    narrow = relief_effects(bouts, alpha=0.2).set_index("stretch")
    assert ((wide["ci_high"] - wide["ci_low"]) > (narrow["ci_high"] - narrow["ci_low"])).all()


# --------------------------------------------------------------------------- internals


def test_whitening_matches_dense_cholesky():
    log = simulate_log(days=20, seed=1, style="mixed")
    bouts = _read(log.csv_text())
    d = build_design(bouts, bouts["stretch_id"], segments(bouts))
    a, b = 0.6, 0.1
    W = whiten(d, d.A, a, b)
    for s in np.unique(d.session)[:5]:
        rows = np.flatnonzero(d.session == s)
        n = len(rows)
        S = np.diag(2 * a + d.n_bouts[rows] * b) - a * (np.eye(n, k=1) + np.eye(n, k=-1))
        L = np.linalg.cholesky(S)
        np.testing.assert_allclose(W[rows], np.linalg.solve(L, d.A[rows]), atol=1e-10)


def test_null_projection_finds_aliased_columns():
    A = np.array(
        [[1, 1, 0, 1], [1, 1, 1, 0], [0, 0, 1, 1], [2, 2, 0, 0], [0, 0, 0, 1]], dtype=float
    )
    P = null_projection(A)
    assert P[0, 0] > 0 and P[1, 1] > 0 and P[0, 1] != 0
    assert P[2, 2] == 0 and P[3, 3] == 0


def test_pooling_limits():
    b = np.array([0.2, 0.5, 1.4])
    tight = pool(b, np.eye(3) * 1e-6)
    np.testing.assert_allclose(tight.mean, b, atol=1e-3)  # precise estimates are barely moved
    loose = pool(b, np.eye(3) * 4.0)
    assert np.ptp(loose.mean) < 0.5 * np.ptp(b)  # noisy ones are pulled together
    one = pool(np.array([0.3]), np.array([[0.04]]))
    assert one.mean[0] == 0.3 and one.cov[0, 0] == 0.04
    assert pool(np.zeros(0), np.zeros((0, 0))).mean.size == 0


# --------------------------------------------------------------------------- lasting, dose, meaningful


def test_meaningful_sessions_by_hand():
    text = (
        f"{HEADER}\n"
        "2026-01-01,07:00,pigeon,both,30,1,6,3\n"  # -3: meaningful
        "2026-01-02,07:00,pigeon,both,30,1,6,5\n"  # -1 of 6: no
        "2026-01-03,07:00,knees to chest,,30,1,3,2\n"  # -1 of 3 = 33%: meaningful
        "2026-01-04,07:00,knees to chest,,30,1,0,0\n"  # started at 0: left out
        "2026-01-05,07:00,knees to chest,,30,1,5,4\n"  # -1 of 5: no
    )
    ms = meaningful_sessions(_read(text)).set_index("stretch")
    assert ms.loc["(all sessions)", "n_with"] == 4
    assert ms.loc["(all sessions)", "share_with"] == pytest.approx(0.5)
    assert ms.loc["pigeon-pose", "share_with"] == pytest.approx(0.5)
    assert ms.loc["double-knees-to-chest", "n_with"] == 2
    assert ms.loc["double-knees-to-chest", "share_without"] == pytest.approx(0.5)
    row = ms.loc["pigeon-pose"]
    assert row["ci_low"] <= row["difference"] <= row["ci_high"]


def test_dose_needs_variation():
    assert dose_response(_read(exact_log()))["verdict"].eq("not enough variation").all()
    log = simulate_log(days=365, seed=2, style="per_bout", dose_effect=0.6)
    dose = dose_response(_read(log.csv_text())).set_index("stretch")
    fitted = dose.dropna(subset=["slope"])
    assert len(fitted) >= 5
    assert (fitted["verdict"] == "more helps").mean() >= 0.5
    assert ((fitted["ci_low"] <= 0.6) & (0.6 <= fitted["ci_high"])).mean() >= 0.7


def test_lasting_relief_columns_and_reasons():
    log = simulate_log(days=120, seed=4, style="mixed")
    la = lasting_relief(_read(log.csv_text()))
    assert la["lasting"].notna().all()
    assert (la["ci_low"] < la["ci_high"]).all()
    assert la["n_pairs"].nunique() == 1
    la = lasting_relief(_read(EDGE["one stretch"]))
    assert la["lasting"].isna().all() and la["reason"].str.len().gt(0).all()


# --------------------------------------------------------------------------- the command


@pytest.fixture(scope="module")
def effects_app():
    app = typer.Typer()
    app.command("effects")(cli_effects.effects)

    @app.callback()
    def _root() -> None:
        """test app"""

    return app


def _run(app, *args):
    return CliRunner().invoke(app, ["effects", *map(str, args)], env={"COLUMNS": "200"})


def test_cli_table_on_the_sample(effects_app):
    res = _run(effects_app, SAMPLE)
    assert res.exit_code == 0, res.output
    out = res.output
    for phrase in (
        "Relief",
        "Likely range",
        "Verdict",
        "Feel it",
        "would feel",
        "--explain",
        "not a diagnosis",
        "Reclining hip",
        "makes it worse",
    ):
        assert phrase in out, phrase
    first = next(line for line in out.splitlines() if line.strip().startswith("1 ") and "warning" not in line)
    assert "Reclining hip" in first
    explained = _run(effects_app, SAMPLE, "--explain").output
    assert "Order: by verdict" in explained


def test_cli_cannot_separate_and_by_side(effects_app, write):
    log = simulate_log(days=90, seed=5, style="mixed", inseparable=True, imbalance=True)
    path = write(log.csv_text())
    res = _run(effects_app, path)
    assert res.exit_code == 0, res.output
    assert "Cannot tell apart" in res.output and "Rate your pain between" in " ".join(
        res.output.split()
    )
    res = _run(effects_app, path, "--by-side")
    assert res.exit_code == 0, res.output
    assert "Left vs right" in res.output and "(left)" in res.output


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_cli_machine_formats(effects_app, fmt):
    res = _run(effects_app, SAMPLE, "--format", fmt)
    assert res.exit_code == 0, res.output
    if fmt == "csv":
        frame = pd.read_csv(io.StringIO(res.stdout))
        assert list(frame.columns) == [c for c in EFFECT_COLUMNS if c != "side"]
    else:
        doc = json.loads(res.stdout)
        assert doc["format"] == "stretchlog.effects/2" and doc["by_side"] is False
        rows = doc["effects"]
        assert rows[0]["rank"] == 1 and set(rows[0]) == {c for c in EFFECT_COLUMNS if c != "side"}
        # every table and claim the terminal shows
        assert {"side_relief", "inseparable", "adjustments", "notes", "lasting", "dose", "meaningful"} <= set(doc)
        assert any(r["verdict"] == "more helps" for r in doc["dose"]) or doc["dose"]


def test_cli_errors(effects_app, write):
    assert _run(effects_app, SAMPLE, "--format", "xml").exit_code == 2
    bad = write("date,stretch,hold_s,pain_before,pain_after\n2026-01-01,pigeon,0,5,4\n")
    res = _run(effects_app, bad)
    assert res.exit_code == 1
    empty = write(HEADER + "\n", name="empty.csv")
    res = _run(effects_app, empty)
    assert res.exit_code == 0 and "no bouts" in res.output
