# Film Studio — every target sets itself up first, so a fresh clone needs only `make demo` or `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: setup demo test bench synth layer package-check clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[media,api,local,cdk,dev]"
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(PY) -m filmstudio render examples/the_lighthouse_keeper.fountain --out out/demo

test: setup package-check
	$(PY) -m pytest -q -n 2 --dist loadgroup

# What AWS sees: each zip function run in a Python 3.13 interpreter holding only its asset and the layer,
# and the media image's wheels checked against its base's glibc (docs/deploy.md). Downloads are cached
# in .cache/package-check/.
package-check: setup
	$(PY) -m cdk.package_check

bench: setup
	$(PY) benchmarks/run.py

synth: setup
	$(PY) cdk/app.py

# The zip functions' third-party dependencies, built for Lambda before `cdk deploy` (docs/deploy.md).
layer: setup
	$(PY) cdk/layer.py

clean:
	rm -rf out cdk.out .pytest_cache cdk/.staging cdk/.layer .cache/package-check
