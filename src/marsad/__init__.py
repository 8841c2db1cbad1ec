"""Marsad (مرصد): collect, extract, link and search Arabic news.

`marsad.Archive` is the Python API (see marsad/archive.py); it is imported on first use, so that importing
a part of Marsad (marsad.arabic, marsad.extract) does not load the rest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Archive", "__version__"]

if TYPE_CHECKING:
    from marsad.archive import Archive


def __getattr__(name: str) -> Any:
    if name == "Archive":
        from marsad.archive import Archive

        return Archive
    raise AttributeError(f"module 'marsad' has no attribute {name!r}")
