"""The bundled demo corpus: original Arabic news pages written for Marsad, in six site styles.

`corpus_dir()` is the folder `marsad demo` ingests: `<style>/<slug>.html` pages, their `<slug>.txt`
text dumps, and `expected.json`, the gold each page's extraction and linking are tested against.
The files are generated, and checked, by tools/democorpus in the repository (not installed; see its
README.md): the package carries only the corpus and this reader.
"""

from __future__ import annotations

import json
from importlib.resources import as_file, files
from pathlib import Path


def corpus_dir() -> Path:
    """The folder holding the demo pages (works from a source tree and from an installed wheel)."""
    resource = files("marsad.demo").joinpath("corpus")
    with as_file(resource) as path:
        folder = Path(path)
    if not (folder / "expected.json").is_file():
        raise FileNotFoundError(f"the demo corpus is missing from {folder}")
    return folder


def expected() -> list[dict]:
    """The gold for every demo page, one entry per HTML page (see expected.json)."""
    return json.loads((corpus_dir() / "expected.json").read_text(encoding="utf-8"))


def html_files() -> list[Path]:
    """The HTML pages, one per article: what `marsad demo` ingests."""
    folder = corpus_dir()
    return [folder / entry["file"] for entry in expected()]


def text_files() -> list[Path]:
    """The text dumps of the same pages (for text-dump extraction; ingesting them too would give each
    article a second row under a file:// URL)."""
    folder = corpus_dir()
    return [folder / entry["text_file"] for entry in expected()]


def ingest_targets() -> list[str]:
    """The paths to hand to `marsad.ingest.ingest` for the demo: the HTML pages only."""
    return [str(path) for path in html_files()]
