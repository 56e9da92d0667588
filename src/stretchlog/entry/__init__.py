"""Getting sessions into a log: safe appends, the one-line form, the interactive
prompts and importing a one-row-per-session spreadsheet. Builds on :mod:`stretchlog.log`."""
