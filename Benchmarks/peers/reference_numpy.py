"""Independent reference: the four models with NumPy/SciPy and hand-written
adjoints (no autodiff library), float64 throughout. It checks the library's
gradient checksums.

    python3 Benchmarks/peers/reference_numpy.py [--models W1,W3] [--variants small]
"""
import numpy as np
import scipy
import scipy.sparse as sp
import scipy.sparse.linalg as spla

import common


def w1(inp):
    """y_{k+1} = tanh(a_k·y_k + b_k), loss = Σ y_L²; backprop through the saved y_k."""
    x, a, b = inp["x"], inp["a"], inp["b"]

    def step():
        ys = [x]
        for k in range(len(a)):
            ys.append(np.tanh(a[k] * ys[-1] + b[k]))
        loss = np.dot(ys[-1], ys[-1])
        g = 2 * ys[-1]                       # ∂loss/∂y_L
        ga, gb = np.empty_like(a), np.empty_like(b)
        for k in reversed(range(len(a))):
            d = g * (1 - ys[k + 1] ** 2)     # ∂loss/∂(a_k·y_k + b_k)
            ga[k], gb[k] = np.dot(d, ys[k]), d.sum()
            g = d * a[k]                     # ∂loss/∂y_k
        return loss, {"x": g, "a": ga, "b": gb}
    return step


def w2(inp):
    """Four relu layers, a linear layer and mean softmax cross-entropy; manual backprop."""
    X, W, bias, y = inp["X"], inp["W"], inp["b"], inp["y"]
    B, layers = X.shape[0], len(W)
    rows = np.arange(B)

    def step():
        hs = [X]
        for l in range(layers - 1):
            hs.append(np.maximum(hs[-1] @ W[l] + bias[l], 0))
        logits = hs[-1] @ W[-1] + bias[-1]
        shifted = logits - logits.max(axis=1, keepdims=True)
        e = np.exp(shifted)
        s = e.sum(axis=1, keepdims=True)
        loss = np.mean(np.log(s[:, 0]) - shifted[rows, y])
        d = e / s                            # softmax
        d[rows, y] -= 1
        d /= B                               # ∂loss/∂logits
        gW, gb = [None] * layers, [None] * layers
        for l in reversed(range(layers)):
            if l < layers - 1:
                d = d * (hs[l + 1] > 0)      # through relu
            gW[l], gb[l] = hs[l].T @ d, d.sum(axis=0)
            if l > 0:
                d = d @ W[l].T
        return loss, {**{f"W{l}": g for l, g in enumerate(gW)}, **{f"b{l}": g for l, g in enumerate(gb)}}
    return step


def w3(inp):
    """Z = A·X, H = relu(Z·W1), out = (A·H)·W2, loss = Σ out²; A in CSR with data = w."""
    n, indptr, rows, cols = inp["n"], inp["indptr"], inp["rows"], inp["cols"]
    X, W1, W2, w = inp["X"], inp["W1"], inp["W2"], inp["w"]

    def edge_gradient(G, V):
        # ∂loss/∂w[e] for U = A·V with ∂loss/∂U = G: Σ_f G[row e, f]·V[col e, f]
        return np.einsum("ef,ef->e", G[rows], V[cols])

    def step():
        A = sp.csr_matrix((w, cols, indptr), shape=(n, n))
        Z = A @ X
        P = Z @ W1
        H = np.maximum(P, 0)
        Q = A @ H
        out = Q @ W2
        loss = np.sum(out * out)
        dout = 2 * out
        gW2 = Q.T @ dout
        dQ = dout @ W2.T
        dH = A.T @ dQ
        dP = dH * (P > 0)
        gW1 = Z.T @ dP
        dZ = dP @ W1.T
        gX = A.T @ dZ
        gw = edge_gradient(dZ, X) + edge_gradient(dQ, H)  # both uses of A
        return loss, {"X": gX, "W1": gW1, "W2": gW2, "w": gw}
    return step


def w4(inp):
    """A = Lap + diag(exp θ), x = A⁻¹b, loss = Σ(x − t)². One SuperLU factorization
    per run (scipy's splu) serves both the solve and the adjoint solve (A is
    symmetric): u = A⁻¹·2(x − t), ∂b = u, ∂θ = −u ⊙ x ⊙ exp θ."""
    n, indptr, cols, lap, diagonal = inp["n"], inp["indptr"], inp["cols"], inp["lap"], inp["diagonal"]
    theta, b, t = inp["theta"], inp["b"], inp["t"]

    def step():
        e = np.exp(theta)
        values = lap.copy()
        values[diagonal] += e
        A = sp.csc_matrix((values, cols, indptr), shape=(n, n))  # symmetric: CSR arrays = CSC of Aᵀ = A
        # A is SPD: symmetric ordering of A + Aᵀ, no pivoting (diagonal pivots).
        lu = spla.splu(A, permc_spec="MMD_AT_PLUS_A", diag_pivot_thresh=0.0,
                       options={"SymmetricMode": True})
        x = lu.solve(b)
        r = x - t
        loss = np.dot(r, r)
        u = lu.solve(2 * r)
        return loss, {"theta": -u * x * e, "b": u}
    return step


if __name__ == "__main__":
    common.main("numpy-reference", f"numpy {np.__version__}, scipy {scipy.__version__}",
                {"W1": w1, "W2": w2, "W3": w3, "W4": w4})
