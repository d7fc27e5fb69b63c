"""The course plans the instructors' page offers: two syllabi, and where each exercise fits.

A syllabus is a list of weeks. A week lists the chapters it teaches whole (``5``) and the
sections it teaches of others (``(3, "The price of not using backprop")``; a chapter's
title stands for its opening, before its first section), what to do in class, and the
exercises for the lab and for homework. ``course_facts.syllabus_gaps`` checks each plan
against what the chapters use; the build fails if one teaches a chapter before what it
needs.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Week:
    """One week of a syllabus."""

    taught: tuple  # chapter numbers, and (chapter, section title) pairs
    in_class: str
    lab: tuple = ()  # exercise labels
    homework: tuple = ()


SHORT = (
    Week((1, 2), "the learning-rate slider on the projector; the chain at x = 3 on the "
         "board, then in code",
         lab=("ch01-ex-lr-sweep", "ch02-ex-chain"),
         homework=("ch01-ex-threshold", "ch02-ex-sigmoid")),
    Week(((3, "Building a Value, step by step"), (3, "The price of not using backprop"),
          (4, "Mean squared error"), (4, "Binary cross-entropy"),
          (4, "Softmax and multi-class cross-entropy"), (4, "The clean result: $p - y$")),
         "a Value engine built live; finite differences against backprop on one network; "
         "p − y derived on the board",
         lab=("ch03-ex-step", "ch04-ex-soft"),
         homework=("ch03-ex-sigmoid",)),
    Week((5,), "the 2 → 3 → 1 example by hand, then the matrix form",
         lab=("ch05-ex-lr", "ch05-ex-dead"),
         homework=("ch05-ex-tanh", "ch05-ex-bp34")),
    Week(((6, "Initialisation: the other factor"),
          (7, "Optimizers: momentum, RMSProp and Adam"), (7, "Optimizers in bpcore"),
          (7, "Adam: momentum and RMSProp, corrected"), 8),
         "He initialisation and Adam in one session, then train the digit network live",
         lab=("ch08-ex-sgd", "ch08-ex-linear"),
         homework=("ch06-ex-he", "ch08-ex-width")),
)

FULL = (
    Week((1,), "the learning-rate slider; derive the threshold η < 1 together",
         lab=("ch01-ex-lr-sweep", "ch01-ex-steps", "ch01-ex-sharp"),
         homework=("ch01-ex-threshold",)),
    Week((2,), "the three-function chain at x = 3 on the board, then the tiny network",
         lab=("ch02-ex-chain", "ch02-ex-bias"),
         homework=("ch02-ex-sigmoid", "ch02-ex-paths")),
    Week((3,), "a Value engine built live, then forward against reverse mode",
         lab=("ch03-ex-relu-neurons", "ch03-ex-memory", "ch03-ex-step"),
         homework=("ch03-ex-sigmoid", "ch03-ex-two-outputs")),
    Week((4,), "naive against stable log-sum-exp at logits of ±1000",
         lab=("ch04-ex-soft",),
         homework=("ch04-ex-shift", "ch04-ex-two-classes", "ch04-ex-peak")),
    Week((5,), "the 2 → 3 → 1 example carried through by hand; the four equations",
         lab=("ch05-ex-dead", "ch05-ex-activation"),
         homework=("ch05-ex-bp34", "ch05-ex-jacobians")),
    Week((), "the matrix form and gradient checking; train the spiral live",
         lab=("ch05-ex-lr",),
         homework=("ch05-ex-tanh",)),
    Week((6,), "the gradient-flow explorer: depth against activation and initialisation",
         lab=("ch06-ex-third-layer", "ch06-ex-swap", "ch06-ex-leaky", "ch06-ex-clip"),
         homework=("ch06-ex-he",)),
    Week((7,), "the valley explorer with learning rate and momentum; the condition number",
         lab=("ch07-ex-lrs", "ch07-ex-decay", "ch07-ex-adamw", "ch07-ex-kappa"),
         homework=("ch07-ex-threshold", "ch07-ex-bias", "ch07-ex-critical")),
    Week((8,), "train the digit network live; read its confusions and its mistakes",
         lab=("ch08-ex-sgd", "ch08-ex-linear"),
         homework=("ch08-ex-width", "ch08-ex-depth", "ch08-ex-lr")),
    Week((9,), "batch norm's backward pass along its three paths; gradients through time",
         lab=("ch09-ex-bn-eval", "ch09-ex-truncation"),
         homework=("ch09-ex-adam-l2", "ch09-ex-dropout-variance", "ch09-ex-scale")),
)

#: the syllabi, by name
SYLLABI = {"A four-week short course": SHORT, "A ten-week course": FULL}
