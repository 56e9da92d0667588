"""Stretch names the logger does not know: close names to suggest, and the refusal's words.

A name is *known* when the catalog knows it (by id, name or alias, ignoring case,
spaces and hyphens) or when this person's log already has it. For an unknown name
:func:`suggest` finds the close ones, preferring the stretches this person has
logged before (most used first) over the rest of the catalog: someone who always
logs "psoas stretch 1" and types "psoas" is offered Psoas stretch 1 (kneeling),
not the strap version they have never done.

The one-line ``stretchlog log`` refuses an unknown name unless it is marked as a
new stretch (``--new-stretch``, or ``custom:`` before the name); the step-by-step
logger asks instead. :func:`unknown_name_message` gives the words for both.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from stretchlog.entry.completion import History
from stretchlog.log.catalog import Catalog, custom_id, normalize_name

__all__ = ["Suggestion", "is_known", "suggest", "unknown_name_message"]

#: How alike (0-1) a name must be to be suggested.
CUTOFF = 0.7
#: The head start of a stretch this person has logged over the rest of the catalog.
LOGGED_BONUS = 0.05


@dataclass(frozen=True)
class Suggestion:
    """A stretch close to a name that was typed.

    Attributes
    ----------
    stretch_id : str
        The catalog id (or ``custom:...`` for a stretch of the person's own).
    name : str
        The name to show: the catalog's name, or the person's own spelling.
    spelling : str
        What to type to get it: the person's own spelling when they have logged
        it, else the closest catalog name or alias.
    logged : bool
        The person's log already has this stretch.
    score : float
        How alike the names are (0-1, the head start for logged stretches included).
    """

    stretch_id: str
    name: str
    spelling: str
    logged: bool
    score: float


def _sid(name: str, catalog: Catalog) -> str:
    hit = catalog.match(name)
    return hit.id if hit is not None else custom_id(name)


def is_known(name: str, catalog: Catalog, history: History | None = None) -> bool:
    """True when the catalog or this person's log knows ``name``.

    Examples
    --------
    >>> from stretchlog.log.catalog import load_catalog
    >>> cat = load_catalog()
    >>> is_known("Reclining hip", cat), is_known("recliningg hip", cat)
    (True, False)
    >>> is_known("cat cow", cat, History(names=("cat cow",), last_use={"catcow": None}))
    True
    """
    if catalog.match(name) is not None:
        return True
    uses = (history.last_use or {}) if history is not None else {}
    return normalize_name(name) in uses or custom_id(name) in uses


def _likeness(typed: str, label: str) -> float:
    """How alike two folded names are (0-1); a start of the name counts as close."""
    if not typed or not label:
        return 0.0
    score = difflib.SequenceMatcher(None, typed, label).ratio()
    if len(typed) >= 3 and label.startswith(typed):
        score = max(score, 0.8)
    elif len(typed) >= 4 and typed in label:
        score = max(score, 0.75)
    return score


def suggest(name: str, catalog: Catalog, history: History | None = None, *, n: int = 3) -> list[Suggestion]:
    """The stretches whose names are close to ``name``, best first (at most ``n``).

    Stretches in this person's log get a small head start, and among equals the
    one they log most comes first.

    Examples
    --------
    >>> from stretchlog.log.catalog import load_catalog
    >>> cat = load_catalog()
    >>> suggest("recliningg hip", cat)[0].name
    'Reclining hip stretch'
    >>> mine = History(names=("psoas stretch 1",), last_use={})
    >>> [s.name for s in suggest("psoas", cat, mine)][:2]
    ['Psoas stretch 1 (kneeling)', 'Psoas stretch 2 (strap)']
    """
    typed = normalize_name(name)
    names = history.names if history is not None else ()
    # this person's own stretches, most used first, with the spellings they use
    own: dict[str, list[str]] = {}
    for spelled in names:
        own.setdefault(_sid(spelled, catalog), []).append(spelled)
    rank = {sid: i for i, sid in enumerate(own)}
    labels: dict[str, list[str]] = {sid: list(sp) for sid, sp in own.items()}
    shown: dict[str, str] = {sid: sp[0] for sid, sp in own.items()}
    for s in catalog:
        labels.setdefault(s.id, []).extend([s.name, *s.aliases, s.id])
        shown[s.id] = s.name
    found: list[Suggestion] = []
    for sid, texts in labels.items():
        scored = [(_likeness(typed, normalize_name(t)), t) for t in texts]
        best, label = max(scored, key=lambda x: x[0])
        if best < CUTOFF:
            continue
        logged = sid in own
        if logged:  # type it as you usually do: your closest spelling
            label = max(own[sid], key=lambda t: _likeness(typed, normalize_name(t)))
        found.append(Suggestion(sid, shown[sid], label, logged, best + (LOGGED_BONUS if logged else 0.0)))
    found.sort(key=lambda s: (-s.score, rank.get(s.stretch_id, len(rank))))
    return found[:n]


def unknown_name_message(
    name: str, catalog: Catalog, history: History | None = None, *, text: str | None = None,
    how_new: str = "add --new-stretch",
) -> str:
    """Why an unknown name is refused, with the close names and how to log a new stretch.

    Parameters
    ----------
    name : str
        The stretch name as typed.
    catalog, history
        What the logger knows.
    text : str, optional
        The whole bout as typed (``"psoas:45x2"``): the message then shows it
        written with the suggested name.
    how_new : str
        How to say "this really is a new stretch" where the message is read.

    Examples
    --------
    >>> from stretchlog.log.catalog import load_catalog
    >>> print(unknown_name_message("recliningg hip", load_catalog(), text="recliningg hip:60x3"))
    'recliningg hip' is not in the catalog or your log; did you mean 'Reclining hip stretch'? Write it as 'reclining hip:60x3'. If 'recliningg hip' is a new stretch of your own, add --new-stretch (or write 'custom:recliningg hip:60x3').
    """
    found = suggest(name, catalog, history)
    rest = text.partition(":")[2] if text and ":" in text else ""
    custom = f"custom:{name}:{rest}" if rest else f"custom:{name}:45"
    new = f"If '{name}' is a new stretch of your own, {how_new} (or write '{custom}')."
    if not found:
        return (f"'{name}' is not in the catalog or your log, and no stretch there has a close name. {new} "
                "'stretchlog catalog' lists the stretches it knows.")
    best = found[0]
    yours = " (in your log)" if best.logged and len(found) > 1 and not found[1].logged else ""
    msg = f"'{name}' is not in the catalog or your log; did you mean '{best.name}'{yours}?"
    others = [s.name for s in found[1:] if s.score >= best.score - 0.1]
    if others:
        msg += " Also close: " + ", ".join(f"'{o}'" for o in others) + "."
    if rest:
        msg += f" Write it as '{best.spelling}:{rest}'."
    return msg + " " + new
