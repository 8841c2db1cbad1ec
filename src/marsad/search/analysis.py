"""The one analyser search uses at index and at query time: `marsad.arabic.analyse`."""

from __future__ import annotations

import functools
from collections.abc import Callable


@functools.cache
def analyser() -> Callable[[str], list[str]]:
    from marsad.arabic import analyse

    return analyse
