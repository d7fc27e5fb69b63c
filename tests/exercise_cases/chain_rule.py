"""Chapter 2's exercises: right answers and planted errors."""

import numpy as np

from tests.exercise_cases import Case

# every exercise of chapter 2 asks for a number it can check
UNCHECKED = {}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


# ch02-ex-sigmoid: the slope on the chapter's grid, and where it is largest
z = np.linspace(-6, 6, 121)
analytic = sigmoid(z) * (1 - sigmoid(z))
without_the_square = np.exp(-z) / (1 + np.exp(-z))


# ch02-ex-chain: the table as a student computes it, with one slip at a time
def chain_row(x, f_prime_at="v", with_g=True, square=lambda x: x**2):
    u = square(x)
    v = 2 * u + 1
    y = v**3
    dh = 2 * x
    df = 3 * {"v": v, "x": x}[f_prime_at] ** 2
    grad = df * (2 if with_g else 1) * dh
    return [u, v, y, dh, df, grad]


def chain_table(**slip):
    return [chain_row(-1.0, **slip), chain_row(0.5, **slip)]


# ch02-ex-bias: the chapter's tiny network and its forward pass
x, y = 2.0, 1.0
w1, b1, w2, b2 = -0.5, 0.0, 1.5, 0.0
z1 = w1 * x + b1
a1 = sigmoid(z1)
y_hat = w2 * a1 + b2
error = y_hat - y
slope = a1 * (1 - a1)

# ch02-ex-paths: u = x², v = x³, y = u v at x = 1.3
x0 = 1.3
u0, v0 = x0**2, x0**3

CASES = {
    "ch02-ex-sigmoid": Case((z[np.argmax(analytic)], analytic.max()), (), [
        ((z[np.argmax(analytic)], sigmoid(0.0)), "that is σ(0)"),
        ((0.0, -0.25), "dp/dz = −1"),
        ((np.argmax(analytic), analytic.max()), "the position of the largest slope"),
        ((z[np.argmax(without_the_square)], without_the_square.max()), "flattest"),
        ((0.0, 1.0), "largest slope of tanh"),
    ]),
    "ch02-ex-chain": Case(chain_table(), (), [
        (chain_table(f_prime_at="x"), "at its own input"),
        (chain_table(with_g=False), "you left out g'(u) = 2"),
        (chain_table(square=lambda x: -x**2 if x < 0 else x**2), "-1**2"),
        (chain_table()[::-1], "swapped"),
        ({-1.0: (1, -1, -1, -2, 3, -12), 0.5: (0.25, 2, 8, 1, 12, 24)},  # v = 2x + 1
         "takes u = x², not x"),
        (np.array(chain_table()).T, "transposed"),
        ([[1, 3, 27, 2, 27, 108], [0.25, 1.5, 3.375, 1, 6.75, 13.5]],
         "keeps the sign of x"),
        ([[1, 3, 27, -2, 27, 27 + 2 - 2], [0.25, 1.5, 3.375, 1, 6.75, 13.5]],
         "it does not add them"),
    ]),
    "ch02-ex-bias": Case([error * w2 * slope, error * a1, error], (), [
        ([error * w2 * slope * x, error * a1, error], "that is ∂L/∂w1"),
        ([error * w2 * a1, error * a1, error], "not its slope"),
        ([error * w2 * slope, error * z1, error], "not z1"),
        ([2 * error * w2 * slope, 2 * error * a1, 2 * error], "bpcore's MSELoss"),
        ([(y - y_hat) * w2 * slope, (y - y_hat) * a1, y - y_hat], "not y − ŷ"),
        ([error * w2 * slope, error * a1, y_hat], "that is the prediction"),
        ([error * a1, error * w2 * slope, error], "swapped"),
        ((error * w2 * slope, error * a1), "Give three numbers"),
    ]),
    "ch02-ex-paths": Case((2 * x0 * v0, 3 * x0**2 * u0), (), [
        ((3 * x0**2 * u0, 2 * x0 * v0), "swapped"),
        ((2 * x0, 3 * x0**2), "last edge's local derivative"),
        ((2 * x0 * u0, 3 * x0**2 * v0), "the other factor"),
        ((2 * x0 * v0 + 3 * x0**2 * u0,), "Give two numbers"),
        ((2 * x0 * v0, 3 * x0 * u0), "Multiply the local derivatives"),
    ]),
}
