"""Entry point of the frozen (PyInstaller) build: the same main() as the `evidence-app` script."""

import sys

from evidence_app.cli import main

if __name__ == "__main__":
    sys.exit(main())
