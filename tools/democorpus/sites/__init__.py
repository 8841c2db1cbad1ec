"""Site styles of the demo corpus: each module has `render(page: PlannedPage) -> str` (the HTML page)."""

from __future__ import annotations

from collections.abc import Callable

from democorpus.model import PlannedPage
from democorpus.sites import aggregator, eg_portal, gulf_amp, levant, ma_wordpress, pan_arab

STYLES: dict[str, Callable[[PlannedPage], str]] = {
    "ma_wordpress": ma_wordpress.render,
    "aggregator": aggregator.render,
    "levant": levant.render,
    "eg_portal": eg_portal.render,
    "gulf_amp": gulf_amp.render,
    "pan_arab": pan_arab.render,
}
