"""Evidence Locker: collect, preserve and seal evidence of online crime."""

__version__ = "0.1.0"
APP_NAME = "Evidence Locker"
APP_ID = "evidence-app"
