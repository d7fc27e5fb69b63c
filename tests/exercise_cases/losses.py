"""Chapter 4's exercises: right answers and planted errors (each asks for code or a number,
so none is unchecked)."""

import numpy as np

import bpcore
from tests.exercise_cases import Case

# the logits Z and labels of the chapter, drawn as it draws them
rng = np.random.default_rng(4)
rng.normal(size=(5, 1)), rng.normal(size=(5, 1))  # the squared error's
rng.normal(scale=2.0, size=(6, 1)), rng.integers(0, 2, size=(6, 1))  # BCE's
Z = rng.normal(scale=2.0, size=(4, 3))
labels = np.array([0, 2, 1, 2])
Y = np.eye(3)[labels]


def loss_and_gradient(logits):
    criterion = bpcore.CrossEntropyLoss()
    loss = criterion(logits, labels)
    return loss, criterion.backward()


shifted = loss_and_gradient(Z + 1000)
P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
with np.errstate(over="ignore", invalid="ignore"):  # as a student's code would warn
    E = np.exp(Z + 1000)
    naive_P = E / E.sum(axis=1, keepdims=True)
naive_loss = np.mean(-np.log(naive_P[np.arange(4), labels]))


def two_class_via_bce(z, label):
    bce = bpcore.BCEWithLogitsLoss()
    loss = bce(np.array([[z]]), np.array([[1.0 - label]]))
    g = bce.backward()[0, 0]
    return loss, np.array([g, -g])


def two_class_with_the_label_as_target(z, label):
    bce = bpcore.BCEWithLogitsLoss()
    loss = bce(np.array([[z]]), np.array([[float(label)]]))
    g = bce.backward()[0, 0]
    return loss, np.array([g, -g])


def two_class_with_the_second_logit_fixed(z, label):
    bce = bpcore.BCEWithLogitsLoss()
    loss = bce(np.array([[z]]), np.array([[1.0 - label]]))
    return loss, np.array([bce.backward()[0, 0], 0.0])  # "z_2 = 0 is a constant"


def two_class_with_one_gradient_twice(z, label):
    bce = bpcore.BCEWithLogitsLoss()
    loss = bce(np.array([[z]]), np.array([[1.0 - label]]))
    g = bce.backward()[0, 0]
    return loss, np.array([g, g])


def two_class_from_the_probability(z, label):
    y = 1.0 - label
    p = 1 / (1 + np.exp(-z))
    loss = -(y * np.log(p) + (1 - y) * np.log(1 - p))
    return loss, np.array([p - y, y - p])


def two_class_with_the_sign_flipped(z, label):
    loss, gradient = two_class_via_bce(z, label)
    return loss, -gradient


soft = np.array([0.9, 0.05, 0.05])
entropy = -np.sum(soft * np.log(soft))
z_fine = np.linspace(-12, 6, 180_001)
size = np.abs(bpcore.examples.sigmoid_output_losses(z_fine)["mse_grad"])
z_peak = z_fine[np.argmax(size)]
p_peak = 1 / (1 + np.exp(-z_peak))

CASES = {
    "ch04-ex-shift": Case(shifted, (Z, labels), [
        ((naive_loss, (naive_P - Y) / 4), "e^1000 overflows"),
        ((shifted[0] + 1000, shifted[1]), "the loss does not move"),
        ((4 * shifted[0], shifted[1]), "takes their mean"),
        ((shifted[0], P - Y), "(P − Y)/n"),
        ((shifted[0], (Y - P) / 4), "its sign is wrong"),
        ((shifted[0], P / 4), "Subtract the one-hot targets"),
        ((shifted[1], shifted[0]), "put the loss first"),
    ]),
    "ch04-ex-two-classes": Case(two_class_via_bce, (), [
        (two_class_with_the_label_as_target, "y = 1 − label"),
        (two_class_with_the_second_logit_fixed, "held at 0"),
        (two_class_with_one_gradient_twice, "add up to 0"),
        (two_class_from_the_probability, "rounds to 0, so ln(1 − σ(z)) is −∞"),
        (two_class_with_the_sign_flipped, "sign is wrong"),
    ]),
    "ch04-ex-soft": Case(entropy, (), [
        (0.0, "costs −Σ y_k ln y_k"),
        (-np.log(0.9), "counts only the first class"),
        (entropy / 3, "a mean over the three classes"),
        (-np.sum(soft * np.log2(soft)), "in bits"),
        (bpcore.CrossEntropyLoss()(soft[None], soft[None]), "the logits y"),
        (0.5, "evaluate the loss there"),
    ]),
    "ch04-ex-peak": Case((p_peak, z_peak, size.max()), (), [
        ((0.5, 0.0, 0.25), "sigmoid's slope"),
        ((2 / 3, np.log(2), 8 / 27), "the target 0"),
        ((1 / 3, np.log(2), 8 / 27), "sign is wrong"),
        ((1 / 3, np.log(1 / 3), 8 / 27), "that is ln p"),
        ((1 / 3, -np.log(2), 4 / 27), "keep the 2"),
        ((1 / 3, -np.log(2), 2 / 3), "cross-entropy's gradient"),
        ((1 / 3, -np.log(2), 0.25), "size at z = 0"),
        ([1 / 3, -np.log(2)], "three numbers"),
    ]),
}
