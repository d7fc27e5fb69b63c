"""Tests of bpcore.optim against PyTorch: the updates reproduce stored trajectories, and the
learning-rate schedules PyTorch's rates.

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


@pytest.mark.parametrize("schedule", REFERENCE["schedules"], ids=lambda s: s["id"])
def test_schedules_match_pytorchs_rates_epoch_by_epoch(schedule):
    """The rate before the first step() and after each agrees with PyTorch's to 1e-9 relative."""
    weight = bpcore.Parameter(np.zeros(1))
    opt = optim.SGD([weight], lr=REFERENCE["schedule_lr"])
    scheduler = getattr(optim, schedule["scheduler"])(opt, **schedule["kwargs"])
    rates = [opt.lr]
    for _ in range(len(schedule["rates"]) - 1):
        opt.step()
        scheduler.step()
        assert scheduler.get_last_lr() == [opt.lr]
        rates.append(opt.lr)
    np.testing.assert_allclose(rates, schedule["rates"], rtol=1e-9, atol=1e-15,
                               err_msg=schedule["id"])
