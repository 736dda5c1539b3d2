# The README's commands:
#   make report   the main job: the memory report of the four reference models
#                 (report/results.json, report/REPORT.md, report/index.html)
#   make test     the test suite
# Both first make sure the system packages are there (installing them with
# apt-get when run as root, otherwise naming the command to run).
SWIFT ?= swift

.PHONY: test report peers bench suites deps build clean

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

# Regression tracking with package-benchmark (time and malloc counts).
suites: deps
	cd Benchmarks && $(SWIFT) package --disable-sandbox benchmark

clean:
	rm -rf .build Benchmarks/.build
