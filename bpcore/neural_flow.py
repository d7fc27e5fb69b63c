"""Neural Flow: a network drawn as it learns, in one self-contained output.

``NeuralFlow(recorder)`` draws the snapshots a :class:`SnapshotRecorder`
took during training: the units in layers, each weight an edge whose
width is its size ``|w|`` and whose colour its sign, each unit filled as
strongly as its activation for the chosen sample. Played, blue pulses
carry the forward pass from the inputs to the outputs (their size
``|a_i w_ij|``, what each edge passes on), then red pulses carry the
gradient back, their brightness ``|∂L_s/∂w_ij|`` on a logarithmic scale,
and come to rest on their weights. A slider steps through the epochs, the
loss curve beside the network marks the current one, and a menu picks the
sample.

The output is HTML with the drawing as an SVG still (of the starting epoch)
and a small script (``neural_flow.js``, beside this module) that plays it:
it needs no kernel and makes no request, so it works in the built book,
also from disk. Where scripts in outputs do not run (a notebook JupyterLab
does not trust yet), the still is shown with a line saying so.

The numbers are rounded to what the eye can see (hundredths of each scale),
which keeps the output small and the same on every machine.
"""

import html
import json
from functools import cache
from importlib.resources import files

import numpy as np

from .checks import ShapeError, check_positive
from .layers import Linear
from .plots.style import GRADIENT_COLOR, VALUE_COLOR, true_minus

#: Edge widths (SVG px) of a zero weight and of the largest one.
EDGE_WIDTHS = (0.4, 7.0)
#: Red pulses span this many decades of ``|∂L/∂w|`` below the largest.
GRADIENT_DECADES = 4
#: Seconds of one forward and backward pass of pulses.
CYCLE_SECONDS = 1.8
#: Where a red pulse comes to rest on its edge: 0 the source, 1 the target.
REST = 0.3
#: The rounding: every value an integer, in hundredths of its scale (a
#: hundredth of the widest edge is 0.07 px).
LEVELS = 100

#: The colours, as CSS variables the dark theme overrides.
COLORS = {
    "forward": VALUE_COLOR,
    "backward": GRADIENT_COLOR,
    "positive": "#1b9e77",
    "negative": "#7570b3",
    "text": "#222222",
    "axis": "#777777",
    "halo": "#ffffff",
}
DARK_COLORS = {
    "forward": "#7fa9ff",
    "backward": "#ff7b6e",
    "positive": "#3fcf9f",
    "negative": "#aaa5ff",
    "text": "#dddddd",
    "axis": "#999999",
    "halo": "#121212",
}


class NeuralFlow:
    """The training run a ``SnapshotRecorder`` recorded, drawn to be played.

    ``input_names`` and ``output_names`` label the input and output units;
    ``sample_names`` the samples the recorder followed (default: their
    inputs). ``start`` is the snapshot shown first (0, before training, by
    default; -1 the last), also in the still. ``gradient_scale`` is the
    ``|∂L/∂w|`` drawn brightest (default: the largest in the run); give two
    views the same one to compare them.

    Taught in :doc:`/chapters/05_backward_pass`.
    """

    def __init__(
        self,
        recorder,
        *,
        input_names=None,
        output_names=None,
        sample_names=None,
        start=0,
        gradient_scale=None,
        title=None,
    ):
        snapshots = list(recorder.snapshots)
        sizes = [a.shape[1] for a in snapshots[0].activations]
        self.sizes = sizes
        self.snapshots = snapshots
        self.activations = _hidden_activations(recorder.layers)
        samples = len(recorder.samples)
        self.input_names = _names(input_names, sizes[0], "input", "x")
        self.output_names = _names(output_names, sizes[-1], "output", "y")
        if sample_names is None:
            sample_names = [
                "x = (" + ", ".join(f"{v:.3g}" for v in x) + ")"
                for x in snapshots[0].activations[0]
            ]
        self.sample_names = _names(sample_names, samples, "sample", None)
        if not isinstance(start, int) or not (
            -len(snapshots) <= start < len(snapshots)
        ):
            raise ValueError(
                f"start must index the {len(snapshots)} snapshots, got "
                f"{start!r}"
            )
        self.start = start % len(snapshots)
        for snapshot in snapshots:
            _check_finite(snapshot)
        if gradient_scale is not None:
            check_positive(gradient_scale, "gradient_scale")
        self.data = _frames(snapshots, gradient_scale)
        self.title = title
        self.html = self._render()

    def __repr__(self):
        return (
            f"NeuralFlow: {'-'.join(map(str, self.sizes))} network, "
            f"{len(self.snapshots)} snapshots to epoch "
            f"{self.snapshots[-1].epoch}, {len(self.sample_names)} samples"
        )

    def _repr_html_(self):
        return self.html

    def _render(self):
        epoch = self.snapshots[self.start].epoch
        cursor, curve = self._loss_svg()
        data = dict(
            self.data,
            cursor=cursor,
            samples=self.sample_names,
            sizes=self.sizes,
            start=self.start,
            values=self._shows_values(),
            widths=EDGE_WIDTHS,
            cycle=CYCLE_SECONDS,
            rest=REST,
            levels=LEVELS,
        )
        # (a "</" in the data would end the script element early)
        payload = json.dumps(data, separators=(",", ":")).replace(
            "</", r"<\/"
        )
        title = (
            f'<p class="nf-title">{html.escape(self.title)}</p>'
            if self.title
            else ""
        )
        alt = html.escape(f"{self!r}, drawn at epoch {epoch}")
        return (
            f'<div class="neural-flow"><style>{_css()}</style>{title}'
            '<div class="nf-figures">'
            f'<img class="nf-still nf-network" alt="{alt}" '
            f'src="{_data_uri(self._network_svg())}">'
            '<img class="nf-still nf-curve" alt="the training loss" '
            f'src="{_data_uri(curve)}"></div>{self._legend()}'
            f'<p class="nf-note">A still of epoch {epoch}. Run this cell '
            "(or trust the notebook) to play the flow.</p>"
            f"<script>(function () {{\n{_script()}\n"
            "neuralFlow(document.currentScript.parentElement, "
            f"{payload});\n}})();</script></div>"
        )

    # --- the drawing ----------------------------------------------------

    def _shows_values(self):
        """Whether units are few enough to print their values inside."""
        return max(self.sizes) <= 6 and len(self.sizes) <= 5

    def _layout(self):
        """Unit centres (x, y) per layer, the unit radius, the SVG size."""
        columns = len(self.sizes)
        width = min(600, max(360, 150 + 105 * (columns - 1)))
        margin = 60
        spacing = 46 if max(self.sizes) <= 6 else 30
        height = max(130, spacing * max(self.sizes) + 50)
        dx = (width - 2 * margin) / (columns - 1)
        centres = []
        for column, size in enumerate(self.sizes):
            top = (height - 24) / 2 - spacing * (size - 1) / 2
            centres.append(
                [
                    (round(margin + column * dx), round(top + spacing * k))
                    for k in range(size)
                ]
            )
        radius = min(15, spacing * 0.32, dx * 0.16)
        return centres, radius, width, height

    def _edges(self, centres):
        """(x1, y1, x2, y2) of every edge, in the order of the data."""
        return [
            (x1, y1, x2, y2)
            for sources, targets in zip(centres, centres[1:], strict=False)
            for x1, y1 in sources
            for x2, y2 in targets
        ]

    def _network_svg(self):
        """The network at the starting snapshot, for its first sample."""
        centres, radius, width, height = self._layout()
        frame = self.data["frames"][self.start]
        edges = self._edges(centres)
        parts = []
        for (x1, y1, x2, y2), q in zip(edges, frame["w"], strict=True):
            sign = "nf-pos" if q >= 0 else "nf-neg"
            parts.append(
                f'<line class="nf-edge {sign}" x1="{x1}" y1="{y1}" '
                f'x2="{x2}" y2="{y2}" '
                f'stroke-width="{_width(q):.1f}"/>'
            )
        for (x1, y1, x2, y2), q in zip(edges, frame["g"][0], strict=True):
            s = q / LEVELS
            parts.append(
                f'<circle class="nf-rest" cx="{x1 + REST * (x2 - x1):.0f}" '
                f'cy="{y1 + REST * (y2 - y1):.0f}" r="{1 + 3 * s:.1f}" '
                f'fill-opacity="{s:.2f}"/>'
            )
        activations = iter(frame["a"][0])
        for column, scale, digits in zip(
            centres, self.data["aScale"], self.data["aDigits"], strict=True
        ):
            for x, y in column:
                a = next(activations) / LEVELS
                parts.append(
                    f'<circle class="nf-unit" cx="{x}" cy="{y}" '
                    f'r="{radius:.1f}" fill-opacity="{abs(a):.2f}"/>'
                )
                if self._shows_values():
                    parts.append(
                        f'<text class="nf-value" x="{x}" y="{y + 3}">'
                        f"{_number(a * scale, f'.{digits}f')}</text>"
                    )
        for names, column, anchor, shift in (
            (self.input_names, centres[0], "end", -radius - 5),
            (self.output_names, centres[-1], "start", radius + 5),
        ):
            for name, (x, y) in zip(names, column, strict=True):
                parts.append(
                    f'<text text-anchor="{anchor}" x="{x + shift:.0f}" '
                    f'y="{y + 4}">{html.escape(name)}</text>'
                )
        if len(centres) <= 5:
            places = [column[0][0] for column in centres]
            hidden = [
                f"hidden · {kind}" if kind else "hidden"
                for kind in self.activations
            ]
        else:  # too many columns to caption each: the hidden ones once
            places = [centres[0][0][0], width / 2, centres[-1][0][0]]
            kinds = " / ".join(sorted({k for k in self.activations if k}))
            hidden = [f"{len(self.activations)} hidden layers"]
            if kinds:
                hidden[0] += f" · {kinds}"
        captions = ["input", *hidden, "output"]
        for caption, x in zip(captions, places, strict=True):
            parts.append(
                f'<text class="nf-caption" x="{x:.0f}" y="{height - 8}">'
                f"{html.escape(caption)}</text>"
            )
        return _svg(width, height, "".join(parts))

    def _legend(self):
        """What colours and sizes mean, as HTML (it wraps on a phone)."""
        g_scale = self.data["gScale"]
        g_low = g_scale * 10.0**-GRADIENT_DECADES

        def key(kind, text):
            # styled in place: a notebook that strips the view's <style>
            # (JupyterLab, before the notebook is trusted) keeps these
            size = (
                "width:22px;height:4px"
                if kind in ("positive", "negative")
                else "width:9px;height:9px;border-radius:50%"
            )
            swatch = (
                f"display:inline-block;{size};margin-right:5px;"
                f"background-color:{COLORS[kind]};"
                f"background-color:var(--nf-{kind},{COLORS[kind]})"
            )
            return (
                '<span style="display:inline-block;margin-right:1.2em">'
                f'<span style="{swatch}"></span>{text}</span>'
            )

        return (
            '<p class="nf-legend">'
            + key("positive", "w &gt; 0")
            + key(
                "negative",
                "w &lt; 0 (width |w|, up to "
                f"{_number(self.data['wScale'])})",
            )
            + key("forward", "forward pass, activation a")
            + key(
                "backward",
                f"gradient |∂L/∂w| of the sample's loss, log scale "
                f"{_number(g_low)} to {_number(g_scale)}",
            )
            + "</p>"
        )

    def _loss_svg(self):
        """The cursor's (x, y) per snapshot, and the loss curve's SVG."""
        width, height = 270, 170
        left, right, top, bottom = 50, 14, 24, 38
        epochs, losses = self.data["epochs"], self.data["loss"]
        last = max(epochs[-1], 1)
        low, high = min(losses), max(losses)
        logarithmic = low > 0 and high / low > 20
        if not logarithmic:
            low = min(low, 0.0)

        def fy(v):
            return np.log10(v) if logarithmic else v

        span = (fy(high) - fy(low)) or 1.0

        def point(epoch, loss):
            x = left + (width - left - right) * epoch / last
            y = top + (height - top - bottom) * (fy(high) - fy(loss)) / span
            return [round(x, 1), round(y, 1)]

        cursor = [point(e, v) for e, v in zip(epochs, losses, strict=True)]
        line = " ".join(f"{x},{y}" for x, y in cursor)
        x0, y0 = point(0, high)
        x1, y1 = point(last, low)
        cx, cy = cursor[self.start]
        middle = (x0 + x1) / 2
        scale = " (log scale)" if logarithmic else ""

        def label(x, y, text, anchor="middle"):
            return (
                f'<text class="nf-tick" text-anchor="{anchor}" x="{x}" '
                f'y="{y}">{text}</text>'
            )

        body = "".join(
            [
                f'<text class="nf-caption" x="{middle}" y="14">'
                f"training loss{scale}</text>",
                f'<path class="nf-axis" d="M{x0},{y0} V{y1} H{x1}"/>',
                f'<polyline class="nf-loss" points="{line}"/>',
                label(x0 - 4, y0 + 4, _number(high), "end"),
                label(x0 - 4, y1 + 4, _number(low), "end"),
                label(x0, y1 + 15, "0"),
                label(x1, y1 + 15, epochs[-1]),
                label(middle, y1 + 30, "epoch"),
                f'<line class="nf-cursor" x1="{cx}" x2="{cx}" y1="{y0}" '
                f'y2="{y1}"/>',
                f'<circle class="nf-marker" cx="{cx}" cy="{cy}" r="4"/>',
            ]
        )
        return cursor, _svg(width, height, body)


# --- the data the script plays ------------------------------------------


def _frames(snapshots, gradient_scale):
    """The snapshots rounded to integers, in hundredths of each scale.

    Weights in hundredths of the run's largest ``|w|``; each layer's units
    in hundredths of that layer's largest ``|a|``; gradients as their
    brightness, ``1 + log10(|g| / scale) / GRADIENT_DECADES`` clipped to
    [0, 1].
    """
    w_scale = _scale(
        max(np.abs(w).max() for s in snapshots for w in s.weights)
    )
    a_scales = [
        _scale(max(np.abs(s.activations[layer]).max() for s in snapshots))
        for layer in range(len(snapshots[0].activations))
    ]
    g_max = max(np.abs(g).max() for s in snapshots for g in s.gradients)
    g_scale = _scale(
        gradient_scale if gradient_scale is not None else g_max
    )
    frames = []
    for s in snapshots:
        w = np.concatenate([m.ravel() for m in s.weights]) / w_scale
        a = np.concatenate(
            [
                act / scale
                for act, scale in zip(s.activations, a_scales, strict=True)
            ],
            axis=1,
        )
        g = np.concatenate(
            [m.reshape(len(m), -1) for m in s.gradients], axis=1
        )
        with np.errstate(divide="ignore"):
            bright = 1 + np.log10(np.abs(g) / g_scale) / GRADIENT_DECADES
        frames.append(
            {
                "w": _levels(w),
                "a": _levels(a),
                "g": _levels(np.clip(bright, 0, 1)),
            }
        )
    return {
        "epochs": [s.epoch for s in snapshots],
        "loss": [float(f"{s.loss:.3g}") for s in snapshots],
        "wScale": w_scale,
        "aScale": a_scales,
        # decimals that show each layer's values to about a hundredth of
        # its scale (values up to 3: two; up to 30: one)
        "aDigits": [max(0, round(2 - np.log10(a))) for a in a_scales],
        "gScale": g_scale,
        "frames": frames,
    }


def _scale(value):
    """A scale to divide by: ``value`` to 3 significant digits (1 if 0)."""
    value = float(f"{float(value):.3g}")
    return value if value > 0 else 1.0


def _levels(values):
    """``values`` in [-1, 1] as integers in [-LEVELS, LEVELS], as lists."""
    return np.rint(np.clip(values, -1, 1) * LEVELS).astype(int).tolist()


def _check_finite(snapshot):
    arrays = [*snapshot.weights, *snapshot.activations, *snapshot.gradients]
    if not np.isfinite(snapshot.loss) or not all(
        np.isfinite(a).all() for a in arrays
    ):
        raise ValueError(
            f"the snapshot of epoch {snapshot.epoch} holds inf or NaN: the "
            "run diverged; draw a run that trains (a smaller learning rate)"
        )


def _hidden_activations(layers):
    """Each hidden layer's activation class name, or None if it has none."""
    linears = [i for i, m in enumerate(layers) if isinstance(m, Linear)]
    return [
        None
        if isinstance(layers[position - 1], Linear)
        else type(layers[position - 1]).__name__
        for position in linears[1:]
    ]


def _names(names, count, what, prefix):
    if names is None:
        return [f"{prefix}{k + 1}" for k in range(count)]
    names = [str(name) for name in names]
    if len(names) != count:
        raise ShapeError(f"{len(names)} {what} names for {count} {what}s")
    return names


def _width(q):
    """The stroke width of an edge whose weight is ``q`` levels."""
    low, high = EDGE_WIDTHS
    return low + (high - low) * abs(q) / LEVELS


def _number(value, spec=".2g"):
    """``value`` formatted for the drawing, with a true minus sign."""
    return true_minus(format(value, spec))


def _svg(width, height, body):
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} '
        f'{height}" width="{width}" height="{height}" class="nf-svg" '
        'font-family="sans-serif">'
        f"<style>{_svg_css()}</style>{body}</svg>"
    )


#: What a data URI in a double-quoted HTML attribute must escape.
_URI_ESCAPES = str.maketrans({"%": "%25", "&": "%26", "#": "%23"})


def _data_uri(svg):
    """``svg`` as a data URI for a double-quoted ``src`` attribute.

    Attributes are put in single quotes, which need no escaping there.
    """
    svg = svg.replace("'", "&apos;").replace('"', "'")
    return "data:image/svg+xml," + svg.translate(_URI_ESCAPES)


def _svg_css():
    """The SVG's styles, each scoped to it (inlined, they reach the page).

    Colours come from CSS variables, which the dark themes set; the values
    after the commas are the light theme's.
    """
    c = {
        name: f"var(--nf-{name},{value})" for name, value in COLORS.items()
    }
    rules = {
        ".nf-edge": "stroke-linecap:round;stroke-opacity:.75",
        ".nf-pos": f"stroke:{c['positive']}",
        ".nf-neg": f"stroke:{c['negative']}",
        ".nf-unit": f"fill:{c['forward']};stroke:{c['axis']}",
        ".nf-rest": f"fill:{c['backward']}",
        ".nf-pulse-forward": f"fill:{c['forward']}",
        "text": f"fill:{c['text']};font-size:12px",
        ".nf-value": "font-size:9.5px;text-anchor:middle;"
        f"stroke:{c['halo']};stroke-width:2.5px;paint-order:stroke",
        ".nf-caption": "text-anchor:middle",
        ".nf-tick": "font-size:11px",
        ".nf-axis": f"fill:none;stroke:{c['axis']}",
        ".nf-loss": f"fill:none;stroke:{c['text']};stroke-width:1.5",
        ".nf-cursor": f"stroke:{c['backward']};stroke-dasharray:3 3",
        ".nf-marker": f"fill:{c['backward']}",
    }
    return "".join(f".nf-svg {k}{{{v}}}" for k, v in rules.items())


def _css():
    """The page's styles: layout, controls, the dark themes' colours."""
    dark = "".join(
        f"--nf-{name}:{value};" for name, value in DARK_COLORS.items()
    )
    rules = {
        ".nf-figures": "display:flex;flex-wrap:wrap;gap:8px;"
        "align-items:flex-start",
        ".nf-figures>*": "height:auto;max-width:100%",
        ".nf-figures>svg,.nf-figures>img": "flex:0 1 auto",
        ".nf-controls": "display:flex;flex-wrap:wrap;gap:6px 14px;"
        "align-items:center;margin:4px 0",
        ".nf-controls input[type=range]": "width:min(260px,60vw)",
        ".nf-play": "min-width:6.5em",
        ".nf-legend": "font-size:.85em;margin:2px 0",
        ".nf-note": "font-size:.9em;font-style:italic",
        ".nf-title": "font-weight:bold;margin:0",
    }
    return (
        "".join(f".neural-flow {k}{{{v}}}" for k, v in rules.items())
        # the book's dark theme gives HTML outputs a light box (a rule as
        # specific as this one, less one element): lift it; browsers
        # without :has() keep the box and the light colours
        + 'html[data-theme="dark"] .bd-content div.cell_output '
        "div.text_html:has(>div.neural-flow)"
        "{background:transparent;color:inherit}"
        + f'html[data-theme="dark"] .text_html>.neural-flow{{{dark}}}'
        + f'body[data-jp-theme-light="false"] .neural-flow{{{dark}}}'
        + "@media print{.neural-flow .nf-controls{display:none}}"
    )


@cache
def _script():
    """neural_flow.js, which plays the view in the browser."""
    return (files(__package__) / "neural_flow.js").read_text(
        encoding="utf-8"
    )
