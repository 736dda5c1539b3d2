"""Shared pieces of the peer benchmarks (NumPy reference, JAX, PyTorch).

The input recipes of the four reference models (exactly as
Benchmarks/Sources/ReferenceModels/Recipes.swift and Models.swift build them),
the gradient checksums, timing, peak-resident measurement and the JSON output.

An implementation script calls `main(name, version, configurations)` where
`configurations` maps a configuration's name ("eager", "torch.compile", …) to a
dict from "W1".."W4" to a function `prepare(inputs) -> step`; `step()` runs one
forward + backward pass and returns `(loss, {gradient name: array})`. A model
missing from a configuration is not run in it. `prepare` may raise
`Unsupported("<reason>")`, and may set on `step`: `note` (a caveat, into the
entry as "note"), `iterative = True` and `relative_residual` (an iterative
solve's ‖A·x − b‖ / ‖b‖, as "relativeResidual").

Every configuration is measured the same way as the library: the workspace is
the rise of the peak resident set over one forward + backward pass (inputs
already built and resident, after a warm-up) minus the bytes of the gradients
that pass returns.
"""
import argparse
import ctypes
import gc
import json
import math
import statistics
import sys
import time
import traceback

import numpy as np

GOLDEN = 0.6180339887498949


class Unsupported(Exception):
    """Raised by `prepare` when an implementation cannot run a model; the message is the reason."""


def progress(message):
    print(f"[peers] {message}", file=sys.stderr, flush=True)


# MARK: Recipes

def sinseq(n, a, b, scale=1.0, shift=0.0):
    """shift + scale·sin(a·k + b), k = 0..n-1, with libm's sin (as Swift on Linux)."""
    argument = a * np.arange(n, dtype=np.float64) + b
    s = np.fromiter(map(math.sin, argument.tolist()), np.float64, n)
    return shift + scale * s


def weyl(n, s):
    """frac(0.6180339887498949·k + s): a multiply, an add, a floor and a subtract, each rounded."""
    v = GOLDEN * np.arange(n, dtype=np.float64)
    v = v + s
    return v - np.floor(v)


def centered(n, s, c):
    """c·(2·weyl(n, s) − 1)."""
    return c * (2 * weyl(n, s) - 1)


def grid(m):
    """The m×m grid's adjacency with self loops in CSR order: row i = r·m + c holds
    columns i−m, i−1, i, i+1, i+m (where they exist), in that order.
    Returns (indptr, rows, cols), int64; edge e is position e in this order."""
    n = m * m
    i = np.arange(n, dtype=np.int64)
    r, c = i // m, i % m
    offsets = np.array([-m, -1, 0, 1, m], dtype=np.int64)
    valid = np.stack([r > 0, c > 0, np.ones(n, bool), c < m - 1, r < m - 1], axis=1)
    cols = (i[:, None] + offsets)[valid]  # C-order boolean indexing keeps row-major edge order
    counts = valid.sum(axis=1)
    rows = np.repeat(i, counts)
    indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    return indptr, rows, cols


def inputs_w1(n):
    L = 16
    return {"x": sinseq(n, 0.37, 0.1),
            "a": np.array([1 + 0.2 * math.cos(0.5 * k) for k in range(L)]),
            "b": np.array([0.1 * math.sin(0.7 * k + 0.3) for k in range(L)])}


def inputs_w2(B=512, D=1024, width=1024, hidden=4, C=10):
    widths = [D] + [width] * hidden + [C]
    W = [centered(fi * fo, 0.2 + 0.1 * l, math.sqrt(6 / fi)).reshape(fi, fo)
         for l, (fi, fo) in enumerate(zip(widths[:-1], widths[1:]))]
    b = [sinseq(fo, 0.37, 0.1 + l, scale=0.01) for l, fo in enumerate(widths[1:])]
    y = (7 * np.arange(B) + 3) % C
    return {"X": centered(B * D, 0.1, 1).reshape(B, D), "W": W, "b": b, "y": y}


def inputs_w3(m, F=16):
    n = m * m
    indptr, rows, cols = grid(m)
    scale = math.sqrt(6 / F)
    return {"n": n, "indptr": indptr, "rows": rows, "cols": cols,
            "X": centered(n * F, 0.1, 1).reshape(n, F),
            "W1": centered(F * F, 0.3, scale).reshape(F, F),
            "W2": centered(F, 0.5, scale).reshape(F, 1),
            "w": sinseq(len(cols), 0.37, 0.1, scale=0.02, shift=0.2)}


def inputs_w4(m):
    """Lap (4 on the diagonal, −1 per grid neighbour) in the grid's CSR pattern;
    `diagonal` holds the positions of the diagonal entries in that pattern."""
    n = m * m
    indptr, rows, cols = grid(m)
    lap = np.where(rows == cols, 4.0, -1.0)
    return {"n": n, "indptr": indptr, "rows": rows, "cols": cols, "lap": lap,
            "diagonal": np.flatnonzero(rows == cols),
            "theta": sinseq(n, 0.37, 0.1, shift=-2), "b": sinseq(n, 0.13, 0.2),
            "t": sinseq(n, 0.029, 0.3, scale=0.1)}


def cases(small):
    """(model, variant, input builder, large?) in the report's order."""
    if small:
        return [("W1", "n=20000", lambda: inputs_w1(20_000), False),
                ("W2", "B=512", inputs_w2, False),
                ("W3", "m=100", lambda: inputs_w3(100), False),
                ("W4", "m=300", lambda: inputs_w4(300), False)]
    return [("W1", "n=2000000", lambda: inputs_w1(2_000_000), True),
            ("W2", "B=512", inputs_w2, False),
            ("W3", "m=1000", lambda: inputs_w3(1000), True),
            ("W3", "m=100", lambda: inputs_w3(100), False),
            ("W4", "m=1000", lambda: inputs_w4(1000), True),
            ("W4", "m=300", lambda: inputs_w4(300), False)]


# MARK: Checksums

def checksum(values):
    """sum, sum of |g| and Σ_k g[k]·((k mod 7) + 1) over the row-major flattening,
    each summed exactly (math.fsum) from float64 values."""
    v = np.ascontiguousarray(np.asarray(values, dtype=np.float64)).ravel()
    weights = (np.arange(v.size) % 7 + 1).astype(np.float64)
    return {"sum": math.fsum(v.tolist()), "abs": math.fsum(np.abs(v).tolist()),
            "weighted": math.fsum((v * weights).tolist())}


# MARK: Memory and time

def _status():
    """VmRSS and VmHWM (peak) of this process, in bytes."""
    fields = {}
    with open("/proc/self/status") as f:
        for line in f:
            name, _, rest = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                fields[name] = int(rest.split()[0]) * 1024
    return fields


def _trim_heap():
    """Returns freed heap memory to the system (glibc malloc_trim), so that memory
    freed by an earlier run does not hide this run's growth."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass


def peak_increase(body):
    """Runs body(); returns (its result, peak resident bytes during it minus the
    resident bytes just before), the second None if the peak cannot be reset."""
    gc.collect()
    _trim_heap()
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # resets VmHWM to the current VmRSS
        before = _status()["VmRSS"]
    except OSError:
        return body(), None
    result = body()
    return result, max(0, _status()["VmHWM"] - before)


def array_bytes(array):
    """Bytes of a NumPy, JAX or PyTorch array."""
    size = getattr(array, "nbytes", None)
    if size is None:
        size = array.numel() * array.element_size()
    return int(size)


def timed(body):
    start = time.perf_counter()
    result = body()
    return result, time.perf_counter() - start


# MARK: Running and JSON

def run_case(prepare, model, variant, configuration, make_inputs, large, first_call_is_build):
    """One model at one size in one configuration: warm-up (its time is
    buildSeconds when the first call compiles), checksums of the warm-up's
    result, one measured run for the peak resident memory and the workspace,
    then 3 (large) or 5 timed runs."""
    entry = {"model": model, "variant": variant, "configuration": configuration, "supported": True, "reason": None,
             "loss": None, "checksums": None, "time": None, "peakResidentBytes": None, "workspaceBytes": None}
    label = f"{model} {variant} [{configuration}]"
    progress(f"{label}: building inputs")
    try:
        step = prepare(make_inputs())
        progress(f"{label}: warm-up")
        (loss, grads), first = timed(step)
    except Unsupported as reason:
        progress(f"{label}: unsupported: {reason}")
        return dict(entry, supported=False, reason=str(reason))
    except Exception as error:  # a crash of one model should not lose the others
        traceback.print_exc()
        return dict(entry, supported=False, reason=f"crashed: {type(error).__name__}: {error}")
    if getattr(step, "note", None):
        entry["note"] = step.note
    if getattr(step, "iterative", False):
        entry["iterative"] = True
    if getattr(step, "relative_residual", None) is not None:
        entry["relativeResidual"] = float(step.relative_residual)
    entry["loss"] = float(loss)
    entry["checksums"] = {"loss": checksum([float(loss)])}
    entry["checksums"].update({name: checksum(g) for name, g in grads.items()})
    del loss, grads
    progress(f"{label}: run for peak resident memory")
    (_, grads), entry["peakResidentBytes"] = peak_increase(step)
    if entry["peakResidentBytes"] is not None:
        returned = sum(array_bytes(g) for g in grads.values())
        entry["workspaceBytes"] = max(0, entry["peakResidentBytes"] - returned)
    del grads
    runs = 3 if large else 5
    times = []
    for _ in range(runs):
        _, seconds = timed(step)
        times.append(seconds)
    entry["time"] = {"buildSeconds": first if first_call_is_build else None,
                     "medianSeconds": statistics.median(times), "minSeconds": min(times), "runs": runs}
    progress(f"{label}: median {entry['time']['medianSeconds']:.4f} s, "
             f"workspace {(entry['workspaceBytes'] or 0) / 2**20:.0f} MiB")
    return entry


def main(implementation, version, configurations, first_call_is_build=()):
    """Parses --models, --variants and --configurations, runs the selected cases
    (every configuration of a model one after the other) and prints one JSON
    object. `first_call_is_build` names the configurations whose first call
    compiles."""
    parser = argparse.ArgumentParser(description=f"{implementation}: the reference models")
    parser.add_argument("--models", default="W1,W2,W3,W4", help="comma-separated, e.g. W1,W3")
    parser.add_argument("--variants", default="all", choices=["all", "small"],
                        help="small: W1 n=20000, W2 B=512, W3 m=100, W4 m=300")
    parser.add_argument("--configurations", default=";".join(configurations),
                        help="separated by semicolons, of: " + "; ".join(configurations))
    args = parser.parse_args()
    selected = set(args.models.split(","))
    chosen = [c for c in configurations if c in set(args.configurations.split(";"))]
    results = [run_case(configurations[c][model], model, variant, c, make, large, c in first_call_is_build)
               for model, variant, make, large in cases(args.variants == "small") if model in selected
               for c in chosen if model in configurations[c]]
    json.dump({"implementation": implementation, "version": version, "models": results}, sys.stdout, indent=1)
    print()
