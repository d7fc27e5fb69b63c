"""Checks for the exercises of :doc:`/chapters/02_chain_rule`."""

import numpy as np

from ..examples.chain import chain_of_three, tiny_network
from ..functions import sigmoid
from .feedback import Wrong, exercise, expect_number, rows


@exercise(
    "ch02-ex-sigmoid",
    "The derivative of the sigmoid",
    task="set sigmoid_peak to (z, σ'(z)) at the z where σ' is largest",
    passed="right: σ' is largest at z = 0, where σ(z) = 1/2, and it is "
    "never more than 1/4.",
)
def sigmoid_peak(peak):
    """σ'(z) = σ(z)(1 - σ(z)) is largest where σ(z) = 1/2, at z = 0."""
    z, slope = rows(
        "sigmoid_peak", peak, (2,), "Give two numbers, (z, σ'(z))."
    )
    steepest = float(sigmoid(0.0) * (1 - sigmoid(0.0)))
    ends = (
        "at the ends of the range the sigmoid is flattest, so σ' is "
        "smallest there. If your formula is largest there, check it "
        "against a finite difference."
    )
    expect_number(
        "your z",
        z,
        0.0,
        tolerance=0.07,
        mistakes=[(-6.0, ends), (6.0, ends)],
        otherwise=lambda z: (
            "That looks like the position of the largest slope in your "
            "array of slopes, not the z there: look z up at that position."
            if float(z).is_integer() and abs(z) > 6
            else "σ'(z) = σ(z)(1 − σ(z)) is largest where σ(z) is 1/2."
        ),
    )
    expect_number(
        "your largest slope",
        slope,
        steepest,
        tolerance=1e-3,
        mistakes=[
            (
                float(sigmoid(0.0)),
                "that is σ(0), the value of the sigmoid, or e^{−z}/(1 + "
                "e^{−z}) without the square. The slope is σ(z)(1 − σ(z)).",
            ),
            (
                -steepest,
                "the sigmoid rises everywhere, so its slope is positive. "
                "Did you drop the factor dp/dz = −1 of p = −z?",
            ),
            (
                1.0,
                "that is the largest slope of tanh, 1 − tanh²(0). The "
                "sigmoid's is σ(0)(1 − σ(0)).",
            ),
        ],
        otherwise="Evaluate σ(z)(1 − σ(z)) at your z.",
    )


#: the columns of the table of ch02-ex-chain
CHAIN_COLUMNS = ("u", "v", "y", "h'(x)", "f'(v)", "dy/dx")


@exercise(
    "ch02-ex-chain",
    "Three factors at other points",
    task="set chain_table to two rows, for x = −1 and for x = 0.5, each "
    "(u, v, y, h'(x), f'(v), dy/dx)",
    passed="right: each local derivative is taken at the input of its own "
    "stage, and the three multiply.",
)
def chain_table(table):
    """Row by row: the chain h = x², g = 2u + 1, f = v³ at x = -1, 0.5."""
    points = (-1.0, 0.5)
    if isinstance(table, dict):  # {x: row}, as the solution writes it
        table = [table[x] for x in sorted(table)]
    table = rows(
        "chain_table",
        table,
        (2, 6),
        "It has a row for x = −1 and one for x = 0.5, each with the six "
        "numbers u, v, y, h'(x), f'(v), dy/dx.",
    )
    right = np.array([_chain_row(x) for x in points])
    if np.allclose(table, right[::-1], rtol=0, atol=1e-6):
        raise Wrong(
            "your two rows are swapped: the first is for x = −1, the "
            "second for x = 0.5."
        )
    for x, row, (u, v, y, dh, df, grad) in zip(
        points, table, right, strict=True
    ):
        at_v = (
            "f'(v) = 3v² is evaluated at v, the input of f, not at x or "
            "u: each local derivative at its own input."
        )
        mistakes = {
            "u": [
                (dh, "u = h(x) = x² is the value, h'(x) = 2x its slope."),
                (
                    -(x**2),
                    "a square is never negative: in Python, -1**2 "
                    "is −(1**2). Write (-1)**2.",
                ),
            ],
            "v": [(2 * x + 1, "v = g(u) = 2u + 1 takes u = x², not x.")],
            "y": [(v**2, "y = f(v) = v³, the cube of v.")],
            "h'(x)": [(-dh, "h'(x) = 2x keeps the sign of x.")],
            "f'(v)": [
                (3 * x**2, at_v),
                (3 * u**2, at_v),
                (3 * v, "the derivative of v³ is 3v², not 3v."),
            ],
            "dy/dx": [
                (
                    df * dh,
                    "you left out g'(u) = 2: the chain rule "
                    "multiplies all three local derivatives.",
                ),
                (
                    df + 2 + dh,
                    "the chain rule multiplies the local "
                    "derivatives; it does not add them.",
                ),
                (-grad, "check the sign: h'(x) = 2x keeps the sign of x."),
            ],
        }
        for name, yours, value in zip(
            CHAIN_COLUMNS, row, (u, v, y, dh, df, grad), strict=True
        ):
            expect_number(
                f"at x = {x:g}, your {name}",
                yours,
                value,
                tolerance=1e-6 * max(1.0, abs(value)),
                mistakes=mistakes[name],
            )


def _chain_row(x):
    """u, v, y, h'(x), f'(v), dy/dx of the chapter's chain at x."""
    chain = chain_of_three(x)
    names = ("u", "v", "y", "du_dx", "dy_dv", "dy_dx")
    return [float(chain[name]) for name in names]


@exercise(
    "ch02-ex-bias",
    "The other parameters of the tiny network",
    task="set other_grads to (∂L/∂b1, ∂L/∂w2, ∂L/∂b2) at the chapter's "
    "numbers, x = 2, y = 1, w1 = −0.5, b1 = 0, w2 = 1.5, b2 = 0",
    passed="right: the output layer's parameters sit closer to the loss, "
    "so their paths are shorter, and b1 shares all but the last factor "
    "with w1.",
)
def other_parameters(grads):
    """dL/db1 = (ŷ - y) w2 σ'(z1), dL/dw2 = (ŷ - y) a1, dL/db2 = ŷ - y."""
    net = tiny_network(-0.5)  # at the chapter's x, y, b1, w2 and b2
    error, a1, z1 = (float(net[k]) for k in ("dL_dyhat", "a1", "z1"))
    slope, y_hat = float(net["da1_dz1"]), float(net["y_hat"])
    w2, x = 1.5, 2.0
    right = np.array([error * w2 * slope, error * a1, error])
    grads = rows(
        "other_grads",
        grads,
        (3,),
        "Give three numbers: ∂L/∂b1, ∂L/∂w2, ∂L/∂b2.",
    )
    whole = [
        (
            2 * right,
            "each is twice the right value: that is the gradient "
            "of (ŷ − y)², bpcore's MSELoss. This loss has the ½, so "
            "∂L/∂ŷ = ŷ − y.",
        ),
        (
            right / 2,
            "each is half the right value: the ½ of the loss "
            "cancels the 2 that the square's derivative brings down.",
        ),
        (-right, "every sign is flipped: ∂L/∂ŷ = ŷ − y, not y − ŷ."),
        (
            right[[1, 0, 2]],
            "∂L/∂b1 and ∂L/∂w2 are swapped: give them in "
            "the order ∂L/∂b1, ∂L/∂w2, ∂L/∂b2.",
        ),
    ]
    for wrong, hint in whole:
        if np.allclose(grads, wrong, rtol=0, atol=1e-6):
            raise Wrong(f"other_grads is not right: {hint}")
    each = {
        "∂L/∂b1": [
            (
                right[0] * x,
                "that is ∂L/∂w1. For b1 the last factor is "
                "∂z1/∂b1 = 1, not x.",
            ),
            (
                error * w2 * a1,
                "σ(z1) = a1 is the activation, not its "
                "slope: σ'(z1) = a1 (1 − a1).",
            ),
            (
                error * w2,
                "the path from b1 passes the sigmoid: multiply "
                "by its slope σ'(z1) too.",
            ),
        ],
        "∂L/∂w2": [
            (error * z1, "ŷ = w2 a1 + b2, so ∂ŷ/∂w2 = a1 = σ(z1), not z1."),
            (error * w2, "that is ∂L/∂a1. ŷ = w2 a1 + b2, so ∂ŷ/∂w2 = a1."),
        ],
        "∂L/∂b2": [
            (
                y_hat,
                "that is the prediction ŷ. ∂L/∂b2 = (ŷ − y) · 1, "
                "the error.",
            ),
        ],
    }
    for (name, hints), yours, value in zip(
        each.items(), grads, right, strict=True
    ):
        expect_number(
            f"your {name}",
            yours,
            value,
            tolerance=1e-6,
            mistakes=hints,
            otherwise="Write it as a product of local factors along the "
            "path from the parameter to the loss.",
        )


@exercise(
    "ch02-ex-paths",
    "The product rule is a path sum",
    task="set path_products to the products along x → u → y and along "
    "x → v → y, at x = 1.3",
    passed="right: the two paths give u'v + uv', the product rule, and "
    "their sum is 5x⁴.",
)
def path_products(products):
    """x -> u -> y gives 2x · v = 2x⁴, x -> v -> y gives 3x² · u = 3x⁴."""
    x = 1.3
    u, v = x**2, x**3
    right = np.array([2 * x * v, 3 * x**2 * u])
    products = rows(
        "path_products",
        products,
        (2,),
        "Give two numbers: the product along x → u → y, then along "
        "x → v → y.",
    )
    whole = [
        (
            right[::-1],
            "the two products are swapped: first x → u → y, "
            "whose product is du/dx · ∂y/∂u.",
        ),
        (
            [2 * x, 3 * x**2],
            "each product also needs the last edge's "
            "local derivative, ∂y/∂u = v or ∂y/∂v = u.",
        ),
        (
            [2 * x * u, 3 * x**2 * v],
            "for y = u v, ∂y/∂u is the other factor, v, and ∂y/∂v is u.",
        ),
    ]
    for wrong, hint in whole:
        if np.allclose(products, wrong, rtol=1e-6, atol=1e-9):
            raise Wrong(f"path_products is not right: {hint}")
    for name, yours, value in zip(
        ("x → u → y", "x → v → y"), products, right, strict=True
    ):
        expect_number(
            f"your product along {name}",
            yours,
            value,
            tolerance=1e-6 * value,
            otherwise="Multiply the local derivatives of the path's two "
            "edges, at x = 1.3.",
        )
