"""Tests of bpcore.widgets: the frames, the explorer's structure and its links, what it shows
where widgets cannot be shown, the errors."""

import base64

import ipywidgets
import pytest
from IPython.core.formatters import DisplayFormatter

from bpcore.widgets import explorer, render_frames, with_fallback

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def draw_text(fig, **values):
    """Write the slider values as text, so every combination gives a different image."""
    fig.text(0.1, 0.5, " ".join(f"{name}={value}" for name, value in values.items()))


def links():
    """Every jslink in the widget state a notebook would store, as (source, target) pairs."""
    state = ipywidgets.Widget.get_manager_state(drop_defaults=False)["state"]
    return {(tuple(model["state"]["source"]), tuple(model["state"]["target"]))
            for model in state.values() if model["model_name"] == "LinkModel"}


def ref(widget, trait):
    """How the stored widget state refers to ``widget.trait``."""
    return (f"IPY_MODEL_{widget.model_id}", trait)


def readouts(slider):
    """The texts a SelectionSlider shows for its values."""
    return [label for label, _ in slider.options]


def test_render_frames_one_per_combination_first_slider_outer():
    frames = render_frames(draw_text, {"a": [1, 2, 3], "b": ["x", "y"]})
    assert len(frames) == 6
    assert all(frame.startswith(b"\x89PNG") for frame in frames)
    assert frames[3] == render_frames(draw_text, {"a": [2], "b": ["y"]})[0]
    assert len(set(frames)) == 6


def test_render_frames_is_deterministic_and_sized():
    frames = render_frames(draw_text, {"a": [0.5]}, figsize=(2, 1), dpi=50)
    assert frames == render_frames(draw_text, {"a": [0.5]}, figsize=(2, 1), dpi=50)
    assert int.from_bytes(frames[0][16:20], "big") == 100  # PNG header width in pixels
    assert int.from_bytes(frames[0][20:24], "big") == 50
    assert b"Software" not in frames[0]


def test_render_frames_starts_each_frame_from_an_empty_figure():
    def draw(fig, a):
        assert not fig.axes
        fig.add_subplot().plot([0, a])

    assert len(render_frames(draw, {"a": [1, 2]})) == 2


def test_one_slider_explorer_shows_the_initial_frame_and_is_linked():
    values = [0.01, 0.1, 1.0]
    box = explorer(draw_text, {"lr": values}, labels={"lr": "learning rate η"},
                   formats={"lr": "{:.2f}"}, initial={"lr": 0.1})
    slider, stack = box.children
    assert isinstance(slider, ipywidgets.SelectionSlider)
    assert isinstance(stack, ipywidgets.Stack)
    assert "bpcore-explorer" in box._dom_classes
    assert slider.description == "learning rate η"
    assert readouts(slider) == ["0.01", "0.10", "1.00"]
    assert slider.value == 0.1 and slider.index == 1 and stack.selected_index == 1
    assert len(stack.children) == 3
    for value, image in zip(values, stack.children, strict=True):
        assert image.value == render_frames(draw_text, {"lr": [value]})[0]
    assert (ref(slider, "index"), ref(stack, "selected_index")) in links()


def test_a_slider_row_wraps_rather_than_cutting_its_readout_off():
    """On a phone (390 px) "activation / init", its slider and the readout "sigmoid /
    Xavier" did not fit in one row and the readout was cut off: the row may wrap, the
    readout then under the slider's right end, and grows to hold its second line."""
    box = explorer(draw_text, {"a": [1, 2], "b": ["sigmoid / Xavier", "ReLU / too large"]})
    for slider in box.children[:2]:
        assert slider.layout.flex_flow == "row wrap"
        assert slider.layout.justify_content == "flex-end"
        assert slider.layout.height == "auto"
        assert (slider.layout.width, slider.layout.max_width) == ("32em", "100%")


def test_callable_format_and_default_readout():
    box = explorer(draw_text, {"a": [0.30000000000000004, 2]}, formats={"a": lambda v: f"<{v}>"})
    assert readouts(box.children[0]) == ["<0.30000000000000004>", "<2>"]
    box = explorer(draw_text, {"a": [0.30000000000000004, 2], "b": ["up", "down"]})
    assert [readouts(s) for s in box.children[:2]] == [["0.3", "2"], ["up", "down"]]
    assert [s.description for s in box.children[:2]] == ["a", "b"]


def test_two_slider_explorer_nests_stacks_and_links_each_inner_one():
    a, b = [1, 2, 3], ["x", "y"]
    box = explorer(draw_text, {"a": a, "b": b}, initial={"a": 3, "b": "y"})
    first, second, outer = box.children
    assert outer.selected_index == 2
    assert len(outer.children) == 3
    assert (ref(first, "index"), ref(outer, "selected_index")) in links()
    for i, inner in enumerate(outer.children):
        assert isinstance(inner, ipywidgets.Stack)
        assert inner.selected_index == 1
        assert (ref(second, "index"), ref(inner, "selected_index")) in links()
        for j, image in enumerate(inner.children):
            assert image.value == render_frames(draw_text, {"a": [a[i]], "b": [b[j]]})[0]


def displayed(widget):
    """The mime bundle IPython sends to the front end for ``widget``."""
    data, _ = DisplayFormatter().format(widget)
    return data


@pytest.mark.parametrize("sliders, initial, frame", [
    ({"lr": [0.01, 0.1, 1.0]}, {"lr": 0.1}, 1),
    ({"a": [1, 2, 3], "b": ["x", "y"]}, {"a": 3, "b": "x"}, 4),
    ({"a": [1, 2, 3], "b": ["x", "y"]}, {}, 0),
])
def test_explorer_shows_its_starting_figure_where_widgets_cannot_be(sliders, initial, frame):
    labels = {"lr": "rate η"} if "lr" in sliders else {}
    data = displayed(explorer(draw_text, sliders, initial=initial, labels=labels))
    assert WIDGET_VIEW in data  # the book and a trusted notebook show the widget
    assert base64.b64decode(data["image/png"]) == render_frames(draw_text, sliders)[frame]
    shown = {**{name: values[0] for name, values in sliders.items()}, **initial}
    assert data["text/plain"] == ("explorer at " + ", ".join(
        f"{labels.get(name, name)} = {value}" for name, value in shown.items())
        + "\n(its slider needs a widget view)")


def test_the_explorers_text_fits_the_books_76_columns():
    labels = {"depth": "hidden layers", "setup": "activation / init"}
    sliders = {"depth": [10], "setup": ["sigmoid / Xavier"]}
    text = displayed(explorer(draw_text, sliders, labels=labels))["text/plain"]
    assert text == ("explorer at hidden layers = 10, activation / init = sigmoid / Xavier\n"
                    "(its slider needs a widget view)")
    sliders = {"a": [0.123456789], "b": ["a very long value " * 4]}
    lines = displayed(explorer(draw_text, sliders))["text/plain"].splitlines()
    assert len(lines) == 3 and max(map(len, lines)) <= 76


def test_with_fallback_replaces_the_repr_and_keeps_the_widget():
    bar = ipywidgets.IntProgress(max=5)
    assert with_fallback(bar, "a progress bar") is bar
    data = displayed(bar)
    assert data["text/plain"] == "a progress bar" and "image/png" not in data
    assert data[WIDGET_VIEW]["model_id"] == bar.model_id


@pytest.mark.parametrize("sliders, message", [
    ({}, "sliders is empty"),
    ({"a": []}, "slider 'a' has no values"),
    ({"a": [1], "b": [2], "c": [3]}, "at most two sliders are supported, got 3: a, b, c"),
    ({"a": [1, 2, 1]}, "slider 'a' has the value 1 twice"),
])
def test_bad_sliders(sliders, message):
    with pytest.raises(ValueError, match=message):
        render_frames(draw_text, sliders)
    with pytest.raises(ValueError, match=message):
        explorer(draw_text, sliders)


def test_draw_must_be_callable():
    with pytest.raises(ValueError, match="draw must be callable"):
        render_frames("plot", {"a": [1]})
    with pytest.raises(ValueError, match="draw must be callable"):
        explorer(None, {"a": [1]})


@pytest.mark.parametrize("option", ["labels", "formats", "initial"])
def test_unknown_slider_names(option):
    with pytest.raises(ValueError, match=f"{option} names unknown slider.*'eta'.*are 'lr'"):
        explorer(draw_text, {"lr": [1, 2]}, **{option: {"eta": 1}})


def test_initial_value_must_be_on_the_grid():
    with pytest.raises(ValueError, match=r"initial value 0.3 of slider 'lr' is not among its "
                                         r"values \[0.1, 0.2\]"):
        explorer(draw_text, {"lr": [0.1, 0.2]}, initial={"lr": 0.3})
