"""bpcore as pip installs it: the wheel holds every module and file of the package."""

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = {".py", ".js", ".css", ".json"}


def test_the_wheel_holds_every_file_of_the_package(tmp_path):
    """A new subpackage or a .js file beside a module must not go missing from an install."""
    source = tmp_path / "source"  # a copy, so the build leaves nothing in the repository
    shutil.copytree(ROOT / "bpcore", source / "bpcore",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w",
                    str(tmp_path), str(source)], check=True)
    (wheel,) = tmp_path.glob("bpcore-*.whl")
    in_wheel = {name for name in zipfile.ZipFile(wheel).namelist()
                if name.startswith("bpcore/")}
    in_repository = {path.relative_to(ROOT).as_posix()
                     for path in (ROOT / "bpcore").rglob("*")
                     if path.suffix in SHIPPED and "__pycache__" not in path.parts}
    assert "bpcore/examples/landscapes.py" in in_repository
    assert in_repository <= in_wheel, sorted(in_repository - in_wheel)
