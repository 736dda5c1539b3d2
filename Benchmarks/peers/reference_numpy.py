"""Independent reference: the four models with NumPy/SciPy and hand-written
adjoints (no autodiff library), float64 throughout. It checks the library's
gradient checksums.

Two configurations: "plain", the adjoints written straight from the formulas
(every intermediate a new array), and "careful", as a user who minds memory and
time would write them: CSR products, in-place updates (`out=`, `*=`), a buffer
reused once its value is dead, and W3's edge gradients as a sampled product
over chunks of edges instead of gathering two nnz × F arrays. Buffers are
allocated inside the pass, so that the workspace counts them.

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


def w2_inputs(inp):
    """X, the weights, the biases, the labels, the batch size and arange(batch)."""
    X = inp["X"]
    return X, inp["W"], inp["b"], inp["y"], X.shape[0], np.arange(X.shape[0])


def mlp_backward(d, hs, W, in_place):
    """The gradients of W2's weights and biases from d = ∂loss/∂logits and the
    kept activations hs (hs[0] = X); through each relu by its output's mask,
    into d itself when `in_place`."""
    layers = len(W)
    gW, gb = [None] * layers, [None] * layers
    for l in reversed(range(layers)):
        if l < layers - 1:
            if in_place:
                d *= hs[l + 1] > 0
            else:
                d = d * (hs[l + 1] > 0)
        gW[l], gb[l] = hs[l].T @ d, d.sum(axis=0)
        if l > 0:
            d = d @ W[l].T
    return {**{f"W{l}": g for l, g in enumerate(gW)}, **{f"b{l}": g for l, g in enumerate(gb)}}


def w2(inp):
    """Four relu layers, a linear layer and mean softmax cross-entropy; manual backprop."""
    X, W, bias, y, B, rows = w2_inputs(inp)
    layers = len(W)

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
        return loss, mlp_backward(d, hs, W, in_place=False)
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


def w1_careful(inp):
    """The tanh outputs in one L × n array written in place; backward overwrites
    each output with its δ once read (it is not needed again) and keeps one
    running gradient."""
    x, a, b = inp["x"], inp["a"], inp["b"]
    L, n = len(a), len(x)

    def step():
        ys = np.empty((L, n))
        y = x
        for k in range(L):
            np.multiply(y, a[k], out=ys[k])
            ys[k] += b[k]
            np.tanh(ys[k], out=ys[k])
            y = ys[k]
        loss = np.dot(y, y)
        g = np.multiply(y, 2)                # ∂loss/∂y_L, then ∂loss/∂y_k in place
        ga, gb = np.empty_like(a), np.empty_like(b)
        for k in reversed(range(L)):
            d = ys[k]                        # δ_k = g ⊙ (1 − y_{k+1}²), over y_{k+1}
            np.multiply(d, d, out=d)
            np.subtract(1, d, out=d)
            d *= g
            ga[k], gb[k] = np.dot(d, ys[k - 1] if k > 0 else x), d.sum()
            np.multiply(d, a[k], out=g)
        return loss, {"x": g, "a": ga, "b": gb}
    return step


def w2_careful(inp):
    """Bias and relu in place after each product; the relu mask read from the
    kept activation; softmax formed in place over the logits."""
    X, W, bias, y, B, rows = w2_inputs(inp)
    layers = len(W)

    def step():
        hs = [X]
        for l in range(layers - 1):
            h = hs[-1] @ W[l]
            h += bias[l]
            np.maximum(h, 0, out=h)
            hs.append(h)
        d = hs[-1] @ W[-1]
        d += bias[-1]
        d -= d.max(axis=1, keepdims=True)
        picked = d[rows, y].copy()
        np.exp(d, out=d)
        s = d.sum(axis=1, keepdims=True)
        loss = np.mean(np.log(s[:, 0]) - picked)
        d /= s                               # softmax
        d[rows, y] -= 1
        d /= B                               # ∂loss/∂logits
        return loss, mlp_backward(d, hs, W, in_place=True)
    return step


def w3_careful(inp):
    """A and Aᵀ in CSR (the transpose made once per pass), relu in place and
    its mask read from H, and ∂w as Σ_f G[row e, f]·V[col e, f] over chunks of
    65,536 edges into reused buffers."""
    n, indptr, rows, cols = inp["n"], inp["indptr"], inp["rows"], inp["cols"]
    X, W1, W2, w = inp["X"], inp["W1"], inp["W2"], inp["w"]
    chunk = min(1 << 16, len(rows))

    def edge_gradient(G, V, out):
        """out[e] += Σ_f G[rows[e], f]·V[cols[e], f], chunk by chunk."""
        F = G.shape[1]
        g, v, s = np.empty((chunk, F)), np.empty((chunk, F)), np.empty(chunk)
        for start in range(0, len(rows), chunk):
            stop = min(start + chunk, len(rows))
            size = stop - start
            np.take(G, rows[start:stop], axis=0, out=g[:size])
            np.take(V, cols[start:stop], axis=0, out=v[:size])
            np.einsum("ef,ef->e", g[:size], v[:size], out=s[:size])
            out[start:stop] += s[:size]

    def step():
        A = sp.csr_matrix((w, cols, indptr), shape=(n, n))
        At = A.T.tocsr()
        Z = A @ X
        H = Z @ W1
        np.maximum(H, 0, out=H)
        Q = A @ H
        out = Q @ W2
        loss = np.dot(out[:, 0], out[:, 0])
        dout = np.multiply(out, 2, out=out)
        gW2 = Q.T @ dout
        dQ = np.multiply(dout, W2.T, out=Q)  # Q is dead: ∂loss/∂Q = dout·W2ᵀ (W2 is F × 1)
        dH = At @ dQ
        dH *= H > 0                          # ∂loss/∂P through relu
        gW1 = Z.T @ dH
        dZ = dH @ W1.T
        gX = At @ dZ
        gw = np.zeros(len(w))
        edge_gradient(dZ, X, gw)
        edge_gradient(dQ, H, gw)             # both uses of A
        return loss, {"X": gX, "W1": gW1, "W2": gW2, "w": gw}
    return step


if __name__ == "__main__":
    common.main("numpy-reference", f"numpy {np.__version__}, scipy {scipy.__version__}",
                {"plain": {"W1": w1, "W2": w2, "W3": w3, "W4": w4},
                 # W4's plain adjoint already factorizes once for both solves.
                 "careful": {"W1": w1_careful, "W2": w2_careful, "W3": w3_careful, "W4": w4}})
