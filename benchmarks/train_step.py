"""How much does bpcore add on top of the matrix products a training step is made of?

A training step of the MLP 784-256-128-10 (ReLU, cross-entropy, SGD) at batch 128 needs
eight matrix products: three forward (X W), three for the weight gradients (Xᵀ G) and two
for the hidden-layer input gradients (G Wᵀ; ``train_step`` skips the one for the
network's own input). This script times, per dtype:

- the bpcore step: ``bpcore.train.train_step`` (``zero_grad``, forward, loss, backward,
  ``SGD.step``);
- the same eight products alone with ``np.matmul`` on preallocated arrays (the floor);
- the same step written out in plain NumPy, for reference;

and reports the step time, the ratio step / products, and the step's GFLOP/s (2·m·k·n per
product). It also times what one slider position in the book costs: ``bpcore.fit`` on a
2-16-16-3 ReLU network, 300 spiral points, 300 full-batch epochs with Adam (lr 0.02).

The three step variants take turns in blocks of consecutive calls (see ``median_times``).
A shared machine still has slow spells that move the ratios from run to run, so compare a
few runs rather than single numbers.

Usage: ``python benchmarks/train_step.py [--quick]``
"""

import argparse
import functools
import os
import time

import numpy as np

import bpcore
from bpcore.train import train_step

SIZES = (784, 256, 128, 10)
BATCH = 128
LR = 0.01
GAP_TARGET = 0.1  # bpcore's ratio minus plain NumPy's, in the same run
SPIRAL_EPOCHS = 300
SPIRAL_TARGET_MS = 150.0


def median_times(functions, rounds, block, warmup):
    """Median wall time in seconds of one call of each function.

    Each round calls every function ``block`` times in a row, as a training loop would, then
    moves on to the next, so slow spells of the machine fall on all of them. The blocks
    matter: strictly alternating single calls made the memory allocator hand the float64
    step's large temporaries back to the system and fault them in again, hundreds of page
    faults per step that a training loop never pays.
    """
    for function in functions:
        for _ in range(warmup):
            function()
    samples = np.empty((len(functions), rounds * block))
    for round_index in range(rounds):
        for row, function in enumerate(functions):
            for call in range(round_index * block, (round_index + 1) * block):
                start = time.perf_counter()
                function()
                samples[row, call] = time.perf_counter() - start
    return np.median(samples, axis=1)


def step_operands(dtype, rng):
    """Operand pairs of the eight products of one step, with bpcore's shapes and layouts.

    Activations A[i] (A[0] is the input batch), gradients G[i] w.r.t. the outputs of
    Linear layer i, weights W[i]. Transposes are views, exactly as in ``Linear.backward``.
    """
    A = [rng.standard_normal((BATCH, width)).astype(dtype) for width in SIZES[:-1]]
    G = [rng.standard_normal((BATCH, width)).astype(dtype) for width in SIZES[1:]]
    W = [rng.standard_normal((SIZES[i], SIZES[i + 1])).astype(dtype) for i in range(3)]
    forward = [(A[i], W[i]) for i in range(3)]
    weight_grads = [(A[i].T, G[i]) for i in range(3)]
    input_grads = [(G[i], W[i].T) for i in (2, 1)]
    return forward + weight_grads + input_grads


def flop_count(operands):
    """Floating-point operations of the products: 2·m·k·n each."""
    return sum(2 * a.shape[0] * a.shape[1] * b.shape[1] for a, b in operands)


def make_matmul_only(operands):
    """The eight products alone, into preallocated outputs."""
    outputs = [np.empty((a.shape[0], b.shape[1]), a.dtype) for a, b in operands]

    def matmuls():
        for (a, b), out in zip(operands, outputs, strict=True):
            np.matmul(a, b, out=out)

    return matmuls


def make_bpcore_step(X, y, dtype):
    """One bpcore training step, and the model it trains."""
    model = bpcore.MLP(list(SIZES), activation="relu", dtype=dtype)
    loss = bpcore.CrossEntropyLoss()
    optimizer = bpcore.optim.SGD(model.parameters(), lr=LR)

    def step():
        train_step(model, loss, optimizer, X, y)

    return step, model


def numpy_step(X, y, one_hot, W1, b1, W2, b2, W3, b3):
    """The same step written out in plain NumPy; updates the weights in place."""
    n = X.shape[0]
    Z1 = X @ W1 + b1
    H1 = np.maximum(Z1, 0)
    Z2 = H1 @ W2 + b2
    H2 = np.maximum(Z2, 0)
    Z3 = H2 @ W3 + b3
    shifted = Z3 - Z3.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    total = exp.sum(axis=1, keepdims=True)
    loss = float(np.mean(np.log(total[:, 0]) - shifted[np.arange(n), y]))
    G3 = (exp / total - one_hot) / n
    G2 = (G3 @ W3.T) * (Z2 > 0)
    G1 = (G2 @ W2.T) * (Z1 > 0)
    W3 -= LR * (H2.T @ G3)
    b3 -= LR * G3.sum(axis=0)
    W2 -= LR * (H1.T @ G2)
    b2 -= LR * G2.sum(axis=0)
    W1 -= LR * (X.T @ G1)
    b1 -= LR * G1.sum(axis=0)
    return loss


def make_numpy_step(X, y, params):
    """``numpy_step`` bound to its data and to ``params`` = [W1, b1, W2, b2, W3, b3]."""
    one_hot = np.zeros((len(y), SIZES[-1]), X.dtype)
    one_hot[np.arange(len(y)), y] = 1
    return functools.partial(numpy_step, X, y, one_hot, *params)


def check_same_update(X, y, dtype):
    """Raise unless one bpcore step and one hand-written step change the weights alike."""
    bpcore_step, model = make_bpcore_step(X, y, dtype)
    params = [parameter.data.copy() for parameter in model.parameters()]
    bpcore_step()
    make_numpy_step(X, y, params)()
    tolerance = 1e-4 if dtype == np.float32 else 1e-10
    for parameter, mine in zip(model.parameters(), params, strict=True):
        np.testing.assert_allclose(parameter.data, mine, rtol=tolerance, atol=tolerance)


def bench_step(dtype, rounds, block, warmup):
    """Times (bpcore step, matmuls only, NumPy step) in seconds and the FLOPs of a step."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((BATCH, SIZES[0])).astype(dtype)
    y = rng.integers(0, SIZES[-1], BATCH)
    check_same_update(X, y, dtype)
    bpcore_step, model = make_bpcore_step(X, y, dtype)
    numpy_step = make_numpy_step(X, y, [p.data.copy() for p in model.parameters()])
    operands = step_operands(dtype, rng)
    functions = [bpcore_step, make_matmul_only(operands), numpy_step]
    times = median_times(functions, rounds, block, warmup)
    return times, flop_count(operands)


def bench_spiral(runs):
    """Median wall time in seconds of ``fit`` on the spiral: 300 epochs, full batch, Adam."""
    X, y = bpcore.spiral(n_per_class=100)
    times = []
    for _ in range(runs):
        model = bpcore.MLP([2, 16, 16, 3], activation="relu", seed=0)
        optimizer = bpcore.optim.Adam(model.parameters(), lr=0.02)
        start = time.perf_counter()
        bpcore.fit(model, bpcore.CrossEntropyLoss(), optimizer, X, y, epochs=SPIRAL_EPOCHS)
        times.append(time.perf_counter() - start)
    return float(np.median(times)), len(X)


def verdict(ok):
    """A word for the last column: whether a target is met."""
    return "ok" if ok else "MISSED"


def main():
    """Parse the arguments, run both benchmarks and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few repeats: a fast, rough run")
    args = parser.parse_args()
    rounds, block, warmup, spiral_runs = (4, 5, 3, 3) if args.quick else (30, 10, 20, 7)

    architecture = "-".join(map(str, SIZES))
    load = os.getloadavg()[0]
    print(f"MLP {architecture}, ReLU, cross-entropy, SGD lr {LR}, batch {BATCH}; "
          f"NumPy {np.__version__}, {os.cpu_count()} CPUs, load average {load:.1f}")
    print(f"median of {rounds * block} calls ({rounds} rounds of {block} in a row) after "
          f"{warmup} warm-up calls each")
    print(f"ratio = time / matmul-only time; target: bpcore's ratio at most "
          f"{GAP_TARGET} above plain NumPy's\n")
    header = (f"{'dtype':<8} {'matmul only':>12} {'bpcore step':>12} {'ratio':>6} "
              f"{'GFLOP/s':>8} {'NumPy step':>11} {'ratio':>6}  target")
    print(header)
    print("-" * len(header))
    for dtype in (np.float32, np.float64):
        (step, matmuls, hand_written), flops = bench_step(dtype, rounds, block, warmup)
        ratio = step / matmuls
        gap = ratio - hand_written / matmuls
        target = f"gap {gap:.2f} {verdict(gap <= GAP_TARGET)}"
        print(f"{np.dtype(dtype).name:<8} {matmuls * 1e3:>9.3f} ms {step * 1e3:>9.3f} ms "
              f"{ratio:>6.2f} {flops / step / 1e9:>8.1f} {hand_written * 1e3:>8.3f} ms "
              f"{hand_written / matmuls:>6.2f}  {target}")
    print(f"(one step = 8 products, {flops / 1e6:.1f} MFLOP)\n")

    total, points = bench_spiral(spiral_runs)
    print(f"spiral: MLP 2-16-16-3 ReLU, {points} points, fit for {SPIRAL_EPOCHS} full-batch "
          f"epochs, Adam lr 0.02 (median of {spiral_runs} run(s))")
    print(f"  {total * 1e3:.1f} ms in total, {total / SPIRAL_EPOCHS * 1e6:.0f} µs per step "
          f"(target < {SPIRAL_TARGET_MS:.0f} ms: {verdict(total * 1e3 < SPIRAL_TARGET_MS)})")


if __name__ == "__main__":
    main()
