"""``python -m stretchlog`` runs the command-line interface."""

from stretchlog.cli import main

main()
