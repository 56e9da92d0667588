"""The personal priority routine: what works first, a full routine in a time budget,
and experiments. :func:`stretchlog.routine.build.routine` builds one; its types are in
:mod:`stretchlog.routine.types`, its words in :mod:`stretchlog.routine.text`."""
