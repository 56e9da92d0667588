"""Write the notebooks in notebooks/ from the cell lists below (run after editing).

    python scripts/build_notebooks.py          # write notebooks/*.ipynb
    python scripts/build_notebooks.py --check  # exit 1 if a notebook differs from this script

Why a script with nbformat rather than jupytext: the notebooks are few and thin, the
venv has nbformat already (no extra tool or pairing config to keep in sync), and the
output is deterministic: fixed cell ids, no outputs, no execution counts, kernelspec
``python3``. So a change to a notebook is a reviewable diff of this file, and
``--check`` (used by the tests) catches a notebook edited by hand and not carried
back here. To change a notebook: edit the cells here, run the script, commit both.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "notebooks"

PARAMETERS = '''\
# Parameters (papermill can set these: -p log_path my-log.csv)
log_path = "../data/sample/stretch-log.csv"  # your log, relative to this notebook
catalog_path = None  # your own catalog file (TOML), or None for the built-in one'''

LOAD = '''\
import pandas as pd
import stretchlog
from stretchlog import plots

pd.set_option("display.max_colwidth", None)  # tables show whole sentences, not "..."

catalog = stretchlog.load_catalog(catalog_path)
analysis = stretchlog.analyse(log_path, catalog=catalog)  # every result below is read from it
log, bouts = analysis.log, analysis.bouts
print(f"{log.source}: {len(bouts)} bouts, {len(log.warnings)} warnings")'''

M, C = "markdown", "code"

NOTEBOOKS: dict[str, list[tuple[str, str] | tuple[str, str, list[str]]]] = {
    "01_my_log_at_a_glance": [
        (M, """\
# 01 · My log at a glance

**Goals.** Check that the log reads cleanly, see what it holds (sessions, stretches,
how the pain was rated), and how regularly you stretch.

Run it on your own log by changing `log_path` in the parameters cell below
(or `papermill 01_my_log_at_a_glance.ipynb out.ipynb -p log_path /path/to/log.csv`).
Nothing here changes your log."""),
        (C, PARAMETERS, ["parameters"]),
        (C, LOAD),
        (M, """\
## Anything worth a look?

Rows that were kept but look odd: stretch names the catalog doesn't know (kept as
your own custom stretches), extra columns, empty rows. An empty table means none."""),
        (C, """\
pd.DataFrame(log.warnings, columns=["row", "column", "value", "expected"])"""),
        (M, """\
## The log in numbers

How many sessions and bouts, over how many days, and how you rated pain: *per bout*
sessions give each stretch its own reading, *start/end only* sessions share one
reading among all their bouts (see the README)."""),
        (C, """\
labels = {"source": "log file", "n_sessions": "sessions", "n_bouts": "bouts (rows)",
          "n_stretches": "different stretches", "n_custom": "of them your own (not in the catalog)",
          "first_date": "first session", "last_date": "last session",
          "days": "days from first to last", "sessions_per_week": "sessions a week",
          "styles": "sessions by how pain was rated", "times_of_day": "sessions by time of day",
          "n_segments": "stretches between two pain readings",
          "n_single_bout_segments": "of them a single bout",
          "mean_start_pain": "average pain at the start (0-10)",
          "mean_end_pain": "average pain at the end (0-10)",
          "n_tightness": "bouts with a tightness rating", "n_warnings": "warnings"}
shown = {labels.get(k, k): ", ".join(f"{key} {n}" for key, n in v.items()) if isinstance(v, dict) else v
         for k, v in vars(analysis.summary).items()}
pd.Series(shown, name="value").to_frame()"""),
        (M, "## The last few sessions"),
        (C, """\
ses = analysis.sessions
labels = {"start": "start", "time_of_day": "time of day", "start_pain": "pain before",
          "end_pain": "pain after", "relief": "relief", "n_bouts": "bouts",
          "style": "pain rated", "stretches": "stretches"}
last = ses[list(labels)].tail(8).assign(start=ses["start"].dt.strftime("%Y-%m-%d %H:%M"))
last.rename(columns=labels).round(1)"""),
        (M, """\
## How regularly do I stretch?

One column per week, one row per weekday; a blue square is a day with a session
(darker and the number = more sessions), grey = no session.

*What it cannot tell:* a day without a row may be a day you stretched and didn't log.
Regular logging is what makes the other notebooks reliable."""),
        (C, "plots.habit_calendar(ses);"),
        (M, """\
**What this means for you:** the more evenly blue the calendar, the steadier your habit;
runs of grey are the gaps to close. The other notebooks learn only from logged sessions,
so a fuller calendar makes their answers surer."""),
        (M, """\
## Habits in numbers

Sessions per week, the longest gap, the current streak, and whether evening sessions
bring you more relief than morning ones (adjusted for the pain you start with).

*What it cannot tell:* if evenings look better, that may be the day behind you, not
the clock; the comparison is an association, not a controlled test."""),
        (C, """\
labels = {"n_sessions": "sessions", "sessions_per_week": "sessions a week",
          "sessions_per_week_recent": "sessions a week, last four weeks",
          "longest_gap_days": "longest gap (days)", "gap_from": "gap from", "gap_to": "gap to",
          "last_date": "last session", "streak_last_log": "days in a row up to the last session",
          "today": "today", "streak_today": "days in a row up to today",
          "n_evening": "evening sessions", "n_morning": "morning sessions",
          "relief_evening": "relief in the evening (points)",
          "relief_morning": "relief in the morning (points)",
          "evening_minus_morning": "evening minus morning (points)",
          "evening_minus_morning_lo": "evening minus morning, 95% low",
          "evening_minus_morning_hi": "evening minus morning, 95% high",
          "time_of_day_verdict": "evening or morning?", "time_of_day_why": "why"}
habits = analysis.habits.to_frame().iloc[0]
shown = {labels.get(k, k): round(v, 1) if isinstance(v, float) else v for k, v in habits.items()}
pd.Series(shown, name="value").to_frame()"""),
        (M, """\
## What this showed

- Whether the log reads cleanly, and which rows deserve a second look.
- How many sessions and bouts you logged, and how you rated pain.
- How regularly you stretch, where the gaps are, and whether time of day matters.

Next: **02** estimates which stretches relieve your pain, **03** follows tightness and
pain over weeks, **04** turns it into a routine."""),
    ],
    "02_which_stretches_relieve_my_pain": [
        (M, """\
# 02 · Which stretches relieve my pain?

**Goals.** Estimate, from your own log, how many points of pain (0-10 scale) one bout of
each stretch takes away, with an honest 95% interval; see which stretches you cannot
tell apart yet; whether the relief lasts until your next session; and whether one
side responds better than the other.

How it works, in short (the full method is in `help(stretchlog.effects.relief)`): every stretch of a
session between two pain readings counts, the estimates are adjusted for pain that
would have eased anyway (regression to the mean) and for the order of the stretches,
and a stretch tried only a few times is pulled toward your average, so luck cannot
put it at the top."""),
        (C, PARAMETERS, ["parameters"]),
        (C, LOAD),
        (C, """\
report = analysis.relief
effects = analysis.effects
labels = {"rank": "rank", "name": "stretch", "verdict": "verdict", "effect": "relief per bout",
          "ci_low": "95% low", "ci_high": "95% high", "p_felt": "chance you feel it",
          "evidence": "evidence", "n_bouts": "bouts", "n_sessions": "sessions"}
effects[list(labels)].rename(columns=labels).round(2)"""),
        (M, """\
## Which stretches relieve my pain?

Each row is a stretch, best first. The mark is the estimated relief per bout; the line
is its 95% interval, the range the true relief most likely lies in. Right of the
"no change" line = less pain. The grey band is relief too small to feel (under 0.2
points a bout: a bout's share of the 2-point change people notice in a ten-bout routine).

Each stretch's verdict is written beside it: **helps** (the whole interval is right of
the band: relief you would feel), **may help** (surely some relief, maybe too little to
feel), **no clear effect** (log it more), **too small to feel** (the whole interval sits
in the band), **makes it worse** (a vermillion cross: ease off it). "Chance you feel
it" in the table above is the chance the relief is at least 0.2 points a bout.

*What it cannot tell:* why a stretch helps, or whether it would help someone else.
Within a verdict the ranking uses the cautious (left) end of each interval, so a stretch
with few bouts ranks low even when its mark is far right: log it more."""),
        (C, "plots.relief_forest(effects);"),
        (M, """\
**What this means for you:** lean on the stretches marked *helps*, from the top down; a
stretch whose line crosses "no change" is not proven useless, it needs more logged bouts
before the log can judge it; a stretch marked *makes it worse* is one to ease off or drop."""),
        (M, """\
## Stretches the log cannot tell apart

When two stretches are always done together with no pain reading between them, only
their combined relief can be measured. This table names them and says how to log so
they can be separated (empty = none)."""),
        (C, """\
labels = {"names": "stretches", "reason": "why", "advice": "how to log them apart"}
report.groups[list(labels)].rename(columns=labels)"""),
        (C, """\
for note in report.notes:
    print("-", note)"""),
        (M, """\
## Does the relief last until my next session?

For each stretch, the circle is the relief right after a bout and the square how much
lower the *next* session starts per bout of it. A square near 0 means the relief
fades by next time, which the guides say is common.

*What it cannot tell:* the lasting figure is an association: a day that allows a long
session may also be a good day. Treat it as a hint, not a proof."""),
        (C, """\
plots.relief_lasting(effects, analysis.lasting);"""),
        (M, """\
**What this means for you:** a square close to its circle means that stretch's relief
tends to carry over to your next session; a square near 0 means the relief is
short-lived, so that stretch is best used when you need relief now."""),
        (M, """\
## Does one side respond better?

For one-sided stretches: relief per bout on the left (circle) and right (square). The
text gives left minus right with its 95% interval; "imbalance" marks a credible
difference.

*What it cannot tell:* with few bouts per side the intervals are wide; a gap between
the marks alone is not an imbalance."""),
        (C, """\
plots.left_right(analysis.side_relief, measure="relief");"""),
        (M, """\
**What this means for you:** only a stretch marked "imbalance" works better on one side;
for the others, stretch both sides alike. Marks apart without that label are not yet a
difference: keep logging both sides."""),
        (M, """\
## Sessions that made a real difference

The share of sessions whose pain eased by 2 points or 30% (the change people notice on
the 0-10 scale), with and without each stretch (1 = every session, 0.5 = half). *What it cannot tell:* sessions with a
stretch differ in other ways too (length, starting pain)."""),
        (C, """\
labels = {"name": "stretch", "n_with": "sessions with it", "share_with": "share eased, with it",
          "n_without": "sessions without it", "share_without": "share eased, without it",
          "difference": "difference", "ci_low": "95% low", "ci_high": "95% high",
          "clear": "clear difference"}
analysis.meaningful[list(labels)].rename(columns=labels).round(2)"""),
        (M, """\
## Does holding longer help?

Where the log has enough variation in hold x reps, whether longer doses added relief.
The short and long doses are your usual low and high ends (seconds held x reps); "extra
relief per doubling" is the points of relief a bout gains when its dose is doubled."""),
        (C, """\
labels = {"name": "stretch", "n_bouts": "bouts", "dose_low_s": "short dose (s)",
          "dose_high_s": "long dose (s)", "slope": "extra relief per doubling",
          "ci_low": "95% low", "ci_high": "95% high", "verdict": "verdict"}
analysis.dose[list(labels)].rename(columns=labels).round(2)"""),
        (M, """\
## What this showed

- Which stretches relieve your pain, by how much per bout, and how sure the log is.
- Which stretches cannot be told apart yet, and how to log to fix that.
- Whether the relief lasts to the next session, whether one side responds better,
  and whether longer holds add anything.

These are estimates from your own records, not medical advice. **04** turns them into
a routine."""),
    ],
    "03_tightness_and_pain_over_time": [
        (M, """\
# 03 · Tightness and pain over time

**Goals.** See whether your pain is coming down over the weeks, which muscles are
getting looser and which tighter (the "needs more work" list), whether one side is
tighter than the other, and whether anything in the log calls for care (safety
flags come first)."""),
        (C, PARAMETERS, ["parameters"]),
        (C, LOAD),
        (C, """\
trends = analysis.trends
ses = analysis.sessions"""),
        (M, """\
## Safety first

Flags from your own records: pain that stays high, pain getting worse for weeks, or a
stretch that raised your pain in several recent bouts. This is advice, not a
diagnosis; an empty list means nothing was flagged."""),
        (C, """\
for flag in trends.flags:
    print(f"[{flag.severity}] {flag.message} {flag.advice}")
print(f"{len(trends.flags)} safety flag(s).")"""),
        (M, """\
## Is my pain going down over the weeks?

Each session is a circle (pain before stretching) joined to a triangle (after). The
black line is the weekly average before stretching, the grey band "no meaningful
change": within 2 points (or 30%) of your first four weeks. A weekly line below the
band is a real improvement.

*What it cannot tell:* whether stretching caused the change; pain also changes with
sleep, work, activity and time."""),
        (C, "plots.pain_timeline(ses, trend=trends.pain);"),
        (M, """\
**What this means for you:** read the black weekly line against the grey band, not the
single sessions: a line that settles below the band means your usual pain is really lower
than when you started; ups and downs inside the band are ordinary day-to-day change."""),
        (C, """\
print(trends.pain.why)
print(trends.pain.change.why)"""),
        (M, """\
## Which muscles are getting looser, and which tighter?

One panel per stretch: dots are your daily tightness ratings (0 = free, 10 = could
barely do it), the line the smoothed curve, left and right apart. The panel title
gives the verdict: clearly or slowly looser, TIGHTER (in orange), flat (no change you
would feel), not sure yet, or not enough data.

*What it cannot tell:* a tightness rating is a feeling; a change may reflect how you
rate as much as the muscle."""),
        (C, """\
plots.tightness_grid(analysis.tightness_curve(), trends=trends.by_stretch_side);"""),
        (M, """\
**What this means for you:** the panel titles are the summary: a stretch marked TIGHTER is
one to give more attention, a looser one shows the work paying off. Follow the line, not
the dots: one stiff day moves a dot, not the curve."""),
        (M, "The same by muscle group (stretches that work the same muscle pooled):"),
        (C, """\
plots.tightness_grid(analysis.tightness_curve("muscle_group"), trends=trends.by_muscle_group);"""),
        (M, """\
**What this means for you:** this shows which parts of your body are loosening or
tightening, even when a single stretch has too few ratings to tell; a muscle group
getting tighter is a candidate for an extra round."""),
        (M, """\
## Needs more work

The tightest muscles now and the ones getting tighter: the guides say to give these
an extra round."""),
        (C, """\
labels = {"name": "stretch", "side": "side", "tightness_now": "tightness now (0-10)",
          "verdict": "verdict", "reason": "why"}
trends.needs_more_work[list(labels)].rename(columns=labels).round(1)"""),
        (M, """\
## Is one side tighter than the other?

Left (circle) against right (square) on days both sides were rated; "imbalance" marks
a difference that is credible, at least a point, and there in both halves of the log.

*What it cannot tell:* why one side is tighter; an imbalance worth a physiotherapist's
look is a question to bring, not a diagnosis."""),
        (C, "plots.left_right(trends.sides);"),
        (M, """\
**What this means for you:** an "imbalance" mark is a reason to give the tighter side an
extra hold, and a question to bring to a physiotherapist; without the mark, treat both
sides alike."""),
        (M, """\
## What this showed

- The safety flags, if any, first.
- Whether your pain before stretching is coming down, and by a meaningful amount.
- Which stretches and muscle groups are loosening or tightening, and which need more work.
- Whether one side is tighter than the other."""),
    ],
    "04_my_routine": [
        (M, """\
# 04 · My routine

**Goals.** Turn the relief estimates (02) and the trends (03) into a routine you can
follow today: the full routine within a time budget, and "what works first" for when
pain flares. Every line says why it is there, with figures from your log."""),
        (C, PARAMETERS + '''
minutes = 10  # time budget in minutes
seed = None  # None: today's routine, the one the terminal, report and card show; a number repeats one''', ["parameters"]),
        (C, LOAD),
        (M, """\
## My routine today

Safety flags (if any) come first. Then each stretch in the order to do it (hips first,
lower back last, as the guides recommend), with hold x reps, sides and time, and the
reason. *Experiments* are stretches with too little data yet: rate your pain just
before and after them, so the next routine knows more.

*What it cannot tell:* the routine is built from your past; if something hurts, stop,
whatever the card says."""),
        (C, """\
today = stretchlog.build_routine(analysis, minutes=minutes, seed=seed)
print(today.relief_line)
print(f"Made {today.made_on} with seed {today.seed}: the same log gives this routine all day.")
plots.routine_card(today);"""),
        (M, """\
**What this means for you:** this card is today's session: do it from top to bottom, each
stretch for the hold and reps shown. Rate your pain just before and after any experiment,
so the next routine can judge it."""),
        (M, """\
Each stretch with its dose and why: the dose comes from what your log shows about
longer holds ("why this dose"), the place from the relief it gives at least per minute."""),
        (C, """\
labels = {"position": "order", "name": "stretch", "role": "role", "dose": "hold x reps",
          "seconds": "seconds", "verdict": "verdict", "effect": "relief per bout",
          "ci_low": "95% low", "dose_why": "why this dose"}
today.to_frame()[list(labels)].rename(columns=labels).round(2)"""),
        (C, """\
for x in today.left_out:  # every stretch that helps but is missing, and why
    print(f"{x.name}: {x.reason}")"""),
        (M, """\
## What works first, when pain flares

The stretches that work for you, best first by the cautious end of their interval, in
a short budget. No experiments in a flare."""),
        (C, """\
flare = stretchlog.build_routine(analysis, minutes=5, flare=True, seed=seed)
plots.routine_card(flare);"""),
        (M, """\
**What this means for you:** when pain flares, do these few instead of the full routine:
they are the stretches your log trusts most. Move gently and stop any stretch that hurts."""),
        (M, """\
## What this showed

- A routine you can follow today, within your time budget, and a short "what works
  first" list for flares.
- Which stretches were left out and why, and which are experiments to learn from.

`stretchlog routine LOG --format pdf --out card.pdf` prints the same routine as a card."""),
    ],
    "05-self-experiment": [
        (M, """\
# 05 · My self-experiment

**Goals.** Read the answer of a randomised self-experiment (an "N-of-1 trial"): a plan
that let a coin decide, day by day, which of two options you did (two stretches, two
doses of one stretch, or which of two comes first). See the answer first, then the
schedule, how well you kept to it, each day's relief, and the checks behind the answer.
At the end, preview what a plan of your own could find before you start one.

The plan is the file `LOG.plan.csv` beside the log (`stretchlog plan` writes it;
`stretchlog experiment LOG` shows the same answer in the terminal). Run this notebook
on your own log by changing `log_path` below
(or `papermill 05-self-experiment.ipynb out.ipynb -p log_path /path/to/log.csv`).
Nothing here changes your log or your plan."""),
        (C, """\
# Parameters (papermill can set these: -p log_path my-log.csv)
log_path = "../data/sample/experiment-log.csv"  # a log with its plan beside it (LOG.plan.csv)
catalog_path = None  # your own catalog file (TOML), or None for the built-in one
planning_log_path = "../data/sample/stretch-log.csv"  # the log to plan a new experiment from""",
         ["parameters"]),
        (C, """\
import pandas as pd
import stretchlog
from stretchlog import plots
from stretchlog.experiment import propose_plan

pd.set_option("display.max_colwidth", None)  # tables show whole sentences, not "..."

catalog = stretchlog.load_catalog(catalog_path)
analysis = stretchlog.analyse(log_path, catalog=catalog)  # every result below is read from it
assert analysis.plan is not None, f"no plan beside {log_path}: write one with `stretchlog plan`"
result = analysis.experiment  # the plan, analysed against the log as of today
print(f"{analysis.log.source}: plan {analysis.plan.source}, {result.status} (today {result.today})")"""),
        (M, """\
## The answer

In one sentence: which option gives you more relief, by how much a session, with its
95% interval, and whether that is a difference you would feel. While the plan is still
running the answer says "so far" and the interval is wider (see below)."""),
        (C, "print(result.headline)"),
        (M, """\
## What the coin does

If you chose each day which stretch to do, the comparison could fool you: you might
pick the gentler one on bad days, or the favourite one on days you feel like
stretching, and pain that eases by itself over the weeks would be credited to whatever
you happened to do then. Letting a coin choose, in balanced pairs of days (or weeks),
takes your choice out of it: good days and bad days, early weeks and late weeks, end up
under both options alike, on average. The difference that is left is the options'
own. The answer is also checked *against the coin itself*: the same schedule is
re-drawn 2,000 times, and a difference as large as yours should be rare among the
re-draws if the options were really the same (the p-value in the notes)."""),
        (M, """\
## The plan

The question, how the coin was used, and the schedule it drew: one row per planned day
with the option (A or B) and what to do."""),
        (C, """\
plan = result.plan
print(plan.question)
print(f"Design: {plan.design_words()}.")
print(f"From {plan.start} to {plan.end}: {plan.n_days} planned days over {plan.weeks} weeks.")
print(f"A = {plan.a.what}; B = {plan.b.what}.")
labels = {"date": "date", "week": "week", "option": "option", "do": "what to do"}
plan.schedule[list(labels)].assign(date=plan.schedule["date"].dt.strftime("%a %d %b")).rename(columns=labels)"""),
        (M, """\
## Did I keep to the plan?

One square per day, a row per week. The letter is the option the coin gave the day;
under it, what the log shows: a tick (green) done as planned, an arrow (orange) the other
option done instead, a cross in a red frame a day with no session, a dashed outline a day
still to come.

*What it cannot tell:* a missed day may be a day you stretched and did not log. Missed
and swapped days stay in the answer under the option the coin gave them: dropping them
would let your choices back in."""),
        (C, "plots.experiment_calendar(result);"),
        (M, """\
**What this means for you:** the more green ticks, the more the answer is about the
options themselves. Many crosses on one letter are worth a thought: if you skip one option
on bad days, the comparison leans (the notes below say so when the misses are uneven)."""),
        (M, """\
## Relief day by day, and the difference

The upper rows are each day's relief (pain at the start of the session minus pain at
its end) under the option the coin gave the day; an open mark is a day not done as
planned. The black bar is each option's mean relief, adjusted for the pain the days
started with. The bottom row is the difference, A minus B, in points of relief a
session.

**How to read the interval.** The line around the difference is its interval: the range
of differences your log is consistent with; the true difference very likely lies
inside it. The grey band is a difference too small to feel. A line wholly right of the
band: A gives relief you would feel; wholly left: B does; wholly inside: no difference
that matters; crossing the band's edge: not sure yet. While the plan is running, the
interval is labelled *interim* and is wider (for example 99% instead of 95%): looking at
the answer every day gives chance more tries to show a winner, and the wider interval
pays for them. Keep to the plan until its end rather than stopping when it looks good."""),
        (C, "plots.experiment_result(result);"),
        (M, """\
**What this means for you:** the answer in the title is what the routine uses; the marks
show how much single days vary, which is why one good day with a stretch proves little
and a whole plan of days does."""),
        (M, """\
## How sure, and the checks

The randomisation test (how rare your difference is among re-drawn schedules), the
chance that one option is the better one, the answer *as done* (by what you actually
did: not protected by the coin, shown beside, not instead), carry-over from the day
before, whether the difference changed between the plan's halves, and adherence."""),
        (C, """\
for note in result.notes:
    print("-", note)"""),
        (M, """\
## Every planned day

What the log shows for each planned day: what was done (A, B, both, neither, missed or
still to come), the pain at the start and end, and the relief."""),
        (C, """\
labels = {"date": "date", "option": "planned", "done": "done", "followed": "as planned",
          "n_sessions": "sessions", "start_pain": "pain at start", "end_pain": "pain at end",
          "relief": "relief"}
result.days[list(labels)].assign(date=result.days["date"].dt.strftime("%a %d %b")).rename(columns=labels).round(1)"""),
        (M, """\
## Planning your own

Before starting a plan, a preview from your own log says what it can find: how much a
session's relief varies from day to day, how much good and bad days run on, and how
regularly you log are read from the log, and the plan is simulated many times with
them. Below, a plan comparing two stretches of the main sample log. Nothing is
written: `stretchlog plan LOG --compare "reclining hip stretch" "seated hip stretch"`
writes the plan file when you are ready."""),
        (C, """\
planning = stretchlog.analyse(planning_log_path, catalog=catalog)
proposal = propose_plan("compare", ("reclining hip stretch", "seated hip stretch"), catalog=catalog,
                        sessions=planning.sessions, names=planning.names, today=planning.today,
                        harmful=planning.harmful)
print(proposal.plan.question)
for line in proposal.sentences():
    print("-", line)"""),
        (M, """\
## How long should the plan run?

Each point is the smallest difference (points of relief a session) a plan of that length
finds four times in five; lower is better. The dashed line is the difference worth
knowing, 1 point a session; the ringed point is the suggested length: the shortest that
finds it, or the longest suggested (12 weeks) when none does.

*What it cannot tell:* the preview assumes your next weeks vary as your past ones did; a
plan still answers when the difference turns out larger, or shows there is none that large."""),
        (C, "plots.plan_power(proposal.preview, weeks=proposal.plan.weeks);"),
        (C, """\
labels = {"weeks": "weeks", "planned_days": "planned days", "expected_days": "days you are likely to log",
          "detectable": "difference it finds (points a session)"}
proposal.preview.table[list(labels)].rename(columns=labels).round(1)"""),
        (M, """\
## What this showed

- The answer of your self-experiment in one sentence, and how sure it is.
- The schedule the coin drew, and how well you kept to it.
- Each day's relief under each option, the difference with its interval, and the checks.
- What a plan of your own could find, by its length, before you start it.

These are results from your own records, not medical advice. **04** builds the routine,
which uses a clear winner of the experiment."""),
    ],
    "06-cohort": [
        (M, """\
# 06 · Many logs at once: a cohort

**Goals.** For a clinic's clients or a study's participants, in one place: who needs a
look first (safety flags), everyone's best stretches and pain over time, which
stretches help most people and by how much, and how each person's figures are
sharpened by everyone's logs. Then the cohort summary you can save and give a new
client as a head start: it holds no one's rows.

**Your logs.** Set `folder` in the parameters cell below to a folder with one log
(CSV) per person; only file names are shown, and `*.plan.csv` files are skipped. Or run
`papermill 06-cohort.ipynb out.ipynb -p folder /path/to/logs`. Left empty, as it is
here, the notebook runs on a **simulated** cohort of 30 people made in memory (plus one
deliberately broken file, to show how a bad file is reported), so you can see what it
shows before pointing it at real logs. Nothing is written unless you set `prior_out`,
and no log is changed. `stretchlog cohort FOLDER` shows the same overview in the
terminal, and `--out cohort.html` as a page."""),
        (C, """\
# Parameters (papermill can set these: -p folder /path/to/logs)
folder = ""  # a folder of logs, one CSV per person; empty: a simulated cohort (nothing written)
today = None  # the day "today" means for every log, as "YYYY-MM-DD"; None: the computer's date
jobs = None  # worker processes; None: one per core; 1: everything in this process
person = None  # the file name of one person to look at closely; None: the first one listed
prior_out = None  # save the cohort summary to this file (e.g. "cohort.json"); None: don't save""",
         ["parameters"]),
        (C, """\
from datetime import date

import pandas as pd
import stretchlog
from stretchlog.effects.prior import write_prior
from stretchlog.plots import cohort as cohort_plots
from stretchlog.testing.cohort import simulate_cohort
from stretchlog.trends.safety import DISCLAIMER

pd.set_option("display.max_colwidth", None)  # tables show whole sentences, not "..."
stretchlog.blas_threads(1)  # small fits: more BLAS threads only spin and crowd the workers' cores

if folder:
    logs = [folder]  # every *.csv file in the folder (not the *.plan.csv files)
else:  # the demo: 30 simulated people and one broken file, all in memory
    sim = simulate_cohort(30, seed=6)
    logs = [(name, log.csv_text().encode()) for name, log in zip(sim.files, sim.logs)]
    logs.append(("broken-example.csv", b"date,stretch,hold_s\\n2026-13-01,pigeon,30\\n"))
cohort = stretchlog.run_cohort(logs, today=date.fromisoformat(today) if today else None, jobs=jobs)
print(f"{len(cohort.results)} files, analysed in {cohort.engine}; today is {cohort.today}.")"""),
        (M, """\
## The answer first

How many logs were analysed, how many people have a safety flag, and how many files
could not be read (they are named at the end, with what is wrong in each)."""),
        (C, "print(cohort.headline())"),
        (M, """\
## Who needs a look first

Every safety flag, the most serious first: **see a professional** (pain that stays high
for days, or gets worse over weeks) before **ease off** (a stretch that raised the pain
in several recent bouts). Each comes with its advice and the dates it covers. This is
advice read from the logs, not a diagnosis. An empty list means no one was flagged."""),
        (C, """\
for f in cohort.flags.itertuples():
    print(f"{f.file} [{f.severity}] {f.message}\\n    {f.advice} ({f.first_date} to {f.last_date})")
print(f"{len(cohort.flags)} safety flag(s) for {cohort.flags['file'].nunique()} person(s).")
if len(cohort.flags):
    print(DISCLAIMER)"""),
        (M, """\
## Everyone at a glance

One row per log: flagged people first, then the rest by file name, files that could
not be read last. **Best stretches** are up to three that help or may help the person,
best first, each with the points of pain (0-10 scale) one bout of it takes away, from
their own log sharpened by the cohort's (see "One person, with and without the cohort"
below). **Pain change per 30 days** is how much the pain at the start of their sessions
moved in a month, on average: negative means it is coming down. The **95% low** and
**high** are the range that change most likely lies in; **pain over time** says it in
words: "improving" (or "worsening") only when the whole range is below (or above) 0
and the change is at least about 0.2 points a month, "flat" otherwise.

*What it cannot tell:* why someone's pain changed; a log with gaps shows only the weeks
that were logged."""),
        (C, """\
labels = {"file": "file", "status": "status", "flag": "most serious flag", "n_flags": "flags",
          "sessions": "sessions", "first_date": "first session", "last_date": "last session",
          "top": "best stretches (relief per bout)", "pain_verdict": "pain over time",
          "pain_slope": "pain change per 30 days", "pain_lo": "95% low", "pain_hi": "95% high"}
cohort.people[list(labels)].rename(columns=labels).round(1)"""),
        (M, """\
Pain week by week: one small panel per person, flagged people first (framed in red),
each with the average pain at the start of their sessions in each week (0-10, 0 =
none), counted in weeks from their own first session so people who started at
different times line up. The dotted line at 7 is the pain the safety check calls high.
The panels share their scales, so people can be compared at a glance; a large cohort
shows its first 24."""),
        (C, "cohort_plots.plot_cohort_pain(cohort);"),
        (M, """\
**What this means for you:** start with the flagged people at the top of the table;
after them, a line that stays high or climbs is the next conversation to have, whatever
the stretches show."""),
        (M, """\
## What helps most people

One row per stretch that enough people did (at least 5 people, each with the stretch in
3 or more sessions with pain rated around it), most relief first. The columns:

- **average relief per bout**: points of pain (0-10) one bout takes away, on average
  across people (positive = less pain). A person whose log knows a stretch well counts
  for more than one who tried it a few times.
- **95% low / high**: the range that average most likely lies in.
- **how much people differ**: the spread of the true relief between people (a standard
  deviation): about two people in three get within this many points of the average,
  and nearly everyone within twice as many.
- **share it helps**: the share of people whose true relief is above 0, read from the
  average and the spread. Above 0 is not always enough to feel (0.2 points a bout is).
- **people in the average**: whose logs gave the stretch a figure of their own (in 3
  or more of their sessions with pain rated around it).
- **helps them** of **with a figure**: of the people with a figure for the stretch, how
  many have "helps" or "may help" as their verdict (their own figure sharpened by the
  cohort's)."""),
        (C, """\
print(cohort.prior_note or cohort.prior.describe())
labels = {"name": "stretch", "mean": "average relief per bout", "ci_low": "95% low",
          "ci_high": "95% high", "spread": "how much people differ", "share_helped": "share it helps",
          "n_people": "people in the average", "n_helps": "helps them", "n_tried": "with a figure"}
cohort.stretches[list(labels)].rename(columns=labels).round(2)"""),
        (M, """\
The same as a chart: one row per stretch, most relief first. The dot is the cohort's
average relief per bout and the dark line its 95% interval; the pale band is where
most people's own relief lies (the middle 8 in 10 people: the average give or take 1.28
times how much people differ). Right of the "no change" line means less pain; the grey
band is relief too small to feel (under 0.2 points a bout). A pale band reaching left
of "no change" means some people get no relief from that stretch.

*What it cannot tell:* the average person is no one in particular. A stretch that helps
most people can still do nothing for one person, or make it worse: each person's own
figures are below, and their own log has the last word."""),
        (C, "cohort_plots.plot_cohort_stretches(cohort);"),
        (M, """\
**What this means for you:** stretches high on the list with a short line and a small
spread are a sound start for a new client; a large spread means people differ a lot
with that stretch, so let each person's log decide."""),
        (M, """\
## One person, with and without the cohort

A person who logged a stretch only a few times has a rough figure for it: a lucky week
can make it look great. The cohort knows what that stretch usually does, so each
person's figure is pulled toward the cohort's average **by as much as their own log is
unsure**: a stretch in a handful of sessions moves most of the way, a stretch logged
for months hardly moves, and stays where the person's own log puts it even when that is
far from everyone else. The interval also narrows, because two sources of evidence
know more than one. (The formula is in `docs/method.md`, "Many logs at once".)

The columns: **own log alone** is the figure `stretchlog effects LOG` gives,
with its 95% low and high; **cohort average** is from the table above; **with the
cohort** is the figure this overview uses, which `stretchlog effects LOG --prior
cohort.json` also gives; **moved** is the second minus the first, in points per bout;
**sessions** are the person's sessions with the stretch."""),
        (C, """\
who = person or cohort.people.query("status == 'ok'")["file"].iloc[0]
mine = cohort.effects.query("file == @who").reset_index(drop=True)
mine = mine.assign(cohort_mean=mine["stretch"].map(cohort.stretches.set_index("stretch")["mean"]),
                   moved=mine["effect"] - mine["own_effect"])
print(f"{who}: {len(mine)} stretches with a figure.")
labels = {"name": "stretch", "own_effect": "own log alone", "own_ci_low": "own 95% low",
          "own_ci_high": "own 95% high", "own_verdict": "own verdict", "cohort_mean": "cohort average",
          "effect": "with the cohort", "ci_low": "95% low", "ci_high": "95% high", "verdict": "verdict",
          "moved": "moved", "n_sessions": "sessions"}
mine[list(labels)].rename(columns=labels).round(2)"""),
        (M, """\
**What this means for you:** where "moved" is large, the person's own log was still
thin for that stretch: their figure leans on the cohort for now and will move back to
their own as they log more. A verdict that changed (say from "no clear effect" to "may
help") is the cohort's evidence added to theirs, not a new measurement of them. An
empty "cohort average" is a stretch too few people did: it is pulled toward what an
average stretch does, less firmly."""),
        (M, """\
## The cohort summary: a head start for a new client

What the cohort's logs show per stretch can be saved as a small file and used with a new
person's log: `stretchlog effects LOG --prior cohort.json` (also on `routine` and
`report`), or `stretchlog.analyse(LOG, prior=stretchlog.read_prior("cohort.json"))`
in Python. `stretchlog cohort FOLDER --export-prior cohort.json` writes the same file.

It holds, per stretch, the average relief per bout, how sure that average is (its
standard error), how much people differ, and how many people it rests on; how much a
person tends to differ from the cohort across all their stretches; where to start for
a stretch it does not list; and the day it was made. **No one's rows, dates, file names
or own figures are in it.** Set `prior_out` in the parameters to save it."""),
        (C, """\
if cohort.prior is None:
    print(cohort.prior_note)
else:
    prior = cohort.prior
    print(prior.to_dict()["about"])
    print(f"Made {prior.made} from {prior.n_people} people. How much more (or less) one person "
          f"tends to get from every stretch than the average (SD): {prior.person_sd:.2f} points "
          "per bout" + (" (0: these logs show no such lean)." if prior.person_sd < 0.005 else "."))
    print(f"A stretch not listed starts at {prior.new_mean:+.2f} points per bout, give or take "
          f"{prior.new_sd:.2f} (one SD).")
    if prior_out:
        print(f"Saved to {write_prior(prior, prior_out)}.")"""),
        (M, """\
## Files that could not be read

Each file that breaks the log format, with every problem as `stretchlog validate`
words it (row as a spreadsheet shows it, column, value, what was expected). These
files were skipped; every other log was analysed. An empty table means every file
was read."""),
        (C, "cohort.problems"),
        (M, """\
## What this showed

- Who needs a look first: every safety flag, the most serious first, with its advice.
- Everyone's best stretches and whether their pain is coming down.
- Which stretches help most people, by how much, and how much people differ.
- How the cohort sharpens one person's figures, and by how much, stretch by stretch.
- The cohort summary that gives a new client a head start, and the files that could
  not be read.

These are results from people's own records, not medical advice or a diagnosis."""),
    ],
}


def build(name: str, cells: list) -> nbformat.NotebookNode:
    nb = new_notebook()
    nb.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
    }
    for i, spec in enumerate(cells):
        kind, source = spec[0], spec[1]
        cell = new_markdown_cell(source) if kind == M else new_code_cell(source)
        cell.id = f"{name[:2]}-{i:02d}"
        if len(spec) > 2:
            cell.metadata["tags"] = list(spec[2])
        nb.cells.append(cell)
    nbformat.validate(nb)
    return nb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare, write nothing")
    args = parser.parse_args(argv)
    stale = []
    OUT.mkdir(exist_ok=True)
    for name, cells in NOTEBOOKS.items():
        text = nbformat.writes(build(name, cells)) + "\n"
        path = OUT / f"{name}.ipynb"
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(path.name)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    if stale:
        print("out of date with scripts/build_notebooks.py: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
