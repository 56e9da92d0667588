"""Tightness and pain over weeks and months, left and right, habits and safety flags.
Builds on :mod:`stretchlog.model`; knows nothing of :mod:`stretchlog.effects`."""
