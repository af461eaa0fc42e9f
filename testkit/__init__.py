"""What the tests and the benchmarks share, never the product (not in any Lambda asset or image):

- `evaluate`: accuracy of the analysis over a labelled corpus folder (tests/corpus);
- `generate`: synthetic screenplays of any length, for limit tests and benchmarks;
- `plans`: plans built by hand (no analysis, no planner) for the engine tests and the engine benchmark.
"""
