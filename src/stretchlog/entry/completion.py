"""What the prompts suggest: the user's own history, and stretch-name completion.

:func:`history_of` reads a log into a :class:`History`: the names the user has
typed, most used first, and how each stretch was done last time (hold, reps, the
side opened with), which the interactive ``stretchlog log``
(:mod:`stretchlog.entry.interactive`) offers as defaults. :class:`StretchCompleter`
completes stretch names from :func:`candidates`: the user's own names first, then
the catalog's names and aliases.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from stretchlog.entry.append import last_session
from stretchlog.entry.quicklog import Bout, Session
from stretchlog.log.catalog import Catalog, normalize_name

__all__ = ["History", "history_of", "candidates", "StretchCompleter"]


@dataclass(frozen=True)
class History:
    """What the user has logged before, for completion and suggestions.

    Attributes
    ----------
    names : tuple of str
        Stretch names as the user last typed them, most used first.
    last_use : dict
        Folded name (and canonical id) -> the first :class:`Bout` of that stretch in
        the latest session that had it: its hold, reps, and the side the user
        opened with (a session doing left then right suggests left next time).
    last : Session or None
        The latest session.
    """

    names: tuple[str, ...] = ()
    last_use: dict | None = None
    last: Session | None = None

    def bout_for(self, name: str, catalog: Catalog) -> Bout | None:
        """How ``name`` (or the catalog stretch it names) was done last time, or None."""
        uses = self.last_use or {}
        hit = catalog.match(name)
        if hit is not None and hit.id in uses:
            return uses[hit.id]
        return uses.get(normalize_name(name))


def history_of(bouts, catalog: Catalog | None = None) -> History:
    """Build the :class:`History` of a log frame (as :func:`stretchlog.log.reader.read_log` returns)."""
    if bouts is None or len(bouts) == 0:
        return History(last_use={})
    counts = bouts.groupby("stretch_id", sort=False).size()
    # each stretch's first row in the latest session that had it (bouts are in time order)
    last_session_of = bouts.groupby("stretch_id", sort=False)["session_id"].transform("max")
    latest = (
        bouts[bouts["session_id"].eq(last_session_of)]
        .groupby("stretch_id", sort=False)
        .head(1)
        .set_index("stretch_id")
    )
    order = sorted(counts.index, key=lambda sid: (-int(counts[sid]), -int(latest.at[sid, "session_id"])))
    names = tuple(str(latest.at[sid, "stretch"]) for sid in order)
    last_use: dict = {}
    for sid in order:
        r = latest.loc[sid]
        bout = Bout(str(r["stretch"]), float(r["hold_s"]), int(r["reps"]), str(r["side"]))
        last_use[sid] = bout
        last_use[normalize_name(r["stretch"])] = bout
    return History(names=names, last_use=last_use, last=last_session(bouts))


def candidates(history: History, catalog: Catalog) -> list[tuple[str, str]]:
    """(text, meta) pairs: the user's own names first, then catalog names, then aliases."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()

    def add(text: str, meta: str) -> None:
        key = normalize_name(text)
        if key and key not in seen:
            seen.add(key)
            out.append((text, meta))

    for name in history.names:
        add(name, "yours")
    for s in catalog:
        add(s.name, s.region)
    for s in catalog:
        for alias in s.aliases:
            add(alias, s.name)
    return out


def _prompt_toolkit_completer(candidates: list[tuple[str, str]]):
    """A prompt_toolkit Completer over ``candidates`` (none after a ':' or '#', i.e. in the quick form)."""
    from prompt_toolkit.completion import Completer, Completion

    class _C(Completer):
        def get_completions(self, document, complete_event):
            typed = document.text_before_cursor
            if ":" in typed or "#" in typed:
                return
            for text in StretchCompleter(candidates).matches(typed):
                yield Completion(text, start_position=-len(typed), display_meta=dict(candidates).get(text, ""))

    return _C()


class StretchCompleter:
    """Stretch names matching what was typed: prefix matches first, then anywhere.

    Case, spaces, hyphens and underscores are ignored; within each group the order
    of the candidates (the user's own, most used first, then the catalog) is kept.
    :meth:`for_prompt_toolkit` gives the prompt_toolkit completer.

    Examples
    --------
    >>> c = StretchCompleter([("hamstring stretch", ""), ("pigeon pose", ""), ("seated hamstring", "")])
    >>> c.matches("ham")
    ['hamstring stretch', 'seated hamstring']
    """

    def __init__(self, candidates: Sequence[tuple[str, str]]):
        self.candidates = list(candidates)

    def matches(self, typed: str) -> list[str]:
        """The candidates matching ``typed``: prefix matches first, then matches anywhere."""
        key = normalize_name(typed)
        if not key:
            return [c for c, _ in self.candidates]
        prefix = [c for c, _ in self.candidates if normalize_name(c).startswith(key)]
        inside = [c for c, _ in self.candidates if key in normalize_name(c) and c not in prefix]
        return prefix + inside

    def for_prompt_toolkit(self):
        """The same completion as a prompt_toolkit ``Completer``."""
        return _prompt_toolkit_completer(self.candidates)
