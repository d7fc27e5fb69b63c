"""Regenerate ``tests/data/optim_reference.json``: PyTorch trajectories for bpcore's optimizers
and the learning rates of its schedules.

The bpcore optimizers follow PyTorch's update rules exactly. This script records what
PyTorch itself does on a small deterministic problem, so that
``tests/test_optim_reference.py`` can check bpcore against it without needing PyTorch.

The problem has no loss: two float64 parameters (a 3x4 weight and a 4-vector bias) start
from seeded values, and at every step each parameter's ``.grad`` is set to a stored
gradient drawn from ``numpy.random.default_rng``. The gradients change sign and scale
from step to step and contain exact zeros (scattered entries, one bias entry for the
first steps, whole tensors at some steps). Each optimizer configuration runs for
``STEPS`` steps and the parameters are recorded after every step. All PyTorch options
not listed in ``CONFIGS`` keep their defaults (weight decay 0 unless listed, dampening 0,
not centered, no amsgrad, Adagrad's lr_decay and initial_accumulator_value 0, not
maximizing; foreach/fused unset, which means the single-tensor code path on CPU).
Each schedule in ``SCHEDULES`` drives an SGD optimizer for some epochs, and its learning
rate is recorded before the first ``step()`` and after each.

Usage, with a Python that has PyTorch and NumPy installed::

    python scripts/make_optim_reference.py

The output is deterministic: running the script again with the same PyTorch version
rewrites the same file.
"""

from pathlib import Path

import numpy as np
import torch
from reference_json import write_reference

SEED = 20240611
STEPS = 30
SHAPES = {"weight": (3, 4), "bias": (4,)}
OUTPUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "optim_reference.json"

# (id, optimizer class name, keyword arguments); the same arguments build bpcore's optimizer.
CONFIGS = [
    ("sgd", "SGD", {"lr": 0.1}),
    ("sgd-momentum", "SGD", {"lr": 0.1, "momentum": 0.9}),
    ("sgd-nesterov", "SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True}),
    ("rmsprop-default", "RMSprop", {"lr": 0.01, "alpha": 0.99, "eps": 1e-8}),
    ("rmsprop-alpha0.9", "RMSprop", {"lr": 0.001, "alpha": 0.9, "eps": 1e-6}),
    ("adam-default", "Adam", {"lr": 0.001, "betas": (0.9, 0.999), "eps": 1e-8}),
    ("adam-fast", "Adam", {"lr": 0.1, "betas": (0.8, 0.99), "eps": 1e-6}),
    ("sgd-weight-decay", "SGD", {"lr": 0.1, "weight_decay": 0.05}),
    ("sgd-momentum-weight-decay", "SGD", {"lr": 0.05, "momentum": 0.9, "weight_decay": 0.1}),
    ("sgd-nesterov-weight-decay", "SGD",
     {"lr": 0.05, "momentum": 0.8, "nesterov": True, "weight_decay": 0.01}),
    ("rmsprop-weight-decay", "RMSprop", {"lr": 0.01, "weight_decay": 0.1}),
    ("adam-weight-decay", "Adam", {"lr": 0.01, "weight_decay": 0.1}),
    ("adamw-default", "AdamW", {"lr": 0.001, "betas": (0.9, 0.999), "eps": 1e-8,
                                "weight_decay": 0.01}),
    ("adamw-strong", "AdamW", {"lr": 0.05, "betas": (0.8, 0.99), "eps": 1e-6,
                               "weight_decay": 0.5}),
    ("adagrad-default", "Adagrad", {"lr": 0.01, "eps": 1e-10}),
    ("adagrad-weight-decay", "Adagrad", {"lr": 0.1, "eps": 1e-10, "weight_decay": 0.1}),
]

# (id, scheduler class name, keyword arguments, epochs) for a learning-rate schedule of an
# SGD optimizer with lr = SCHEDULE_LR; the same arguments build bpcore.optim's scheduler.
SCHEDULE_LR = 0.5
SCHEDULES = [
    ("step-default", "StepLR", {"step_size": 4}, 20),
    ("step-half", "StepLR", {"step_size": 3, "gamma": 0.5}, 20),
    ("cosine-default", "CosineAnnealingLR", {"T_max": 7}, 30),
    ("cosine-floor", "CosineAnnealingLR", {"T_max": 10, "eta_min": 0.01}, 30),
    ("linear-default", "LinearLR", {}, 10),
    ("linear-warmup", "LinearLR", {"start_factor": 0.1, "end_factor": 1.0, "total_iters": 4}, 10),
    ("linear-decay", "LinearLR", {"start_factor": 1.0, "end_factor": 0.2, "total_iters": 8}, 12),
]


def make_problem(seed=SEED, steps=STEPS):
    """Return ``(initial, gradients)``: dicts of float64 arrays keyed by parameter name.

    ``gradients[name]`` has shape ``(steps, *SHAPES[name])``. Step ``t`` uses one common
    scale between 1e-2 and 1e1 (log-uniform) for all entries; about 20% of the entries are
    exactly zero, ``bias[0]`` is zero for the first five steps, the whole weight gradient is
    zero at step 8 and every gradient is zero at step 15 (steps counted from 1).
    """
    rng = np.random.default_rng(seed)
    initial = {name: rng.normal(size=shape) for name, shape in SHAPES.items()}
    scales = 10.0 ** rng.uniform(-2.0, 1.0, size=steps)
    gradients = {}
    for name, shape in SHAPES.items():
        g = rng.normal(size=(steps, *shape)) * scales.reshape((steps,) + (1,) * len(shape))
        g[rng.random(size=g.shape) < 0.2] = 0.0
        gradients[name] = g
    gradients["bias"][:5, 0] = 0.0
    gradients["weight"][7] = 0.0
    for g in gradients.values():
        g[14] = 0.0
    return initial, gradients


def run_torch(optimizer, kwargs, initial, gradients):
    """Run one PyTorch optimizer over the stored gradients.

    Returns ``(trajectory, settings)``: ``trajectory[name]`` has shape
    ``(steps, *shape)`` and holds the parameter after each step; ``settings`` is the
    optimizer's resolved parameter group (every option, defaults included).
    """
    params = {
        name: torch.nn.Parameter(torch.tensor(value, dtype=torch.float64))
        for name, value in initial.items()
    }
    opt = getattr(torch.optim, optimizer)(list(params.values()), **kwargs)
    steps = len(next(iter(gradients.values())))
    trajectory = {name: [] for name in params}
    for t in range(steps):
        for name, p in params.items():
            p.grad = torch.tensor(gradients[name][t], dtype=torch.float64)
        opt.step()
        for name, p in params.items():
            trajectory[name].append(p.detach().numpy().copy())
    settings = {k: v for k, v in opt.param_groups[0].items() if k != "params"}
    settings = {k: list(v) if isinstance(v, tuple) else v for k, v in settings.items()}
    return {name: np.stack(values) for name, values in trajectory.items()}, settings


def run_schedule(scheduler, kwargs, epochs):
    """The learning rates of a PyTorch scheduler: before the first ``step()`` and after each.

    Each epoch makes one (zero-gradient) optimizer step and then one scheduler step, in
    the order PyTorch asks for.
    """
    weight = torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))
    opt = torch.optim.SGD([weight], lr=SCHEDULE_LR)
    schedule = getattr(torch.optim.lr_scheduler, scheduler)(opt, **kwargs)
    rates = [schedule.get_last_lr()[0]]
    for _ in range(epochs):
        weight.grad = torch.zeros_like(weight)
        opt.step()
        schedule.step()
        rates.append(schedule.get_last_lr()[0])
    return rates


def build_reference():
    """Return the whole reference as a JSON-ready dict (floats kept as Python floats)."""
    initial, gradients = make_problem()
    configs = []
    for config_id, optimizer, kwargs in CONFIGS:
        trajectory, settings = run_torch(optimizer, kwargs, initial, gradients)
        configs.append(
            {
                "id": config_id,
                "optimizer": optimizer,
                "kwargs": {k: list(v) if isinstance(v, tuple) else v for k, v in kwargs.items()},
                "torch_param_group": settings,
                "trajectory": {name: value.tolist() for name, value in trajectory.items()},
            }
        )
    return {
        "description": (
            "PyTorch optimizer trajectories in float64. Set each parameter's grad to "
            "gradients[name][t] and call step(); trajectory[name][t] is the parameter "
            "after that step (t counted from 0)."
        ),
        "generator": "scripts/make_optim_reference.py",
        "torch_version": torch.__version__,
        "numpy_version": np.__version__,
        "dtype": "float64",
        "seed": SEED,
        "steps": STEPS,
        "param_names": list(SHAPES),
        "initial": {name: value.tolist() for name, value in initial.items()},
        "gradients": {name: value.tolist() for name, value in gradients.items()},
        "configs": configs,
        "schedule_lr": SCHEDULE_LR,
        "schedules": [
            {"id": schedule_id, "scheduler": scheduler, "kwargs": kwargs,
             "rates": run_schedule(scheduler, kwargs, epochs)}
            for schedule_id, scheduler, kwargs, epochs in SCHEDULES
        ],
    }


def main():
    """Write the reference file and check that it reads back bit for bit."""
    write_reference(build_reference(), OUTPUT, torch.__version__)


if __name__ == "__main__":
    main()
