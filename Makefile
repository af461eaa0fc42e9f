# Film Studio — every target sets itself up first, so a fresh clone needs only `make demo` or `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
TORCH_SPEC ?= torch==2.13.0+cpu
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: setup demo test voice-env voice-test bench bench-gpu soak synth layer package-check clean

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

test: setup package-check voice-env
	$(PY) -m pytest -q -n 2 --dist loadgroup
	$(MAKE) --no-print-directory voice-test

# The voice family cannot share the project's environment (parler-tts 0.2.3 pins transformers 4.46.1), so
# its tests run in one of its own, built as its image is: torch's CPU wheel first by exact version, the
# voice requirements, then the project without its dependencies. Rebuilt only when what it is built from
# changes (the stamp holds their hash); tests/voice is left out of the run above (pyproject's addopts).
VOICE_ENV    := .cache/envs/voice
VOICE_PY     := $(VOICE_ENV)/bin/python
VOICE_INPUTS := pyproject.toml gpu_containers/voice/requirements.txt gpu_containers/voice/requirements-no-deps.txt \
                tests/voice/requirements.txt gpu_containers/voice/dac_nn/pyproject.toml \
                $(sort $(wildcard gpu_containers/voice/dac_nn/dac/*.py gpu_containers/voice/dac_nn/dac/*/*.py))

voice-env:
	@hash=$$(cat $(VOICE_INPUTS) | sha256sum | cut -c1-32); \
	if [ "$$(cat $(VOICE_ENV)/.installed 2>/dev/null)" != "$$hash" ]; then \
		echo "building the voice family's test environment in $(VOICE_ENV)"; \
		rm -rf $(VOICE_ENV) && $(PYTHON) -m venv $(VOICE_ENV) \
		&& $(VOICE_PY) -m pip install --quiet --upgrade pip \
		&& $(VOICE_PY) -m pip install --quiet "$(TORCH_SPEC)" \
		&& $(VOICE_PY) -m pip install --quiet -r gpu_containers/voice/requirements.txt -r tests/voice/requirements.txt \
		&& $(VOICE_PY) -m pip install --quiet --no-deps -r gpu_containers/voice/requirements-no-deps.txt \
		&& $(VOICE_PY) -m pip install --quiet --no-deps -e . \
		&& echo "$$hash" > $(VOICE_ENV)/.installed || exit 1; \
	fi

voice-test: voice-env
	$(VOICE_PY) -m pytest -q -p no:cacheprovider tests/voice

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
	rm -rf out cdk.out .pytest_cache cdk/.staging cdk/.layer .cache/package-check .cache/envs
