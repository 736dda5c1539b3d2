"""The Jacobian of the Newton residual r(u) = L·u + u³ − f on an m × m grid with
JAX's dense reverse mode (jax.jit(jax.jacrev(r))) on the CPU in float64, compared
entry by entry with the library's sparse Jacobian.

L is the 5-point Laplacian with Dirichlet boundary, taken positive (4 on the
diagonal, −1 per neighbour), applied as a stencil on the m × m array (node
k = r·m + c, as SparseMatrix.gridLaplacian numbers it). jacrev runs n = m²
vector-Jacobian products (vectorized) and returns the dense n × n J.

Reads report/jacobian-m30.json (u, f and the sparse J that
`swift run -c release jacobian-bench --m30` writes) and writes
report/jacobian-peer.json:
{"implementation", "version", "m", "jacrevSeconds", "buildSeconds", "sparseSeconds",
 "maxAbsDifference", "sameJacobian", "denseBytes", "scaling": [{m, n, jacrevSeconds}],
 "infeasible": {...}}

    report/.venv-peers/bin/python Benchmarks/peers/jacobian_jax.py
"""
import json
import math
import os
import statistics
import sys
import time

import jax

jax.config.update("jax_enable_x64", True)
jax.config.update("jax_platforms", "cpu")

import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
REPORT = os.path.join(ROOT, "report")
MEMORY_BYTES = 24 * 2**30  # this machine's memory


def residual(m):
    def r(u, f):
        grid = u.reshape(m, m)
        padded = jnp.pad(grid, 1)
        lu = 4 * grid - padded[:-2, 1:-1] - padded[2:, 1:-1] - padded[1:-1, :-2] - padded[1:-1, 2:]
        return lu.reshape(-1) + u ** 3 - f
    return r


def timed_jacobian(m, u, f, repetitions=5):
    function = jax.jit(jax.jacrev(residual(m)))
    u, f = jnp.asarray(u), jnp.asarray(f)
    start = time.perf_counter()
    jacobian = jax.block_until_ready(function(u, f))
    build = time.perf_counter() - start
    samples = []
    for _ in range(repetitions):
        start = time.perf_counter()
        jax.block_until_ready(function(u, f))
        samples.append(time.perf_counter() - start)
    return np.asarray(jacobian), statistics.median(samples), build


def inputs(m):
    """The bench's inputs: u = 1 + 0.5 sin(0.37k), f = cos(0.11k)."""
    k = np.arange(m * m, dtype=np.float64)
    return 1 + 0.5 * np.sin(0.37 * k), np.cos(0.11 * k)


def main():
    source = os.path.join(REPORT, "jacobian-m30.json")
    if not os.path.exists(source):
        sys.exit(f"{source} is missing: run `cd Benchmarks && swift run -c release jacobian-bench --m30` first")
    with open(source) as handle:
        ours = json.load(handle)
    m = ours["m"]
    n = m * m
    u, f = np.asarray(ours["u"]), np.asarray(ours["f"])
    dense, seconds, build = timed_jacobian(m, u, f)
    sparse = np.zeros((n, n))
    sparse[np.asarray(ours["rows"]), np.asarray(ours["columns"])] = np.asarray(ours["values"])
    difference = float(np.max(np.abs(dense - sparse)))
    scale = float(np.max(np.abs(dense)))

    # Scaling of the dense Jacobian: time and memory grow as n².
    scaling = [{"m": m, "n": n, "jacrevSeconds": seconds}]
    for bigger in (45, 60):
        bu, bf = inputs(bigger)
        _, s, _ = timed_jacobian(bigger, bu, bf, repetitions=3)
        scaling.append({"m": bigger, "n": bigger * bigger, "jacrevSeconds": s})
    # Dense J holds 8·n² bytes: larger than this machine's memory above n_max.
    n_max = int(math.sqrt(MEMORY_BYTES / 8))
    per_entry = scaling[-1]["jacrevSeconds"] / scaling[-1]["n"] ** 2
    result = {
        "implementation": "jax",
        "version": jax.__version__,
        "m": m,
        "jacrevSeconds": seconds,
        "buildSeconds": build,
        "sparseSeconds": ours["jacobianSeconds"],
        "sparseProducts": ours["products"],
        "maxAbsDifference": difference,
        "sameJacobian": difference <= 1e-12 * max(scale, 1.0),
        "denseBytes": 8 * n * n,
        "scaling": scaling,
        "infeasible": {
            "reason": "the dense n × n float64 Jacobian exceeds the machine's 24 GiB",
            "n": n_max,
            "m": int(math.sqrt(n_max)),
            "m1000DenseBytes": 8 * 10**12,
            "m1000SecondsExtrapolated": per_entry * 1e12,
        },
    }
    os.makedirs(REPORT, exist_ok=True)
    with open(os.path.join(REPORT, "jacobian-peer.json"), "w") as handle:
        json.dump(result, handle, indent=2)
    print(f"JAX {jax.__version__} jacrev at m = {m} (n = {n}): {seconds * 1e3:.2f} ms (first call {build:.2f} s); "
          f"sparse: {ours['jacobianSeconds'] * 1e3:.2f} ms with {ours['products']} products")
    print(f"max |J_jax − J_sparse| = {difference:.3g} (max |J| = {scale:.3g}): "
          f"{'same J' if result['sameJacobian'] else 'DIFFERENT'}")
    for row in scaling:
        print(f"  m = {row['m']:3d}, n = {row['n']:5d}: jacrev {row['jacrevSeconds'] * 1e3:9.2f} ms")
    print(f"dense J needs 8·n² bytes: beyond n ≈ {n_max} (m ≈ {int(math.sqrt(n_max))}) it exceeds 24 GiB; "
          f"at m = 1000 it would be 8 TB and about {per_entry * 1e12 / 3600:.0f} h at the measured rate")


if __name__ == "__main__":
    main()
