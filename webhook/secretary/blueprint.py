"""The blueprint at /sekreterare/, its templates (package data) and what every view shares.

The views live in ``auth``, ``oidc``, ``pages``, ``actions`` and ``downloads``, the error
pages in ``errors``; each decorates ``bp``. ``page()`` is what they get from the app: the
settings and the context.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from flask import Blueprint, abort, current_app
from flask_wtf.csrf import CSRFProtect
from jinja2 import PackageLoader

from besoksrapport.outbox.context import Context
from besoksrapport.swedish import long_date, long_datetime, quantity

from ..service import Service
from .settings import PageSettings

EXTENSION = "besoksrapport.secretary"

bp = Blueprint("secretary", __name__, url_prefix="/sekreterare", static_folder="static",
               static_url_path="/static")
# Read through the package (importlib), so an installed wheel finds its templates.
bp.jinja_loader = PackageLoader(__package__, "templates")
csrf = CSRFProtect()


@dataclass
class Page:
    settings: PageSettings
    service: Service
    env: Mapping[str, str]  # the service's environment, for the exports' processes

    @property
    def ctx(self) -> Context:
        return self.service.ctx


def page() -> Page:
    state: Page = current_app.extensions[EXTENSION]
    return state


def meeting_day(text: str) -> dt.date:
    """A date from the address (YYYY-MM-DD); anything else is a 404."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        abort(404)


@bp.context_processor
def _names() -> dict[str, str]:
    return {"committee_name": page().ctx.committee.name}


@bp.app_template_filter("long_date")
def _long_date(day: dt.date) -> str:
    return long_date(day)


@bp.app_template_filter("long_datetime")
def _long_datetime(moment: dt.datetime) -> str:
    return long_datetime(moment)


@bp.app_template_global("count")
def _count(number: int, singular: str, plural: str) -> str:
    return quantity(number, singular, plural)
