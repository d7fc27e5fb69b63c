"""Tests of bpcore.BatchNorm1d and bpcore.RNN against PyTorch, from stored float64 results.

``tests/data/layers_reference.json`` was produced with PyTorch by
``scripts/make_layer_reference.py``; PyTorch is not needed here. Every output, gradient and
running statistic agrees with PyTorch's to 1e-9 relative.
"""

import json
from pathlib import Path

import numpy as np
import pytest

import bpcore

REFERENCE = json.loads((Path(__file__).parent / "data" / "layers_reference.json").read_text())


def assert_matches(actual, expected, what):
    np.testing.assert_allclose(actual, np.array(expected), rtol=1e-9, atol=1e-12, err_msg=what)


@pytest.mark.parametrize("config", REFERENCE["batchnorm"], ids=lambda c: c["id"])
def test_batchnorm_matches_pytorch_in_training_then_evaluation_mode(config):
    layer = bpcore.BatchNorm1d(config["num_features"], **config["kwargs"])
    layer.weight.data[:] = config["weight"]
    layer.bias.data[:] = config["bias"]
    modes = [step["mode"] for step in config["steps"]]
    assert modes == ["train", "train", "train", "eval"]
    for number, step in enumerate(config["steps"], start=1):
        layer.train(step["mode"] == "train")
        layer.zero_grad()
        where = f"{config['id']}, batch {number} ({step['mode']})"
        assert_matches(layer(np.array(step["x"])), step["output"], f"output, {where}")
        grad_x = layer.backward(np.array(step["grad_output"]))
        assert_matches(grad_x, step["grad_x"], f"∂L/∂x, {where}")
        assert_matches(layer.weight.grad, step["grad_weight"], f"∂L/∂weight, {where}")
        assert_matches(layer.bias.grad, step["grad_bias"], f"∂L/∂bias, {where}")
        assert_matches(layer.running_mean, step["running_mean"], f"running_mean, {where}")
        assert_matches(layer.running_var, step["running_var"], f"running_var, {where}")


@pytest.mark.parametrize("config", REFERENCE["rnn"], ids=lambda c: c["id"])
def test_rnn_matches_pytorch_through_time(config):
    layer = bpcore.RNN(config["input_size"], config["hidden_size"], truncate=config["truncate"])
    for name, parameter in layer.named_parameters():
        parameter.data[:] = config["params"][name]
    h0 = None if config["h0"] is None else np.array(config["h0"])
    assert_matches(layer(np.array(config["x"]), h0), config["output"], "hidden states")
    assert_matches(layer.backward(np.array(config["grad_output"])), config["grad_x"], "∂L/∂x")
    for name, parameter in layer.named_parameters():
        assert_matches(parameter.grad, config["grads"][name], f"∂L/∂{name}")


def test_the_reference_covers_truncation_and_an_initial_state():
    assert {c["truncate"] for c in REFERENCE["rnn"]} >= {None, 2, 4}
    assert any(c["h0"] is not None for c in REFERENCE["rnn"])
