"""Checks for the exercises: a verdict on an answer, and a hint.

Each check is a function registered under its exercise's label in the book
(``@exercise("ch05-ex-tanh", ...)``). It takes the reader's answer, and any
data the answer depends on, and returns if the answer is right; if it is
not, it raises :class:`Wrong` with what differs, where, and what to look
at. The helpers below read an answer's arrays (``as_array``, ``rows``) and
dicts (``entries``), compare numbers and arrays, and recognise the usual
mistakes (a dropped factor, a wrong sign, a transposed matrix): a check
lists each mistake it knows with the wrong answer it would give, computed
from the right one, and the hint for it. :func:`check` runs a check and
turns what it does into :class:`Feedback`: passed, wrong, or not yet
answered (an answer still ``...`` or ``None``, or a function that returns
nothing).

Taught in :doc:`/backmatter/instructors`.
"""

import html
import textwrap
import traceback
from dataclasses import dataclass

import numpy as np

#: every exercise with a check, by label
EXERCISES = {}
#: the width of the feedback as text: the book's text column
WIDTH = 75


class Wrong(Exception):
    """The answer is wrong; the message says where, and what to look at."""


class NotAnswered(Exception):
    """The answer is still the placeholder its cell starts with."""


@dataclass(frozen=True)
class Exercise:
    """An exercise of the book and the check of its answer."""

    label: str
    title: str
    task: str  # what the answer cell asks for: "set a to ..."
    check: object  # check(answer, *data) returns, or raises Wrong
    passed: str  # what a right answer has shown


def exercise(label, title, *, task, passed):
    """Register the decorated function as exercise ``label``'s check."""

    def register(check):
        if label in EXERCISES:
            raise ValueError(f"exercise {label!r} has two checks")
        EXERCISES[label] = Exercise(label, title, task, check, passed)
        return check

    return register


@dataclass(frozen=True)
class Feedback:
    """A verdict: ``status`` is passed, wrong or unanswered."""

    exercise: Exercise
    status: str
    message: str

    SYMBOLS = {"passed": "✓", "wrong": "✗", "unanswered": "…"}
    COLOURS = {
        "passed": "#2e7d32",
        "wrong": "#c62828",
        "unanswered": "#757575",
    }

    @property
    def passed(self):
        """Whether the answer is right."""
        return self.status == "passed"

    def __repr__(self):
        symbol, exercise = self.SYMBOLS[self.status], self.exercise
        heading = f"{symbol} {exercise.title} ({exercise.label})"
        body = textwrap.fill(
            self.message, WIDTH, initial_indent="  ", subsequent_indent="  "
        )
        return f"{heading}\n{body}"

    def _repr_html_(self):
        colour = self.COLOURS[self.status]
        return (
            f'<div class="bp-feedback bp-feedback-{self.status}" '
            f'style="border-left: 4px solid {colour}; '
            'padding: 0.2em 0.8em">'
            f"<strong>{self.SYMBOLS[self.status]} "
            f"{html.escape(self.exercise.title)}</strong> "
            f"({self.exercise.label}): {html.escape(self.message)}</div>"
        )


def check(label, answer, *data):
    """Check ``answer`` to exercise ``label``; return :class:`Feedback`.

    ``data`` is what the exercise's answer depends on, as its check cell
    passes it (the chapter's data set, say).
    """
    if label not in EXERCISES:
        known = ", ".join(sorted(EXERCISES))
        raise ValueError(
            f"no exercise is labelled {label!r}; the checked ones are "
            f"{known}"
        )
    exercise = EXERCISES[label]
    try:
        if is_placeholder(answer):
            raise NotAnswered
        exercise.check(answer, *data)
    except NotAnswered:
        return Feedback(
            exercise,
            "unanswered",
            f"not yet answered. In the cell above, {exercise.task}; run "
            "it, then this cell again.",
        )
    except Wrong as wrong:
        return Feedback(exercise, "wrong", str(wrong))
    return Feedback(exercise, "passed", exercise.passed)


def is_placeholder(answer):
    """Whether ``answer`` is what a starting cell leaves: ``...``, None, or
    a function whose body is only ``...`` (or a docstring, or ``pass``)."""
    if answer is Ellipsis or answer is None:
        return True
    code = getattr(answer, "__code__", None)
    if code is None or code.co_code not in _STUBS:
        return False
    constants = [c for c in code.co_consts if c is not answer.__doc__]
    return all(c is None or c is Ellipsis for c in constants)


def _stub(): ...


def _documented_stub():
    """Only a docstring."""


_STUBS = {_stub.__code__.co_code, _documented_stub.__code__.co_code}


def call(function, *args, **kwargs):
    """Call the reader's ``function``; an error it raises becomes
    :class:`Wrong`, naming the line that raised it."""
    name = getattr(function, "__name__", "your function")
    if not callable(function):
        raise Wrong(
            f"your answer should be a function, but it is a "
            f"{type(function).__name__}"
        )
    try:
        return function(*args, **kwargs)
    except Exception as error:
        frames = traceback.extract_tb(error.__traceback__)[1:]
        where = ""
        if frames:
            line = frames[-1].line
            where = f", in line {frames[-1].lineno}" + (
                f": {line}" if line else ""
            )
        raise Wrong(
            f"{name}{_arguments(args, kwargs)} raised "
            f"{type(error).__name__}: {error}{where}"
        ) from None


def number(value, digits=4):
    """``value`` as text, to ``digits`` significant digits."""
    return f"{float(value):.{digits}g}"


def as_array(name, yours, shape):
    """``yours`` as a float array of ``shape``, or :class:`Wrong` why not.

    A shape that is ``shape`` reversed is reported as a transposed matrix.
    """
    try:
        array = np.asarray(yours, dtype=np.float64)
    except (TypeError, ValueError):
        raise Wrong(
            f"{name} should be an array of numbers, shape {shape}; got "
            f"{type(yours).__name__}"
        ) from None
    if array.shape != tuple(shape):
        transposed = array.ndim == 2 and array.shape == tuple(shape)[::-1]
        raise Wrong(
            f"{name} has shape {array.shape}, but should have shape "
            f"{tuple(shape)}"
            + (
                ": it is transposed. Which of the two factors of the "
                "product "
                "comes first?"
                if transposed
                else "."
            )
        )
    if not np.all(np.isfinite(array)):
        raise Wrong(f"{name} holds NaN or infinity.")
    return array


def rows(name, yours, shape, layout):
    """``yours`` as an array of ``shape``; a ``shape`` reversed, or another
    shape, is reported with ``layout``, what its rows and columns hold."""
    if yours is None:
        raise Wrong(f"{name} is None: does your code return its result?")
    if np.shape(yours) != tuple(shape) and np.ndim(yours) > 0:
        turned = np.shape(yours) == tuple(shape)[::-1]
        raise Wrong(
            f"{name} has shape {np.shape(yours)}, but should have shape "
            f"{tuple(shape)}"
            + (": it is transposed. " if turned else ". ")
            + layout
        )
    return as_array(name, yours, shape)


def entries(name, answer, keys, length=None):
    """``answer[key]`` for each of ``keys``: a float, or with ``length`` a
    float array of that length; :class:`Wrong` if ``answer`` is not such a
    dict. Number keys match a number close to them (0.5 finds 0.5)."""
    listing = ", ".join(repr(key) for key in keys)
    if not isinstance(answer, dict):
        raise Wrong(
            f"{name} should be a dict with the keys {listing}; got a "
            f"{type(answer).__name__}"
        )
    found = {}
    for key in keys:
        match = [k for k in answer if _same_key(k, key)]
        if not match:
            raise Wrong(
                f"{name} has no entry for {key!r}: it needs {listing}."
            )
        value, shown = answer[match[0]], f"{name}[{key!r}]"
        if length is not None:
            found[key] = as_array(shown, value, (length,))
            continue
        try:
            found[key] = float(value)
        except (TypeError, ValueError):
            raise Wrong(
                f"{shown} should be a number; got {type(value).__name__}"
            ) from None
        if not np.isfinite(found[key]):
            raise Wrong(
                f"{shown} is {value}; it should be a finite number."
            )
    return found


def _same_key(key, wanted):
    if isinstance(wanted, str):
        return key == wanted
    return isinstance(key, (int, float, np.number)) and np.isclose(
        float(key), wanted
    )


def expect_number(
    name, yours, right, *, tolerance, mistakes=(), otherwise=""
):
    """Return if ``yours`` is within ``tolerance`` of ``right``.

    Otherwise raise :class:`Wrong`: with the hint of the first of
    ``mistakes`` (pairs of a wrong value and its hint) that ``yours`` is
    within ``tolerance`` of, else saying how far off it is, and
    ``otherwise`` (a hint, or a function of ``yours`` that gives one).
    """
    if yours is None:
        raise Wrong(f"{name} is None: does your code return its result?")
    try:
        yours = float(yours)
    except (TypeError, ValueError):
        raise Wrong(
            f"{name} should be a number; got {type(yours).__name__}"
        ) from None
    if abs(yours - right) <= tolerance:
        return
    for wrong, hint in mistakes:
        if abs(yours - wrong) <= tolerance:
            raise Wrong(f"{name} is {number(yours)}: {hint}")
    if callable(otherwise):
        otherwise = otherwise(yours)
    raise Wrong(
        " ".join(
            filter(
                None,
                [
                    f"{name} is {number(yours)}, which is off by "
                    f"{number(abs(yours - right), 2)}.",
                    otherwise,
                ],
            )
        )
    )


def expect_array(
    name, yours, right, *, tolerance, mistakes=(), otherwise=""
):
    """Return if every entry of ``yours`` is within ``tolerance`` of
    ``right``'s (relative to the largest entry of ``right``, or 1).

    Otherwise raise :class:`Wrong`: the hint of the first of ``mistakes``
    (pairs of a wrong array and its hint) that ``yours`` matches, or where
    the two differ most, and ``otherwise``.
    """
    right = np.asarray(right, dtype=np.float64)
    yours = as_array(name, yours, right.shape)
    scale = max(1.0, float(np.max(np.abs(right), initial=0.0)))

    def matches(other):
        return (
            np.max(np.abs(yours - other), initial=0.0) <= tolerance * scale
        )

    if matches(right):
        return
    for wrong, hint in mistakes:
        wrong = np.asarray(wrong, dtype=np.float64)
        if wrong.shape == right.shape and matches(wrong):
            raise Wrong(f"{name} is not right: {hint}")
    worst = np.unravel_index(np.argmax(np.abs(yours - right)), right.shape)
    where = f"[{', '.join(str(int(i)) for i in worst)}]" if worst else ""
    raise Wrong(
        " ".join(
            filter(
                None,
                [
                    f"{name}{where} is {number(yours[worst])}, but "
                    "should be "
                    f"{number(right[worst])}.",
                    otherwise,
                ],
            )
        )
    )


def _arguments(args, kwargs):
    shown = [_short(a) for a in args]
    shown += [f"{key}={_short(value)}" for key, value in kwargs.items()]
    return f"({', '.join(shown)})"


def _short(value):
    if isinstance(value, np.ndarray):
        return f"<array of shape {value.shape}>"
    return repr(value)
