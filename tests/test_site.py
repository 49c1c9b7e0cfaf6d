"""The course's website in a real browser: every page, its figures, its search, nothing from outside.

Serves a built site (``LECTURE_SITE``: the folder ``python -m lecture_lib site build`` wrote) on
127.0.0.1 and opens every page in Chromium: each figure is an image that loaded, no page shows a
traceback or a TensorFlow log line (or, built from full mode, a "SYNTHETIC" banner), every
request stays on 127.0.0.1, and the search finds "cross-entropy". Skipped without a built site or
without Chromium; .ci/run builds the site from the smoke-mode runs of the browser test and runs it.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading
from pathlib import Path

import pytest

from lecture_lib.quiet import STARTUP

SITE = Path(os.environ.get("LECTURE_SITE", "")) if os.environ.get("LECTURE_SITE") else None
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        SITE is None or not (SITE / "index.html").is_file(),
        reason="no built site: python -m lecture_lib site build, then LECTURE_SITE=data/site/html",
    ),
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed"),
]


@pytest.fixture(scope="module")
def served():
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(SITE))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])  # fmt: skip
        pg = browser.new_page()
        pg.outside = []  # every request that left 127.0.0.1
        pg.on("request", lambda r: None if r.url.startswith(("http://127.0.0.1", "data:", "blob:"))
              else pg.outside.append(r.url))  # fmt: skip
        yield pg
        browser.close()


def _pages() -> list[str]:
    return sorted(str(p.relative_to(SITE)) for p in SITE.rglob("*.html")
                  if not p.name.startswith(("genindex", "search")) and "_static" not in p.parts)  # fmt: skip


def _full_build() -> bool:
    meta = SITE / "notebooks" / "02_cnn_mnist.html"
    return meta.is_file() and "full mode" in meta.read_text()


def test_every_page_loads_its_figures_and_shows_no_error_or_log(served, page):
    pages = _pages()
    assert "index.html" in pages and sum(p.startswith("notebooks/") for p in pages) == 9, pages
    problems = []
    for rel in pages:
        page.goto(f"{served}/{rel}", wait_until="load")
        page.wait_for_load_state("networkidle")
        broken = page.evaluate(
            "() => [...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)"
        )
        problems += [f"{rel}: image did not load: {src[:80]}" for src in broken]
        text = page.inner_text("main") if page.query_selector("main") else page.inner_text("body")
        if "Traceback (most recent call last)" in text:
            problems.append(f"{rel}: shows a traceback")
        problems += [
            f"{rel}: TensorFlow log line {ln[:80]!r}"
            for ln in text.splitlines()
            if STARTUP.match(ln)
        ]
        if _full_build() and "SYNTHETIC" in text:
            problems.append(f"{rel}: shows a SYNTHETIC banner in a full-mode build")
        if rel.startswith("notebooks/"):
            figures = page.evaluate("() => document.querySelectorAll('.cell_output img').length")
            if figures == 0 and not rel.startswith("notebooks/04_"):
                problems.append(f"{rel}: no figure at all")
            if "These outputs come from a run of this notebook" not in text:
                problems.append(f"{rel}: no line saying where its outputs came from")
    assert not problems, "\n".join(problems)
    assert not page.outside, f"requests outside 127.0.0.1: {sorted(set(page.outside))[:5]}"


def test_the_search_finds_cross_entropy(served, page):
    page.goto(f"{served}/search.html?q=cross-entropy", wait_until="load")
    page.wait_for_selector("#search-results li, .search li", timeout=20_000)
    found = page.evaluate(
        "() => [...document.querySelectorAll('#search-results li a, .search li a')].map(a => a.href)"
    )
    assert any("04_activations_and_losses" in href for href in found), found[:10]


def test_every_notebook_page_names_its_settings_and_machine():
    for page in sorted((SITE / "notebooks").glob("*.html")):
        text = re.sub(r"<[^>]+>", " ", page.read_text())
        m = re.search(r"These outputs come from a run of this notebook: (.*?)\.\s", text)
        assert m, page.name
        assert re.search(r"(AVX2|AVX-512|AMX|instruction set)", m.group(1)), m.group(1)
        assert "seed" in m.group(1) and re.search(r"\d{4}-\d\d-\d\d", m.group(1)), m.group(1)
    assert "entropi" in (SITE / "searchindex.js").read_text()  # the index ships with the site
