"""Writing the PyTorch reference files under ``tests/data/`` (for the ``make_*_reference``
scripts): compact JSON, read back and compared before the script reports success."""

import json


def write_reference(reference, output, torch_version):
    """Write ``reference`` to ``output`` and check that it reads back bit for bit."""
    text = json.dumps(reference, separators=(",", ":"), allow_nan=False)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text + "\n")
    assert json.loads(output.read_text()) == reference, "JSON round trip is not exact"
    print(f"wrote {output} ({output.stat().st_size} bytes, torch {torch_version})")
