# The README's commands:
#   make report   the main job: the memory report of the four reference models
#                 (report/results.json, report/REPORT.md, report/index.html)
#   make test     the test suite, then the training examples at their small sizes
#   make examples the three training examples at full size (release), SVGs in report/examples/
#   make fuzz     the libFuzzer target in Fuzz/ for FUZZ_SECONDS (default 600)
#   make sanitize the test suite under AddressSanitizer, then ThreadSanitizer
#   make mpi-test the data-parallel (MPI) checks on 2 and 3 ranks; not part of
#                 `make test`: it needs Open MPI and mpirun (Distributed/)
# They first make sure the system packages are there (installing them with
# apt-get when run as root, otherwise naming the command to run).
SWIFT ?= swift

.PHONY: test examples docs report peers bench suites deps build clean jacobian jacobian-peer colpack fuzz sanitize mpi-deps mpi-test

# Open MPI on loopback only: shared memory between the ranks (and the process
# itself), the launcher's own channel on lo; run as root in containers.
MPIRUN ?= OMPI_MCA_btl=self,vader OMPI_MCA_oob_tcp_if_include=lo OMPI_MCA_btl_tcp_if_include=lo \
	mpirun --allow-run-as-root --oversubscribe

deps:
	@scripts/ensure-system-packages

build: deps
	$(SWIFT) build

# The library's tests, then the examples' (Benchmarks/Tests/ExamplesTests:
# karate club, Poisson inverse problem, Gaussian precision at small sizes).
test: deps
	$(SWIFT) test
	cd Benchmarks && $(SWIFT) test --filter ExamplesTests

# The three training examples at full size in release mode, each printing its
# progress; SVGs into report/examples/ (karate.svg, poisson.svg, gaussian.svg).
examples: deps
	cd Benchmarks && $(SWIFT) run -c release examples all --output ../report/examples

# The DocC catalog of the Engine module (Sources/Engine/Engine.docc) into docs/Engine.doccarchive.
docs: deps
	$(SWIFT) package --allow-writing-to-directory docs generate-documentation --target Engine \
		--output-path docs/Engine.doccarchive --warnings-as-errors

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

# The fuzz target (Fuzz/, a package of its own: the library's build never sees
# the fuzzer flags), built with libFuzzer and AddressSanitizer and run from the
# checked-in seed corpus Fuzz/corpus; new inputs go to Fuzz/.corpus-work and
# findings to Fuzz/artifacts/. allocator_may_return_null lets the sizes the
# fuzzer asks for on purpose (terabytes) fail as they would without ASan, and
# -rss_limit_mb=0 keeps libFuzzer from calling those requests out-of-memory
# (a fuzzed program's arena is kept small by its memory budget instead).
FUZZ_SECONDS ?= 600
FUZZ_FLAGS ?= -max_len=512 -timeout=30
fuzz: deps
	$(SWIFT) build --package-path Fuzz --scratch-path Fuzz/.build -Xswiftc -sanitize=fuzzer,address
	mkdir -p Fuzz/.corpus-work Fuzz/artifacts
	ASAN_OPTIONS=allocator_may_return_null=1 SWIFT_BACKTRACE=enable=no Fuzz/.build/debug/EngineFuzz Fuzz/.corpus-work Fuzz/corpus \
		-max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=0 -artifact_prefix=Fuzz/artifacts/ -print_final_stats=1 $(FUZZ_FLAGS)

# The test suite under AddressSanitizer (with LeakSanitizer) and under
# ThreadSanitizer, each in its own scratch path. Only leaks inside XCTest's own
# library are suppressed (scripts/lsan-xctest.supp).
sanitize: deps
	ASAN_OPTIONS=allocator_may_return_null=1:detect_leaks=1 \
	LSAN_OPTIONS=suppressions=$(CURDIR)/scripts/lsan-xctest.supp:print_suppressions=0 \
		$(SWIFT) test --sanitize=address --scratch-path .build-asan
	TSAN_OPTIONS=allocator_may_return_null=1:halt_on_error=1 $(SWIFT) test --sanitize=thread --scratch-path .build-tsan

clean:
	rm -rf .build .build-asan .build-tsan Benchmarks/.build Fuzz/.build Distributed/.build
mpi-deps: deps
	@scripts/ensure-mpi

# The checks of Distributed/ (data-parallel gradients against one process on the
# whole batch, determinism, failures) under mpirun with 2 and 3 ranks.
mpi-test: mpi-deps
	cd Distributed && $(SWIFT) build --product distributed-check
	cd Distributed && $(MPIRUN) -np 2 .build/debug/distributed-check
	cd Distributed && $(MPIRUN) -np 3 .build/debug/distributed-check

