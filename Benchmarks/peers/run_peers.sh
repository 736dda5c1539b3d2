#!/usr/bin/env bash
# Runs the reference models with NumPy/SciPy (hand-written adjoints), JAX and
# PyTorch and merges their outputs into report/peers.json as {"peers": [...]}.
# A peer that fails to install or crashes is recorded as
# {"implementation": ..., "error": ...} and does not stop the others.
#
#   Benchmarks/peers/run_peers.sh [--models W1,W3] [--variants small]
#
# JAX and PyTorch go into a virtual environment at report/.venv-peers. PyPI's
# torch for Linux x86_64 is a CUDA build (a ~540 MB wheel plus several GB of
# nvidia-* wheels); when pip can find a CPU-only build (a version ending in
# +cpu, e.g. from a configured find-links wheelhouse), that one is installed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
report="$root/report"
venv="$report/.venv-peers"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$report"

say() { echo "[run_peers] $*" >&2; }

# Records a failure of peer $1 with message $2 as its output.
fail() {
    python3 -c 'import json, sys; print(json.dumps({"implementation": sys.argv[1], "error": sys.argv[2]}))' \
        "$1" "$2" > "$work/$1.json"
}

# Runs peer $1 with interpreter $2 and script $3 (further arguments go to the
# script); progress goes to the terminal and to $work/$1.log.
run() {
    local name="$1" python="$2" script="$3"
    shift 3
    say "running $name"
    if (PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 "$python" "$here/$script" "$@" 2>&1 1>"$work/$name.json") | tee "$work/$name.log" >&2; then
        return 0
    fi
    fail "$name" "crashed: $(grep -v '^\[peers\]' "$work/$name.log" | tail -n 1)"
}

# The virtual environment with JAX and PyTorch.
venv_ok=true
if [[ ! -x "$venv/bin/python" ]]; then
    say "creating $venv"
    python3 -m venv "$venv" || venv_ok=false
fi
pip=("$venv/bin/python" -m pip install --quiet)

jax_ok=$venv_ok
if $venv_ok; then
    say "installing jax (CPU)"
    "${pip[@]}" "jax[cpu]" >&2 || jax_ok=false
fi

torch_ok=$venv_ok
if $venv_ok; then
    cpu_build="$("$venv/bin/python" -m pip index versions torch 2>/dev/null | sed -n 's/^Available versions: //p' \
        | tr ',' '\n' | tr -d ' ' | grep '+cpu$' | sort -V | tail -n 1 || true)"
    if [[ -n "$cpu_build" ]]; then
        say "installing torch $cpu_build (a CPU-only build pip can find)"
        "${pip[@]}" "torch==$cpu_build" >&2 || torch_ok=false
    else
        mkdir "$work/torch-wheel"
        "$venv/bin/python" -m pip download --quiet --no-deps -d "$work/torch-wheel" torch >&2 || true
        say "no CPU-only torch: installing PyPI's CUDA build anyway (wheel $(du -sh "$work/torch-wheel" | cut -f1), plus nvidia-* wheels of several GB); it runs on the CPU here"
        "${pip[@]}" torch >&2 || torch_ok=false
    fi
fi

# The reference runs with the system python3 if it has NumPy and SciPy, else in the venv.
if python3 -c 'import numpy, scipy' 2>/dev/null; then
    run numpy-reference python3 reference_numpy.py "$@"
elif $venv_ok && "${pip[@]}" numpy scipy >&2; then
    run numpy-reference "$venv/bin/python" reference_numpy.py "$@"
else
    fail numpy-reference "install failed: neither the system python3 nor $venv has NumPy and SciPy"
fi

if $jax_ok; then run jax "$venv/bin/python" jax_models.py "$@"; else fail jax "install failed: pip install jax[cpu] into $venv"; fi
if $torch_ok; then run pytorch "$venv/bin/python" torch_models.py "$@"; else fail pytorch "install failed: pip install torch into $venv"; fi

# Merge; an output that is not valid JSON counts as a crash of its peer.
python3 - "$work" "$report/peers.json" <<'EOF'
import json, sys
work, target = sys.argv[1:]
peers = []
for name in ["numpy-reference", "jax", "pytorch"]:
    try:
        with open(f"{work}/{name}.json") as f:
            peers.append(json.load(f))
    except (OSError, ValueError) as error:
        peers.append({"implementation": name, "error": f"no valid output: {error}"})
with open(target, "w") as f:
    json.dump({"peers": peers}, f, indent=1)
    f.write("\n")
print(f"[run_peers] wrote {target}: " + ", ".join(
    p["implementation"] + (" (error)" if "error" in p else "") for p in peers), file=sys.stderr)
EOF
