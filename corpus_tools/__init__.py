"""Tools over scripts that the tests and benchmarks use, never the product (not in any Lambda asset):

- `evaluate`: accuracy of the analysis over a labelled corpus folder (tests/corpus);
- `generate`: synthetic screenplays of any length, for limit tests and benchmarks.
"""
