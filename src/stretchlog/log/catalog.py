"""The stretch catalog: the stretches the guides describe, and matching typed names to them.

The catalog is data, not code: ``stretchlog/log/data/catalog.toml`` ships with the
package, and a user may add a TOML file of their own in the same format that
extends (or overrides, by id) the built-in entries. Only the standard library is
imported here, so ``stretchlog catalog`` starts fast.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from stretchlog.log.errors import CatalogError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "Stretch",
    "Catalog",
    "REGIONS",
    "KINDS",
    "normalize_name",
    "custom_id",
    "load_catalog",
]

#: Body regions in the order the guides recommend working through them.
REGIONS: tuple[str, ...] = ("hips", "thighs", "lower back", "core", "upper back", "neck", "whole back")

#: What a catalog entry is.
KINDS: tuple[str, ...] = ("stretch", "exercise", "self-massage")

_FOLD = re.compile(r"[\s\-_]+")
_SLUG = re.compile(r"\W+")


def normalize_name(name: str) -> str:
    """Fold a stretch name for matching: lower case, no spaces, hyphens or underscores.

    Examples
    --------
    >>> normalize_name("Psoas Stretch-1")
    'psoasstretch1'
    >>> normalize_name("  knees_to chest ")
    'kneestochest'
    """
    return _FOLD.sub("", str(name)).casefold()


def custom_id(name: str) -> str:
    """The canonical id given to a stretch the catalog lacks.

    Spellings that :func:`normalize_name` folds together share one id.

    Examples
    --------
    >>> custom_id("Cat-Cow on the bed")
    'custom:catcowonthebed'
    """
    return "custom:" + _SLUG.sub("", normalize_name(name))


@dataclass(frozen=True)
class Stretch:
    """One catalog entry.

    Attributes
    ----------
    id : str
        Canonical id (kebab-case), used in every result frame.
    name : str
        Display name.
    aliases : tuple of str
        Other names people type; matching also ignores case, spaces, hyphens, underscores.
    muscle_group : str
        The muscle or muscle group it targets.
    region : str
        Body region, one of :data:`REGIONS`.
    sided : bool
        True when it is done one side at a time (left and right are separate bouts).
    hold_s, reps : int
        Suggested seconds per hold and number of holds.
    order : int
        Place in the order the guides recommend (hips first, lower back last).
    instructions : str
        Short instructions.
    kind : str
        ``"stretch"``, ``"exercise"`` (strengthening or mobility) or ``"self-massage"``.
    source : str
        Where the entry comes from: ``"built-in"`` or the user's catalog file.
    """

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    muscle_group: str = ""
    region: str = ""
    sided: bool = False
    hold_s: int = 30
    reps: int = 1
    order: int = 9999
    instructions: str = ""
    kind: str = "stretch"
    source: str = "built-in"

    @property
    def suggested_seconds(self) -> int:
        """Seconds of holding the suggestion takes (both sides for a sided stretch)."""
        return self.hold_s * self.reps * (2 if self.sided else 1)


_FIELDS = {
    "id": str,
    "name": str,
    "aliases": list,
    "muscle_group": str,
    "region": str,
    "sided": bool,
    "hold_s": int,
    "reps": int,
    "order": int,
    "instructions": str,
    "kind": str,
}
_REQUIRED = ("id", "name", "muscle_group", "region", "sided", "hold_s", "reps", "order")


@dataclass(frozen=True)
class Catalog:
    """An ordered collection of :class:`Stretch` entries with name matching.

    Examples
    --------
    >>> cat = load_catalog()
    >>> cat.match("Knees to chest").id
    'double-knees-to-chest'
    >>> cat.match("my own thing") is None
    True
    """

    stretches: tuple[Stretch, ...]
    _index: dict[str, Stretch] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, Stretch] = {}
        for s in self.stretches:
            for key in (s.id, s.name, *s.aliases):
                index.setdefault(normalize_name(key), s)
        # ids win over names and aliases of other entries
        for s in self.stretches:
            index[normalize_name(s.id)] = s
        object.__setattr__(self, "_index", index)

    def __len__(self) -> int:
        return len(self.stretches)

    def __iter__(self):
        return iter(self.stretches)

    def __contains__(self, stretch_id: object) -> bool:
        return any(s.id == stretch_id for s in self.stretches)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.stretches)

    def match(self, name: str) -> Stretch | None:
        """The entry whose id, name or alias matches ``name`` (folded), or None."""
        return self._index.get(normalize_name(name))

    def get(self, stretch_id: str) -> Stretch:
        """The entry with this canonical id; ``KeyError`` if there is none."""
        for s in self.stretches:
            if s.id == stretch_id:
                return s
        raise KeyError(stretch_id)

    def in_region(self, region: str) -> "Catalog":
        """The entries of one body region (matched like names, so ``lower-back`` works)."""
        want = normalize_name(region)
        return Catalog(tuple(s for s in self.stretches if normalize_name(s.region) == want))

    def to_frame(self) -> "pd.DataFrame":
        """The catalog as a DataFrame, one row per stretch, in the guides' order."""
        import pandas as pd

        rows = [
            {
                "id": s.id,
                "name": s.name,
                "aliases": ", ".join(s.aliases),
                "muscle_group": s.muscle_group,
                "region": s.region,
                "sided": s.sided,
                "hold_s": s.hold_s,
                "reps": s.reps,
                "order": s.order,
                "kind": s.kind,
                "instructions": s.instructions,
                "source": s.source,
            }
            for s in self.stretches
        ]
        return pd.DataFrame(rows)


def _parse_entries(data: dict, source: str) -> list[Stretch]:
    entries = data.get("stretch")
    if not isinstance(entries, list):
        raise CatalogError(f"{source}: expected a list of [[stretch]] tables")
    out = []
    for i, entry in enumerate(entries, start=1):
        where = f"{source}, stretch #{i}"
        if not isinstance(entry, dict):
            raise CatalogError(f"{where}: expected a table")
        missing = [k for k in _REQUIRED if k not in entry]
        if missing:
            raise CatalogError(f"{where} ({entry.get('id', '?')}): missing {', '.join(missing)}")
        unknown = sorted(set(entry) - set(_FIELDS))
        if unknown:
            raise CatalogError(f"{where} ({entry['id']}): unknown field(s) {', '.join(unknown)}")
        for key, typ in _FIELDS.items():
            value = entry.get(key)
            # bool is a subclass of int: a number field must not take true/false
            wrong = key in entry and (
                not isinstance(value, typ) or (typ is int and isinstance(value, bool))
            )
            if wrong:
                raise CatalogError(
                    f"{where} ({entry.get('id')}): field {key!r} should be {typ.__name__}, "
                    f"got {value!r}"
                )
        if not all(isinstance(a, str) for a in entry.get("aliases", ())):
            raise CatalogError(f"{where} ({entry['id']}): every alias should be text")
        if entry["region"] not in REGIONS:
            raise CatalogError(
                f"{where} ({entry['id']}): region {entry['region']!r} is not one of {', '.join(REGIONS)}"
            )
        if entry.get("kind", "stretch") not in KINDS:
            raise CatalogError(
                f"{where} ({entry['id']}): kind {entry['kind']!r} is not one of {', '.join(KINDS)}"
            )
        if any(s.id == entry["id"] for s in out):
            raise CatalogError(f"{where}: id {entry['id']!r} appears twice in this file")
        if entry["hold_s"] <= 0 or entry["hold_s"] > 3600 or entry["reps"] < 1:
            raise CatalogError(f"{where} ({entry['id']}): hold_s must be 1..3600 and reps >= 1")
        if str(entry["id"]).startswith("custom:"):
            raise CatalogError(f"{where}: ids starting with 'custom:' are reserved")
        out.append(
            Stretch(
                id=entry["id"],
                name=entry["name"],
                aliases=tuple(entry.get("aliases", ())),
                muscle_group=entry["muscle_group"],
                region=entry["region"],
                sided=entry["sided"],
                hold_s=entry["hold_s"],
                reps=entry["reps"],
                order=entry["order"],
                instructions=entry.get("instructions", ""),
                kind=entry.get("kind", "stretch"),
                source=source,
            )
        )
    return out


def _read_toml(text: str, source: str) -> dict:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"{source}: not valid TOML ({exc})") from None


def _merge(base: Iterable[Stretch], extra: Iterable[Stretch]) -> tuple[Stretch, ...]:
    merged = {s.id: s for s in base}
    for s in extra:
        merged[s.id] = s
    return tuple(sorted(merged.values(), key=lambda s: (s.order, s.name)))


_BUILTIN: tuple[Stretch, ...] | None = None


def _builtin_text() -> str:
    """The built-in catalog file's text.

    Read from beside this module, as every ordinary install has it; only a package
    imported from a zip archive goes through ``importlib.resources``, whose import
    (zipfile, tempfile and its readers) costs ``stretchlog catalog`` about 4 ms.
    """
    path = Path(__file__).with_name("data") / "catalog.toml"
    if path.is_file():
        return path.read_text("utf-8")
    from importlib import resources

    return resources.files("stretchlog.log").joinpath("data/catalog.toml").read_text("utf-8")


def _builtin() -> tuple[Stretch, ...]:
    global _BUILTIN
    if _BUILTIN is None:
        _BUILTIN = tuple(_parse_entries(_read_toml(_builtin_text(), "built-in"), "built-in"))
    return _BUILTIN


def load_catalog(user_file: str | Path | None = None) -> Catalog:
    """Load the built-in catalog, extended by an optional user catalog file.

    Parameters
    ----------
    user_file : path, optional
        A TOML file with ``[[stretch]]`` tables in the built-in format. Its entries
        are added to the catalog; an entry whose ``id`` is a built-in id replaces it.

    Returns
    -------
    Catalog

    Raises
    ------
    CatalogError
        If the user file cannot be read or an entry is malformed.

    Examples
    --------
    >>> cat = load_catalog()
    >>> cat.match("pigeon").name
    'Pigeon pose'
    """
    stretches = _builtin()
    if user_file is not None:
        path = Path(user_file)
        try:
            text = path.read_text("utf-8")
        except OSError as exc:
            raise CatalogError(f"cannot read catalog file {path}: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise CatalogError(f"catalog file {path} is not UTF-8 text") from None
        extra = _parse_entries(_read_toml(text, str(path)), str(path))
        stretches = _merge(stretches, extra)
    else:
        stretches = _merge(stretches, ())
    return Catalog(stretches)
