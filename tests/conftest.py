"""Shared by the tests: fixtures, helpers and settings that more than one test file uses.

Test files import the plain helpers as ``from tests.conftest import ...`` (tests/ is a package:
a bare ``conftest`` can be chapters/conftest.py when both folders are collected). The book's
local Sphinx extensions in _ext/ import as in the build (Jupyter Book puts that folder on
sys.path), so tests use the same checks the build runs, and scripts/ too, so they check what
the scripts write."""

import fcntl
import functools
import http.server
import re
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "_ext"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))


import numpy as np  # noqa: E402
import pytest  # noqa: E402
from chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from hypothesis import settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import bpcore  # noqa: E402
from bpcore.gradcheck import STEP, TOLERANCE, numerical_gradient, relative_error  # noqa: E402

#: Hypothesis settings of the property tests (test_gradcheck, test_value): reproducible, and
#: without a deadline (a gradient check of a deep network can take a while).
PROPERTY_SETTINGS = settings(max_examples=60, deadline=None, derandomize=True)
#: The seeds those tests draw; every array or number comes from np.random.default_rng(seed).
SEEDS = st.integers(min_value=0, max_value=2**32 - 1)


def central_difference(f, x, h=STEP):
    """∂f/∂x by central differences, for an ``f`` applied to whole arrays of points.

    ``x`` is a number, points of shape (n,), or points of d coordinates, shape (n, d): then
    the result has shape (n, d), one partial derivative per coordinate.
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim < 2:
        return (f(x + h) - f(x - h)) / (2 * h)
    steps = h * np.eye(x.shape[-1])
    return np.stack([(f(x + step) - f(x - step)) / (2 * h) for step in steps], axis=-1)


@pytest.fixture
def assert_matches_central_differences():
    """The book's one gradient-check rule (chapter 5) for a derivative computed by hand.

    ``check(f, x, analytic)`` compares ``analytic`` with central differences of ``f`` at
    ``x``, scored at the function's scale max(1, |f|), against ``TOLERANCE``.
    """

    def check(f, x, analytic):
        numeric = central_difference(f, x)
        scale = max(1.0, float(np.max(np.abs(f(np.asarray(x, dtype=np.float64))))))
        error = relative_error(analytic, numeric, scale)
        assert error < TOLERANCE, f"analytic {analytic}, numeric {numeric}: error {error:.1e}"

    return check


@pytest.fixture
def make_history():
    """``make_history(loss, accuracy=None, diverged=False, message="")``: a finished History."""

    def make(loss, accuracy=None, diverged=False, message=""):
        return bpcore.History(weight_names=["0.W"], loss=list(loss),
                              accuracy=list(accuracy if accuracy is not None else []),
                              diverged=diverged, message=message)

    return make


@pytest.fixture
def make_linear_model():
    """``make_linear_model(W, b)``: a Linear layer holding exactly these weights."""

    def make(W, b):
        layer = bpcore.Linear(*np.shape(W))
        layer.W.data[:] = W
        layer.b.data[:] = b
        return layer

    return make


def text_boxes(fig, texts):
    """The window extents (pixels) of the visible, non-empty texts among ``texts`` once
    ``fig`` is drawn with Agg: what the reader sees, for tests that labels do not collide."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    return [text.get_window_extent(renderer) for text in texts
            if text.get_visible() and text.get_text()]


# --- one check of a module or a loss, in the spirit of tinygrad's helper_test_op ------------

KINK_MARGIN = 1e-3  # pre-activations of ReLU/LeakyReLU stay this far from 0: h = 1e-5 never crosses


def away_from_zero(shape, rng):
    """Inputs with 0.1 ≤ |x| ≤ 2, so no finite-difference step crosses a ReLU kink at 0."""
    x = rng.uniform(0.1, 2.0, shape)
    return x * rng.choice([-1.0, 1.0], shape)


def distance_to_kinks(model, X):
    """Smallest |pre-activation| of any ReLU or LeakyReLU on the batch X (inf if none).

    Looks inside Sequential and Residual; it runs forward passes, so call it before a check.
    """
    if isinstance(model, bpcore.Sequential):
        distance = np.inf
        for module in model:
            distance = min(distance, distance_to_kinks(module, X))
            X = module(X)
        return distance
    if isinstance(model, bpcore.Residual):
        return distance_to_kinks(model.module, X)
    if isinstance(model, (bpcore.ReLU, bpcore.LeakyReLU)):
        return float(np.abs(X).min())
    return np.inf


def trained_batchnorm(num_features, dtype=np.float64, seed=0):
    """A BatchNorm1d after three training batches: running statistics far from 0 and 1,
    and weight and bias away from their initial ones and zeros. Left in training mode."""
    rng = np.random.default_rng(seed)
    layer = bpcore.BatchNorm1d(num_features, dtype=dtype)
    layer.weight.data[:] = rng.uniform(0.5, 2.0, num_features)
    layer.bias.data[:] = rng.normal(0.0, 1.0, num_features)
    scales, offsets = rng.uniform(0.5, 3.0, num_features), rng.normal(0.0, 2.0, num_features)
    for _ in range(3):
        layer(rng.normal(size=(8, num_features)).astype(dtype) * scales.astype(dtype)
              + offsets.astype(dtype))
    return layer


class Projection(bpcore.losses.Loss):
    """L = Σ R ⊙ y for a fixed R: a scalar of a module's output whose gradient ∂L/∂y is R."""

    def __init__(self, weights):
        self.weights = weights

    def forward(self, prediction, target):
        self._gradient = self.weights
        return float(np.sum(prediction * self.weights))


def check_module(make_module, input_shape, dtype, seed=0):
    """Check the module ``make_module(dtype)`` on a batch of ``input_shape``, all at once.

    In ``dtype``: the forward output, ∂L/∂x and every parameter's data and .grad keep the
    input's dtype; neither forward nor backward changes the input or the upstream gradient;
    ``backward(g)`` returns the input gradient, as ``backward(g, input_grad=True)`` does;
    ``backward(g, input_grad=False)`` returns None and fills the same parameter gradients.
    In float64 (float32 differences drown in rounding): the input gradient and every
    parameter gradient pass the book's gradient check (``bpcore.gradcheck``: central
    differences with step ``STEP``, scored by ``relative_error`` against ``TOLERANCE``).
    The batch is drawn away from 0; no ReLU pre-activation inside may come near 0 either.
    """
    dtype = np.dtype(dtype)
    rng = np.random.default_rng(seed)
    x64 = away_from_zero(input_shape, rng)
    x = x64.astype(dtype)
    given = x.copy()
    module = make_module(dtype)
    named = module.named_parameters()
    y = module(x)
    np.testing.assert_array_equal(x, given, err_msg="forward mutated its input")
    assert y.dtype == dtype, f"forward turned {dtype} input into {y.dtype} output"
    g = rng.standard_normal(y.shape).astype(dtype)
    g_given = g.copy()

    module.zero_grad()
    module(x)
    grad_x = module.backward(g)
    assert grad_x is not None, "backward(g) returned None: input_grad=True must be the default"
    assert grad_x.shape == x.shape, f"input gradient of shape {grad_x.shape} for input {x.shape}"
    assert grad_x.dtype == dtype, f"backward turned {dtype} input into a {grad_x.dtype} gradient"
    for name, parameter in named:
        assert parameter.data.dtype == dtype, f"{name} holds {parameter.data.dtype}, not {dtype}"
        assert parameter.grad.dtype == dtype, f"{name}.grad is {parameter.grad.dtype}, not {dtype}"
    np.testing.assert_array_equal(x, given, err_msg="backward mutated the input")
    np.testing.assert_array_equal(g, g_given, err_msg="backward mutated the upstream gradient")
    grads = {name: parameter.grad.copy() for name, parameter in named}

    module.zero_grad()
    module(x)
    np.testing.assert_array_equal(module.backward(g, input_grad=True), grad_x,
                                  err_msg="backward(g) differs from backward(g, input_grad=True)")
    module.zero_grad()
    module(x)
    skipped = module.backward(g, input_grad=False)
    assert skipped is None, f"backward(g, input_grad=False) returned {type(skipped).__name__}"
    for name, parameter in named:
        np.testing.assert_array_equal(parameter.grad, grads[name],
                                      err_msg=f"{name}.grad differs with input_grad=False")
    np.testing.assert_array_equal(x, given, err_msg="backward(input_grad=False) mutated the input")

    module64 = make_module(np.float64)
    margin = distance_to_kinks(module64, x64)
    assert margin > KINK_MARGIN, f"a ReLU pre-activation is {margin:.1e} from its kink: pick another seed"
    report = bpcore.gradcheck(module64, Projection(g.astype(np.float64)), x64, None)
    assert set(report.errors) == {"input", *(name for name, _ in named)}, report.errors
    assert report.passed(TOLERANCE), f"gradient check fails:\n{report}"


def check_loss(make_loss, prediction, target, dtype):
    """Check the loss ``make_loss()`` on a ``prediction`` (logits) and ``target``, all at once.

    In ``dtype`` (floating targets cast to it, labels kept): the loss is a finite Python float,
    its gradient ∂L/∂prediction has the prediction's shape and dtype, and neither forward nor
    backward changes the prediction or the target. In float64: the gradient passes the book's
    gradient check (central differences with step ``STEP``, ``relative_error`` at the loss's
    scale max(1, |L|), below ``TOLERANCE``).
    """
    dtype = np.dtype(dtype)
    target = np.asarray(target)

    def cast(array, to):
        return array.astype(to) if array.dtype.kind == "f" else array.copy()

    z, t = np.array(prediction, dtype=dtype), cast(target, dtype)
    z_given, t_given = z.copy(), t.copy()
    loss = make_loss()
    value = loss(z, t)
    assert type(value) is float and np.isfinite(value), f"the loss is {type(value).__name__} {value!r}"
    gradient = loss.backward()
    assert gradient.shape == z.shape, f"gradient of shape {gradient.shape} for prediction {z.shape}"
    assert gradient.dtype == dtype, f"a {dtype} prediction got a {gradient.dtype} gradient"
    np.testing.assert_array_equal(z, z_given, err_msg="the loss mutated its prediction")
    np.testing.assert_array_equal(t, t_given, err_msg="the loss mutated its target")

    z64, t64 = np.array(prediction, dtype=np.float64), cast(target, np.float64)
    value = loss(z64, t64)
    analytic = loss.backward().copy()
    numeric = numerical_gradient(lambda: loss(z64, t64), z64, STEP)
    error = relative_error(analytic, numeric, max(1.0, abs(value)))
    assert error < TOLERANCE, f"gradient check fails: relative error {error:.1e}"


# --- planted bugs: wrong gradients that a check must catch -----------------------------------


class SigmoidWithoutSlope(bpcore.Sigmoid):
    """A dropped factor: backward forgets σ'(z) and passes the gradient straight through."""

    def derivative(self):
        return np.ones_like(self._output)


class LinearWrongSign(bpcore.Linear):
    """A wrong sign: ∂L/∂W = -Xᵀδ."""

    def backward(self, grad_output, input_grad=True):
        result = super().backward(grad_output, input_grad)
        self.W.grad -= 2 * self._input.T @ grad_output
        return result


class LinearTransposed(bpcore.Linear):
    """A transposed weight: δ W instead of δ Wᵀ for the input gradient (square W only)."""

    def backward(self, grad_output, input_grad=True):
        super().backward(grad_output, input_grad=False)
        return grad_output @ self.W.data if input_grad else None


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium, driven by Playwright."""
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: install Debian's chromium package "
                    "(apt-get install chromium); the browser test cannot run without it",
                    pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# --- the built book in the browser (test_book_browser, test_browser_python) ---

#: how long a browser test waits for a page, a figure or a request
TIMEOUT_MS = 20_000


@pytest.fixture(scope="session")
def book(pytestconfig):
    """The built book's folder, built first if missing or older than any source.

    The browser tests run on several workers; one builds, the others wait for it.
    (built_book needs the book's build tools, which the other tests do without.)
    """
    from built_book import HTML, build, is_stale

    HTML.parent.mkdir(exist_ok=True)
    with open(HTML.parent / ".build-lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if is_stale():
            writer = pytestconfig.get_terminal_writer()
            writer.line("\nbuilding the book for the browser tests ...", bold=True)
            start = time.perf_counter()
            try:
                build()
            except RuntimeError as error:
                pytest.fail(str(error), pytrace=False)
            writer.line(f"built in {time.perf_counter() - start:.0f} s", bold=True)
    return HTML


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files without logging every request."""

    def log_message(self, format, *args):
        """Log nothing."""


@pytest.fixture(scope="session")
def server(book):
    """The base URL of the built book, served on 127.0.0.1 at a free port."""
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(book)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(params=["http", "file"])
def base(request, server, book):
    """Where the book is opened: the local server, or the folder on disk."""
    return server if request.param == "http" else book.as_uri() + "/"


def watched_page(context, base):
    """A new page of ``context`` whose requests may not leave ``base``, and its problem lists.

    ``problems["pending requests"]`` holds the requests still under way.
    """
    problems = {"requests outside the book": [], "failed requests": [], "console errors": [],
                "pending requests": []}

    def keep_inside(route):
        if route.request.url.startswith(base):
            route.continue_()
        else:
            problems["requests outside the book"].append(route.request.url)
            route.abort("blockedbyclient")

    def on_request(request):
        problems["pending requests"].append(request.url)

    def on_finished(request):
        problems["pending requests"].remove(request.url)

    def on_failed(request):
        on_finished(request)
        problems["failed requests"].append(f"{request.url}: {request.failure}")

    def on_response(response):
        if response.status >= 400:
            problems["failed requests"].append(f"{response.url}: HTTP {response.status}")

    def on_console(message):
        if message.type == "error":
            problems["console errors"].append(message.text)

    def on_error(error):
        problems["console errors"].append(str(error))

    context.route("**/*", keep_inside)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    for event, handler in (("request", on_request), ("requestfinished", on_finished),
                           ("requestfailed", on_failed), ("response", on_response),
                           ("console", on_console), ("pageerror", on_error)):
        page.on(event, handler)
    return page, problems


def wait_for_requests(page, problems):
    """Give the requests still under way the usual time to finish."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while problems["pending requests"] and time.monotonic() < deadline:
        page.wait_for_timeout(100)


# --- the chapters' quizzes (test_quizzes, and test_book_browser in the built pages) ---

#: a question: an admonition of class bp-quiz, its text and choices, and a dropdown that
#: opens with "**Answer: 2.**" (a choice) or "**Answer: 0.33.**" (a number)
QUIZ_QUESTION = re.compile(
    r"::::\{admonition\} (?P<title>[^\n]+)\n:class: bp-quiz\n\n(?P<text>.*?)"
    r":::\{dropdown\} Answer\n\*\*Answer: (?P<answer>[^*\n]+?)\.\*\* (?P<why>.*?)\n:::\n::::",
    re.DOTALL)


def quiz_questions(path):
    """(title, choices, answer, explanation) for each question of the chapter at ``path``;
    no choices for a number to type."""
    import nbformat

    found = []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "markdown":
            for match in QUIZ_QUESTION.finditer(cell.source):
                choices = re.findall(r"^\d+\. (.+(?:\n   .+)*)", match["text"], re.MULTILINE)
                found.append((match["title"], choices, match["answer"], match["why"]))
    return found


def answer_quizzes(page, questions):
    """Answer every question on ``page`` wrong, then right: quiz.js must say so each time,
    and open the explanation only for the right answer. Returns the questions' locator."""
    quizzes = page.locator(".admonition.bp-quiz")
    assert quizzes.count() == len(questions)
    for quiz, (title, choices, answer, _) in zip(quizzes.all(), questions, strict=True):
        status, details = quiz.locator(".bp-quiz-status"), quiz.locator("details")
        if choices:
            wrong = 1 if answer != "1" else 2
            quiz.locator(".bp-quiz-choice").nth(wrong - 1).click()
            assert status.text_content().startswith("Not this one"), title
            assert not details.evaluate("element => element.open"), title
            quiz.locator(".bp-quiz-choice").nth(int(answer) - 1).click()
        else:
            box = quiz.locator("input")
            box.fill(str(float(answer.replace("−", "-")) + 1))
            quiz.get_by_role("button", name="Check").click()
            assert status.text_content().startswith("Not quite"), title
            box.fill(answer)
            quiz.get_by_role("button", name="Check").click()
        assert status.text_content() == "Right.", title
        assert details.evaluate("element => element.open"), title
    return quizzes


# --- the chapters' exercises (test_exercises, test_course) ---


def book_exercises():
    """Every exercise of the book, in order: {label: title}."""
    import nbformat

    pattern = re.compile(r"```\{exercise\} (.+)\n:label: (\S+)")
    chapters = sorted((Path(__file__).resolve().parent.parent / "chapters").glob(
        "[0-9][0-9]_*.ipynb"))
    return {label: title for path in chapters
            for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "markdown"
            for title, label in pattern.findall(cell.source)}
