"""``python -m lecture_lib fetch NAME|all`` and ``python -m lecture_lib doctor``.

``fetch`` prepares a classroom before the lecture and says where each dataset came from; ``clean``
removes one mode's models and results;
``doctor`` says what is installed and present, and exits non-zero when something needed is
missing, with what to do. Credentials are reported as present or absent, never shown.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import sys
from collections.abc import Iterator
from pathlib import Path

from . import backbone_specs, config, data, kaggle_source, weights
from .datasets import DATASETS


def _fetch(names: list[str]) -> int:
    s = config.settings()
    print(f"data dir: {s.data_dir}\nmirror  : {s.mirror or '(none)'}")
    wanted = list(DATASETS) if names == ["all"] else names
    failed = 0
    for name in wanted:
        if name not in DATASETS:
            print(f"unknown dataset {name!r}; known: {', '.join(DATASETS)}, all", file=sys.stderr)
            return 2
        try:
            data.get(name, cfg=s)
        except data.DataUnavailableError as e:
            print(e, file=sys.stderr)
            failed += 1
    return 1 if failed else 0


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """Send file descriptor 2 to /dev/null for the block (C++ libraries write there directly)."""
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _doctor() -> int:
    problems: list[str] = []
    print(f"python      {platform.python_version()} ({sys.executable})")
    try:
        s = config.settings()
    except config.SettingsError as e:
        print(f"settings    ERROR: {e}")
        return 1
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    try:
        with (
            _quiet_stderr()
        ):  # TensorFlow's C++ start-up lines, printed twice, are not part of the report
            import keras
            import tensorflow as tf

            gpus = tf.config.list_physical_devices("GPU")
        print(f"tensorflow  {tf.__version__}\nkeras       {keras.__version__}")
        print(
            f"devices     {os.cpu_count()} CPU cores; GPU: {', '.join(g.name for g in gpus) if gpus else 'none (CPU only: fine for this course)'}"
        )
    except ImportError as e:
        print(f"tensorflow  MISSING ({e})")
        problems.append("TensorFlow is not installed: run the setup command in README.md")
    print(s.describe())
    for name, where in data.status(s).items():
        print(f"dataset     {name:<13} {where}")
        if where == "missing":
            problems.append(
                f"dataset {name} is missing: run `python -m lecture_lib fetch {name}` (or set LECTURE_MIRROR)"
            )
    for include_top in (False, True):
        found = weights.find(s.backbone, include_top, s)
        label = f"{s.backbone} ({'with top' if include_top else 'no top'})"
        print(
            f"weights     {label:<27} {found or 'not found locally (downloaded on first use if online)'}"
        )
    warnings_: list[str] = []
    if not weights.find(s.backbone, False, s):
        alt = [n for n in backbone_specs.SPECS if weights.find(n, False, s)]
        said = f"no local ImageNet weights for {s.backbone}: notebooks 05-07 will download them, which needs internet"
        if (
            alt
        ):  # the course runs offline with another backbone: a warning with the fix, not a failure
            warnings_.append(
                f"{said}; offline, set LECTURE_BACKBONE={alt[0]} (present: {', '.join(alt)})"
            )
        else:
            problems.append(said)
    print(
        f"kaggle      credentials {'present' if kaggle_source.credentials_present() else 'absent (only needed for the Kaggle route)'}"
    )
    if warnings_:
        print("\nWarning:")
        for w in warnings_:
            print(f"  - {w}")
    if problems:
        print("\nTo do:")
        for p in problems:
            print(f"  - {p}")
        return 1
    print("\nEverything the notebooks need is here.")
    return 0


def clean(mode: str, cfg: config.Settings | None = None) -> list[str]:
    """Remove one mode's models and results (smoke: also its small splits and synthetic stand-ins).

    Only what the notebooks generated: downloads, raw datasets and the other mode stay untouched.
    """
    import shutil

    cfg = cfg or config.settings()
    targets = [cfg.data_dir / "models" / mode, cfg.data_dir / "results" / mode]
    if mode == "smoke":
        targets += sorted((cfg.data_dir / "prepared").glob("*-small")) + [
            cfg.data_dir / "synthetic"
        ]
    removed = []
    for t in targets:
        if t.is_dir():
            shutil.rmtree(t)
            removed.append(str(t))
    return removed


LABCONFIG = config.REPO_ROOT / "jupyter"  # labconfig/default_setting_overrides.json


def lab_env(env: dict[str, str] | None = None) -> dict[str, str]:
    """``env`` with the course's Jupyter config folder first on JUPYTER_CONFIG_PATH: JupyterLab's
    settings for the course (news and update pop-ups off), nothing written into the environment."""
    env = dict(os.environ if env is None else env)
    paths = [str(LABCONFIG), *filter(None, env.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep))]
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(dict.fromkeys(paths))
    return env


def jupyter_lab(args: list[str]) -> int:
    """``jupyter lab ARGS`` (on notebooks/ unless ARGS name a folder) with :func:`lab_env`."""
    import subprocess

    exe = Path(sys.executable).parent / ("jupyter-lab.exe" if os.name == "nt" else "jupyter-lab")
    folder = (
        [] if any(not a.startswith("-") for a in args) else [str(config.REPO_ROOT / "notebooks")]
    )
    cmd = [str(exe) if exe.exists() else "jupyter-lab", *args, *folder]
    try:
        return subprocess.call(cmd, env=lab_env())
    except KeyboardInterrupt:
        return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m lecture_lib", description=__doc__.splitlines()[0]
    )
    sub = parser.add_subparsers(dest="command", required=True)
    f = sub.add_parser("fetch", help="get datasets into the data dir (or find them in the mirror)")
    f.add_argument("names", nargs="+", metavar="NAME", help=f"{', '.join(DATASETS)} or all")
    sub.add_parser("doctor", help="check the installation, data, weights and credentials")
    c = sub.add_parser("clean", help="remove one mode's models and results (smoke or full)")
    c.add_argument("mode", choices=["smoke", "full"])
    e = sub.add_parser(
        "exercises",
        help="build | check | grade NAME SUBMISSIONS_DIR [-o scores.csv] | collect NAME --from-homes "
        "DIR|--from-hub URL -o SUBMISSIONS_DIR",
    )
    e.add_argument("action", choices=["build", "check", "grade", "collect"])
    e.add_argument("name", nargs="?", help="grade, collect: the exercise, e.g. 03_binary")
    e.add_argument("submissions", nargs="?", help="grade: a folder of submitted notebooks")
    e.add_argument(
        "-o", "--output",
        help="grade: the CSV to write (default scores-NAME.csv); collect: the submissions folder",
    )  # fmt: skip
    e.add_argument("--from-homes", help="collect: a folder of students' homes (homes/<student>/)")
    e.add_argument(
        "--from-hub",
        help="collect: a running hub's URL; the instructor's token in LECTURE_HUB_TOKEN",
    )
    e.add_argument(
        "--workers", type=int, help="grade: submissions graded at once (default: one per CPU core)"
    )
    e.add_argument("--timeout", type=float, help="grade: seconds per submission (default 300)")
    e.add_argument(
        "--memory-mb", type=int, help="grade: memory per submission in MB (default 3072)"
    )
    e.add_argument(
        "--scratch-mb",
        type=int,
        help="grade: size of a submission's scratch folder in MB, all files together (default 2048)",
    )
    e.add_argument(
        "--unsafe-no-sandbox",
        action="store_true",
        help="grade: run submissions without file isolation where none is available (not recommended)",
    )
    room = sub.add_parser("classroom", help="up: a JupyterHub of N students on this machine")
    room.add_argument("action", choices=["up"])
    room.add_argument("--students", type=int, default=3)
    room.add_argument("--folder", help="homes, hub database and log (default DATA_DIR/classroom)")
    room.add_argument("--course", help="the course's git URL (default: this checkout, file://)")
    room.add_argument("--branch", default="main")
    room.add_argument("--full", action="store_true", help="full mode (default: LECTURE_SMOKE=1)")
    room.add_argument("--mem-mb", type=int, default=2048, help="memory per student (default 2048)")
    room.add_argument("--port", type=int, default=8000)
    site = sub.add_parser("site", help="build: the course's website from executed notebooks")
    site.add_argument("action", choices=["build"])
    site.add_argument(
        "--execute", choices=["full", "smoke"],
        help="execute, in this mode, the notebooks whose executed copy for these settings is missing",
    )  # fmt: skip
    site.add_argument("--mode", choices=["full", "smoke"], help="without --execute: whose copies")
    site.add_argument("--cache", help="executed copies (default DATA_DIR/site/executed/MODE)")
    site.add_argument("-o", "--output", help="the site (default DATA_DIR/site/html)")
    lab = sub.add_parser(
        "lab", help="start JupyterLab on the notebooks with the course's settings (no news pop-ups)"
    )
    lab.add_argument("jupyter_args", nargs=argparse.REMAINDER, help="passed to jupyter lab")
    sub.add_parser(
        "colab",
        help="write the Colab badge and setup cell into every notebook ([tool.lecture.colab] in pyproject.toml)",
    )
    args = parser.parse_args(argv)
    if args.command == "lab":
        return jupyter_lab(args.jupyter_args)
    if args.command == "colab":
        from . import colab

        changed = colab.write()
        print(
            "\n".join(f"wrote {p.relative_to(colab.REPO_ROOT)}" for p in changed)
            or "lecture notebooks up to date"
        )
        print("now rebuild the exercises for theirs: python -m lecture_lib exercises build")
        return 0
    if args.command == "classroom":
        return _classroom(args)
    if args.command == "site":
        return _site(site, args)
    if args.command == "exercises" and args.action == "collect":
        return _collect(e, args)
    if args.command == "exercises":
        from .grading import grade

        if args.action == "grade" and not (args.name and args.submissions):
            e.error("grade needs NAME and SUBMISSIONS_DIR")
        return grade.exercises_command(
            args.action,
            args.name,
            args.submissions,
            args.output,
            workers=args.workers,
            timeout=args.timeout,
            memory_mb=args.memory_mb,
            scratch_mb=args.scratch_mb,
            unsafe_no_sandbox=args.unsafe_no_sandbox,
        )
    if args.command == "clean":
        removed = clean(args.mode)
        print(
            "\n".join(f"removed {r}" for r in removed) or f"nothing of {args.mode} mode to remove"
        )
        return 0
    return _fetch(args.names) if args.command == "fetch" else _doctor()


def _classroom(args: argparse.Namespace) -> int:
    from .classroom import hub

    cfg = config.settings()
    room = hub.Classroom(
        folder=Path(args.folder) if args.folder else cfg.data_dir / "classroom",
        students=[f"student{i:02d}" for i in range(1, args.students + 1)],
        course_url=args.course or config.REPO_ROOT.as_uri(),
        branch=args.branch,
        mirror=cfg.mirror,
        smoke=not args.full,
        mem_limit_mb=args.mem_mb,
        port=args.port,
    )
    return hub.up(room)


def _collect(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from .classroom import collect

    if not (args.name and args.output) or bool(args.from_homes) == bool(args.from_hub):
        parser.error("collect needs NAME, -o SUBMISSIONS_DIR and one of --from-homes / --from-hub")
    out = Path(args.output)
    if args.from_homes:
        rows = collect.from_homes(args.name, Path(args.from_homes), out)
    else:
        import functools

        from .classroom import hub

        token = os.environ.get("LECTURE_HUB_TOKEN", "")
        if not token:
            parser.error("--from-hub needs the instructor's API token in LECTURE_HUB_TOKEN")
        api = functools.partial(hub.call, args.from_hub.rstrip("/"), token)
        rows = collect.from_hub(args.name, api, out)
    print("\n".join(str(r) for r in rows))
    got = sum(r.path is not None for r in rows)
    print(f"collected {got} of {len(rows)} students' {args.name} into {out}")
    return 0 if got else 1


def _site(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    import tempfile
    import time

    from .site import build, execute

    cfg = config.settings()
    mode = args.execute or args.mode or ("smoke" if cfg.smoke else "full")
    cache = Path(args.cache) if args.cache else cfg.data_dir / "site" / "executed" / mode
    out = Path(args.output) if args.output else cfg.data_dir / "site" / "html"
    t0 = time.time()
    if args.execute:
        executed = execute.execute(mode, cache)
    else:
        executed, missing = execute.from_cache(mode, cache)
        if missing:
            parser.error(
                f"no executed copy in {cache} for {', '.join(missing)} with these settings "
                f"({mode} mode): add --execute {mode} to run them (the others are reused)"
            )
    with tempfile.TemporaryDirectory(prefix="site-") as work:
        index = build.build(executed, out, Path(work))
    print(f"the site: {index} ({len(executed)} notebooks, {mode} mode, {time.time() - t0:.0f} s)")
    return 0
