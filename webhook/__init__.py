"""The webhook the e-service platform posts submitted visit reports to.

Production: ``gunicorn --config webhook/gunicorn_conf.py "webhook:create_app()"``.
"""

from .app import create_app

__all__ = ["create_app"]
