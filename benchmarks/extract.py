"""Extraction benchmark: Marsad vs trafilatura on pagebench pages, accuracy and speed in one run.

Generates pagebench pages (real ANT article text in Arabic news-site templates) into a temporary folder:
pagebench's own five styles and our four (benchmarks/pagestyles: ASP.NET WebForms, live coverage, comment
policy + metadata box + photo credits, an outlet's recurring chrome). Runs Marsad on the HTML pages and on
their text dumps, runs trafilatura (the pagebench baseline call: bare_extraction with metadata) on the same
HTML pages, interleaved page by page so that both see the same machine load, and prints pagebench's scores
side by side, the pages whose body Marsad's HTML pass had to ask trafilatura for (per style), pages/s and
the speed ratio. The recurring-chrome style is one outlet: its profile is learnt first from its own pages
(evaluate.style_profiles, outside the timing) and handed to extract, as the store hands it.

    .venv/bin/python benchmarks/extract.py [--per-template 40] [--seed 7] [--templates-module PATH]
                                           [--no-own-styles]
    .venv/bin/python benchmarks/extract.py --ant-profiles   # profile thresholds on real outlets' bodies

Data: the ANT corpus v2.1 (see ../shared/data/README.md for its origin and citation).
"""

from __future__ import annotations

import argparse
import html
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from machine import describe as machine  # noqa: E402  (benchmarks/ is on sys.path)

from marsad.extract import extract
from marsad.extract.evaluate import (
    counting_fallbacks,
    extract_or_none,
    load_scorer,
    page_for,
    prediction,
    score,
    style_profiles,
)

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MARSAD_SHARED", ROOT.parent / "shared"))


def generate(out: Path, per_template: int, seed: int, templates_module: str | None) -> None:
    command = [
        sys.executable,
        str(SHARED / "tools/pagebench/make_pages.py"),
        "--articles",
        str(SHARED / "data/ant_multisource_v2.1.jsonl.gz"),
        "--out",
        str(out),
        "--per-template",
        str(per_template),
        "--seed",
        str(seed),
    ]
    if templates_module:
        command += ["--templates-module", templates_module]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def generate_own_styles(out: Path, per_template: int, seed: int) -> list[str]:
    sys.path.insert(0, str(ROOT / "benchmarks" / "pagestyles"))
    from generate import generate as generate_styles  # benchmarks/pagestyles/generate.py

    return generate_styles(SHARED, out, per_template, seed)


def trafilatura_prediction(path: str, raw: bytes, url: str | None):
    from trafilatura import bare_extraction

    doc = bare_extraction(raw, url=url, with_metadata=True)
    return {
        "path": path,
        "title": doc.title if doc else None,
        "published": doc.date if doc else None,
        "author": doc.author if doc else None,
        "body": (doc.text or "") if doc else "",
    }


def dump_as_html(text: str) -> bytes:
    """A text dump as the simplest HTML (one <p> a line), so that trafilatura can read it too."""
    lines = "".join(f"<p>{html.escape(line)}</p>" for line in text.split("\n") if line.strip())
    return f"<html><body>{lines}</body></html>".encode()


def run(root: Path) -> dict:
    from trafilatura import bare_extraction

    bare_extraction("<html><body><p>warm up</p></body></html>")
    paths = sorted(root.glob("*/*.html"))
    pages = [page_for(p) for p in paths]
    dumps = [page_for(p.with_suffix(".txt")) for p in paths]
    for page in pages[:3] + dumps[:3]:  # lazy imports out of the timing
        extract(page)
    profiles = style_profiles(root)  # learnt before the timing, as the store learns them beforehand
    timing = {"marsad_html": 0.0, "trafilatura_html": 0.0, "marsad_txt": 0.0}
    preds: dict[str, list] = {
        key: [] for key in ("marsad_html", "marsad_txt", "trafilatura_html", "trafilatura_txt")
    }
    with counting_fallbacks() as fallbacks:
        for i, (path, page, dump) in enumerate(zip(paths, pages, dumps, strict=True)):
            rel = str(path.relative_to(root))
            profile = profiles.get(path.parent.name)
            steps = [("marsad_html", page), ("trafilatura_html", page)]
            for name, item in steps if i % 2 == 0 else reversed(steps):  # alternate who goes first
                start = time.perf_counter()
                if name == "marsad_html":
                    pred = prediction(rel, extract_or_none(item, profile))
                else:
                    pred = trafilatura_prediction(rel, item.content, item.url or None)
                timing[name] += time.perf_counter() - start
                preds[name].append(pred)
            start = time.perf_counter()
            article = extract_or_none(dump, profile)
            timing["marsad_txt"] += time.perf_counter() - start
            rel_txt = str(path.with_suffix(".txt").relative_to(root))
            preds["marsad_txt"].append(prediction(rel_txt, article))
            preds["trafilatura_txt"].append(
                trafilatura_prediction(rel_txt, dump_as_html(dump.content.decode()), None)
            )
    fallback_by_style: dict[str, int] = {}
    for path in paths:
        fallback_by_style.setdefault(path.parent.name, 0)
        fallback_by_style[path.parent.name] += 1 if fallbacks[str(path)] else 0
    return {"n": len(paths), "timing": timing, "preds": preds, "fallbacks": fallback_by_style}


def table(scores: dict, kind: str, fallbacks: dict[str, int] | None = None) -> None:
    marsad, trafilatura = scores[f"marsad_{kind}"], scores[f"trafilatura_{kind}"]
    print(f"\n{kind.upper()} pages: Marsad | trafilatura")
    head = (
        f"{'template':<19}{'pages':>6}{'bodyF1':>15}{'F1<.5':>9}{'title':>15}{'date':>15}{'nulldate':>11}"
        f"{'author':>15}{'orig.src':>15}{'fallback':>10}"
    )
    print(head)
    print("-" * len(head))

    def pair(key: str, name: str) -> str:
        a, b = marsad[name].get(key), trafilatura[name].get(key)
        fmt = lambda v: "   -" if v is None else f"{v:.3f}"  # noqa: E731
        return f"{fmt(a)} | {fmt(b)}".rjust(15)

    for name in marsad:
        m, t = marsad[name], trafilatura[name]
        nulls = (
            f"{round((m['null_date_acc'] or 0) * m['null_date_pages'])}/{m['null_date_pages']}"
            if m["null_date_pages"]
            else "-"
        )
        lows = f"{m['low_f1_pages']}|{t['low_f1_pages']}"
        fell = "-" if fallbacks is None else str(fallbacks.get(name, sum(fallbacks.values())))
        print(
            f"{name:<19}{m['pages']:>6}{pair('body_f1', name)}{lows:>9}{pair('title_acc', name)}"
            f"{pair('date_acc', name)}{nulls:>11}{pair('author_acc', name)}{pair('original_source_acc', name)}"
            f"{fell:>10}"
        )


def ant_profiles(top: int = 4) -> None:
    """Outlet profiles learnt from ANT's real bodies, one per outlet: the lines learnt at the current
    thresholds, and the most repeated lines with the share of the outlet's pages they are on."""
    import gzip
    from collections import Counter, defaultdict

    from marsad.extract.profile import chrome_key, learn_profile

    pages: dict[str, list[list[str]]] = defaultdict(list)
    with gzip.open(SHARED / "data/ant_multisource_v2.1.jsonl.gz", "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            pages[record["source"]].append([p for p in (record.get("text") or "").split("\n") if p.strip()])
    print("\noutlet profiles on ANT's bodies (share = pages holding the line / the outlet's pages):")
    for outlet, bodies in sorted(pages.items()):
        learnt = learn_profile(outlet, bodies).chrome
        counts = Counter(key for body in bodies for key in {chrome_key(p) for p in body})
        print(f"  {outlet}: {len(bodies)} pages, {len(learnt)} lines learnt")
        for key, n in counts.most_common(top):
            mark = "learnt" if key in learnt else "      "
            print(f"    {n / len(bodies):7.2%} {mark} {key[:70]}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--per-template", type=int, default=40)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--templates-module", help="pagebench templates module (held-out styles)")
    ap.add_argument("--pages", type=Path, help="use pages already generated here instead")
    ap.add_argument("--json", type=Path, help="also write all scores and speeds to this file")
    ap.add_argument("--no-own-styles", action="store_true", help="pagebench's styles only (no pagestyles)")
    ap.add_argument("--ant-profiles", action="store_true", help="only show outlet profiles learnt on ANT")
    args = ap.parse_args(argv)
    print(f"machine: {machine()}")
    if args.ant_profiles:
        ant_profiles()
        return
    with tempfile.TemporaryDirectory(prefix="pagebench-") as tmp:
        root = args.pages or Path(tmp)
        if not args.pages:
            generate(root, args.per_template, args.seed, args.templates_module)
            own = [] if args.no_own_styles else generate_own_styles(root, args.per_template, args.seed)
            print(
                f"pagebench: {args.per_template} pages per template, seed {args.seed} (ANT corpus v2.1 text);"
                f" own styles: {', '.join(own) or 'none'}"
            )
        result = run(root)
        scorer = load_scorer(SHARED / "tools/pagebench")
        scores = {name: score(scorer, root, preds) for name, preds in result["preds"].items()}
    table(scores, "html", result["fallbacks"])
    print("(fallback: pages whose body Marsad's HTML pass asked trafilatura for)")
    table(scores, "txt")
    n, timing = result["n"], result["timing"]
    speeds = {name: n / seconds for name, seconds in timing.items()}
    print(f"\nspeed (one process, interleaved page by page, {n} pages each):")
    print(f"  Marsad HTML       {speeds['marsad_html']:7.1f} pages/s")
    print(f"  trafilatura HTML  {speeds['trafilatura_html']:7.1f} pages/s")
    print(f"  Marsad text dumps {speeds['marsad_txt']:7.1f} pages/s")
    print(f"  ratio Marsad/trafilatura (HTML): {speeds['marsad_html'] / speeds['trafilatura_html']:.1f}x")
    print(f"machine after: load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.json:
        summary = {"scores": scores, "speeds": speeds, "fallbacks": result["fallbacks"], "machine": machine()}
        args.json.write_text(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
