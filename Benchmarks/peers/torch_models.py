"""The four reference models with PyTorch on the CPU in float64, two threads.

Configurations: "eager" (autograd as written; no build step, buildSeconds
null) and "torch.compile" (W1, W2: the loss compiled by TorchInductor, whose
AOTAutograd compiles the backward pass too and chooses what to save or
recompute; buildSeconds is the first call, compile included).

    report/.venv-peers/bin/python Benchmarks/peers/torch_models.py [--models W1,W3] [--variants small]
"""
import torch
import torch.nn.functional as F

import common

torch.set_num_threads(2)


def differentiated(loss, arguments, names, constants=(), compile=False):
    """step() running loss(*leaves, *constants) and torch.autograd.grad over the
    leaves; with `compile`, the loss goes through torch.compile first."""
    if compile:
        loss = torch.compile(loss, fullgraph=True)
    leaves = [torch.from_numpy(a).requires_grad_() for a in arguments]
    constants = [torch.from_numpy(c) for c in constants]

    def step():
        value = loss(*leaves, *constants)
        grads = torch.autograd.grad(value, leaves)
        return value.item(), dict(zip(names, grads))
    return step


def w1(inp, compile=False):
    def loss(x, a, b):
        y = x
        for k in range(a.shape[0]):
            y = torch.tanh(a[k] * y + b[k])
        return torch.sum(y * y)
    return differentiated(loss, [inp["x"], inp["a"], inp["b"]], ["x", "a", "b"], compile=compile)


def w2(inp, compile=False):
    layers = len(inp["W"])

    def loss(*params):
        W, b, (X, y) = params[:layers], params[layers:2 * layers], params[2 * layers:]
        h = X
        for l in range(layers - 1):
            h = torch.relu(h @ W[l] + b[l])
        return F.cross_entropy(h @ W[-1] + b[-1], y)  # mean of logsumexp − picked logit
    names = [f"W{l}" for l in range(layers)] + [f"b{l}" for l in range(layers)]
    return differentiated(loss, inp["W"] + inp["b"], names, [inp["X"], inp["y"]], compile=compile)


def w3(inp):
    # A·V as index_add over the edge list: row i gathers w[e]·V[col e] for its
    # edges e, so autograd gives the gradients for w, V and the weights. (With
    # torch.sparse.mm on a sparse_coo_tensor or sparse_csr_tensor whose values
    # require grad, the backward forms the dense n×n gradient of A before masking
    # it: 0.8 GB and 3 s at m = 100, 8 TB at m = 1000.)
    n = inp["n"]

    def loss(X, W1, W2, w, rows, cols):
        def spmm(V):
            return torch.zeros(n, V.shape[1], dtype=V.dtype).index_add(0, rows, w[:, None] * V[cols])
        H = torch.relu(spmm(X) @ W1)
        out = spmm(H) @ W2
        return torch.sum(out * out)
    return differentiated(loss, [inp["X"], inp["W1"], inp["W2"], inp["w"]], ["X", "W1", "W2", "w"],
                          [inp["rows"], inp["cols"]])


def w4(inp):
    raise common.Unsupported(
        "PyTorch has no differentiable sparse direct solve on the CPU: torch.sparse.spsolve has no "
        "CPU kernel (only CUDA with cuDSS), torch.linalg.solve rejects sparse tensors, and a dense "
        f"{inp['n']}×{inp['n']} matrix would take {inp['n'] ** 2 * 8 / 1e9:,.0f} GB.")


if __name__ == "__main__":
    build = f" (a CUDA {torch.version.cuda} build, run on the CPU)" if torch.version.cuda else ""
    configurations = {"eager": {"W1": w1, "W2": w2, "W3": w3, "W4": w4},
                      "torch.compile": {"W1": lambda inp: w1(inp, compile=True), "W2": lambda inp: w2(inp, compile=True)}}
    common.main("pytorch", f"torch {torch.__version__}{build}", configurations, first_call_is_build={"torch.compile"})
