"""Relief per stretch with honest uncertainty: the segment regression, pooling, the
tables, lasting relief, dose and sessions that mattered. Builds on :mod:`stretchlog.model`;
knows nothing of :mod:`stretchlog.trends` (an import-linter contract says so)."""
