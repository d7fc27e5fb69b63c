"""Gradient checking: backpropagated gradients against finite differences.

Central difference: ∂f/∂x_i ≈ (f(x + h e_i) - f(x - h e_i)) / (2h). Its
error is truncation, about h²·f‴/6, plus rounding, about ε·f/h with ε =
2.2e-16. At ``STEP`` = 1e-5 each is near 2e-11 in units of the loss,
whatever the size of the entry. So an entry is scored by ``abs(a - n) /
max(abs(a), abs(n), 1, abs(L))``: relatively where it is larger than the
loss's scale, absolutely below that. A correct gradient scores below 1e-9;
``TOLERANCE`` is 1e-7. Derived in :ref:`gradcheck-rule` (chapter 5).
"""

from dataclasses import dataclass

import numpy as np

from .checks import as_float_array, check_positive

# balances truncation (∝ h²) against rounding (∝ ε/h) in float64
STEP = 1e-5
# a hundred times the largest score of a correct gradient (chapter 5)
TOLERANCE = 1e-7


def numerical_gradient(f, x, h=STEP):
    """∂f/∂x by central differences; ``f`` maps the array ``x`` to a scalar.

    ``x`` is perturbed in place one entry at a time and restored afterwards.

    Taught in :doc:`/chapters/03_autodiff`.
    """
    check_positive(h, "the step h")
    gradient = np.zeros_like(x, dtype=np.float64)
    flat_x, flat_gradient = x.reshape(-1), gradient.reshape(-1)
    if not np.shares_memory(flat_x, x):
        raise ValueError(
            "x must be a contiguous array so it can be perturbed in place"
        )
    for i in range(flat_x.size):
        original = flat_x[i]
        flat_x[i] = original + h
        f_plus = f()
        flat_x[i] = original - h
        f_minus = f()
        flat_x[i] = original
        flat_gradient[i] = (f_plus - f_minus) / (2 * h)
    return gradient


def relative_error(analytic, numeric, scale=1.0):
    """Max over entries of ``abs(a - n) / max(abs(a), abs(n), scale)``.

    Entries larger than ``scale`` are compared relatively, smaller ones
    absolutely: a central difference rounds every entry by about the same
    amount, proportional to the function's size, so pass ``max(1, abs(L))``
    for the gradient of a loss L (``gradcheck`` does).

    Taught in :doc:`/chapters/05_backward_pass`.
    """
    check_positive(scale, "the scale")
    analytic = np.asarray(analytic, np.float64)
    numeric = np.asarray(numeric, np.float64)
    if analytic.shape != numeric.shape:
        raise ValueError(
            f"shapes differ: analytic {analytic.shape}, numeric "
            f"{numeric.shape}"
        )
    if analytic.size == 0:
        return 0.0
    floor = np.maximum(np.maximum(np.abs(analytic), np.abs(numeric)), scale)
    return float(np.max(np.abs(analytic - numeric) / floor))


@dataclass
class GradcheckReport:
    """The ``relative_error`` score of each parameter (and of the input).

    ``worst`` names the array with the largest one.

    Taught in :doc:`/chapters/05_backward_pass`.
    """

    errors: dict

    @property
    def worst(self):
        """Name of the array with the largest error."""
        return max(self.errors, key=self.errors.get)

    @property
    def max_error(self):
        """The largest error over all checked arrays."""
        return self.errors[self.worst]

    def passed(self, tolerance=TOLERANCE):
        """True when every error is below ``tolerance``."""
        return self.max_error < tolerance

    def summary(self, tolerance=TOLERANCE):
        """One line on how the errors compare with ``tolerance``.

        It names the arrays that fail. The errors of a correct backward pass
        are rounding noise whose digits differ from one machine (BLAS
        kernel, thread count) to the next; this line does not print them.
        """
        failing = {
            name: error
            for name, error in self.errors.items()
            if not error < tolerance
        }
        if not failing:
            return (
                f"all {len(self.errors)} arrays checked: relative error "
                f"below {tolerance:.0e}"
            )
        listed = ", ".join(
            f"{name} (relative error {error:.2g})"
            for name, error in failing.items()
        )
        passing = len(self.errors) - len(failing)
        return (
            f"fails at {tolerance:.0e}: {listed}; the other {passing} "
            "below it"
        )

    def __str__(self):
        width = max(len(name) for name in self.errors)
        lines = [
            f"{name:<{width}}  relative error {error:.2e}"
            for name, error in self.errors.items()
        ]
        lines.append(f"worst: {self.worst} ({self.max_error:.2e})")
        return "\n".join(lines)


def gradcheck(model, loss, X, y, h=STEP, check_input=True):
    """Check ``model``'s gradients (and ∂L/∂X) under ``loss(model(X), y)``.

    Runs one forward and backward pass to get the analytic gradients (the
    parameters' ``.grad`` are zeroed first and hold those gradients
    afterwards), then perturbs every entry of every parameter and scores
    each array by ``relative_error`` at the loss's scale ``max(1, abs(L))``.
    Use float64: in float32 the differences drown in rounding.

    Taught in :doc:`/chapters/05_backward_pass`.
    """
    named = model.named_parameters()
    if not named and not check_input:
        raise ValueError(
            "the model has no parameters and check_input is False: "
            "nothing to check"
        )
    # perturbed in place below: never the caller's array
    X = as_float_array(X, "X").copy()
    model.zero_grad()
    scale = max(1.0, abs(float(loss(model.forward(X), y))))
    input_gradient = model.backward(loss.backward(), input_grad=True)

    def objective():
        return loss(model.forward(X), y)

    errors = {}
    for name, parameter in named:
        analytic = parameter.grad.copy()
        errors[name] = relative_error(
            analytic,
            numerical_gradient(objective, parameter.data, h),
            scale,
        )
    if check_input:
        errors["input"] = relative_error(
            input_gradient, numerical_gradient(objective, X, h), scale
        )
    return GradcheckReport(errors)
