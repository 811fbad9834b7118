"""The web app (FastAPI, server-rendered pages and /api/v1); needs the `web` extra."""

from linkvet.web.app import create_app

__all__ = ["create_app"]
