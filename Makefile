# The README's commands:
#   make report   the main job: the memory report of the four reference models
#                 (report/results.json, report/REPORT.md, report/index.html)
#   make test     the test suite
#   make mpi-test the data-parallel (MPI) checks on 2 and 3 ranks; not part of
#                 `make test`: it needs Open MPI and mpirun (Distributed/)
# They first make sure the system packages are there (installing them with
# apt-get when run as root, otherwise naming the command to run).
SWIFT ?= swift

.PHONY: test report peers bench suites deps build clean mpi-deps mpi-test

# Open MPI on loopback only: shared memory between the ranks (and the process
# itself), the launcher's own channel on lo; run as root in containers.
MPIRUN ?= OMPI_MCA_btl=self,vader OMPI_MCA_oob_tcp_if_include=lo OMPI_MCA_btl_tcp_if_include=lo \
	mpirun --allow-run-as-root --oversubscribe

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

mpi-deps: deps
	@scripts/ensure-mpi

# The checks of Distributed/ (data-parallel gradients against one process on the
# whole batch, determinism, failures) under mpirun with 2 and 3 ranks.
mpi-test: mpi-deps
	cd Distributed && $(SWIFT) build --product distributed-check
	cd Distributed && $(MPIRUN) -np 2 .build/debug/distributed-check
	cd Distributed && $(MPIRUN) -np 3 .build/debug/distributed-check

clean:
	rm -rf .build Benchmarks/.build Distributed/.build
