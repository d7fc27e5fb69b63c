"""The browser that prints the book and runs its browser tests: Debian's Chromium.

Playwright's own browsers are never downloaded; every launch uses this executable with
these arguments. Standard library only, so the test suite's shared fixtures can import
it in an environment without the book's build tools.
"""

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
