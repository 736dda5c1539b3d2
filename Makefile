# The README's commands:
#   make report   the main job: the memory report of the four reference models
#                 (report/results.json, report/REPORT.md, report/index.html)
#   make test     the test suite
# Both first make sure the system packages are there (installing them with
# apt-get when run as root, otherwise naming the command to run).
SWIFT ?= swift

.PHONY: test report peers bench suites deps build clean jacobian jacobian-peer colpack

deps:
	@scripts/ensure-system-packages

build: deps
	$(SWIFT) build

test: deps
	$(SWIFT) test

# Release build of the benchmark package, then the report into ./report.
report: deps
	cd Benchmarks && $(SWIFT) run -c release memory-report --output ../report

# The same models with NumPy/SciPy (hand-written adjoints), JAX and PyTorch, into
# report/peers.json; `make report` then puts them side by side.
peers:
	Benchmarks/peers/run_peers.sh

# Kernel timings printed as tables (sparse products and Cholesky; engine throughput).
bench: deps
	cd Benchmarks && $(SWIFT) run -c release sparse-bench && $(SWIFT) run -c release engine-bench

# Sparse Jacobians of the Newton residual at m = 1000 (report/jacobian-bench.json).
jacobian: deps
	cd Benchmarks && $(SWIFT) run -c release jacobian-bench --m30

# The same Jacobian at m = 30 with JAX's dense jacrev, compared entry by entry
# (report/jacobian-peer.json). Reuses report/.venv-peers (made by `make peers`)
# or makes it with JAX alone.
jacobian-peer: jacobian
	@test -x report/.venv-peers/bin/python || python3 -m venv report/.venv-peers
	@report/.venv-peers/bin/python -c 'import jax' 2>/dev/null \
		|| report/.venv-peers/bin/python -m pip install --quiet "jax[cpu]"
	report/.venv-peers/bin/python Benchmarks/peers/jacobian_jax.py

# ColPack's row colorings of the same patterns (report/colpack.json), against RowColoring's.
colpack:
	Benchmarks/colpack/run.sh

# Regression tracking with package-benchmark (time and malloc counts).
suites: deps
	cd Benchmarks && $(SWIFT) package --disable-sandbox benchmark

clean:
	rm -rf .build Benchmarks/.build
