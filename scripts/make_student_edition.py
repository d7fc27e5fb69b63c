"""Write the student edition: the chapters without solutions, with the checks in place.

    python scripts/make_student_edition.py [--out DIR]

writes each chapter to ``DIR/chapters`` (``DIR`` is ``_build/student`` unless given) and
all of them, with the licences and a note for students, to
``DIR/backprop-book-student.zip``: the notebooks a teacher hands out. The book's build
puts the same zip in the built book. What is removed and what stays:
``_ext/student_edition.py``.
"""

import argparse
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))

from student_edition import NAME, write_edition  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = ROOT / "_build" / "student"
    parser.add_argument("--out", type=Path, default=default,
                        help=f"the folder to write to (default {default})")
    out = parser.parse_args().out
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    notebooks = write_edition(out, config["title"], config["repository"]["url"])
    for name, notebook in notebooks.items():
        print(f"{name}: {len(notebook.cells)} cells")
    print(f"wrote {len(notebooks)} notebooks to {out / 'chapters'} and {out / NAME}")


if __name__ == "__main__":
    main()
