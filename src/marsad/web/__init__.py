"""The reader: server-rendered Arabic pages, a JSON API, feeds, reader reports and moderation."""

from __future__ import annotations

from marsad.web.app import create_app, serve

__all__ = ["create_app", "serve"]
