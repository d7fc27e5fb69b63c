"""Tests of bpcore.neural_flow: the HTML it writes is whole, self-contained, rounded and stable.

What the script does in a browser is tested on the built book (test_book_browser.py).
"""

import copy
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from importlib.resources import files
from urllib.parse import unquote

import numpy as np
import pytest

import bpcore
from bpcore.neural_flow import EDGE_WIDTHS, GRADIENT_DECADES, LEVELS, NeuralFlow

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def recorder():
    """XOR learnt by a 2-3-1 sigmoid network, recorded every 50 epochs for all four samples."""
    X, y = bpcore.xor()
    t = y.reshape(-1, 1).astype(float)
    model = bpcore.MLP([2, 3, 1], activation="sigmoid", seed=0)
    loss = bpcore.BCEWithLogitsLoss()
    recorder = bpcore.SnapshotRecorder(model, loss, X, t, [0, 1, 2, 3], every=50)
    bpcore.fit(model, loss, bpcore.SGD(model.parameters(), lr=2.0), X, t, epochs=400,
               progress=recorder)
    return recorder


class Elements(HTMLParser):
    """Every start tag with its attributes, the text of each script, and the tags left open."""

    VOID = {"img", "input", "br", "meta", "link"}

    def __init__(self, text):
        super().__init__()
        self.tags, self.scripts, self.open = [], [], []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        assert self.open and self.open[-1] == tag, f"</{tag}> closes <{self.open[-1:]}>"
        self.open.pop()

    def handle_data(self, data):
        if self.open and self.open[-1] == "script":
            self.scripts.append(data)


def parts(view):
    """The view's parsed HTML, its data, and its two stills as SVG element trees."""
    elements = Elements(view.html)
    assert not elements.open, f"unclosed tags {elements.open}"
    (script,) = elements.scripts
    data = json.loads(re.search(r"parentElement, (\{.*\})\);", script, re.S)[1])
    stills = [ET.fromstring(unquote(attrs["src"].split(",", 1)[1]))
              for tag, attrs in elements.tags if tag == "img"]
    return elements, script, data, stills


def test_the_html_is_whole_and_requests_nothing(recorder):
    view = NeuralFlow(recorder)
    elements, script, _, stills = parts(view)
    for tag, attrs in elements.tags:
        for name in ("src", "href"):
            assert attrs.get(name, "data:").startswith("data:"), f"<{tag} {name}={attrs[name]!r}>"
        assert tag not in {"link", "iframe"}, tag
    urls = set(re.findall(r"https?://[^\s\"')]+", unquote(view.html)))  # the stills decoded
    assert urls == {"http://www.w3.org/2000/svg"}, urls  # a namespace, never fetched
    for call in ("fetch(", "import(", "XMLHttpRequest", ".src =", "createElement(\"script"):
        assert call not in script
    assert (files("bpcore") / "neural_flow.js").read_text() in script
    assert [still.tag for still in stills] == [f"{SVG}svg", f"{SVG}svg"]


def test_the_still_draws_every_weight_and_unit_at_the_starting_epoch(recorder):
    for start in (0, -1):
        view = NeuralFlow(recorder, start=start)
        _, _, data, (network, curve) = parts(view)
        snapshot = recorder.snapshots[start]
        weights = np.concatenate([w.ravel() for w in snapshot.weights])
        edges = [e for e in network.iter(f"{SVG}line") if "nf-key" not in e.get("class")]
        assert len(edges) == weights.size == 2 * 3 + 3 * 1
        low, high = EDGE_WIDTHS
        widths = [float(e.get("stroke-width")) for e in edges]
        np.testing.assert_allclose(widths, low + (high - low) * np.abs(weights) / data["wScale"],
                                   atol=0.06 + (high - low) / LEVELS)
        assert [("nf-pos" in e.get("class")) for e in edges] == list(weights >= 0)
        units = [c for c in network.iter(f"{SVG}circle") if c.get("class") == "nf-unit"]
        assert len(units) == 2 + 3 + 1
        (cursor,) = [c for c in curve.iter(f"{SVG}circle") if c.get("class") == "nf-marker"]
        assert [float(cursor.get("cx")), float(cursor.get("cy"))] == data["cursor"][start]


def test_the_data_is_rounded_to_hundredths_of_each_scale(recorder):
    _, _, data, _ = parts(NeuralFlow(recorder))
    assert data["epochs"] == [0, 50, 100, 150, 200, 250, 300, 350, 400]
    assert len(data["frames"]) == len(recorder.snapshots)
    for frame, snapshot in zip(data["frames"], recorder.snapshots, strict=True):
        values = [*frame["w"], *sum(frame["a"], []), *sum(frame["g"], [])]
        assert all(isinstance(v, int) and -LEVELS <= v <= LEVELS for v in values)
        weights = np.concatenate([w.ravel() for w in snapshot.weights])
        np.testing.assert_allclose(np.array(frame["w"]) / LEVELS * data["wScale"], weights,
                                   atol=0.5 * data["wScale"] / LEVELS + 0.01)
        grads = np.concatenate([g.reshape(4, -1) for g in snapshot.gradients], axis=1)
        with np.errstate(divide="ignore"):
            bright = np.clip(1 + np.log10(np.abs(grads) / data["gScale"]) / GRADIENT_DECADES, 0, 1)
        np.testing.assert_allclose(np.array(frame["g"]) / LEVELS, bright, atol=0.5 / LEVELS + 1e-9)
    # the inputs (0 or 1) are exact; the outputs are logits
    assert data["frames"][0]["a"][3][:2] == [LEVELS, LEVELS]


def test_last_bit_differences_leave_the_output_unchanged(recorder):
    """What another BLAS kernel changes (the last bits) does not reach the stored output."""
    nudged = copy.copy(recorder)
    rng = np.random.default_rng(0)

    def nudge(arrays):
        return [a * (1 + 1e-13 * rng.standard_normal(a.shape)) for a in arrays]

    nudged.snapshots = [
        bpcore.Snapshot(s.epoch, s.loss * (1 + 1e-13), nudge(s.weights), nudge(s.activations),
                        nudge(s.gradients))
        for s in recorder.snapshots]
    assert NeuralFlow(nudged).html == NeuralFlow(recorder).html


def test_names_scale_and_repr(recorder):
    view = NeuralFlow(recorder, input_names=["x₁", "x₂"], output_names=["<logit>"],
                      sample_names=["a", "b", "c", "d"], gradient_scale=2.0, title="XOR")
    elements, _, data, (network, _) = parts(view)
    texts = [t.text for t in network.iter(f"{SVG}text")]
    assert {"x₁", "x₂", "<logit>", "input", "hidden · Sigmoid", "output"} <= set(texts)
    assert data["samples"] == ["a", "b", "c", "d"] and data["gScale"] == 2.0
    assert '<p class="nf-title">XOR</p>' in view.html
    assert repr(view) == "NeuralFlow: 2-3-1 network, 9 snapshots to epoch 400, 4 samples"
    assert view._repr_html_() == view.html == NeuralFlow(
        recorder, input_names=["x₁", "x₂"], output_names=["<logit>"],
        sample_names=["a", "b", "c", "d"], gradient_scale=2.0, title="XOR").html
    assert 'html[data-theme="dark"] .text_html>.neural-flow{--nf-forward:' in view.html
    assert "Run this cell" in view.html  # what a reader whose notebook cannot run it sees


def test_bad_arguments_are_refused_with_what_is_wrong(recorder):
    with pytest.raises(ValueError, match="start must index the 9 snapshots"):
        NeuralFlow(recorder, start=9)
    with pytest.raises(bpcore.ShapeError, match="3 input names for 2 inputs"):
        NeuralFlow(recorder, input_names=["a", "b", "c"])
    with pytest.raises(bpcore.ShapeError, match="2 sample names for 4 samples"):
        NeuralFlow(recorder, sample_names=["a", "b"])
    with pytest.raises(ValueError, match="gradient_scale must be a positive"):
        NeuralFlow(recorder, gradient_scale=0)
    diverged = copy.copy(recorder)
    last = recorder.snapshots[-1]
    diverged.snapshots = [*recorder.snapshots[:-1], bpcore.Snapshot(
        last.epoch, float("nan"), last.weights, last.activations, last.gradients)]
    with pytest.raises(ValueError, match="epoch 400 holds inf or NaN"):
        NeuralFlow(diverged)
