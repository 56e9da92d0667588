# stretchlog tasks. Each target builds its own virtual environment in .venv
# (from the pinned lock file) the first time, so a fresh machine needs only
# Python 3.11+ and pip.
#
#   make demo   install, then run the main job on data/sample/
#   make test   install, then run the whole test suite
#   make lab    install JupyterLab too and open the notebooks
#   make bench  run the benchmarks (see BENCHMARKS.md)

PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
LOCK    := requirements/test.lock
STAMP   := $(VENV)/.stamp-$(shell cat $(LOCK) pyproject.toml 2>/dev/null | cksum | cut -d' ' -f1)
SAMPLE  := data/sample/stretch-log.csv
OUT     ?= out

# One BLAS thread: on 2-core machines OpenBLAS spin-waits otherwise (fits vary 30x).
export OPENBLAS_NUM_THREADS := 1
export MPLBACKEND := Agg

.PHONY: demo test lab bench install clean

$(STAMP): $(LOCK) pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	@echo "Installing stretchlog and its pinned dependencies into $(VENV) (about a minute the first time)..."
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check uv
	@# --compile-bytecode: these machines set PYTHONDONTWRITEBYTECODE, so without
	@# .pyc files every start would recompile pandas & co (3-4x slower imports).
	@$(BIN)/python -m uv pip install --quiet --python $(BIN)/python --compile-bytecode -r $(LOCK) -e .
	@rm -f $(VENV)/.stamp-* && touch $@

install: $(STAMP)

demo: $(STAMP)
	@$(BIN)/stretchlog validate $(SAMPLE)

test: $(STAMP)
	$(BIN)/python -m pytest --doctest-modules src/stretchlog tests

lab: $(STAMP)
	@$(BIN)/python -m uv pip install --quiet --python $(BIN)/python --compile-bytecode "jupyterlab>=4"
	$(BIN)/jupyter lab notebooks

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .hypothesis
