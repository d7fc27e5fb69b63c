"""Tests of bpcore.mlp: the MLP builder's initialisation rule and its activation names."""

import pytest

import bpcore


def test_mlp_auto_init_picks_he_for_relu_and_xavier_otherwise():
    relu = bpcore.MLP([500, 500, 1], activation="relu", seed=0)
    tanh = bpcore.MLP([500, 500, 1], activation="tanh", seed=0)
    assert relu.layers[0].W.data.var() == pytest.approx(2 / 500, rel=0.02)
    assert tanh.layers[0].W.data.var() == pytest.approx(2 / 1000, rel=0.02)


def test_unknown_activation_names_list_the_valid_ones():
    with pytest.raises(ValueError, match="unknown activation 'relu6'; valid names are identity, leaky_relu, relu, sigmoid, tanh"):
        bpcore.MLP([2, 3, 1], activation="relu6")
