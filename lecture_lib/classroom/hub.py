"""A JupyterHub for a class on this machine: started, driven through its REST API, stopped.

JupyterHub with ``DummyAuthenticator`` (one shared password, for a classroom on one machine or a
test), ``SimpleLocalProcessSpawner`` (a home folder per student under the classroom's folder),
the PyPI ``configurable-http-proxy``, everything on 127.0.0.1. Every student's server gets the
settings z2jh would give it (``singleuser.extraEnv``, ``singleuser.memory.limit``): one read-only
``LECTURE_MIRROR`` for all, a ``LECTURE_DATA_DIR`` of their own, ``LECTURE_SMOKE`` where asked.
The course reaches each home by nbgitpuller, from a git URL (``file://`` here, GitHub in
production), as the students' link does. The instructor's API token lives in the classroom's
folder (mode 600) and in the hub's environment, never on a command line or in a log.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from ..grading import memory

COURSE_FOLDER = "cnn-course"  # where nbgitpuller puts the course in each home (its targetpath)
TOKEN_ENV = "LECTURE_CLASSROOM_TOKEN"
PASSWORD_ENV = "LECTURE_CLASSROOM_PASSWORD"
SCOPES = ["admin:users", "admin:servers", "access:servers", "list:users", "read:users"]


class ClassroomError(RuntimeError):
    """The hub or a student's server did not do what was asked; the message says what and where."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Classroom:
    """One class: its folder (homes, hub database, log), its students and the course's git URL."""

    folder: Path
    students: list[str]
    course_url: str
    branch: str = "main"
    mirror: Path | None = None
    smoke: bool = True
    mem_limit_mb: int = 2048
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def home(self, student: str) -> Path:
        return self.folder / "homes" / student

    def _secret(self, name: str) -> str:
        path = self.folder / name
        if not path.exists():
            self.folder.mkdir(parents=True, exist_ok=True)
            path.touch(mode=0o600)
            path.write_text(secrets.token_hex(16 if name == "password" else 32))
        return path.read_text().strip()

    @property
    def token(self) -> str:
        """The instructor's API token (made once per classroom folder, kept there with mode 600)."""
        return self._secret("instructor.token")

    @property
    def password(self) -> str:
        """The students' shared password (DummyAuthenticator), kept as the token is."""
        return self._secret("password")

    def link(self, target: str = "notebooks/exercises") -> str:
        """The nbgitpuller link students click: the course pulled into their home, then opened."""
        query = urllib.parse.urlencode(
            {
                "repo": self.course_url,
                "branch": self.branch,
                "targetpath": COURSE_FOLDER,
                "urlpath": f"lab/tree/{COURSE_FOLDER}/{target}",
            }
        )
        return f"{self.url}/hub/user-redirect/git-pull?{query}"

    def config(self) -> str:
        """``jupyterhub_config.py`` for this class (secrets come from the environment)."""
        environment = {"LECTURE_SMOKE": "1" if self.smoke else "0", "TF_CPP_MIN_LOG_LEVEL": "2"}
        if self.mirror:
            environment["LECTURE_MIRROR"] = str(self.mirror)
        proxy = Path(sys.executable).parent / "configurable-http-proxy"
        return f"""# written by lecture_lib.classroom.hub for {len(self.students)} students
import os
c = get_config()  # noqa: F821
c.JupyterHub.bind_url = "{self.url}"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{free_port()}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{free_port()}"
c.ConfigurableHTTPProxy.command = [{str(proxy)!r}]
c.ConfigurableHTTPProxy.should_start = True
c.JupyterHub.db_url = "sqlite:///{self.folder / "jupyterhub.sqlite"}"
c.JupyterHub.cookie_secret_file = "{self.folder / "jupyterhub_cookie_secret"}"
c.JupyterHub.cleanup_servers = True
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = os.environ[{PASSWORD_ENV!r}]
c.Authenticator.allowed_users = {set(self.students)!r}
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = "{self.folder / "homes"}/{{username}}"
c.Spawner.cmd = [{sys.executable!r}, "-m", "lecture_lib.classroom.server"]
c.Spawner.default_url = "/lab"
c.Spawner.mem_limit = "{self.mem_limit_mb}M"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.Spawner.environment = {{
    **{environment!r},
    "LECTURE_DATA_DIR": lambda spawner: os.path.join(spawner.home_dir, "data"),
}}
c.JupyterHub.services = [{{"name": "instructor", "api_token": os.environ[{TOKEN_ENV!r}]}}]
c.JupyterHub.load_roles = [{{"name": "instructor", "services": ["instructor"], "scopes": {SCOPES!r}}}]
"""

    # --- the hub's life ----------------------------------------------------------------------

    def start(self, timeout: float = 60) -> None:
        """Write the config, start the hub (its own process group), wait until its API answers."""
        (self.folder / "homes").mkdir(parents=True, exist_ok=True)
        for student in self.students:
            self.home(student).mkdir(exist_ok=True)
        cfg = self.folder / "jupyterhub_config.py"
        cfg.write_text(self.config())
        env = {**os.environ, TOKEN_ENV: self.token, PASSWORD_ENV: self.password}
        env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
        log = open(self.folder / "jupyterhub.log", "ab")  # noqa: SIM115 - the hub holds it open
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "jupyterhub"), "-f", str(cfg)],
            cwd=self.folder, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ClassroomError(f"the hub exited at start: {self.log_tail()}")
            with contextlib.suppress(OSError, ClassroomError):
                self.api("GET", "/hub/api/")
                return
            time.sleep(0.5)
        raise ClassroomError(f"the hub did not answer within {timeout:.0f} s: {self.log_tail()}")

    def stop(self) -> None:
        """Stop the hub: it stops every student's server (cleanup_servers); whatever remains of
        its process group is ended too, so nothing it started outlives it."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        for student in self.students:  # servers run in their own sessions: end any left over
            for pid in _pids_with_env("JUPYTERHUB_USER", student, under=self.home(student)):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            memory.remove_cgroups(f"lecture-classroom-{student}-")  # made by classroom.server
        self.process = None

    def __enter__(self) -> Classroom:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def log_tail(self, lines: int = 20) -> str:
        with contextlib.suppress(OSError):
            text = (self.folder / "jupyterhub.log").read_text(errors="replace")
            return "\n".join(text.splitlines()[-lines:])
        return "(no log)"

    # --- the REST API --------------------------------------------------------------------------

    def api(self, method: str, path: str, body: object = None, timeout: float = 60) -> object:
        """One call to the hub (or, through its proxy, a student's server) as the instructor."""
        return call(self.url, self.token, method, path, body, timeout)

    def add_students(self) -> None:
        have = {u["name"] for u in self.api("GET", "/hub/api/users")}
        todo = [s for s in self.students if s not in have]
        if todo:
            self.api("POST", "/hub/api/users", {"usernames": todo})

    def start_servers(self, timeout: float = 180) -> float:
        """Start every student's server and wait until all are ready; the seconds it took."""
        t0 = time.monotonic()
        self.add_students()
        for student in self.students:
            with contextlib.suppress(ClassroomError):  # 400: already running
                self.api("POST", f"/hub/api/users/{student}/server")
        waiting = set(self.students)
        while waiting and time.monotonic() - t0 < timeout:
            for student in sorted(waiting):
                user = self.api("GET", f"/hub/api/users/{student}")
                server = user.get("servers", {}).get("", {})
                if server.get("ready"):
                    waiting.discard(student)
            time.sleep(0.5)
        if waiting:
            raise ClassroomError(f"servers not ready in {timeout:.0f} s: {sorted(waiting)}")
        return time.monotonic() - t0

    def pull_course(self, student: str, timeout: float = 120) -> list[str]:
        """What the student's nbgitpuller link does: pull the course into their home (nbgitpuller's
        merge rules: their own changes always stay). The progress lines; raises on 'error'."""
        query = urllib.parse.urlencode(
            {"repo": self.course_url, "branch": self.branch, "targetpath": COURSE_FOLDER}
        )
        request = urllib.request.Request(f"{self.url}/user/{student}/git-pull/api?{query}")
        request.add_header("Authorization", f"token {self.token}")
        lines = []
        with urllib.request.urlopen(request, timeout=timeout) as stream:
            for raw in stream:
                text = raw.decode(errors="replace").strip()
                if not text.startswith("data:"):
                    continue
                event = json.loads(text[5:])
                if event.get("output"):
                    lines.append(event["output"].rstrip())
                if event.get("phase") == "error":
                    raise ClassroomError(f"nbgitpuller for {student}: {event.get('message')}")
                if event.get("phase") == "finished":
                    return lines
        raise ClassroomError(f"nbgitpuller for {student}: the stream ended before 'finished'")

    def save_notebook(self, student: str, path: str, notebook: dict) -> None:
        """Save a notebook in a student's home through their server, as JupyterLab's save does."""
        body = {"type": "notebook", "format": "json", "content": notebook}
        self.api("PUT", f"/user/{student}/api/contents/{urllib.parse.quote(path)}", body)


def call(
    base_url: str, token: str, method: str, path: str, body: object = None, timeout: float = 60
) -> object:
    """One REST call to a hub at ``base_url`` with an API token; its JSON answer (None if empty).
    An HTTP error becomes a :class:`ClassroomError` with the status and the start of the body."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base_url + path, data=data, method=method)
    request.add_header("Authorization", f"token {token}")
    request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as r:
            raw = r.read()
    except urllib.error.HTTPError as e:
        detail = e.read()[:300].decode(errors="replace")
        raise ClassroomError(f"{method} {path}: HTTP {e.code} {detail}") from None
    return json.loads(raw) if raw.strip() else None


def _pids_with_env(name: str, value: str, under: Path) -> list[int]:
    """Processes whose environment holds ``name=value`` and whose working folder is ``under``."""
    pids = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            if not Path(os.readlink(proc / "cwd")).is_relative_to(under):
                continue
            env = (proc / "environ").read_bytes().split(b"\0")
            if f"{name}={value}".encode() in env:
                pids.append(int(proc.name))
    return pids


def up(classroom: Classroom) -> int:
    """``python -m lecture_lib classroom up``: start the hub and every server, pull the course into
    each home, print the students' link, and keep running until Ctrl-C."""
    with classroom:
        seconds = classroom.start_servers()
        for student in classroom.students:
            classroom.pull_course(student)
        print(
            f"{len(classroom.students)} students' servers ready and the course pulled in {seconds:.0f} s"
        )
        print(
            f"hub: {classroom.url}  (users {', '.join(classroom.students)}; password in "
            f"{classroom.folder / 'password'}, the instructor's token in {classroom.folder / 'instructor.token'})"
        )
        print(f"the students' link: {classroom.link()}")
        print("Ctrl-C stops the hub and every server.")
        with contextlib.suppress(KeyboardInterrupt):
            while classroom.process.poll() is None:
                time.sleep(1)
    return 0
