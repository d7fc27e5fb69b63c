"""Shared by the tests: the book's local Sphinx extensions in _ext/ import as in the build
(Jupyter Book puts that folder on sys.path), so tests use the same checks the build runs."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "_ext"))
