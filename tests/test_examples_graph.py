"""Tests of bpcore.examples.graph: chapter 3's neuron graph."""

import math

import numpy as np

from bpcore import examples
from bpcore.plots.graph import graph_layout


def test_layout_keeps_the_nodes_of_a_column_at_least_a_row_apart():
    nodes = examples.neuron_graph()
    position = graph_layout(nodes["o"])
    assert len(position) == 10
    for column in {x for x, _ in position.values()}:
        rows = sorted(y for x, y in position.values() if x == column)
        assert all(np.diff(rows) >= 1 - 1e-9)
    for node in position:  # every edge points to the right
        for parent in node.parents:
            assert position[parent][0] < position[node][0]


def test_the_neuron_graph_computes_a_tanh_neuron():
    nodes = examples.neuron_graph(x1=0.5, x2=-2.0, w1=1.5, w2=-0.25, b=0.1)
    n = 0.5 * 1.5 + (-2.0) * (-0.25) + 0.1
    assert math.isclose(nodes["o"].data, math.tanh(n))
    nodes["o"].backward()
    slope = 1 - math.tanh(n) ** 2
    assert math.isclose(nodes["w1"].grad, 0.5 * slope)
    assert math.isclose(nodes["x2"].grad, -0.25 * slope)
    assert math.isclose(nodes["b"].grad, slope)
