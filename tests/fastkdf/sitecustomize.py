"""Run at start-up by Python processes the test suite starts (this folder is on PYTHONPATH)."""

import fastkdf

fastkdf.apply()
