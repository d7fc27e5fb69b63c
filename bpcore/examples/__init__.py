"""Worked examples and experiments: the numbers the chapters' figures show.

Everything here needs only NumPy (and bpcore): each function returns
numbers, and :mod:`bpcore.plots` draws them. ``landscapes`` holds the loss
surfaces of chapters 1 and 7 and the walks of gradient descent and of any
optimizer on them.
"""

from . import landscapes
from .chain import chain_of_three, path_sum_example, tiny_network
from .digits import top_two
from .gradient_flow import (
    GRADIENT_FLOW_SETUPS,
    TOO_LARGE_STD,
    TOO_SMALL_STD,
    gradient_flow,
    layer_statistics,
)
from .graph import neuron_graph
from .losses import sigmoid_output_losses
from .optimizers import steps_to_reach
from .training import train_spiral, training_regime
