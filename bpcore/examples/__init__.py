"""Worked examples and experiments: the numbers the chapters' figures show.

Everything here needs only NumPy (and bpcore): each function returns
numbers, and :mod:`bpcore.plots` draws them. ``landscapes`` holds the loss
surfaces of chapters 1 and 7 and the walks of gradient descent and of any
optimizer on them.
"""

from . import beyond_mlp, landscapes
from .chain import chain_of_three, path_sum_example, tiny_network
from .digits import (
    desired_nudges,
    gradient_cosines,
    per_example_gradients,
    top_two,
)
from .gradient_flow import (
    GRADIENT_FLOW_SETUPS,
    TOO_LARGE_STD,
    TOO_SMALL_STD,
    gradient_flow,
    layer_statistics,
)
from .graph import neuron_graph
from .losses import clipped_cross_entropy, sigmoid_output_losses
from .optimizers import (
    condition_sweep,
    critical_damping,
    heavy_ball_matrix,
    heavy_ball_rate,
    heavy_ball_steps,
    momentum_rate,
    optimal_gradient_descent,
    optimal_momentum,
    rate_map,
    steps_to_reach,
)
from .training import train_spiral, training_regime
