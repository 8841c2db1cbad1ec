"""The one analyser search uses at index and at query time: `marsad.arabic.analyse`."""

from __future__ import annotations

from collections.abc import Callable


def analyser() -> Callable[[str], list[str]]:
    from marsad.arabic import analyse

    # Until marsad.arabic's __init__ re-exports the function, this import yields its submodule.
    return analyse if callable(analyse) else analyse.analyse
