"""Regenerate ``tests/data/layers_reference.json``: PyTorch's batch norm and RNN, in float64.

bpcore's ``BatchNorm1d`` and ``RNN`` follow PyTorch's ``torch.nn.BatchNorm1d`` and
``torch.nn.RNN`` (one layer, tanh, ``batch_first=True``). This script records what PyTorch
computes on seeded inputs, so that ``tests/test_layers_reference.py`` can check bpcore
against it without needing PyTorch. Every backward pass takes a stored upstream gradient
``grad_output`` (the loss is Σ grad_output ⊙ output).

- Batch norm: for each configuration, three training-mode batches (output, ∂L/∂x,
  ∂L/∂weight, ∂L/∂bias and the running statistics after each, the gradients of one batch
  alone), then one evaluation-mode batch with the running statistics the training batches
  left. Feature scales and offsets differ, so the running estimates are far from their
  starting values.
- RNN: the hidden states and every gradient for a whole sequence, from a zero and from a
  given initial state, and truncated backpropagation through time, which in PyTorch is
  running the sequence chunk by chunk from the previous chunk's last state detached.
  PyTorch keeps the columns convention: its ``weight_ih_l0`` is bpcore's ``W_ih`` transposed,
  and the file stores bpcore's orientation.

Usage, with a Python that has PyTorch and NumPy installed::

    python scripts/make_layer_reference.py

The output is deterministic: running it again with the same PyTorch version rewrites the
same file.
"""

from pathlib import Path

import numpy as np
import torch
from reference_json import write_reference

SEED = 20261203
OUTPUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "layers_reference.json"

# (id, keyword arguments, batch size, features): each builds bpcore.BatchNorm1d(features, **kw)
BATCHNORM_CONFIGS = [
    ("default", {}, 8, 5),
    ("eps-momentum", {"eps": 1e-3, "momentum": 0.3}, 6, 3),
    ("two-samples", {"momentum": 0.5}, 2, 4),
]
TRAINING_BATCHES = 3

# (id, input_size, hidden_size, batch, steps, truncate, with h0)
RNN_CONFIGS = [
    ("full", 3, 4, 2, 6, None, False),
    ("with-h0", 3, 4, 2, 6, None, True),
    ("truncate-2", 3, 4, 2, 6, 2, False),
    ("truncate-4", 2, 5, 3, 7, 4, True),
]


def tensor(array, requires_grad=False):
    return torch.tensor(array, dtype=torch.float64, requires_grad=requires_grad)


def plain(array):
    return array.detach().numpy().tolist()


def batchnorm_reference(rng, kwargs, batch, features):
    """One batch-norm configuration: its parameters, batches and PyTorch's results."""
    layer = torch.nn.BatchNorm1d(features, **kwargs).double()
    weight, bias = rng.normal(1.0, 0.5, features), rng.normal(0.0, 0.5, features)
    with torch.no_grad():
        layer.weight[:] = tensor(weight)
        layer.bias[:] = tensor(bias)
    scales, offsets = rng.uniform(0.5, 3.0, features), rng.normal(0.0, 2.0, features)
    steps = []
    for mode in ["train"] * TRAINING_BATCHES + ["eval"]:
        layer.train(mode == "train")
        x = tensor(rng.normal(size=(batch, features)) * scales + offsets, requires_grad=True)
        grad_output = rng.normal(size=(batch, features))
        layer.zero_grad()
        output = layer(x)
        output.backward(tensor(grad_output))
        steps.append({
            "mode": mode, "x": plain(x), "grad_output": grad_output.tolist(),
            "output": plain(output), "grad_x": plain(x.grad),
            "grad_weight": plain(layer.weight.grad), "grad_bias": plain(layer.bias.grad),
            "running_mean": plain(layer.running_mean), "running_var": plain(layer.running_var),
        })
    return {"weight": weight.tolist(), "bias": bias.tolist(), "steps": steps}


def rnn_reference(rng, input_size, hidden_size, batch, steps, truncate, with_h0):
    """One RNN configuration: bpcore-oriented parameters, inputs and PyTorch's results."""
    bound = 1 / np.sqrt(hidden_size)
    params = {
        "W_ih": rng.uniform(-bound, bound, (input_size, hidden_size)),
        "W_hh": rng.uniform(-bound, bound, (hidden_size, hidden_size)),
        "b_ih": rng.uniform(-bound, bound, hidden_size),
        "b_hh": rng.uniform(-bound, bound, hidden_size),
    }
    layer = torch.nn.RNN(input_size, hidden_size, batch_first=True).double()
    with torch.no_grad():
        layer.weight_ih_l0[:] = tensor(params["W_ih"].T)
        layer.weight_hh_l0[:] = tensor(params["W_hh"].T)
        layer.bias_ih_l0[:] = tensor(params["b_ih"])
        layer.bias_hh_l0[:] = tensor(params["b_hh"])
    x = tensor(rng.normal(size=(batch, steps, input_size)), requires_grad=True)
    h0 = rng.normal(0.0, 0.5, (batch, hidden_size)) if with_h0 else np.zeros((batch, hidden_size))
    grad_output = rng.normal(size=(batch, steps, hidden_size))
    chunk = truncate or steps
    state, outputs = tensor(h0[None]), []
    for start in range(0, steps, chunk):
        output, state = layer(x[:, start : start + chunk], state.detach())
        outputs.append(output)
    output = torch.cat(outputs, dim=1)
    output.backward(tensor(grad_output))
    return {
        "params": {name: value.tolist() for name, value in params.items()},
        "x": plain(x), "h0": h0.tolist() if with_h0 else None,
        "grad_output": grad_output.tolist(), "output": plain(output), "grad_x": plain(x.grad),
        "grads": {
            "W_ih": layer.weight_ih_l0.grad.T.numpy().tolist(),
            "W_hh": layer.weight_hh_l0.grad.T.numpy().tolist(),
            "b_ih": plain(layer.bias_ih_l0.grad), "b_hh": plain(layer.bias_hh_l0.grad),
        },
    }


def build_reference():
    """Return the whole reference as a JSON-ready dict."""
    rng = np.random.default_rng(SEED)
    batchnorm = [
        {"id": config_id, "kwargs": kwargs, "num_features": features,
         **batchnorm_reference(rng, kwargs, batch, features)}
        for config_id, kwargs, batch, features in BATCHNORM_CONFIGS
    ]
    rnn = [
        {"id": config_id, "input_size": input_size, "hidden_size": hidden_size,
         "truncate": truncate,
         **rnn_reference(rng, input_size, hidden_size, batch, steps, truncate, with_h0)}
        for config_id, input_size, hidden_size, batch, steps, truncate, with_h0 in RNN_CONFIGS
    ]
    return {
        "description": (
            "PyTorch's BatchNorm1d and RNN (tanh, batch_first) in float64; every backward "
            "pass is output.backward(grad_output). RNN weights are stored in bpcore's "
            "orientation (W_ih of shape (input_size, hidden_size))."
        ),
        "generator": "scripts/make_layer_reference.py",
        "torch_version": torch.__version__,
        "numpy_version": np.__version__,
        "dtype": "float64",
        "seed": SEED,
        "batchnorm": batchnorm,
        "rnn": rnn,
    }


def main():
    """Write the reference file and check that it reads back bit for bit."""
    write_reference(build_reference(), OUTPUT, torch.__version__)


if __name__ == "__main__":
    main()
