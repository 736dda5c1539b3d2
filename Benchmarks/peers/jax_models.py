"""The four reference models with JAX: jax.jit(jax.value_and_grad(loss)) on the CPU
in float64. buildSeconds is the first call (trace + compile + one run).

Configurations: "jit" (the models as written); "jit, checkpointed blocks"
(rematerialization: jax.checkpoint around blocks of layers, so that the
backward pass recomputes a block's intermediates from its input); "jit, scan
over checkpointed blocks" (W1: lax.scan over four checkpointed blocks of four
layers, so that only the blocks' inputs are kept); "jit, conjugate gradients"
(W4: the iterative alternative, CG on the matrix-free stencil to a relative
residual of 1e-10, differentiated implicitly by JAX's custom_linear_solve).

    report/.venv-peers/bin/python Benchmarks/peers/jax_models.py [--models W1,W3] [--variants small]
"""
import jax

jax.config.update("jax_enable_x64", True)
jax.config.update("jax_platforms", "cpu")

import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
from jax.experimental import sparse  # noqa: E402
from jax.experimental.sparse.linalg import spsolve  # noqa: E402

import common  # noqa: E402


def compiled(loss, arguments, constants=()):
    """step() for jit(value_and_grad(loss)) over `arguments`, waiting for the result.
    `constants` (index arrays, fixed data) are passed as further, undifferentiated
    arguments rather than captured, so that XLA does not constant-fold them."""
    function = jax.jit(jax.value_and_grad(loss, argnums=tuple(range(len(arguments)))))
    arguments = [jnp.asarray(a) for a in list(arguments) + list(constants)]

    def step():
        return jax.block_until_ready(function(*arguments))
    return step


def named(step, names):
    """Wraps step() so that it returns (loss, {name: gradient}) for flat gradient tuples."""
    def wrapped():
        value, grads = step()
        return value, dict(zip(names, grads))
    return wrapped


def w1(inp):
    def loss(x, a, b):
        y = x
        for k in range(a.shape[0]):  # unrolled: L = 16
            y = jnp.tanh(a[k] * y + b[k])
        return jnp.sum(y * y)
    return named(compiled(loss, [inp["x"], inp["a"], inp["b"]]), ["x", "a", "b"])


def chain_block(y, a, b):
    """tanh(a_j·y + b_j) for the layers of one block."""
    for j in range(a.shape[0]):
        y = jnp.tanh(a[j] * y + b[j])
    return y


BLOCK = 4  # layers per checkpointed block: √16


def w1_checkpointed(inp):
    block = jax.checkpoint(chain_block)

    def loss(x, a, b):
        y = x
        for start in range(0, a.shape[0], BLOCK):
            y = block(y, a[start:start + BLOCK], b[start:start + BLOCK])
        return jnp.sum(y * y)
    return named(compiled(loss, [inp["x"], inp["a"], inp["b"]]), ["x", "a", "b"])


def w1_scan(inp):
    block = jax.checkpoint(chain_block, prevent_cse=False)  # inside scan, CSE cannot undo the remat

    def loss(x, a, b):
        def body(y, ab):
            return block(y, *ab), None
        y, _ = jax.lax.scan(body, x, (a.reshape(-1, BLOCK), b.reshape(-1, BLOCK)))
        return jnp.sum(y * y)
    return named(compiled(loss, [inp["x"], inp["a"], inp["b"]]), ["x", "a", "b"])


def w2_checkpointed(inp):
    """Each hidden layer (product, bias, relu) checkpointed: only layer inputs are kept."""
    layers = len(inp["W"])
    layer = jax.checkpoint(lambda h, W, b: jax.nn.relu(h @ W + b))

    def loss(*params):
        W, b, (X, y) = params[:layers], params[layers:2 * layers], params[2 * layers:]
        h = X
        for l in range(layers - 1):
            h = layer(h, W[l], b[l])
        logits = h @ W[-1] + b[-1]
        picked = jnp.take_along_axis(logits, y[:, None], axis=1)[:, 0]
        return jnp.mean(jax.nn.logsumexp(logits, axis=1) - picked)
    names = [f"W{l}" for l in range(layers)] + [f"b{l}" for l in range(layers)]
    return named(compiled(loss, inp["W"] + inp["b"], [inp["X"], inp["y"]]), names)


def w2(inp):
    layers = len(inp["W"])

    def loss(*params):
        W, b, (X, y) = params[:layers], params[layers:2 * layers], params[2 * layers:]
        h = X
        for l in range(layers - 1):
            h = jax.nn.relu(h @ W[l] + b[l])
        logits = h @ W[-1] + b[-1]
        picked = jnp.take_along_axis(logits, y[:, None], axis=1)[:, 0]
        return jnp.mean(jax.nn.logsumexp(logits, axis=1) - picked)
    names = [f"W{l}" for l in range(layers)] + [f"b{l}" for l in range(layers)]
    return named(compiled(loss, inp["W"] + inp["b"], [inp["X"], inp["y"]]), names)


def w3(inp):
    # A is a BCOO matrix built inside the loss from the edge weights w, so that
    # value_and_grad differentiates with respect to its values (BCOO's
    # dot_general has JVP and transpose rules for the sparse operand's data).
    n = inp["n"]
    indices = np.stack([inp["rows"], inp["cols"]], axis=1).astype(np.int32)

    def loss(X, W1, W2, w, indices):
        A = sparse.BCOO((w, indices), shape=(n, n), indices_sorted=True, unique_indices=True)
        H = jax.nn.relu((A @ X) @ W1)
        out = (A @ H) @ W2
        return jnp.sum(out * out)
    return named(compiled(loss, [inp["X"], inp["W1"], inp["W2"], inp["w"]], [indices]), ["X", "W1", "W2", "w"])


def w3_checkpointed(inp):
    """The first layer, relu((A·X)·W1), checkpointed: its intermediates are recomputed."""
    n = inp["n"]
    indices = np.stack([inp["rows"], inp["cols"]], axis=1).astype(np.int32)

    def loss(X, W1, W2, w, indices):
        A = sparse.BCOO((w, indices), shape=(n, n), indices_sorted=True, unique_indices=True)
        H = jax.checkpoint(lambda X, W1, A: jax.nn.relu((A @ X) @ W1))(X, W1, A)
        out = (A @ H) @ W2
        return jnp.sum(out * out)
    return named(compiled(loss, [inp["X"], inp["W1"], inp["W2"], inp["w"]], [indices]), ["X", "W1", "W2", "w"])


def stencil(theta, m):
    """x ↦ (Lap + diag(exp θ))·x on the m×m grid, without forming the matrix."""
    d = jnp.exp(theta).reshape(m, m)

    def matvec(x):
        X = x.reshape(m, m)
        Y = (4 + d) * X
        Y = Y.at[1:, :].add(-X[:-1, :]).at[:-1, :].add(-X[1:, :])
        Y = Y.at[:, 1:].add(-X[:, :-1]).at[:, :-1].add(-X[:, 1:])
        return Y.reshape(-1)
    return matvec


def w4_cg(inp):
    """Conjugate gradients on the stencil (A is SPD), relative tolerance 1e-10;
    the gradient is a second CG solve with Aᵀ = A (custom_linear_solve)."""
    m = int(round(inp["n"] ** 0.5))
    tolerance = 1e-10

    def solve(theta, b):
        x, _ = jax.scipy.sparse.linalg.cg(stencil(theta, m), b, tol=tolerance, atol=0.0, maxiter=20 * inp["n"])
        return x

    def loss(theta, b, t):
        return jnp.sum((solve(theta, b) - t) ** 2)

    @jax.jit
    def residual(theta, b):
        x = solve(theta, b)
        return jnp.linalg.norm(stencil(theta, m)(x) - b) / jnp.linalg.norm(b)
    step = named(compiled(loss, [inp["theta"], inp["b"]], [inp["t"]]), ["theta", "b"])
    step.iterative = True
    step.relative_residual = float(residual(jnp.asarray(inp["theta"]), jnp.asarray(inp["b"])))
    step.note = f"conjugate gradients on the matrix-free stencil, relative tolerance {tolerance:g} (iterative)"
    return step


def w4(inp):
    # jax.experimental.sparse.linalg.spsolve is an exact sparse direct solve with
    # JVP/transpose rules for the matrix values and b. On the CPU it is a host
    # callback to scipy.sparse.linalg.spsolve (SuperLU, COLAMD ordering), which
    # factorizes anew for every solve: three per forward + backward (the solve,
    # its recomputation in spsolve's JVP rule, and the transposed adjoint solve),
    # so XLA does none of the solver work. No iterative method.
    constants = [inp["lap"], inp["diagonal"].astype(np.int32), inp["cols"].astype(np.int32),
                 inp["indptr"].astype(np.int32), inp["t"]]

    def loss(theta, b, lap, diagonal, indices, indptr, t):
        values = lap.at[diagonal].add(jnp.exp(theta))
        x = spsolve(values, indices, indptr, b)
        return jnp.sum((x - t) ** 2)
    step = named(compiled(loss, [inp["theta"], inp["b"]], constants), ["theta", "b"])
    step.note = ("jax.experimental.sparse.linalg.spsolve: on the CPU a host callback to "
                 "scipy.sparse.linalg.spsolve (SuperLU), three factorizations per forward + backward")
    return step


if __name__ == "__main__":
    import jaxlib
    configurations = {"jit": {"W1": w1, "W2": w2, "W3": w3, "W4": w4},
                      "jit, checkpointed blocks": {"W1": w1_checkpointed, "W2": w2_checkpointed, "W3": w3_checkpointed},
                      "jit, scan over checkpointed blocks": {"W1": w1_scan},
                      "jit, conjugate gradients": {"W4": w4_cg}}
    common.main("jax", f"jax {jax.__version__}, jaxlib {jaxlib.__version__}", configurations,
                first_call_is_build=set(configurations))
