"""The book's figures: functions that draw onto a matplotlib Figure or Axes.

Each ``draw_*(fig, ...)`` function draws onto an empty Figure, so it works
both for a figure shown in a notebook (``fig = plt.figure(); draw_...(fig,
...)``) and as the ``draw`` of an explorer in :mod:`bpcore.widgets`. One
module per chapter holds that chapter's figures. What a figure shows is
computed in :mod:`bpcore.examples` (NumPy only); this package draws it.
matplotlib is imported inside the functions, so importing bpcore's computing
modules never needs it.
"""

from .beyond_mlp import (
    draw_batchnorm_flow,
    draw_decay_paths,
    draw_dropout_mask,
    draw_gradient_through_time,
    draw_regularised_fits,
    draw_truncation,
)
from .chain import draw_chain_tangent, draw_path_sum, draw_tiny_network
from .descent import (
    PATH_COLOR,
    draw_descent_1d,
    draw_ripples,
    path_on_curve,
)
from .digits import (
    draw_confusion_matrix,
    draw_digit_grid,
    draw_example_nudges,
    draw_input_gradients,
    draw_misclassified,
    draw_training_curves,
)
from .gradient_flow import GRADIENT_FLOW_YLIM, draw_gradient_flow
from .graph import draw_graph, draw_neuron_graph
from .losses import draw_clipped_gradient, draw_loss_response
from .optimizers import (
    OPTIMIZER_COLORS,
    VALLEY_LEVELS,
    VALLEY_START,
    draw_batch_noise,
    draw_condition_sweep,
    draw_lr_range_test,
    draw_path_panels,
    draw_paths_1d,
    draw_paths_2d,
    draw_rate_map,
    draw_steps_vs_lr,
    draw_valley_explorer,
)
from .style import GRADIENT_COLOR, VALUE_COLOR
from .training import (
    draw_decision_boundary,
    draw_loss_curve,
    draw_lr_spiral,
    draw_network,
    draw_training_run,
)
