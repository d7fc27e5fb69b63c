"""The book's figures, as functions that draw onto a matplotlib Figure or Axes.

Each ``draw_*(fig, ...)`` function draws onto an empty Figure, so it works both for a
figure shown in a notebook (``fig = plt.figure(); draw_...(fig, ...)``) and as the
``draw`` of an explorer in :mod:`bpcore.widgets`. One module per chapter holds that
chapter's figures; every public name is also available here, as ``bpcore.plots.name``.
matplotlib is imported inside the functions, so ``import bpcore`` needs only NumPy.
"""

from .chain import (  # noqa: F401
    PATH_SUM_NODES,
    chain_of_three,
    draw_chain_diagram,
    draw_chain_tangent,
    draw_path_sum,
    draw_tiny_network,
    path_sum_example,
    tiny_network,
)
from .descent import (  # noqa: F401
    PATH_COLOR,
    draw_descent_1d,
    draw_ripples,
    path_on_curve,
)
from .digits import (  # noqa: F401
    DIGIT_CMAP,
    draw_confusion_matrix,
    draw_digit_grid,
    draw_input_gradients,
    draw_misclassified,
    draw_training_curves,
    top_two,
)
from .gradient_flow import (  # noqa: F401
    GRADIENT_FLOW_SETUPS,
    GRADIENT_FLOW_YLIM,
    TOO_LARGE_STD,
    TOO_SMALL_STD,
    draw_gradient_flow,
    gradient_flow,
    layer_statistics,
)
from .graph import (  # noqa: F401
    draw_graph,
    draw_neuron_graph,
    graph_layout,
    graph_number,
    neuron_graph,
)
from .losses import (  # noqa: F401
    draw_loss_response,
    sigmoid_output_losses,
)
from .optimizers import (  # noqa: F401
    OPTIMIZER_COLORS,
    VALLEY_GD_LR,
    VALLEY_LEVELS,
    VALLEY_START,
    draw_batch_noise,
    draw_contours,
    draw_lr_range_test,
    draw_path_panels,
    draw_paths_1d,
    draw_paths_2d,
    draw_steps_vs_lr,
    draw_valley_explorer,
    steps_to_reach,
)
from .style import (  # noqa: F401
    EXPLORER_FONTSIZE,
    GRADIENT_COLOR,
    VALUE_COLOR,
    number_text,
    true_minus,
)
from .training import (  # noqa: F401
    BOUNDARY_COLORS,
    draw_decision_boundary,
    draw_loss_curve,
    draw_lr_spiral,
    draw_network,
    draw_training_run,
    predict_classes,
    train_spiral,
    training_regime,
)
