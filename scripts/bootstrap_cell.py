import importlib.util

if importlib.util.find_spec("bpcore") is None:  # e.g. on Colab: install it
    import subprocess
    import sys

    REPOSITORY = "{repository}"
    install = [sys.executable, "-m", "pip", "install", "--quiet"]
    pip = subprocess.run(
        [*install, "--no-color", f"git+{REPOSITORY}"],
        capture_output=True,
        text=True,
    )
    if pip.returncode:
        said = [line.strip() for line in pip.stderr.splitlines()]
        said = [line for line in said if line]
        errors = [
            line for line in said if line.startswith(("ERROR", "fatal:"))
        ]
        reason = (errors or said)[-1]
        raise SystemExit(
            "This chapter needs bpcore, the book's Python package, and it "
            f"could not be installed from {REPOSITORY}\n"
            f"(pip said: {reason}).\n\n"
            "What you can do:\n"
            "- Online (Colab, Binder): make sure the notebook can reach "
            "the internet, then run this cell again.\n"
            "- On your computer: download the repository, and in its "
            "folder run\n"
            "      python -m pip install -r requirements.txt\n"
            "  then open the chapter with: jupyter lab\n"
            "- Or read the chapter, every result already computed, in the "
            "book's HTML pages, which need no Python."
        )
