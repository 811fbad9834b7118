"""The web app: `create_app()` for `linkvet serve`, uvicorn and the tests."""

from __future__ import annotations

from pathlib import Path
from typing import Final

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

from linkvet import __version__
from linkvet.web import admin, api_cases, api_v1, learning, pages, signin, triage
from linkvet.web.checking import CheckService
from linkvet.web.errors import install_error_handlers
from linkvet.web.rendering import page_error
from linkvet.web.retention import RetentionTimer, erase_expired
from linkvet.web.security import BodySizeLimit, SecurityHeaders
from linkvet.web.settings import WebSettings

DESCRIPTION = """Check a contact from a professional or social network, see why it was rated as
it was, report it to your security team, and learn the signs. linkvet rates risk and shows
evidence; it never claims certainty. Every error has the same envelope:
`{"error": {"code", "message", "details"}}`."""


# Every route the app serves, with the prefix it is served under (the tests walk this list).
ROUTERS: Final[tuple[tuple[APIRouter, str], ...]] = (
    (api_v1.router, "/api/v1"),
    (api_cases.router, "/api/v1"),
    (learning.api, "/api/v1"),
    (learning.pages, ""),
    (pages.router, ""),
    (signin.router, ""),
    (triage.router, ""),
    (admin.router, ""),
)


def create_app(settings: WebSettings | None = None) -> FastAPI:
    settings = settings or WebSettings()

    from linkvet.store import open_store

    app = FastAPI(
        title="linkvet",
        version=__version__,
        description=DESCRIPTION,
        # The interactive docs load scripts from a CDN: not offline, and against our CSP.
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.settings = settings
    app.state.secret = settings.secret_key()
    app.state.checks = CheckService(settings)
    app.state.store = open_store(settings.store_url)
    # Cases past their organisation's retention go when the server starts, and hourly.
    erase_expired(app.state.store, settings)
    app.state.retention = RetentionTimer(app.state.store, settings)
    app.state.retention.start()
    for router, prefix in ROUTERS:
        app.include_router(router, prefix=prefix)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    install_error_handlers(app, page_error)
    app.add_middleware(BodySizeLimit, limit=settings.max_upload_bytes)
    app.add_middleware(SecurityHeaders)
    return app


def close_app(app: FastAPI) -> None:
    """Close the app's stores. Not tied to the ASGI lifespan, which some test transports run
    around every single request; a server process simply ends."""
    app.state.retention.stop()
    app.state.checks.close()
    app.state.store.close()


def openapi_document() -> dict[str, object]:
    """The published OpenAPI document of /api/v1 (docs/openapi.json), from a throw-away app."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        app = create_app(WebSettings(var_dir=Path(folder), database_url=None))
        document = app.openapi()
        close_app(app)
    return document
