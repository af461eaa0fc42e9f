"""Media engines, one small interface per stage (see `base`), chosen by tier in `registry`."""
