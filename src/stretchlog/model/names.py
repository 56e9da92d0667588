"""The name each stretch of a log is shown by: the catalog's, or, for a stretch the
catalog lacks, the name typed most often."""

from __future__ import annotations

import pandas as pd

from stretchlog.log.catalog import Catalog, load_catalog

__all__ = ["display_names"]


def display_names(bouts: pd.DataFrame, catalog: Catalog | None = None) -> dict[str, str]:
    """Stretch id -> catalog name (custom stretches: the name most often typed).

    Examples
    --------
    >>> import io, stretchlog
    >>> bouts = stretchlog.read_log(io.StringIO(
    ...     "date,stretch,pain_before,pain_after,hold_s\\n2026-01-01,pigeon,6,5,30\\n"
    ...     "2026-01-01,knees to chest,,4,30\\n"))
    >>> display_names(bouts)
    {'double-knees-to-chest': 'Double knees to chest', 'pigeon-pose': 'Pigeon pose'}
    """
    cat = catalog if catalog is not None else load_catalog()
    out = {}
    if bouts.empty:
        return out
    names = {s.id: s.name for s in cat}
    ids = bouts["stretch_id"].astype("str")
    custom = ~ids.isin(list(names))
    typed = {}
    if custom.any():  # only stretches the catalog lacks need the name typed most often
        typed = bouts.loc[custom].groupby("stretch_id")["stretch"].agg(lambda s: s.value_counts().index[0])
    for sid in sorted(ids.unique()):
        out[sid] = names[sid] if sid in names else str(typed[sid])
    return out
