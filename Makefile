# Film Studio — every target sets itself up first, so a fresh clone needs only `make demo` or `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
TORCH_SPEC ?= torch==2.13.0+cpu
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: setup demo test bench bench-gpu soak synth layer package-check clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# torch first, by its CPU build's exact version: the studio extra's torch==2.13.0 is then met, and
	# nothing can resolve to a CUDA build (PyPI carries no +cpu wheels, so a missing one fails instead).
	$(PY) -m pip install --quiet "$(TORCH_SPEC)"
	$(PY) -m pip install --quiet -e ".[media,api,local,cdk,dev,studio]"
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

# A 40-scene film rendered while another process keeps every core busy (minutes; not in test).
soak: setup
	$(PY) benchmarks/soak.py

# Each studio stage at production size with random weights (configs in benchmarks/gpu_configs/); CUDA only.
bench-gpu: setup
	$(PY) benchmarks/bench_gpu.py

synth: setup
	$(PY) cdk/app.py

# The zip functions' third-party dependencies, built for Lambda before `cdk deploy` (docs/deploy.md).
layer: setup
	$(PY) cdk/layer.py

clean:
	rm -rf out cdk.out .pytest_cache cdk/.staging cdk/.layer .cache/package-check
