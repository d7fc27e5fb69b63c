"""Explorers: sliders that flip through precomputed figures.

A slider that recomputes its figure needs a running Python kernel, so it is
dead in a built HTML page. An explorer instead draws every figure up front,
one per slider value, and stacks them: moving the slider only changes which
stored image is shown. The link between slider and stack lives in the
browser (``ipywidgets.jslink``), so the explorer works in Jupyter, in Binder
and in the static book, also offline.

>>> def draw(fig, lr):
...     ax = fig.add_subplot()
...     ax.plot([0, 1], [0, lr])
>>> explorer(draw, {"lr": [0.1, 0.5, 1.0]}, labels={"lr": "rate η"})

Where widgets cannot be shown (a notebook JupyterLab does not trust yet, as
after a download; Colab; GitHub), an explorer shows its starting figure.

matplotlib and ipywidgets are imported inside the functions, so ``import
bpcore`` needs only NumPy.
"""

import base64
import io
import itertools
import textwrap
from numbers import Real

#: Colours kept in each explorer frame: plenty for plots, a third of the
#: size of full RGB.
PALETTE_COLORS = 128


def _grid(draw, sliders):
    """Check ``draw`` and ``sliders``; return slider name -> value list."""
    if not callable(draw):
        raise ValueError(
            f"draw must be callable as draw(fig, **values), got {draw!r}"
        )
    if not sliders:
        raise ValueError(
            "sliders is empty: give at least one slider, name -> values"
        )
    if len(sliders) > 2:
        raise ValueError(
            f"at most two sliders are supported, got {len(sliders)}: "
            f"{', '.join(sliders)}"
        )
    grid = {}
    for name, values in sliders.items():
        values = list(values)
        if not values:
            raise ValueError(f"slider {name!r} has no values")
        for i, value in enumerate(values):
            if value in values[:i]:
                raise ValueError(
                    f"slider {name!r} has the value {value!r} twice"
                )
        grid[name] = values
    return grid


def _check_names(option, mapping, grid):
    """Raise if ``mapping`` names a slider that does not exist.

    ``option`` is the name of the argument ``mapping`` was given as.
    """
    unknown = [name for name in mapping if name not in grid]
    if unknown:
        raise ValueError(
            f"{option} names unknown slider(s) "
            f"{', '.join(map(repr, unknown))}; the sliders are "
            f"{', '.join(map(repr, grid))}"
        )


def _label(value, fmt):
    """The slider readout for ``value``.

    ``fmt`` is None, a format string or a callable.
    """
    if callable(fmt):
        return str(fmt(value))
    if fmt is not None:
        return fmt.format(value)
    if isinstance(value, Real) and not isinstance(value, bool):
        return format(value, "g")
    return str(value)


def render_frames(draw, sliders, *, figsize=(6.4, 3.6), dpi=80):
    """Draw one PNG per combination of slider values.

    ``draw(fig, **values)`` draws onto an empty matplotlib Figure (one
    Figure is cleared and reused; no pyplot state is touched). ``sliders``
    maps each name (one or two) to a non-empty sequence of values. The PNGs
    come in row-major order: the first slider is the outer loop. Each is
    reduced to a palette of ``PALETTE_COLORS`` colours without dithering,
    which keeps line plots sharp at about a third of the size, and carries
    no metadata, so the same drawing gives the same bytes.

    Taught in :doc:`/chapters/01_gradient_descent`.
    """
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from PIL import Image

    grid = _grid(draw, sliders)
    fig = Figure(figsize=figsize, dpi=dpi)
    canvas = FigureCanvasAgg(fig)
    frames = []
    for combination in itertools.product(*grid.values()):
        fig.clear()
        draw(fig, **dict(zip(grid, combination, strict=True)))
        canvas.draw()
        image = Image.fromarray(np.asarray(canvas.buffer_rgba())).convert(
            "RGB"
        )
        png = io.BytesIO()
        image.quantize(PALETTE_COLORS, dither=Image.Dither.NONE).save(
            png, format="png", optimize=True
        )
        frames.append(png.getvalue())
    return frames


def with_fallback(widget, text, png=None):
    """Give ``widget`` what to show where widgets cannot be shown.

    Its display then carries ``text`` in place of the widget's repr and,
    given PNG bytes, that image too: a front end that cannot render the
    widget shows the image, or else the text. Returns ``widget``.

    Worked in :doc:`/chapters/08_digits`.
    """
    widget_bundle = widget._repr_mimebundle_

    def bundle(**kwargs):
        data = widget_bundle(**kwargs)
        data["text/plain"] = text
        if png is not None:
            data["image/png"] = base64.b64encode(png).decode("ascii")
        return data

    widget._repr_mimebundle_ = bundle
    return widget


def explorer(
    draw,
    sliders,
    *,
    labels=None,
    formats=None,
    figsize=(6.4, 3.6),
    dpi=80,
    initial=None,
):
    """A widget whose slider(s) switch between precomputed figures.

    No kernel is needed.

    ``draw`` and ``sliders`` are as in :func:`render_frames`. ``labels``
    maps a slider name to its description (default: the name), ``formats``
    maps it to a format string such as ``"{:.2f}"`` or a callable for the
    readout, ``initial`` to the value it starts at (default: the first).
    With two sliders, the figures sit in nested stacks: the outer one
    follows the first slider, every inner one the second. Where widgets
    cannot be shown, the explorer shows the figure it starts at (or, as
    text, the slider values it starts at).

    Taught in :doc:`/chapters/01_gradient_descent`.
    """
    import ipywidgets as widgets

    grid = _grid(draw, sliders)
    labels, formats, initial = labels or {}, formats or {}, initial or {}
    for option, mapping in (
        ("labels", labels),
        ("formats", formats),
        ("initial", initial),
    ):
        _check_names(option, mapping, grid)
    for name, value in initial.items():
        if value not in grid[name]:
            raise ValueError(
                f"initial value {value!r} of slider {name!r} is not among "
                f"its values {grid[name]!r}"
            )

    # Where the column is too narrow for description, slider and readout
    # in one row (a phone), the readout moves under the slider's right end
    # instead of being cut off.
    row = {
        "width": "32em",
        "max_width": "100%",
        "flex_flow": "row wrap",
        "justify_content": "flex-end",
        "height": "auto",
    }
    controls = [
        widgets.SelectionSlider(
            options=[
                (_label(value, formats.get(name)), value)
                for value in values
            ],
            value=initial.get(name, values[0]),
            description=labels.get(name, name),
            style={"description_width": "initial"},
            layout=row,
        )
        for name, values in grid.items()
    ]
    images = [
        widgets.Image(value=png, format="png")
        for png in render_frames(draw, sliders, figsize=figsize, dpi=dpi)
    ]

    def stack(children, slider):
        """A Stack showing the child the slider points at.

        The two are kept in step in the browser.
        """
        box = widgets.Stack(children, selected_index=slider.index)
        widgets.jslink((slider, "index"), (box, "selected_index"))
        return box

    if len(controls) == 1:
        figure = stack(images, controls[0])
        start = controls[0].index
    else:
        inner = len(list(grid.values())[1])
        start = controls[0].index * inner + controls[1].index
        figure = stack(
            [
                stack(images[i : i + inner], controls[1])
                for i in range(0, len(images), inner)
            ],
            controls[0],
        )
    box = widgets.VBox([*controls, figure])
    box.add_class("bpcore-explorer")
    shown = ", ".join(
        f"{control.description} = {control.options[control.index][0]}"
        for control in controls
    )
    # lines of at most 76 characters, like the book's code and outputs
    text = textwrap.fill(f"explorer at {shown}", 76)
    return with_fallback(
        box,
        f"{text}\n(its slider needs a widget view)",
        png=images[start].value,
    )
