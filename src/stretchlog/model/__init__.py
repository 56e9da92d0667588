"""The log as tables: one row per session, one row per pain segment, a log at a glance,
and the least-squares fit the estimates share. Builds on :mod:`stretchlog.log`."""
