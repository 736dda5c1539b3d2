"""Worst relative checksum difference per model between two JSON outputs.

    python3 Benchmarks/peers/compare.py BASE.json OTHER.json [--tolerance 1e-9]

Each file may be one implementation's output ({"implementation", "models"}),
report/peers.json ({"peers": [...]}) or the library's report/results.json
({"models": [...]}). Every implementation of OTHER is compared with every one of
BASE, model by model: |x − y| / max(|x|, |y|, 1e-3·Σ|g|) over sum, abs and
weighted of the loss and every gradient. The floor matters only for sums that
cancel (in W2 the gradients of the last layer, b4 and W4, sum to zero in exact
arithmetic): such a sum is rounding noise of order 1e-16·Σ|g|, so it is compared
on the scale of Σ|g| rather than its own. Exits 1 if a difference exceeds the tolerance.
"""
import argparse
import json


def implementations(path):
    """[(name, {(model, variant): checksums})] of a file; failed or unsupported runs are left out."""
    with open(path) as f:
        data = json.load(f)
    # report/peers.json is {"peers": [...]}; results.json holds its own models (and a copy of peers.json).
    peers = data["peers"] if isinstance(data.get("peers"), list) else [data]
    found = []
    for peer in peers:
        name = peer.get("implementation", path)
        if peer.get("models") is None:
            print(f"{name} ({path}): no results ({peer.get('error')})")
            continue
        found.append((name, {(m["model"], m["variant"] + (f" [{m['configuration']}]" if m.get("configuration") else "")):
                             m["checksums"]
                             for m in peer["models"] if m.get("supported", True) and m.get("checksums")}))
    return found


def worst(ours, theirs):
    """(worst relative difference, which gradient and statistic) over what both report."""
    result = (0.0, "")
    for name, a in ours.items():
        b = theirs.get(name)
        if b is None:
            continue
        floor = 1e-3 * max(abs(a["abs"]), abs(b["abs"]))
        for stat in ("sum", "abs", "weighted"):
            x, y = a[stat], b[stat]
            difference = abs(x - y) / max(abs(x), abs(y), floor, 1e-300)
            result = max(result, (difference, f"{name}.{stat}"))
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base")
    parser.add_argument("other")
    parser.add_argument("--tolerance", type=float, default=1e-9)
    args = parser.parse_args()
    exceeded = False
    for base_name, base in implementations(args.base):
        for other_name, other in implementations(args.other):
            print(f"{other_name} vs {base_name}:")
            for key in base:
                # A configuration of OTHER is compared with BASE's entry of the same model and size.
                matches = [k for k in other if k[0] == key[0] and k[1].split(" [")[0] == key[1].split(" [")[0]]
                if not matches:
                    print(f"  {key[0]} {key[1]}: not in {other_name}")
                    continue
                for match in matches:
                    difference, where = worst(base[key], other[match])
                    flag = "ok" if difference <= args.tolerance else "EXCEEDS TOLERANCE"
                    exceeded |= difference > args.tolerance
                    print(f"  {match[0]} {match[1]} vs {key[1]}: worst relative difference {difference:.1e} ({where}) {flag}")
    raise SystemExit(1 if exceeded else 0)


if __name__ == "__main__":
    main()
