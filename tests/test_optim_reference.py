"""Tests of bpcore.optim against PyTorch: the updates reproduce stored trajectories.

``tests/data/optim_reference.json`` was produced with PyTorch by
``scripts/make_optim_reference.py``; PyTorch is not needed here. Each configuration
replays the stored gradients into bpcore parameters for 30 float64 steps and compares
the parameters with PyTorch's after every step.
"""

import json
from pathlib import Path

import numpy as np
import pytest

import bpcore
from bpcore import optim

REFERENCE = json.loads((Path(__file__).parent / "data" / "optim_reference.json").read_text())


def make_optimizer(config, params):
    """Build the bpcore optimizer named in ``config`` with the same arguments as PyTorch."""
    kwargs = dict(config["kwargs"])
    if "betas" in kwargs:
        kwargs["betas"] = tuple(kwargs["betas"])
    return getattr(optim, config["optimizer"])(params, **kwargs)


@pytest.mark.parametrize("config", REFERENCE["configs"], ids=lambda c: c["id"])
def test_matches_pytorch_trajectory(config):
    """After every step each parameter agrees with PyTorch's to 1e-9 relative."""
    names = REFERENCE["param_names"]
    params = {
        name: bpcore.Parameter(np.array(REFERENCE["initial"][name], dtype=np.float64))
        for name in names
    }
    opt = make_optimizer(config, list(params.values()))
    for step in range(REFERENCE["steps"]):
        for name, p in params.items():
            p.grad[...] = REFERENCE["gradients"][name][step]
        opt.step()
        for name, p in params.items():
            np.testing.assert_allclose(
                p.data,
                config["trajectory"][name][step],
                rtol=1e-9,
                atol=1e-12,
                err_msg=f"{config['id']}: {name} after step {step + 1}",
            )
