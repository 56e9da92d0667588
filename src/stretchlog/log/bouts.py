"""From checked, typed columns to the clean bouts frame the reader returns.

Step 4 of the reader (:mod:`stretchlog.log.reader`): the ranges and allowed values
of the pandera schema :data:`stretchlog.log.schema.INPUT` (whose bounds, dates
1900-2099, reps up to 1000 ..., are docs/log-format.md's), each failure reported
for its cell. Then, once the file is valid: each stretch name matched to the
catalog (unknown names kept as your own stretches, with a warning and a
suggestion), and the frame's final types and column order.
"""

from __future__ import annotations

import difflib

import pandas as pd
import pandera.pandas as pa

from stretchlog.log import schema
from stretchlog.log.catalog import Catalog, custom_id
from stretchlog.log.errors import Problem
from stretchlog.log.problems import Collector

__all__ = ["BOUT_COLUMNS", "schema_problems", "stretch_ids", "finish_bouts"]


def schema_problems(typed: pd.DataFrame, raw: pd.DataFrame, problems: Collector) -> None:
    """Report each cell of ``typed`` that breaks :data:`~stretchlog.log.schema.INPUT` (its text from ``raw``)."""
    try:
        schema.INPUT.validate(typed, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        for rec in cases.itertuples(index=False):
            col = rec.column
            if col is None or rec.index is None or pd.isna(rec.index):
                continue
            row = int(rec.index)
            value = raw.at[row, col] if col in raw.columns else str(rec.failure_case)
            check = str(rec.check)
            if check in ("not_nullable",) or check.startswith(("dtype(", "coerce_dtype(")):
                expected = schema.column_meta(col)["expected"]
                if value.strip() == "":
                    expected += "; it is required"
            else:
                expected = check
            problems.add(Problem(row, col, value, expected))


def stretch_ids(names: pd.Series, catalog: Catalog, rows, warns: list[Problem]) -> tuple[pd.Series, pd.Series]:
    """Each stretch name's catalog id, and whether it is your own stretch.

    A name the catalog does not know gets a custom id and one warning (at its
    first row, with the closest catalog name when there is one) appended to ``warns``.

    Returns
    -------
    (Series, Series)
        The ids, and True where the stretch is not in the catalog.
    """
    uniq = pd.unique(names.dropna())
    mapping: dict[str, str] = {}
    custom: dict[str, bool] = {}
    choices = {}
    for s in catalog:
        for label in (s.name, *s.aliases):
            choices[label.lower()] = s.name
    for name in uniq:
        hit = catalog.match(name)
        if hit is not None:
            mapping[name] = hit.id
            custom[name] = False
            continue
        mapping[name] = custom_id(name)
        custom[name] = True
    ids = names.map(mapping)
    is_custom = names.map(custom).fillna(False).astype(bool)
    if is_custom.any():
        counts = ids[is_custom].value_counts()
        first_rows = pd.Series(rows, index=names.index)[is_custom].groupby(ids[is_custom]).min()
        for cid, first_row in first_rows.sort_values().items():
            typed = names[ids.eq(cid)].iloc[0]
            close = difflib.get_close_matches(typed.lower(), list(choices), n=1, cutoff=0.75)
            hint = f" Did you mean '{choices[close[0]]}'?" if close else ""
            warns.append(
                Problem(
                    int(first_row),
                    "stretch",
                    typed,
                    f"is not in the catalog; kept as your own stretch '{cid}' "
                    f"({int(counts[cid])} bout{'s' if counts[cid] != 1 else ''}).{hint} "
                    "See 'stretchlog catalog' for names, or add it to your own catalog file.",
                    "warning",
                )
            )
    return ids, is_custom


#: The columns of the clean bouts frame, in order (any extra columns come after them).
BOUT_COLUMNS = [
    "row",
    "session_id",
    "session",
    "date",
    "time",
    "bout",
    "stretch",
    "stretch_id",
    "custom",
    "side",
    "hold_s",
    "reps",
    "pain_before",
    "pain_after",
    "tightness",
    "notes",
    "segment_id",
]


def finish_bouts(bouts: pd.DataFrame, extras: list[str]) -> pd.DataFrame:
    """The bouts with their final types, in :data:`BOUT_COLUMNS` order, then the extra columns."""
    out = bouts.copy()
    out["side"] = pd.Categorical(out["side"].astype("str"), categories=list(schema.SIDES))
    out["reps"] = out["reps"].astype("int64")
    out["row"] = out["row"].astype("int64")
    out["custom"] = out["custom"].astype(bool)
    for col in ("time", "stretch", "stretch_id", "notes", "session"):
        out[col] = out[col].astype("str")
    extra_cols = [c for c in out.columns if c not in BOUT_COLUMNS and c != "seq"]
    return out[BOUT_COLUMNS + extra_cols].reset_index(drop=True)
