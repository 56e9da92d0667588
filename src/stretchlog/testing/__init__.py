"""Tools for tests, benchmarks, notebooks and examples: seeded simulated logs with known
truth and the naive estimates they are compared with. Shipped code never imports this."""
