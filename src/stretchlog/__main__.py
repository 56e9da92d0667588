"""``python -m stretchlog`` runs the command-line interface."""

from stretchlog.cli.app import main

main()
