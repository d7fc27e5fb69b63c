"""The chapters' first cell as Colab, or any copy of a chapter on its own, runs it.

Where bpcore is missing, the cell installs it from the book's repository, or stops with
a message that says in plain words what to do. Both are tried offline, in a Python that
has the test environment's packages but not bpcore: the install from a local
``file://`` repository with pip's package index switched off, the failure from a
folder that is no repository.
"""

import os
import re
import subprocess
import sys
import sysconfig
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAPTER = ROOT / "chapters" / "01_gradient_descent.ipynb"
REPOSITORY = re.compile(r'REPOSITORY = "[^"]*"')


@pytest.fixture
def python_without_bpcore(tmp_path):
    """A virtual environment's interpreter that sees this environment's packages (numpy,
    pip, setuptools) through a path in a .pth file, but not bpcore: its editable install
    is activated by a .pth file of its own, which a plain path line does not process."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                          capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "test_environment.pth").write_text(sysconfig.get_path("purelib") + "\n")
    probe = subprocess.run([python, "-c", "import bpcore"], cwd=tmp_path, capture_output=True)
    assert probe.returncode != 0, "bpcore is importable before the cell runs: the test is void"
    return python


def bootstrap_cell(repository):
    """The first cell of a chapter, installing from ``repository`` instead."""
    source = nbformat.read(CHAPTER, as_version=4).cells[0].source
    assert REPOSITORY.search(source), "the bootstrap cell no longer names REPOSITORY"
    return REPOSITORY.sub(f'REPOSITORY = "{repository}"', source)


def run(python, code, cwd):
    """Run ``code`` offline: no package index, and bpcore built with the setuptools
    already installed (PIP_NO_BUILD_ISOLATION=0 turns build isolation off)."""
    env = {**os.environ, "PIP_NO_INDEX": "1", "PIP_NO_BUILD_ISOLATION": "0"}
    return subprocess.run([python, "-c", code], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


def test_bootstrap_installs_bpcore_from_the_repository(python_without_bpcore, tmp_path):
    code = bootstrap_cell(ROOT.as_uri()) + "\nimport bpcore\nprint(bpcore.__file__)\n"
    result = run(python_without_bpcore, code, tmp_path)
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()).is_relative_to(tmp_path / "venv"), result.stdout


def test_bootstrap_says_what_to_do_when_the_install_fails(python_without_bpcore, tmp_path):
    nowhere = tmp_path / "not-a-repository"
    nowhere.mkdir()
    result = run(python_without_bpcore, bootstrap_cell(nowhere.as_uri()), tmp_path)
    assert result.returncode == 1
    message = result.stderr
    assert "Traceback" not in message, message
    assert (f"This chapter needs bpcore, the book's Python package, and it could not be "
            f"installed from {nowhere.as_uri()}") in message
    assert "(pip said: fatal: " in message, message  # git's own reason
    for advice in ("run this cell again", "python -m pip install -r requirements.txt",
                   "jupyter lab", "HTML pages"):
        assert advice in message
