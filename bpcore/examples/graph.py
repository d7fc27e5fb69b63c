"""Chapter 3's worked example: one tanh neuron built from Values."""

from ..value import Value


def neuron_graph(x1=0.5, x2=-2.0, w1=1.5, w2=-0.25, b=0.1):
    """The Value graph of one tanh neuron, o = tanh(x1·w1 + x2·w2 + b).

    Returns a dict of its nodes by name: the inputs "x1", "x2", "w1", "w2",
    "b", the products "p1", "p2", the sums "s" and "n", and the output "o".
    No backward pass is run.

    Worked in :doc:`/chapters/03_autodiff`.
    """
    x1, w1 = Value(x1, label="x₁"), Value(w1, label="w₁")
    x2, w2 = Value(x2, label="x₂"), Value(w2, label="w₂")
    b = Value(b, label="b")
    p1 = x1 * w1
    p2 = x2 * w2
    s = p1 + p2
    n = s + b
    o = n.tanh()
    for node, label in (
        (p1, "p₁"),
        (p2, "p₂"),
        (s, "s"),
        (n, "n"),
        (o, "o"),
    ):
        node.label = label
    names = ("x1", "w1", "x2", "w2", "b", "p1", "p2", "s", "n", "o")
    nodes = (x1, w1, x2, w2, b, p1, p2, s, n, o)
    return dict(zip(names, nodes, strict=True))
