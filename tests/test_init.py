"""Tests of bpcore.init: each scheme's variance, the fixed-std normal, and unknown or bad settings."""

import numpy as np
import pytest

import bpcore
from bpcore import init


@pytest.mark.parametrize(
    "name, variance",
    [
        ("xavier_uniform", lambda fi, fo: 2 / (fi + fo)),
        ("xavier_normal", lambda fi, fo: 2 / (fi + fo)),
        ("he_normal", lambda fi, fo: 2 / fi),
        ("he_uniform", lambda fi, fo: 2 / fi),
        ("small_normal", lambda fi, fo: 1e-4),
    ],
)
def test_schemes_have_their_variances(name, variance):
    W = init.get_scheme(name)(400, 300, np.random.default_rng(0))
    assert W.shape == (400, 300) and W.dtype == np.float64
    assert abs(W.mean()) < 0.01 * np.sqrt(variance(400, 300)) * 10
    assert W.var() == pytest.approx(variance(400, 300), rel=0.02)


def test_zeros_and_fixed_normal():
    assert not init.zeros(3, 2, None).any()
    W = init.normal(2.0)(200, 200, np.random.default_rng(0), np.float32)
    assert W.dtype == np.float32 and W.std() == pytest.approx(2.0, rel=0.02)
    with pytest.raises(ValueError, match="std must be a positive finite number"):
        init.normal(0.0)


def test_unknown_initialisation_names_list_the_valid_ones():
    with pytest.raises(ValueError, match="unknown initialisation 'glorot'; valid names are he_normal, he_uniform, small_normal, xavier_normal, xavier_uniform, zeros"):
        bpcore.MLP([2, 3, 1], init="glorot")


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: bpcore.init.normal("0.1"), "std must be a real number, got str '0.1'"),
    ],
)
def test_settings_of_the_wrong_type_are_named(call, message):
    with pytest.raises(TypeError, match=message):
        call()
