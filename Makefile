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
	@# The editable install leaves stretchlog's own source uncompiled: compile it too
	@# (20-50 ms a command). Python checks each .pyc against its source, so an
	@# edited module is simply compiled in memory until the next install.
	@$(BIN)/python -m compileall -q src/stretchlog
	@rm -f $(VENV)/.stamp-* && touch $@

install: $(STAMP)

demo: $(STAMP)
	@echo "== 1/5 Check the log ==========================================================="
	@$(BIN)/stretchlog validate $(SAMPLE)
	@echo; echo "== 2/5 Which stretches relieve the pain ========================================"
	@$(BIN)/stretchlog effects $(SAMPLE)
	@echo; echo "== 3/5 Tightness and pain over time ============================================"
	@$(BIN)/stretchlog trends $(SAMPLE)
	@echo; echo "== 4/5 The routine: what works first ==========================================="
	@$(BIN)/stretchlog routine $(SAMPLE) --seed 1
	@echo; echo "== 5/5 Report and printable card ==============================================="
	@mkdir -p $(OUT)
	@$(BIN)/stretchlog report $(SAMPLE) --out $(OUT)/report.html --card $(OUT)/routine-card.pdf --seed 1
	@echo; echo "Open $(OUT)/report.html in a browser; print $(OUT)/routine-card.pdf."

test: $(STAMP)
	$(BIN)/python -m pytest --doctest-modules src/stretchlog tests

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py --write-md

# The notebooks' kernels inherit this environment. The Agg exported above for the tests
# would make every chart cell show nothing, so the lab gets matplotlib's inline backend
# (what ipykernel picks itself when MPLBACKEND is unset). tests/test_notebooks.py reads
# this line (`make -n lab`) and runs the notebooks with the same value.
LAB_MPLBACKEND := module://matplotlib_inline.backend_inline

lab: $(STAMP)
	@$(BIN)/python -m uv pip install --quiet --python $(BIN)/python --compile-bytecode "jupyterlab>=4"
	MPLBACKEND=$(LAB_MPLBACKEND) $(BIN)/jupyter lab notebooks

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .hypothesis
