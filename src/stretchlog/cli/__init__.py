"""The ``stretchlog`` command line: the app (:mod:`stretchlog.cli.app`), one module per
command, and the helpers they share (:mod:`stretchlog.cli.common`), so no command
imports the app back. Only typer is imported at start-up."""
