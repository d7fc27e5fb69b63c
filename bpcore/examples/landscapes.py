"""Toy loss landscapes and plain gradient descent on them.

Each landscape is a loss function and its gradient, both vectorised with
NumPy:

- ``quadratic``: the bowl a (w - c)^2, by default (w - 2)^2, minimum at w =
  c;
- ``ripples``: w^2 / 10 + sin(2w), a bowl with ripples, four valleys on [-5,
  6.5];
- ``narrow_valley``: 0.1 w1^2 + 2 w2^2, a long thin valley with its minimum
  at (0, 0);
- ``craters``: a wide bowl with three Gaussian pits, three minima of
  different depth.

The 2-D landscapes take points ``w`` of shape ``(..., 2)``, so a whole grid
can be evaluated at once for a contour plot. :func:`descend` walks downhill
on any of them; :func:`optimizer_path` walks them with any optimizer of
``bpcore.optim``.
"""

from numbers import Integral

import numpy as np

from ..checks import check_positive
from ..layers import Parameter

# --- one dimension --------------------------------------------------------

#: The minimum of the default quadratic (w - 2)^2.
QUADRATIC_MINIMUM = 2.0


def quadratic(w, a=1.0, c=2.0):
    """The bowl L(w) = a (w - c)^2: minimum 0 at w = c, curvature L'' = 2a.

    Worked in :doc:`/chapters/01_gradient_descent`.
    """
    return a * (np.asarray(w, dtype=np.float64) - c) ** 2


def quadratic_grad(w, a=1.0, c=2.0):
    """The slope of the bowl: dL/dw = 2a (w - c).

    Worked in :doc:`/chapters/01_gradient_descent`.
    """
    return 2 * a * (np.asarray(w, dtype=np.float64) - c)


#: Where ``ripples`` has its local minima on [-5, 6.5], left to right.
RIPPLES_MINIMA = (
    -3.7355704568666113,
    -0.747964956635879,
    2.2430781436053815,
    5.223013431836309,
)
#: Where ``ripples`` has its local maxima (the hilltops between the
#: valleys), left to right.
RIPPLES_MAXIMA = (-2.481583844408974, 0.8267846380611134, 4.140436790068326)
#: The lowest of the minima: the global minimum of ``ripples``.
RIPPLES_GLOBAL_MINIMUM = RIPPLES_MINIMA[1]


def ripples(w):
    """A rippled bowl L(w) = w^2/10 + sin(2w): several valleys, one deepest.

    Worked in :doc:`/chapters/01_gradient_descent`.
    """
    w = np.asarray(w, dtype=np.float64)
    return w**2 / 10 + np.sin(2 * w)


def ripples_grad(w):
    """The slope of ``ripples``: dL/dw = w / 5 + 2 cos(2w).

    Worked in :doc:`/chapters/01_gradient_descent`.
    """
    w = np.asarray(w, dtype=np.float64)
    return w / 5 + 2 * np.cos(2 * w)


# --- two dimensions -------------------------------------------------------

#: The minimum of ``narrow_valley``.
NARROW_VALLEY_MINIMUM = (0.0, 0.0)


def narrow_valley(w):
    """A narrow valley, L(w) = 0.1 w1^2 + 2 w2^2.

    Its curvature is 0.2 along w1 and 4 across.

    Worked in :doc:`/chapters/07_optimizers`.
    """
    w = np.asarray(w, dtype=np.float64)
    return 0.1 * w[..., 0] ** 2 + 2 * w[..., 1] ** 2


def narrow_valley_grad(w):
    """The gradient of ``narrow_valley``: (0.2 w1, 4 w2).

    Worked in :doc:`/chapters/07_optimizers`.
    """
    w = np.asarray(w, dtype=np.float64)
    return np.stack([0.2 * w[..., 0], 4 * w[..., 1]], axis=-1)


_CRATER_CENTRES = np.array([[1.5, 1.5], [-2.0, 1.0], [1.0, -2.0]])
_CRATER_DEPTHS = np.array([1.5, 1.0, 0.8])

#: The three minima of ``craters``, deepest (the global minimum) first.
CRATERS_MINIMA = (
    (1.3986345261258313, 1.399729789057851),
    (-1.7965721722981964, 0.9094128132690944),
    (0.8883411318830402, -1.7448664172955162),
)


def craters(w):
    """A bowl with three pits.

    ``L(w) = |w|^2 / 20 - sum_k d_k exp(-|w - c_k|^2 / 2)``.

    Worked in :doc:`/chapters/01_gradient_descent`.
    """
    w = np.asarray(w, dtype=np.float64)
    offsets = w[..., None, :] - _CRATER_CENTRES
    pits = _CRATER_DEPTHS * np.exp(-0.5 * (offsets**2).sum(axis=-1))
    return 0.05 * (w**2).sum(axis=-1) - pits.sum(axis=-1)


def craters_grad(w):
    """The gradient of ``craters``.

    ``w / 10 + sum_k d_k exp(-|w - c_k|^2 / 2) (w - c_k)``.

    Worked in :doc:`/chapters/01_gradient_descent`.
    """
    w = np.asarray(w, dtype=np.float64)
    offsets = w[..., None, :] - _CRATER_CENTRES
    pits = _CRATER_DEPTHS * np.exp(-0.5 * (offsets**2).sum(axis=-1))
    return 0.1 * w + (pits[..., None] * offsets).sum(axis=-2)


# --- gradient descent -----------------------------------------------------


def _check_descent(grad, w0, eta, steps, limit):
    """Check the arguments of :func:`descend`; return w0 as float64."""
    if not callable(grad):
        raise TypeError(f"grad must be a function w -> dL/dw, got {grad!r}")
    check_positive(eta, "eta (the learning rate)")
    check_positive(limit, "limit")
    if isinstance(steps, bool) or not isinstance(steps, Integral):
        raise TypeError(f"steps must be a whole number, got {steps!r}")
    if steps < 0:
        raise ValueError(f"steps must be zero or more, got {steps}")
    w = np.array(w0, dtype=np.float64)
    if w.ndim > 1:
        raise ValueError(
            f"w0 must be a number or a 1-D array, got shape {w.shape}"
        )
    if not np.all(np.isfinite(w)):
        raise ValueError(f"w0 must be finite, got {w0!r}")
    return w


def descend(grad, w0, eta, steps, *, limit=1e6):
    """Plain gradient descent from w0: w_{t+1} = w_t - eta * grad(w_t).

    Returns the iterates w_0, w_1, ..., w_steps as a float64 array of shape
    ``(steps + 1,)`` for a number ``w0`` or ``(steps + 1, d)`` for a vector.
    If the walk blows up it stops early: the first iterate larger than
    ``limit`` (in any coordinate) is kept and is the last one; an iterate
    that is inf or NaN is dropped. So ``len(path) < steps + 1`` means the
    walk diverged.

    Worked in :doc:`/chapters/01_gradient_descent`.
    """
    w = _check_descent(grad, w0, eta, steps, limit)
    path = [w]
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps):
            g = np.asarray(grad(w), dtype=np.float64)
            if g.shape != w.shape:
                raise ValueError(
                    f"grad returned shape {g.shape} for w of shape "
                    f"{w.shape}"
                )
            w = w - eta * g
            if not np.all(np.isfinite(w)):
                break
            path.append(w)
            if np.max(np.abs(w)) > limit:
                break
    return np.array(path)


def classify_path(path, minimum, *, crawl_fraction=0.1):
    """Name a 1-D descent path's regime by its errors e_t = w_t - minimum.

    ``"diverging"`` if the last error is larger than the first; ``"stuck"``
    if the error flips sign but keeps its size; ``"oscillating"`` if it
    flips sign and shrinks; otherwise the walk is monotone, ``"crawling"``
    if the last error is still more than ``crawl_fraction`` of the first,
    else ``"converging"``. Errors below 1e-12 of ``max(|e_0|, |minimum|)``
    count as zero, so rounding noise at the bottom is not mistaken for
    oscillation.

    Worked in :doc:`/chapters/01_gradient_descent`.
    """
    errors = np.asarray(path, dtype=np.float64) - minimum
    if errors.ndim != 1 or errors.size < 2:
        raise ValueError(
            "path must be 1-D with at least two iterates, got shape "
            f"{errors.shape}"
        )
    first, last = abs(errors[0]), abs(errors[-1])
    if first == 0:
        return "converging"
    if last > first * (1 + 1e-9):
        return "diverging"
    signs = np.sign(
        errors[np.abs(errors) > 1e-12 * max(first, abs(minimum))]
    )
    if np.any(signs[1:] != signs[:-1]):
        return "stuck" if last >= first * (1 - 1e-9) else "oscillating"
    return "crawling" if last > crawl_fraction * first else "converging"


# --- any optimizer (chapter 7) --------------------------------------------


def optimizer_path(
    grad, w0, make_optimizer, steps, *, noise=0.0, seed=0, limit=1e6
):
    """Walk a landscape with an optimizer; return the iterates w_0..w_steps.

    ``make_optimizer(params)`` builds a ``bpcore.optim`` optimizer for the
    list holding one Parameter, the point w, e.g.
    ``lambda params: bpcore.optim.SGD(params, lr=0.1, momentum=0.9)``.
    Every step sets the Parameter's gradient by hand to ``grad(w)``, plus
    Gaussian noise of standard deviation ``noise`` if it is not zero (a
    sequence of ``steps`` values gives one standard deviation per step; the
    noise is drawn from ``seed``), then calls ``optimizer.step()``. Shapes,
    and stopping when the walk blows up, are as in :func:`descend`: with
    plain SGD and no noise the two give the same path.

    Worked in :doc:`/chapters/07_optimizers`.
    """
    if not callable(make_optimizer):
        raise TypeError(
            "make_optimizer must be a function params -> optimizer, got "
            f"{make_optimizer!r}"
        )
    w = _check_descent(grad, w0, 1.0, steps, limit)
    sigma = np.asarray(noise, dtype=np.float64)
    if sigma.ndim > 1 or (sigma.ndim == 1 and sigma.shape != (steps,)):
        raise ValueError(
            f"noise must be a number or one value per step ({steps}), got "
            f"shape {sigma.shape}"
        )
    if not np.all(np.isfinite(sigma) & (sigma >= 0)):
        raise ValueError("noise must be finite and ≥ 0")
    sigma = np.broadcast_to(sigma, (steps,))
    rng = np.random.default_rng(seed)
    parameter = Parameter(np.atleast_1d(w))
    optimizer = make_optimizer([parameter])
    path = [parameter.data.copy()]
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(steps):
            w_now = parameter.data.reshape(w.shape)
            g = np.asarray(grad(w_now), dtype=np.float64)
            if g.shape != w.shape:
                raise ValueError(
                    f"grad returned shape {g.shape} for w of shape "
                    f"{w.shape}"
                )
            parameter.grad[...] = g.reshape(parameter.data.shape)
            if sigma[t]:
                noise_t = sigma[t] * rng.standard_normal(
                    parameter.data.shape
                )
                parameter.grad += noise_t
            optimizer.step()
            if not np.all(np.isfinite(parameter.data)):
                break
            path.append(parameter.data.copy())
            if np.max(np.abs(parameter.data)) > limit:
                break
    return np.array(path).reshape(len(path), *w.shape)
