"""Tests of the built-in stretch catalog (data/catalog.toml) and user catalog files."""

from __future__ import annotations

import re
import textwrap
import tomllib
from collections import defaultdict
from importlib import resources

import pytest

from stretchlog.log.catalog import REGIONS, Catalog, load_catalog, normalize_name
from stretchlog.log.errors import CatalogError

# id -> aliases that must match it (other engineers' code relies on these)
REQUIRED: dict[str, list[str]] = {
    "reclining-hip-stretch": ["reclining hip stretch", "reclining hip"],
    "seated-hip-stretch": ["seated hip stretch"],
    "standing-hamstring-stretch": ["hamstring stretch", "standing hamstring"],
    "tfl-it-band-stretch": ["IT band stretch", "TFL stretch", "tensor fascia latae stretch"],
    "psoas-stretch-kneeling": ["psoas stretch 1", "psoas 1"],
    "psoas-stretch-strap": ["psoas stretch 2", "psoas 2"],
    "quadratus-lumborum-stretch": ["QL stretch", "quadratus lumborum"],
    "passive-low-back-stretch": ["passive low back stretch", "passive lower back stretch"],
    "single-knee-to-chest": ["knee to chest", "single knee to chest"],
    "double-knees-to-chest": ["knees to chest", "double knee to chest"],
    "lumbar-flexion-rotation": [],
    "spinal-twist": [],
    "pigeon-pose": ["pigeon"],
    "side-bend": [],
    "kneeling-quad-stretch": ["quad stretch"],
    "seated-figure-four": ["figure four", "seated ankle over knee", "ankle over knee"],
    "supine-towel-hamstring-stretch": ["towel hamstring stretch"],
    "kneeling-hip-flexor-stretch": ["hip flexor stretch"],
    "adductor-stretch": ["groin stretch"],
    "erector-spinae-stretch": [],
    "pelvic-tilt": [],
    "lower-trunk-rotation": [],
    "bridge": [],
    "partial-crunch": [],
    "lying-static-leg-raise": [],
    "foam-rolling": [],
    "chin-to-chest": [],
    "ear-to-shoulder": [],
    "levator-scapula-stretch": [],
}

EXERCISES = ["pelvic-tilt", "lower-trunk-rotation", "bridge", "partial-crunch", "lying-static-leg-raise"]
KINDS = {"stretch", "exercise", "self-massage"}
KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def _builtin_raw() -> list[dict]:
    text = resources.files("stretchlog.log").joinpath("data/catalog.toml").read_text("utf-8")
    return tomllib.loads(text)["stretch"]


# --- the built-in entries ----------------------------------------------------------


def test_required_ids_exist():
    cat = load_catalog()
    missing = [i for i in REQUIRED if i not in cat]
    assert not missing, f"required ids missing from the catalog: {missing}"


@pytest.mark.parametrize(
    ("alias", "stretch_id"),
    [(alias, sid) for sid, aliases in REQUIRED.items() for alias in aliases],
)
def test_required_alias_matches(alias, stretch_id):
    found = load_catalog().match(alias)
    assert found is not None, f"{alias!r} matches nothing"
    assert found.id == stretch_id


def test_matching_folds_case_spaces_hyphens_underscores():
    cat = load_catalog()
    for typed in ["Knees_To-Chest", "  KNEES TO CHEST ", "knees-to-chest", "kneestochest"]:
        assert cat.match(typed).id == "double-knees-to-chest", typed
    for typed in ["Knee-to-chest", "knee_to_chest", "SINGLE KNEE TO CHEST"]:
        assert cat.match(typed).id == "single-knee-to-chest", typed
    assert cat.match("it-band_stretch").id == "tfl-it-band-stretch"
    assert cat.match("ql stretch").id == "quadratus-lumborum-stretch"


def test_every_id_name_and_alias_matches_its_own_entry():
    cat = load_catalog()
    wrong = [
        (key, s.id, cat.match(key).id if cat.match(key) else None)
        for s in cat
        for key in (s.id, s.name, *s.aliases)
        if cat.match(key) is None or cat.match(key).id != s.id
    ]
    assert not wrong, f"(key, entry, matched) that do not match their own entry: {wrong}"


def test_no_folded_name_collisions_between_entries():
    owners: dict[str, set[str]] = defaultdict(set)
    for entry in _builtin_raw():
        for key in (entry["id"], entry["name"], *entry.get("aliases", [])):
            owners[normalize_name(key)].add(entry["id"])
    collisions = {key: sorted(ids) for key, ids in owners.items() if len(ids) > 1}
    assert not collisions, f"folded names shared by different entries: {collisions}"


def test_ids_unique_and_kebab_case():
    ids = [e["id"] for e in _builtin_raw()]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    assert not dupes, f"duplicate ids: {dupes}"
    bad = [i for i in ids if not KEBAB.match(i)]
    assert not bad, f"ids not in kebab-case: {bad}"


def test_all_fields_present_and_sane():
    cat = load_catalog()
    problems = []
    for s in cat:
        if s.region not in REGIONS:
            problems.append(f"{s.id}: region {s.region!r} not in REGIONS")
        if s.kind not in KINDS:
            problems.append(f"{s.id}: kind {s.kind!r}")
        if not (1 <= s.hold_s <= 3600) or isinstance(s.hold_s, bool):
            problems.append(f"{s.id}: hold_s {s.hold_s!r}")
        if s.reps < 1 or isinstance(s.reps, bool):
            problems.append(f"{s.id}: reps {s.reps!r}")
        if not s.name or not s.muscle_group or not s.instructions.strip():
            problems.append(f"{s.id}: empty name, muscle_group or instructions")
        if s.name[:1] != s.name[:1].upper():
            problems.append(f"{s.id}: name {s.name!r} not in sentence case")
        if s.source != "built-in":
            problems.append(f"{s.id}: source {s.source!r}")
    assert not problems, "\n".join(problems)


def test_instructions_are_short():
    # 1-3 plain sentences each
    for s in load_catalog():
        sentences = [p for p in re.split(r"(?<=[.!?])\s+", s.instructions.strip()) if p]
        assert 1 <= len(sentences) <= 3, (s.id, len(sentences))


def test_kinds_of_required_entries():
    cat = load_catalog()
    for sid in EXERCISES:
        assert cat.get(sid).kind == "exercise", sid
    assert cat.get("foam-rolling").kind == "self-massage"
    assert cat.get("standing-hamstring-stretch").kind == "stretch"


def test_hamstring_instructions_mention_quadriceps_trick():
    text = load_catalog().get("standing-hamstring-stretch").instructions.lower()
    assert "quadriceps" in text or "front of your thighs" in text


def test_sided_flags():
    cat = load_catalog()
    for sid in ["reclining-hip-stretch", "seated-hip-stretch", "psoas-stretch-kneeling",
                "psoas-stretch-strap", "quadratus-lumborum-stretch", "single-knee-to-chest",
                "ear-to-shoulder", "levator-scapula-stretch"]:
        assert cat.get(sid).sided, sid
    for sid in ["standing-hamstring-stretch", "double-knees-to-chest",
                "passive-low-back-stretch", "chin-to-chest", "pelvic-tilt", "bridge"]:
        assert not cat.get(sid).sided, sid


def test_holds_follow_the_guides():
    cat = load_catalog()
    ham = cat.get("standing-hamstring-stretch")
    assert 5 <= ham.hold_s <= 10 and ham.reps == 9  # 5-10 s, 3 sets of 3
    dk = cat.get("double-knees-to-chest")
    assert 20 <= dk.hold_s <= 30 and 3 <= dk.reps <= 5
    assert cat.get("passive-low-back-stretch").hold_s == 300  # about 5 minutes
    assert cat.get("reclining-hip-stretch").hold_s == 60  # a minute or so
    assert cat.get("lumbar-flexion-rotation").reps == 10
    assert 8 <= cat.get("partial-crunch").reps <= 12


def test_orders_unique():
    orders = [s.order for s in load_catalog()]
    dupes = sorted({o for o in orders if orders.count(o) > 1})
    assert not dupes, f"orders used twice: {dupes}"


def test_region_order_hips_then_thighs_then_lower_back():
    cat = load_catalog()
    by_region = {r: [s.order for s in cat if s.region == r] for r in REGIONS}
    assert by_region["hips"] and by_region["thighs"] and by_region["lower back"]
    assert max(by_region["hips"]) < min(by_region["thighs"])
    assert max(by_region["thighs"]) < min(by_region["lower back"])
    assert max(by_region["lower back"]) < min(by_region["core"])


def test_order_bands():
    bands = {"hips": 100, "thighs": 200, "lower back": 300, "core": 400, "upper back": 500, "neck": 600}
    wrong = [
        (s.id, s.region, s.order)
        for s in load_catalog()
        if s.kind != "self-massage" and not (bands[s.region] <= s.order < bands[s.region] + 100)
    ]
    assert not wrong, f"entries outside their region's order band: {wrong}"
    massage = [s.order for s in load_catalog() if s.kind == "self-massage"]
    assert massage and max(massage) < 100  # before stretching, as the first guide does


def test_first_guide_sequence():
    cat = load_catalog()
    seq = ["reclining-hip-stretch", "seated-hip-stretch", "standing-hamstring-stretch",
           "tfl-it-band-stretch", "psoas-stretch-kneeling", "psoas-stretch-strap",
           "quadratus-lumborum-stretch", "passive-low-back-stretch"]
    orders = [cat.get(i).order for i in seq]
    assert orders == sorted(orders)
    lower_back = [s for s in cat if s.region == "lower back"]
    assert [s.id for s in lower_back[-2:]] == ["quadratus-lumborum-stretch", "passive-low-back-stretch"]


def test_catalog_iterates_in_order_and_in_region():
    cat = load_catalog()
    orders = [s.order for s in cat]
    assert orders == sorted(orders)
    hips = cat.in_region("hips")
    assert isinstance(hips, Catalog) and len(hips) > 0
    assert all(s.region == "hips" for s in hips)
    assert len(cat.in_region("lower-back")) == sum(s.region == "lower back" for s in cat)


def test_to_frame_one_row_per_entry():
    cat = load_catalog()
    frame = cat.to_frame()
    assert len(frame) == len(cat)
    assert list(frame["id"]) == list(cat.ids)
    assert frame["id"].is_unique
    for col in ["name", "aliases", "muscle_group", "region", "sided", "hold_s", "reps", "order", "kind"]:
        assert col in frame.columns


def test_unknown_name_does_not_match():
    assert load_catalog().match("cartwheel on the lawn") is None


# --- user catalog files ----------------------------------------------------------

_USER_ENTRY = """
[[stretch]]
id = "wall-calf-stretch"
name = "Wall calf stretch"
aliases = ["calf stretch"]
muscle_group = "calves"
region = "thighs"
sided = true
hold_s = 30
reps = 2
order = 280
instructions = "Lean into a wall with one leg back."
kind = "stretch"

[[stretch]]
id = "pigeon-pose"
name = "Pigeon pose (my version)"
aliases = ["pigeon", "my pigeon"]
muscle_group = "glutes"
region = "hips"
sided = true
hold_s = 90
reps = 1
order = 135
"""


def test_user_file_adds_and_replaces(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(_USER_ENTRY, encoding="utf-8")
    builtin = load_catalog()
    cat = load_catalog(path)

    assert len(cat) == len(builtin) + 1
    calf = cat.match("Calf-Stretch")
    assert calf is not None and calf.id == "wall-calf-stretch"
    assert calf.source == str(path)

    pigeon = cat.get("pigeon-pose")
    assert pigeon.name == "Pigeon pose (my version)"
    assert pigeon.hold_s == 90 and pigeon.reps == 1
    assert pigeon.source == str(path)
    assert cat.match("my pigeon").id == "pigeon-pose"
    assert [s.id for s in cat].count("pigeon-pose") == 1
    assert len(cat.to_frame()) == len(cat)

    # the built-in catalog itself is unchanged
    again = load_catalog()
    assert again.get("pigeon-pose").name == "Pigeon pose"
    assert "wall-calf-stretch" not in again


def _entry(**changes) -> str:
    fields = {
        "id": '"my-stretch"',
        "name": '"My stretch"',
        "muscle_group": '"calves"',
        "region": '"thighs"',
        "sided": "false",
        "hold_s": "30",
        "reps": "2",
        "order": "290",
    }
    for key, value in changes.items():
        if value is None:
            fields.pop(key)
        else:
            fields[key] = value
    return "[[stretch]]\n" + "".join(f"{k} = {v}\n" for k, v in fields.items())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[[stretch]\nid = 'x'\n", r"not valid TOML"),
        ('id = "x"\nname = "no table"\n', r"\[\[stretch\]\]"),
        (_entry(hold_s=None), r"missing hold_s"),
        (_entry(muscle_group=None, order=None), r"missing muscle_group, order"),
        (_entry(hold_s='"thirty"'), r"'hold_s' should be int"),
        (_entry(sided='"yes"'), r"'sided' should be bool"),
        (_entry(aliases='"just one"'), r"'aliases' should be list"),
        (_entry(colour='"red"'), r"unknown field\(s\) colour"),
        (_entry(hold_s="0"), r"hold_s must be 1\.\.3600"),
        (_entry(hold_s="4000"), r"hold_s must be 1\.\.3600"),
        (_entry(reps="0"), r"reps >= 1"),
        (_entry(id='"custom:mine"'), r"reserved"),
    ],
    ids=["bad-toml", "no-stretch-tables", "missing-field", "missing-two-fields",
         "wrong-type-int", "wrong-type-bool", "wrong-type-list", "unknown-field",
         "hold-zero", "hold-too-long", "reps-zero", "reserved-id"],
)
def test_malformed_user_file_raises(tmp_path, text, expected):
    path = tmp_path / "bad.toml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    with pytest.raises(CatalogError, match=expected) as info:
        load_catalog(path)
    assert str(path) in str(info.value)


def test_user_file_error_names_the_entry(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(_USER_ENTRY + _entry(reps='"two"'), encoding="utf-8")
    with pytest.raises(CatalogError, match=r"stretch #3 \(my-stretch\)"):
        load_catalog(path)


def test_missing_user_file_raises(tmp_path):
    with pytest.raises(CatalogError, match="cannot read catalog file"):
        load_catalog(tmp_path / "nope.toml")


def test_non_utf8_user_file_raises(tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes(_entry(name='"Étirement"').encode("latin-1"))
    with pytest.raises(CatalogError, match="not UTF-8"):
        load_catalog(path)
