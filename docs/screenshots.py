"""Refresh the README's screenshots: ``.venv/bin/python docs/screenshots.py``.

The browser tests take them as they go; this runs those tests with
``GATEWAY_SCREENSHOTS`` pointing here, so the pictures in the README are always
of pages that a passing test has just checked.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    env = {**os.environ, "GATEWAY_SCREENSHOTS": str(ROOT / "docs" / "screenshots")}
    command = [sys.executable, "-m", "pytest", "-q", "tests/browser"]
    return subprocess.run(command, cwd=ROOT, env=env, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
