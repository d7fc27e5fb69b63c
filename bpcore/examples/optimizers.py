"""Chapter 7's measures of a walk and of momentum on a quadratic.

:func:`steps_to_reach` counts from which step a walk stays below a
tolerance. The rest is heavy-ball momentum (gradient descent when μ = 0)
on a quadratic f(w) = ½ Σ_i λ_i w_i², whose error along each eigenvector
evolves on its own: (e_{t+1}, e_t) = A (e_t, e_{t-1}) with the 2×2
iteration matrix

    A = [[1 + μ - η λ, -μ], [1, 0]],

so its spectral radius, the larger root ``|r|`` of r² - (1 + μ - ηλ) r + μ =
0, is the factor by which the error shrinks per step in the long run.
"""

import numpy as np

from ..checks import check_positive, check_positive_int


def steps_to_reach(losses, tol):
    """The first step t after which every loss is below ``tol``, else None.

    A walk that dips below ``tol`` and comes back up has not arrived yet:
    this counts the step from which it stays there.

    Worked in :doc:`/chapters/07_optimizers`.
    """
    above = np.flatnonzero(~(np.asarray(losses, dtype=np.float64) < tol))
    if len(above) == 0:
        return 0
    if above[-1] == len(losses) - 1:
        return None
    return int(above[-1] + 1)


def heavy_ball_matrix(eta, mu, eigenvalue):
    """The heavy-ball iteration matrix A = [[1 + μ - ηλ, -μ], [1, 0]].

    Heavy-ball momentum w_{t+1} = w_t - η λ w_t + μ (w_t - w_{t-1}) along
    an eigenvector of curvature λ; ``eta``, ``mu`` and ``eigenvalue``
    broadcast, and the result has shape (..., 2, 2).

    Taught in :doc:`/chapters/07_optimizers`.
    """
    eta, mu, lam = np.broadcast_arrays(
        *(np.asarray(a, dtype=np.float64) for a in (eta, mu, eigenvalue))
    )
    matrix = np.zeros((*eta.shape, 2, 2))
    matrix[..., 0, 0] = 1 + mu - eta * lam
    matrix[..., 0, 1] = -mu
    matrix[..., 1, 0] = 1.0
    return matrix


def heavy_ball_rate(eta, mu, eigenvalue):
    """The spectral radius of :func:`heavy_ball_matrix`, in closed form.

    With b = 1 + μ - ηλ: √μ where b² < 4μ (complex roots, the error
    spirals in), else ``(|b| + √(b² - 4μ)) / 2``. Below 1 means convergence;
    μ = 0 gives gradient descent's ``|1 - ηλ|``. The arguments broadcast.

    Taught in :doc:`/chapters/07_optimizers`.
    """
    eta, mu, lam = np.broadcast_arrays(
        *(np.asarray(a, dtype=np.float64) for a in (eta, mu, eigenvalue))
    )
    b = 1 + mu - eta * lam
    discriminant = b**2 - 4 * mu
    real = (np.abs(b) + np.sqrt(np.maximum(discriminant, 0))) / 2
    return np.where(discriminant < 0, np.sqrt(np.maximum(mu, 0)), real)


def momentum_rate(eta, mu, eigenvalues):
    """The rate on a quadratic: the largest heavy_ball_rate over its λ_i.

    ``eigenvalues`` is a sequence of curvatures; ``eta`` and ``mu``
    broadcast (a grid of them gives a map). The rate grows with ``|b|`` away
    from the spiralling region, so the extreme eigenvalues decide it.

    Taught in :doc:`/chapters/07_optimizers`.
    """
    eigenvalues = np.atleast_1d(np.asarray(eigenvalues, dtype=np.float64))
    if eigenvalues.ndim != 1 or not np.all(eigenvalues > 0):
        raise ValueError(
            f"eigenvalues must be positive numbers, got {eigenvalues!r}"
        )
    rates = [heavy_ball_rate(eta, mu, lam) for lam in eigenvalues]
    return np.max(rates, axis=0)


def _check_spectrum(lam_min, lam_max):
    check_positive(lam_min, "lam_min")
    check_positive(lam_max, "lam_max")
    if lam_min > lam_max:
        raise ValueError(
            f"lam_min must not exceed lam_max, got {lam_min} > {lam_max}"
        )
    return float(lam_min), float(lam_max)


def optimal_gradient_descent(lam_min, lam_max):
    """Gradient descent's best fixed step and its rate on [λ_min, λ_max].

    η* = 2 / (λ_min + λ_max), rate (κ - 1) / (κ + 1) with κ = λ_max /
    λ_min: both extreme directions then shrink by the same factor.
    Returns ``(eta, rate)``.

    Taught in :doc:`/chapters/07_optimizers`.
    """
    lam_min, lam_max = _check_spectrum(lam_min, lam_max)
    kappa = lam_max / lam_min
    return 2 / (lam_min + lam_max), (kappa - 1) / (kappa + 1)


def optimal_momentum(lam_min, lam_max):
    """Heavy-ball momentum's best (η, μ) and its rate (Polyak's).

    η* = 4 / (√λ_max + √λ_min)², μ* = ((√κ - 1) / (√κ + 1))², rate √μ* =
    (√κ - 1) / (√κ + 1): both extreme directions critically damped.
    Returns ``(eta, mu, rate)``.

    Taught in :doc:`/chapters/07_optimizers`.
    """
    lam_min, lam_max = _check_spectrum(lam_min, lam_max)
    root = np.sqrt(lam_max / lam_min)
    rate = (root - 1) / (root + 1)
    eta = 4 / (np.sqrt(lam_max) + np.sqrt(lam_min)) ** 2
    return float(eta), float(rate**2), float(rate)


def critical_damping(eta, eigenvalue):
    """The momentum μ = (1 - √(ηλ))² that critically damps direction λ.

    Where b² = 4μ, A has a double root: above this μ the error along λ
    spirals in (rate √μ), below it decays without turning. Defined for
    0 ≤ ηλ ≤ 4 (NaN beyond, where no μ < 1 converges).

    Taught in :doc:`/chapters/07_optimizers`.
    """
    product = np.asarray(eta, dtype=np.float64) * np.asarray(
        eigenvalue, dtype=np.float64
    )
    with np.errstate(invalid="ignore"):
        mu = (1 - np.sqrt(product)) ** 2
    return np.where((product >= 0) & (product <= 4), mu, np.nan)


def rate_map(eigenvalues, etas, mus):
    """:func:`momentum_rate` over a grid: shape (len(mus), len(etas)).

    Row i, column j holds the rate at (η_j, μ_i); a value ≥ 1 diverges.

    Taught in :doc:`/chapters/07_optimizers`.
    """
    etas = np.asarray(etas, dtype=np.float64)
    mus = np.asarray(mus, dtype=np.float64)
    if etas.ndim != 1 or mus.ndim != 1:
        raise ValueError("etas and mus must be 1-D")
    return momentum_rate(etas[None, :], mus[:, None], eigenvalues)


def heavy_ball_steps(
    eigenvalues,
    eta,
    mu,
    tol,
    *,
    block=256,
    patience=512,
    max_steps=1_000_000,
):
    """Steps from which f(w_t) / f(w_0) stays below ``tol``, by iterating.

    Runs heavy-ball momentum (μ = 0: gradient descent) on n quadratics at
    once: ``eigenvalues`` has shape (n, d), f_k(w) = ½ Σ_i λ_ki w_i², from
    w_0 = (1, ..., 1) with no velocity (w_{-1} = w_0, so the first step is
    -η ∇f, as in ``bpcore.optim.SGD``), with ``eta`` and ``mu`` of shape
    (n,). To be fast it advances each state (w_t, w_{t-1}) ``block``
    steps at a time with the powers A¹ … A^block of the iteration matrix,
    and stops once every run has stayed below ``tol`` for at least
    ``patience`` steps (longer than a walk's swings: a loss that dips
    below and comes back has not arrived). Returns a list of n step
    counts (None: not within ``max_steps``).

    Taught in :doc:`/chapters/07_optimizers`.
    """
    lam = np.asarray(eigenvalues, dtype=np.float64)
    if lam.ndim != 2 or not np.all(lam > 0):
        raise ValueError(
            "eigenvalues must be positive, of shape (runs, dimensions)"
        )
    n = lam.shape[0]
    eta = np.broadcast_to(np.asarray(eta, dtype=np.float64), (n,))
    mu = np.broadcast_to(np.asarray(mu, dtype=np.float64), (n,))
    check_positive(tol, "tol")
    check_positive_int(block, "block")
    check_positive_int(patience, "patience")
    check_positive_int(max_steps, "max_steps")
    matrix = heavy_ball_matrix(eta[:, None], mu[:, None], lam)
    powers = [np.broadcast_to(np.eye(2), matrix.shape)]
    for _ in range(block):
        powers.append(matrix @ powers[-1])
    powers = np.stack(powers[1:])  # (block, n, d, 2, 2): A^1 ... A^block
    first_row = powers[..., 0, 0], powers[..., 0, 1]  # w from the state
    state = np.ones((*lam.shape, 2))  # (w_t, w_{t-1}) per coordinate
    f0 = 0.5 * lam.sum(axis=1)
    last_above = np.zeros(n, dtype=int)  # the last t with f_t ≥ tol f_0
    start = 0
    with np.errstate(over="ignore", invalid="ignore"):
        while start < max_steps:
            # w_{start+1} ... w_{start+block}, shape (block, n, d)
            w = first_row[0] * state[..., 0] + first_row[1] * state[..., 1]
            ratio = 0.5 * (lam * w**2).sum(axis=2) / f0
            above = ~(ratio < tol)
            hit = above.any(axis=0)
            last = block - 1 - np.argmax(above[::-1], axis=0)
            last_above = np.where(hit, start + 1 + last, last_above)
            state = (powers[-1] @ state[..., None])[..., 0]
            start += block
            if np.all(last_above <= start - patience):
                break
    return [
        int(t) + 1 if t <= start - patience else None for t in last_above
    ]


def condition_sweep(kappas, tol=1e-10):
    """Steps of tuned gradient descent and momentum on f = ½(w₁² + κ w₂²).

    For each condition number κ (λ_min = 1, λ_max = κ), gradient descent
    runs with η* = 2 / (1 + κ) and heavy-ball momentum with its optimal
    (η*, μ*) (:func:`optimal_momentum`), from w_0 = (1, 1); returns
    ``{"gradient descent": steps, "momentum": steps}``, the steps from
    which f(w_t) / f(w_0) stays below ``tol`` (:func:`heavy_ball_steps`).

    Taught in :doc:`/chapters/07_optimizers`.
    """
    kappas = np.asarray(kappas, dtype=np.float64)
    if kappas.ndim != 1 or not np.all(kappas >= 1):
        raise ValueError(f"kappas must be numbers ≥ 1, got {kappas!r}")
    eigenvalues = np.stack([np.ones_like(kappas), kappas], axis=1)
    gd_eta = [optimal_gradient_descent(1.0, k)[0] for k in kappas]
    best = [optimal_momentum(1.0, k) for k in kappas]
    runs = np.concatenate([eigenvalues, eigenvalues])
    etas = np.concatenate([gd_eta, [eta for eta, _, _ in best]])
    mus = np.concatenate([np.zeros(len(kappas)), [m for _, m, _ in best]])
    steps = heavy_ball_steps(runs, etas, mus, tol)
    return {
        "gradient descent": steps[: len(kappas)],
        "momentum": steps[len(kappas) :],
    }
