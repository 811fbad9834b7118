"""The web app: `create_app()` for `linkvet serve`, uvicorn and the tests."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from linkvet import __version__
from linkvet.web import api_v1, learning, pages
from linkvet.web.checking import CheckService
from linkvet.web.errors import install_error_handlers
from linkvet.web.security import BodySizeLimit, SecurityHeaders
from linkvet.web.settings import WebSettings

DESCRIPTION = """Check a contact from a professional or social network, see why it was rated as
it was, report it to your security team, and learn the signs. linkvet rates risk and shows
evidence; it never claims certainty. Every error has the same envelope:
`{"error": {"code", "message", "details"}}`."""


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
    app.include_router(api_v1.router, prefix="/api/v1")
    app.include_router(learning.api, prefix="/api/v1")
    app.include_router(learning.pages)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    install_error_handlers(app, pages.page_error)
    app.add_middleware(BodySizeLimit, limit=settings.max_upload_bytes)
    app.add_middleware(SecurityHeaders)
    return app


def close_app(app: FastAPI) -> None:
    """Close the app's stores. Not tied to the ASGI lifespan, which some test transports run
    around every single request; a server process simply ends."""
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
