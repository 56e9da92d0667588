"""The interactive ``stretchlog log``: a session asked for step by step, appended on confirm.

The flow: the pain now; then stretch by stretch the name (completed from your own
history, most used first, then the catalog), side, hold, reps, tightness and the
pain after it (Enter skips the optional ones, or takes the suggestion shown in
brackets: your last session's stretch, your last use of that stretch, or the
catalog's advice); then the pain at the end. You may start from your last
session's stretches (what you did, never what you felt: pain and tightness are
always asked afresh). The session is shown as a table and appended on confirm.
Ctrl-C or Ctrl-D at any prompt stops and writes nothing.

Holds may be typed as seconds (``45``, ``90s``), minutes (``1m``) or minutes and
seconds (``1m30s``, ``1:30``).

Your own log can warn you: the caller may pass the ids of the stretches the
analysis finds make your pain worse (``harmful``; :mod:`stretchlog.cli.log` works
them out, since the analysis sits above this package). Such a stretch is pointed
out when your last session is offered as a start and again when you pick it, and
whenever the pain you enter after a stretch is higher than before it, you are told
so, gently. These are advice, not a diagnosis.

At a stretch prompt you may also type a whole bout in the quick form
(``hamstring:10x9:t5``, see :mod:`stretchlog.entry.quicklog`), ``-`` to skip the
suggested stretch, or ``.`` to finish.

Every prompt goes through one function, ``ask(message, completer=None) -> str``,
so tests (and other front ends) can drive the flow without a terminal; the
default one is a prompt_toolkit ``PromptSession``. The suggestions and name
completion come from :mod:`stretchlog.entry.completion`, the session table and
command line shown back from :mod:`stretchlog.entry.show` (both importable from
here too).
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from concurrent.futures import Future
from typing import Callable, Collection, Protocol, Union

from stretchlog.entry.append import AppendError, AppendResult, append_session, read_existing
from stretchlog.entry.completion import History, StretchCompleter, history_of
from stretchlog.entry.completion import candidates as _candidates
from stretchlog.entry.inputs import date_of
from stretchlog.entry.names import is_known, suggest
from stretchlog.entry.quicklog import (
    HOLD_EXAMPLES,
    Bout,
    QuickFormError,
    Session,
    format_bout,
    format_number,
    parse_bout,
    parse_hold,
    parse_side,
    split_new_marker,
)
from stretchlog.entry.show import quick_command, session_table
from stretchlog.log.catalog import Catalog, custom_id, load_catalog, normalize_name
from stretchlog.log.schema import HOLD_MAX_S, PAIN_MAX, PAIN_MIN

__all__ = [
    "Ask",
    "History",
    "history_of",
    "StretchCompleter",
    "prompt_toolkit_ask",
    "run_interactive",
    "session_table",
    "quick_command",
]


class Ask(Protocol):
    """One prompt: show ``message``, return what was typed (raise KeyboardInterrupt/EOFError to stop)."""

    def __call__(self, message: str, *, completer=None) -> str: ...  # pragma: no cover


class _Stop(Exception):
    """The user stopped (Ctrl-C, Ctrl-D)."""


_ACCEPT = "\x00accept"  # the suggested stretch, as it was done last time

#: The stretch ids that make this person's pain worse: a set, or a function of the log's bouts giving one.
Harmful = Union[Collection[str], Callable[..., Collection[str]], None]
#: Seconds to wait, at most, for ``harmful`` still being worked out when the last session is offered.
HARMFUL_WAIT_S = 2.0

_ADVICE = "this is advice, not a diagnosis"


# --------------------------------------------------------------------------- the prompt


def prompt_toolkit_ask(**session_kwargs) -> Ask:
    """The default ``ask``: one prompt_toolkit ``PromptSession`` (history within the run, completion)."""
    from prompt_toolkit import PromptSession

    session = PromptSession(**session_kwargs)

    def ask(message: str, *, completer=None) -> str:
        ptk = completer.for_prompt_toolkit() if isinstance(completer, StretchCompleter) else completer
        return session.prompt(message, completer=ptk, complete_while_typing=ptk is not None)

    return ask


# --------------------------------------------------------------------------- the flow


class _Flow:
    def __init__(self, ask: Ask, console, catalog: Catalog, history: History,
                 harmful: "Collection[str] | Future | None" = None):
        self.ask_fn = ask
        self.console = console
        self.catalog = catalog
        self.history = history
        self._harmful = harmful
        self._warned: set[str] = set()

    def harmful_ids(self, wait: float = 0.0) -> frozenset[str]:
        """The ids of stretches that make the pain worse; empty when unknown (not ready, or it failed)."""
        h = self._harmful
        if h is None:
            return frozenset()
        if isinstance(h, Future):
            try:
                h = h.result(timeout=wait)
            except Exception:  # noqa: BLE001 - still working, or failed: no warning, never a crash
                if h.done():
                    self._harmful = None
                return frozenset()
            self._harmful = h
        try:
            return frozenset(h or ())
        except TypeError:
            self._harmful = None
            return frozenset()

    def stretch_id(self, name: str) -> str:
        hit = self.catalog.match(name)
        return hit.id if hit is not None else custom_id(name)

    def shown_name(self, name: str) -> str:
        hit = self.catalog.match(name)
        return hit.name if hit is not None else name

    def worse(self, name: str, wait: float = 0.0) -> bool:
        """True when the person's own log shows ``name`` makes the pain worse."""
        return self.stretch_id(name) in self.harmful_ids(wait)

    def warn_on_pick(self, name: str) -> None:
        """A gentle word before a stretch the log shows makes the pain worse (once per stretch)."""
        sid = self.stretch_id(name)
        if sid in self._warned or not self.worse(name):
            return
        self._warned.add(sid)
        self.say(f"  [yellow]Careful:[/] your own log shows that {_esc(self.shown_name(name))} tends to make "
                 f"your pain worse. Go gently, or skip it; stop if it hurts ({_ADVICE}).")

    def ask(self, message: str, *, completer=None) -> str:
        try:
            answer = self.ask_fn(message, completer=completer)
        except (KeyboardInterrupt, EOFError):
            raise _Stop from None
        if answer is None:
            raise _Stop
        return answer.strip()

    def say(self, text: str) -> None:
        self.console.print(text)

    def number(self, what: str, *, lo: float, hi: float, default: float | None = None,
               optional: bool = False, whole: bool = False, low_open: bool = False,
               hold: bool = False) -> float | None:
        hint = f" [{format_number(default)}]" if default is not None else (" (Enter skips)" if optional else "")
        while True:
            text = self.ask(f"{what}{hint}: ")
            if text == "":
                if default is not None:
                    return default
                if optional:
                    return None
                self.say(f"  [red]Please give {what.lower()}.[/]")
                continue
            value = _read_hold(text) if hold else _read_number(text)
            if value is None:
                tip = " (use a decimal point)" if re.fullmatch(r"\d+,\d+", text) else ""
                if hold:
                    self.say(f"  [red]'{_esc(text)}' is not a hold: give {HOLD_EXAMPLES}{tip}.[/]")
                else:
                    self.say(f"  [red]'{_esc(text)}' is not a number{tip}.[/]")
                continue
            if (value <= lo if low_open else value < lo) or value > hi or (whole and value != int(value)):
                rng = f"more than {format_number(lo)} and at most {format_number(hi)}" if low_open else (
                    f"from {format_number(lo)} to {format_number(hi)}")
                self.say(f"  [red]{what} must be {'a whole number ' if whole else ''}{rng}.[/]")
                continue
            return int(value) if whole else value

    def yes_no(self, question: str, *, default: bool) -> bool:
        suffix = " [Y/n]: " if default else " [y/N]: "
        while True:
            text = self.ask(question + suffix).lower()
            if text == "":
                return default
            if text in ("y", "yes"):
                return True
            if text in ("n", "no"):
                return False
            self.say("  [red]Please answer y or n.[/]")

    def side(self, default: str) -> str:
        while True:
            text = self.ask(f"Side (left/right/both) [{default}]: ")
            if text == "":
                return default
            side = parse_side(text)
            if side is not None:
                return side
            self.say(f"  [red]'{_esc(text)}' is not a side: left, right or both (l, r, b).[/]")

    def stretch_name(self, n: int, suggestion: Bout | None, completer) -> str | None:
        """A name, a quick-form bout ('x:..'), _ACCEPT, '-' to skip the suggestion, or None to finish."""
        if suggestion is not None:
            msg = f"Stretch {n} [{format_bout(suggestion, readings=False)}] ('-' skips it, '.' finishes): "
        else:
            msg = f"Stretch {n} (Enter when done): " if n > 1 else f"Stretch {n}: "
        while True:
            text = self.ask(msg, completer=completer)
            if text == "." or (text == "" and suggestion is None and n > 1):
                return None
            if text == "" and suggestion is not None:
                return _ACCEPT
            if text == "-" and suggestion is not None:
                return "-"
            if text == "":
                self.say("  [red]Type the name of the first stretch (Tab completes).[/]")
                continue
            if ":" not in text and not self.known(text):
                close = self.close_to(text)
                hint = f" Did you mean '{_esc(close)}'?" if close else ""
                if not self.yes_no(f"'{_esc(text)}' is not in the catalog or your log.{hint} Keep it as your own stretch?",
                                   default=False):
                    continue
            return text

    def known(self, name: str) -> bool:
        return is_known(name, self.catalog, self.history)

    def close_to(self, name: str) -> str | None:
        """What to type for the closest known stretch (the person's own first), or None."""
        found = suggest(name, self.catalog, self.history, n=1)
        return found[0].spelling if found else None

    def defaults(self, name: str, suggestion: Bout | None, previous: Bout | None) -> Bout:
        """Side, hold and reps to suggest: the template, else the last use, else the catalog."""
        if suggestion is not None and normalize_name(suggestion.stretch) == normalize_name(name):
            return suggestion
        hit = self.catalog.match(name)
        used = self.history.bout_for(name, self.catalog)
        base = used or (Bout(name, float(hit.hold_s), hit.reps, "left" if hit.sided else "both") if hit else None)
        side = base.side if base is not None else "both"
        same_as_previous = previous is not None and (
            normalize_name(previous.stretch) == normalize_name(name)
            or (hit is not None and self.catalog.match(previous.stretch) == hit)
        )
        if same_as_previous and previous.side in ("left", "right"):
            side = "right" if previous.side == "left" else "left"
            base = previous
        if base is None:
            return Bout(name, 0.0, 1, side)
        return Bout(name, base.hold_s, base.reps, side)


def _esc(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _read_hold(text: str) -> float | None:
    """Seconds of a hold typed as 45, 90s, 1m, 1m30s or 1:30; None for anything else."""
    try:
        return parse_hold(text)
    except ValueError:
        return None


def _read_number(text: str) -> float | None:
    t = text.strip()
    if re.fullmatch(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)", t):
        return float(t)
    return None


def _default_console():
    from rich.console import Console

    return Console(highlight=False, emoji=False)


def run_interactive(
    log_path: str | os.PathLike,
    *,
    ask: Ask | None = None,
    console=None,
    catalog: Catalog | None = None,
    pain: float | None = None,
    end_pain: float | None = None,
    date: _dt.date | str | None = None,
    time: str | None = None,
    yes: bool = False,
    dry_run: bool = False,
    backup: bool = True,
    now: _dt.datetime | None = None,
    harmful: Harmful = None,
) -> AppendResult | None:
    """Ask for a session step by step and append it on confirm.

    Parameters
    ----------
    log_path : path
        The log; a missing one is started (its folder must exist).
    ask : callable, optional
        ``ask(message, completer=None) -> str`` for every prompt (default:
        :func:`prompt_toolkit_ask`). KeyboardInterrupt or EOFError from it stops the
        flow: nothing is written and None is returned.
    console : rich Console, optional
        Where messages and the table go.
    pain, end_pain : float, optional
        Already known start and end pain (then not asked).
    date, time, yes, dry_run, backup, now
        As for :func:`stretchlog.entry.append.append_session`; ``yes`` skips the final
        confirmation.
    harmful : set of str, or a function, optional
        Ids of the stretches this person's log shows make the pain worse (e.g. from
        ``stretchlog.analysis.analyse(log).effects``), pointed out when the last
        session is offered and when picked. A function is called with the log's
        bouts (None for no log) in the background while the first question is
        shown, and waited for at most :data:`HARMFUL_WAIT_S` seconds; one that is
        late or fails gives no warning, never an error.

    Returns
    -------
    AppendResult or None
        None when the user stopped or entered no stretch.

    Raises
    ------
    AppendError
        If the log is invalid (before anything is asked), or the session cannot be
        written; the message then also gives the quick-form command that logs it.
    """
    catalog = catalog if catalog is not None else load_catalog()
    console = console if console is not None else _default_console()
    existing = read_existing(log_path, catalog=catalog)  # an invalid log stops us before any question
    history = history_of(existing.bouts if existing is not None else None, catalog)
    if ask is None:
        ask = prompt_toolkit_ask()
    flow = _Flow(ask, console, catalog, history, _in_background(harmful, existing))
    completer = StretchCompleter(_candidates(history, catalog))
    try:
        session = _ask_session(flow, completer, log_path, pain=pain, end_pain=end_pain, date=date, time=time)
        if session is None:
            return None
        try:
            preview = append_session(log_path, session, dry_run=True, catalog=catalog, now=now, backup=backup)
        except AppendError as exc:
            raise AppendError(
                f"{exc}\nThe session was not saved. To log it once the problem is fixed:\n  "
                f"{quick_command(log_path, session, new_stretch=_has_new(flow, session))}",
                kind=exc.kind,
                problems=exc.problems,
            ) from None
        label = preview.sessions[0]
        console.print(session_table(session.resolved_bouts(), title=f"Session {label}", catalog=catalog))
        for w in preview.warnings:
            console.print(f"[yellow]Note:[/] {_esc(str(w))}")
        if dry_run:
            console.print("[bold]Dry run:[/] these lines would be added to the log (nothing was written):")
            console.print(preview.text.strip("\r\n"), markup=False, highlight=False)
            return preview
        if not yes and not flow.yes_no(f"Add this session to {log_path}?", default=True):
            console.print("Nothing was written.")
            return None
    except _Stop:
        console.print("\nStopped: nothing was written.")
        return None
    try:
        return append_session(log_path, session, catalog=catalog, now=now, backup=backup)
    except AppendError as exc:
        raise AppendError(
            f"{exc}\nThe session was not saved. To log it once the problem is fixed:\n  "
            f"{quick_command(log_path, session, new_stretch=_has_new(flow, session))}",
            kind=exc.kind,
            problems=exc.problems,
        ) from None


def _ask_session(flow: _Flow, completer, log_path, *, pain, end_pain, date, time) -> Session | None:
    say = flow.say
    say(f"Logging a session to [bold]{_esc(str(log_path))}[/]. Enter takes the suggestion in brackets "
        "or skips an optional answer; Ctrl-C stops without writing anything.")
    template: list[Bout] = []
    last = flow.history.last
    if last is not None:
        when = f"{last.date}" + (f" {last.time}" if last.time else "")
        say(f"Your last session ({when}): " + ", ".join(_esc(format_bout(b, readings=False)) for b in last.bouts))
        worse = []
        if flow._harmful is not None:
            flow.harmful_ids(HARMFUL_WAIT_S)
            worse = list(dict.fromkeys(flow.shown_name(b.stretch) for b in last.bouts if flow.worse(b.stretch)))
        if worse:
            names = " and ".join(_esc(w) for w in worse)
            say(f"[yellow]Careful:[/] your own log shows that {names} tend{'s' if len(worse) == 1 else ''} to "
                f"make your pain worse. If you start from these, you can skip {'it' if len(worse) == 1 else 'them'} "
                f"with '-' ({_ADVICE}).")
        if flow.yes_no("Start from those stretches?", default=True):
            template = [b.without_readings() for b in last.bouts]
    if pain is None:
        pain = flow.number("Pain now, before stretching (0-10)", lo=PAIN_MIN, hi=PAIN_MAX)
    bouts: list[Bout] = []
    queue = list(template)
    latest_pain = pain  # the last pain reading of the session so far
    while True:
        n = len(bouts) + 1
        suggestion = queue[0] if queue else None
        name = flow.stretch_name(n, suggestion, completer)
        if name is None:
            if not bouts:
                say("No stretches entered: nothing was written.")
                return None
            break
        if name == "-":
            queue.pop(0)
            continue
        if suggestion is not None:
            queue.pop(0)
        if name == _ACCEPT:
            flow.warn_on_pick(suggestion.stretch)
            tight, after = _readings(flow)
            bout = Bout(suggestion.stretch, suggestion.hold_s, suggestion.reps, suggestion.side, tight, None, after)
        elif ":" in name:
            quick, marked_new = split_new_marker(name)
            try:
                bout = parse_bout(quick)
            except QuickFormError as exc:
                say(f"  [red]{_esc(str(exc))}[/]")
                if suggestion is not None:
                    queue.insert(0, suggestion)
                continue
            close = None if marked_new or flow.known(bout.stretch) else flow.close_to(bout.stretch)
            hint = f" Did you mean '{_esc(close)}'?" if close else ""
            if not marked_new and not flow.known(bout.stretch) and not flow.yes_no(
                f"'{_esc(bout.stretch)}' is not in the catalog or your log.{hint} Keep it as your own stretch?",
                default=False,
            ):
                if suggestion is not None:
                    queue.insert(0, suggestion)
                continue
            flow.warn_on_pick(bout.stretch)
        else:
            flow.warn_on_pick(name)
            d = flow.defaults(name, suggestion, bouts[-1] if bouts else None)
            side = flow.side(d.side)
            hold = flow.number("Hold, seconds", lo=0, hi=HOLD_MAX_S, low_open=True, hold=True,
                               default=d.hold_s if d.hold_s > 0 else None)
            reps = flow.number("Reps", lo=1, hi=10_000, whole=True, default=d.reps)
            tight, after = _readings(flow)
            bout = Bout(name, float(hold), int(reps), side, tight, None, after)
        if n == 1 and bout.pain_before is not None and bout.pain_before != pain:
            say(f"  [red]That gives the pain before as {format_number(bout.pain_before)}, but the pain now is "
                f"{format_number(pain)}: leave it out of the first stretch.[/]")
            continue
        bouts.append(bout)
        say(f"  [green]+[/] {_esc(format_bout(bout))}")
        before = bout.pain_before if bout.pain_before is not None else latest_pain
        if bout.pain_after is not None:
            _pain_rose(flow, before, bout.pain_after, f"after {flow.shown_name(bout.stretch)}")
            latest_pain = bout.pain_after
    if bouts[-1].pain_after is None and end_pain is None:
        end_pain = flow.number("Pain now, at the end (0-10)", lo=PAIN_MIN, hi=PAIN_MAX)
        _pain_rose(flow, latest_pain, end_pain, f"after {flow.shown_name(bouts[-1].stretch)}")
    elif bouts[-1].pain_after is not None and end_pain is not None and bouts[-1].pain_after != end_pain:
        say(f"  Using the pain after the last stretch ({format_number(bouts[-1].pain_after)}) as the end pain; "
            f"--end-pain {format_number(end_pain)} was ignored.")
        end_pain = None
    elif bouts[-1].pain_after is not None:
        end_pain = None
    return Session(tuple(bouts), pain_before=pain, pain_after=end_pain, date=_as_date(date), time=time)


def _has_new(flow: _Flow, session: Session) -> bool:
    """True when a stretch of the session is neither in the catalog nor in the log."""
    return any(not flow.known(b.stretch) for b in session.bouts)


def _in_background(harmful: Harmful, existing) -> "Collection[str] | Future | None":
    """``harmful`` as given, or, for a function, a Future of its answer worked out in a thread."""
    if not callable(harmful):
        return harmful
    import threading

    future: Future = Future()
    bouts = existing.bouts if existing is not None else None

    def work() -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            future.set_result(harmful(bouts))
        except BaseException as exc:  # noqa: BLE001 - reported as "no warning" by _Flow.harmful_ids
            future.set_exception(exc)

    threading.Thread(target=work, name="stretchlog-harmful", daemon=True).start()
    return future


def _pain_rose(flow: _Flow, before: float | None, after: float | None, when: str) -> None:
    """Say so, gently, when the pain entered is higher than the reading before it."""
    if before is None or after is None or after <= before:
        return
    flow.say(f"  [yellow]Your pain went up {_esc(when)}[/] (from {format_number(before)} to "
             f"{format_number(after)}). Stop a stretch if it hurts, and if this keeps happening, ask a doctor "
             f"or physiotherapist ({_ADVICE}).")


def _readings(flow: _Flow) -> tuple[float | None, float | None]:
    tight = flow.number("Tightness (0 = free, 10 = could barely do it)", lo=PAIN_MIN, hi=PAIN_MAX, optional=True)
    after = flow.number("Pain after this stretch (0-10)", lo=PAIN_MIN, hi=PAIN_MAX, optional=True)
    return tight, after


def _as_date(date) -> _dt.date | None:
    if date is None or isinstance(date, _dt.date):
        return date
    return date_of(date, "date")
