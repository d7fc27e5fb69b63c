"""Chapter 2's worked examples of the chain rule.

A chain of three functions, a graph with three paths, and the 1 -> 1 -> 1
network.
"""

import numpy as np

from ..functions import sigmoid


def chain_of_three(x):
    """Values and derivatives of the chain y = f(g(h(x))) at x.

    Here h(x) = x², g(u) = 2u + 1 and f(v) = v³. Returns a dict with the
    forward values ``u``, ``v``, ``y``, the local derivatives ``du_dx`` =
    2x, ``dv_du`` = 2, ``dy_dv`` = 3v², and the gradients multiplied
    backward from the output, ``dy_du`` = dy/dv · dv/du and ``dy_dx`` =
    dy/du · du/dx.

    Worked in :doc:`/chapters/02_chain_rule`.
    """
    u = x**2
    v = 2 * u + 1
    y = v**3
    du_dx, dv_du, dy_dv = 2 * x, 2.0, 3 * v**2
    dy_du = dy_dv * dv_du
    return {
        "x": x,
        "u": u,
        "v": v,
        "y": y,
        "du_dx": du_dx,
        "dv_du": dv_du,
        "dy_dv": dy_dv,
        "dy_du": dy_du,
        "dy_dx": dy_du * du_dx,
    }


def path_edges(path):
    """The edges (parent, child) along a path given as a sequence of nodes.

    Worked in :doc:`/chapters/02_chain_rule`.
    """
    return list(zip(path[:-1], path[1:], strict=True))


def path_sum_example(x):
    """Values, local derivatives and paths of y = a + c.

    Here a = x², b = 3x and c = a·b.

    Returns ``(values, edges, paths)``: ``values`` maps each node to its
    value, ``edges`` maps (parent, child) to the local derivative
    ∂child/∂parent, and ``paths`` maps each path from x to y (a tuple of
    nodes) to the product of the local derivatives along it. The products
    sum to dy/dx = 2x + 9x².

    Worked in :doc:`/chapters/02_chain_rule`.
    """
    a, b = x**2, 3 * x
    c = a * b
    values = {"x": x, "a": a, "b": b, "c": c, "y": a + c}
    edges = {
        ("x", "a"): 2 * x,
        ("x", "b"): 3.0,
        ("a", "c"): b,
        ("b", "c"): a,
        ("a", "y"): 1.0,
        ("c", "y"): 1.0,
    }
    paths = {}
    for path in [
        ("x", "a", "y"),
        ("x", "a", "c", "y"),
        ("x", "b", "c", "y"),
    ]:
        paths[path] = float(
            np.prod([edges[step] for step in path_edges(path)])
        )
    return values, edges, paths


def tiny_network(w1, *, x=2.0, y=1.0, b1=0.0, w2=1.5, b2=0.0):
    """The 1 -> 1 -> 1 network ŷ = w2 σ(w1 x + b1) + b2 with loss ½(ŷ - y)².

    Evaluated at ``w1``, elementwise on an array of ``w1``. Returns a dict
    with the forward values ``z1``, ``a1``, ``y_hat``, ``loss``, the four
    local factors of ∂L/∂w1 (``dL_dyhat`` = ŷ - y, ``dyhat_da1`` = w2,
    ``da1_dz1`` = σ'(z1), ``dz1_dw1`` = x) and their product ``dL_dw1``.

    Worked in :doc:`/chapters/02_chain_rule`.
    """
    w1 = np.asarray(w1, dtype=np.float64)
    z1 = w1 * x + b1
    a1 = sigmoid(z1)
    y_hat = w2 * a1 + b2
    factors = {
        "dL_dyhat": y_hat - y,
        "dyhat_da1": np.full_like(w1, w2),
        "da1_dz1": a1 * (1 - a1),
        "dz1_dw1": np.full_like(w1, x),
    }
    product = (
        factors["dL_dyhat"] * factors["dyhat_da1"] * factors["da1_dz1"] * x
    )
    return {
        "z1": z1,
        "a1": a1,
        "y_hat": y_hat,
        "loss": 0.5 * (y_hat - y) ** 2,
        **factors,
        "dL_dw1": product,
    }
