"""The site: a Sphinx project made from executed notebooks, built offline into static HTML.

Pages, in the lecture's order: the course and its setup (README's words), every lecture notebook
as its run produced it (figures and printed results), the exercises (the student notebooks, to
download: no solutions, no hidden tests), the lecture map. Each notebook page says on top which
settings and machine its outputs came from, with a download link (the notebook as committed) beside
its Colab badge. Everything a page loads ships with the site: the theme's files, MathJax (from the
``jupyter-server-mathjax`` package) and the badge image; Sphinx's own search index does the search.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from .. import colab, config
from .execute import NOTEBOOKS, STAMP, with_current_prose

REPO = config.REPO_ROOT
TITLE = "CNN for Image Classification"

CONF = """# written by lecture_lib.site.build
project = {title!r}
author = "the course's authors"
extensions = ["myst_nb"]
html_theme = "sphinx_book_theme"
html_title = {title!r}
nb_execution_mode = "off"  # the notebooks were executed before (lecture_lib.site.execute)
myst_enable_extensions = ["dollarmath", "amsmath"]
exclude_patterns = ["_build", "clean/**", "exercises/**"]
html_static_path = ["_static"]
mathjax_path = "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full"  # shipped, not a CDN
html_theme_options = {{"show_toc_level": 2, "navigation_with_keys": False}}
html_show_sourcelink = False
html_copy_source = False  # the notebooks are downloads (clean), not page sources
suppress_warnings = ["myst.header", "mystnb.unknown_mime_type", "misc.highlighting_failure"]
"""


def provenance(meta: dict, name: str) -> str:
    """The line on top of a notebook's page: where its outputs came from, and the download."""
    if not meta:
        return f"*Outputs: unknown run.* {{download}}`Download this notebook <../clean/{name}>`"
    size = meta.get("image_size")
    parts = [
        f"**{meta['mode']} mode**",
        f"backbone {meta['backbone']}",
        *([f"image size {tuple(size) if isinstance(size, list) else size}"] if size else []),
        f"seed {meta['seed']}",
        f"precision {meta['precision']}",
        meta["machine"],
        meta["date"],
    ]
    took = f"; the whole notebook took {meta['seconds']:.0f} s" if meta.get("seconds") else ""
    return (
        f"*These outputs come from a run of this notebook: {', '.join(parts)}{took}.* "
        f"{{download}}`Download this notebook <../clean/{name}>` (as committed, without outputs)"
    )


def _readme_section(heading: str) -> str:
    text = (REPO / "README.md").read_text()
    m = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## )", text, re.S | re.M)
    return m.group(1).strip() if m else ""


def _intro() -> str:
    lines = (REPO / "README.md").read_text().splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith("A course in Jupyter notebooks"))
    end = next(i for i in range(start, len(lines)) if not lines[i].strip())
    return "\n".join(lines[start:end])


def source_tree(executed: list[Path], src: Path) -> Path:
    """Write the Sphinx project for ``executed`` (one executed copy per lecture notebook) in ``src``."""
    if src.exists():
        shutil.rmtree(src)
    (src / "notebooks").mkdir(parents=True)
    names = []
    for path in executed:
        name = re.sub(r"-[0-9a-f]{16}$", "", path.stem) + ".ipynb"
        nb = with_current_prose(path, NOTEBOOKS / name)
        note = {
            "cell_type": "markdown",
            "id": "lecture-site-provenance",
            "metadata": {},
            "source": provenance(nb["metadata"].get(STAMP, {}), name),
        }
        for cell in nb["cells"]:  # the Colab setup cell is plumbing: not on the page
            if cell.get("id") == colab.SETUP_ID:
                cell.setdefault("metadata", {}).setdefault("tags", []).append("remove-cell")
        title = next(
            (i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "markdown"
             and "".join(c["source"]).lstrip().startswith("# ")),
            0,
        )  # fmt: skip
        nb["cells"].insert(title + 1, note)  # under the notebook's title
        (src / "notebooks" / name).write_text(json.dumps(nb, indent=1))
        names.append(name)
    shutil.copytree(
        REPO / "notebooks", src / "clean", ignore=shutil.ignore_patterns("exercises", ".*")
    )
    shutil.copytree(
        REPO / "notebooks" / "exercises",
        src / "exercises",
        ignore=shutil.ignore_patterns("tests", ".*"),
    )
    shutil.copytree(REPO / "docs" / "images", src / "docs" / "images")
    static = src / "_static"
    static.mkdir()
    import jupyter_server_mathjax

    shutil.copytree(Path(jupyter_server_mathjax.__file__).parent / "static", static / "mathjax")
    (src / "conf.py").write_text(CONF.format(title=TITLE))
    exercises = sorted((REPO / "notebooks" / "exercises").glob("*.ipynb"))
    (src / "exercises.md").write_text(
        "# Exercises\n\nOne graded exercise per lecture notebook, as students get them (the public "
        "checks only: no solutions, no hidden tests). Run them in JupyterLab or Colab after setting "
        "up the course; `grader.check(...)` gives feedback in a sentence.\n\n"
        + "\n".join(f"- {{download}}`{p.stem} <exercises/{p.name}>`" for p in exercises)
        + "\n"
    )
    (src / "setup.md").write_text("# Setup\n\n" + _readme_section("Start (two commands)") + "\n")
    lecture_map = (REPO / "docs" / "lecture-map.md").read_text()
    (src / "lecture-map.md").write_text(lecture_map)
    toc = "\n".join(f"notebooks/{n.removesuffix('.ipynb')}" for n in names)
    (src / "index.md").write_text(
        f"# {TITLE}\n\n{_intro()}\n\n"
        "Every page below is a lecture notebook as its run produced it: the prose, the code, the "
        "figures and the numbers. The line on top of each says which settings and machine.\n\n"
        f"```{{toctree}}\n:maxdepth: 1\n:caption: Lecture\n\n{toc}\n```\n\n"
        "```{toctree}\n:maxdepth: 1\n:caption: Course\n\nsetup\nexercises\nlecture-map\n```\n"
    )
    return src


def build(executed: list[Path], out: Path, work: Path) -> Path:
    """Build the site of ``executed`` into ``out`` (``out/index.html``); Sphinx's warnings printed."""
    src = source_tree(executed, work / "src")
    r = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-d", str(work / "doctrees"), str(src), str(out)],
        capture_output=True, text=True,
    )  # fmt: skip
    if r.returncode:
        raise RuntimeError(f"sphinx-build failed:\n{r.stderr[-3000:]}")
    if r.stderr.strip():
        print(r.stderr.strip()[-3000:])
    return out / "index.html"
