"""A classroom on a real JupyterHub: N simulated students, then an nbgrader round trip.

    python tools/classroom.py --students 30            # what `make classroom` runs
    python tools/classroom.py --students 3 --lessons 01 --drags 5 --reruns 2

What it starts, all on 127.0.0.1 and all under ``--state`` (default ``build/classroom/run``):
JupyterHub (the venv's), configurable-http-proxy (npm, installed into ``build/classroom/npm``),
``SimpleLocalProcessSpawner`` with one home directory per student, ``DummyAuthenticator`` with a
shared password, and a ``teacher`` service token.

Each simulated student, in waves of ``--wave``:
1. logs in through the hub's login form, asks the hub for an API token, starts a server
   (the hub API a browser's spawn page uses) and follows the spawn progress stream;
2. uploads the learner edition (``--source``, default ``lessons/`` or else ``notebooks/``)
   through the contents API, opens a session and runs each lesson cell by cell over the kernel
   websocket (protocol ``v1.kernel.websocket.jupyter.org``, as JupyterLab 4 speaks it) and saves
   the notebook with its outputs;
3. waits for the whole class, then all students drag every explorer's first slider ``--drags``
   times together: a comm ``update`` with the new value, exactly what the browser sends. The
   time until the explorer's image widget sends its new bytes back is the slider latency;
4. re-runs every explorer cell ``--reruns`` times, then its kernel's memory is measured again.

At the end one student drags alone (the class connected, idle), so there is a figure
"alone" beside "under load". Then, unless ``--no-nbgrader``, one assignment round trip with
nbgrader's own exchange in a private directory (see :mod:`classroom_nbgrader`).

Everything started is stopped by process id, in bounded time, also on Ctrl-C.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import traceback
import uuid
from datetime import datetime, timezone
from pathlib import Path

import httpx
import psutil
from jupyter_server.services.kernels.connection.base import (
    deserialize_msg_from_ws_v1,
    serialize_msg_to_ws_v1,
)
from tornado.httpclient import HTTPRequest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from classroom_nbgrader import round_trip, student_config  # noqa: E402
from tornado.websocket import websocket_connect

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
CHP_PREFIX = ROOT / "build" / "classroom" / "npm"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WS_PROTOCOL = "v1.kernel.websocket.jupyter.org"
SLIDERS = {"FloatSliderModel", "IntSliderModel", "FloatLogSliderModel"}
PASSWORD = "class-of-" + secrets.token_hex(4)

# Spawn settings the class was run with (docs/teaching.md quotes them).
HTTP_TIMEOUT = 300   # s: a started server must answer within this (docs/teaching.md)
START_TIMEOUT = 300  # s: Spawner.start() must return within this
CELL_TIMEOUT = 600   # s: one cell, under the heaviest load


# ---------------------------------------------------------------- the proxy and the hub ----
def chp_command() -> str:
    """Path of configurable-http-proxy, installed with npm into a private prefix if missing."""
    exe = CHP_PREFIX / "node_modules" / ".bin" / "configurable-http-proxy"
    if not exe.exists():
        CHP_PREFIX.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix",
                        str(CHP_PREFIX), "configurable-http-proxy@4"], check=True, timeout=600)
    return str(exe)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


HUB_CONFIG = """\
# Written by tools/classroom.py: a private hub on 127.0.0.1.
c = get_config()  # noqa
c.JupyterHub.bind_url = {bind_url!r}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.JupyterHub.db_url = {db_url!r}
c.JupyterHub.cookie_secret_file = {cookie!r}
c.JupyterHub.pid_file = {hub_pid!r}
c.ConfigurableHTTPProxy.command = [{chp!r}]
c.ConfigurableHTTPProxy.api_url = {proxy_api!r}
c.ConfigurableHTTPProxy.pid_file = {proxy_pid!r}
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {password!r}
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {home_template!r}
c.Spawner.cmd = [{singleuser!r}]
c.Spawner.args = {args!r}
c.Spawner.default_url = "/lab"
c.Spawner.http_timeout = {http_timeout}
c.Spawner.start_timeout = {start_timeout}
c.Spawner.environment = {environment!r}
c.JupyterHub.services = [{{"name": "teacher", "api_token": {teacher_token!r}}}]
c.JupyterHub.load_roles = [{{
    "name": "teacher",
    "scopes": ["admin:users", "admin:servers", "tokens", "list:users", "read:users"],
    "services": ["teacher"],
}}]
"""


def server_config(nodelay: bool) -> str:
    """A student's ``~/.jupyter/jupyter_server_config.py``.

    nbgrader's formgrader and course list are the teacher's tools: off for students (the
    Assignments tab, ``assignment_list``, stays). ``nnlib_nodelay`` (TCP_NODELAY on kernel
    websockets) is on, as a normal install of the course enables it; ``--no-nodelay`` turns
    it off to measure the difference.
    """
    ext = {"nbgrader.server_extensions.formgrader": False,
           "nbgrader.server_extensions.course_list": False}
    if importlib.util.find_spec("nnlib_nodelay") is not None:
        ext["nnlib_nodelay"] = nodelay
    return f"c = get_config()  # noqa\nc.ServerApp.jpserver_extensions = {ext!r}\n"


class Hub:
    """A JupyterHub process with its proxy; :meth:`stop` ends both (and any straggler) by pid."""

    def __init__(self, state: Path, pythonpath: str | None = None, nodelay: bool = True):
        self.state, self.nodelay = state, nodelay
        self.home = state / "home"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.teacher_token = secrets.token_hex(16)
        self.proc = None
        self.known_pids: set[int] = set()
        env = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
               "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
               }
        if pythonpath:   # absolute: servers and kernels run in the students' homes
            env["PYTHONPATH"] = os.pathsep.join(str(Path(p).resolve())
                                                for p in pythonpath.split(os.pathsep))
        args = ["--ServerApp.allow_root=True"] if os.geteuid() == 0 else []
        self.config = HUB_CONFIG.format(
            bind_url=self.url + "/", hub_port=free_port(),
            db_url=f"sqlite:///{state / 'jupyterhub.sqlite'}",
            cookie=str(state / "jupyterhub_cookie_secret"), hub_pid=str(state / "hub.pid"),
            chp=chp_command(), proxy_api=f"http://127.0.0.1:{free_port()}",
            proxy_pid=str(state / "proxy.pid"), password=PASSWORD,
            home_template=str(self.home / "{username}"),
            singleuser=str(VENV_BIN / "jupyterhub-singleuser"), args=args,
            http_timeout=HTTP_TIMEOUT, start_timeout=START_TIMEOUT, environment=env,
            teacher_token=self.teacher_token)

    def start(self, timeout=90):
        if self.state.exists():
            if any(self.state.iterdir()) and not (self.state / "jupyterhub_config.py").exists():
                raise SystemExit(f"{self.state} is not empty and not a classroom state directory")
            shutil.rmtree(self.state)
        self.home.mkdir(parents=True)
        (self.state / "jupyterhub_config.py").write_text(self.config)
        env = {**os.environ, "CONFIGPROXY_AUTH_TOKEN": secrets.token_hex(16),
               "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
        self.log = open(self.state / "hub.log", "w")
        self.proc = subprocess.Popen(
            [str(VENV_BIN / "jupyterhub"), "-f", str(self.state / "jupyterhub_config.py")],
            cwd=self.state, env=env, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True)
        self.known_pids.add(self.proc.pid)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"jupyterhub exited with {self.proc.returncode}; "
                                   f"see {self.state / 'hub.log'}")
            try:
                if httpx.get(self.url + "/hub/api/", timeout=2).status_code == 200:
                    self.remember_pids()
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"the hub did not answer within {timeout} s")

    def remember_pids(self):
        """Note the hub's descendants (proxy, servers, kernels) so :meth:`stop` can end them."""
        try:
            for p in psutil.Process(self.proc.pid).children(recursive=True):
                self.known_pids.add(p.pid)
        except psutil.Error:
            pass

    def servers(self) -> dict[str, psutil.Process]:
        """The single-user server process of each user, by user name."""
        found = {}
        try:
            children = psutil.Process(self.proc.pid).children()
        except psutil.Error:
            return found
        for p in children:
            try:
                user = p.environ().get("JUPYTERHUB_USER")
            except psutil.Error:
                continue
            if user:
                found[user] = p
        return found

    def stop(self, timeout=60):
        """SIGTERM the hub (it stops the servers and the proxy), then end survivors by pid."""
        if self.proc is None:
            return []
        self.remember_pids()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        for pid_file in ("proxy.pid",):
            try:
                self.known_pids.add(int((self.state / pid_file).read_text()))
            except (OSError, ValueError):
                pass
        started = []
        for pid in sorted(self.known_pids - {self.proc.pid}):
            try:
                p = psutil.Process(pid)
                if p.create_time() > self.started_at - 1:
                    started.append(p)
            except psutil.Error:
                pass
        # The hub has signalled every single-user server, and each server shuts its kernels
        # down on its own; on a loaded machine that can finish after the hub itself exits.
        # What is still running after this grace period is a survivor, and is ended by pid.
        _, survivors = psutil.wait_procs(started, timeout=20)
        for p in survivors:
            try:
                p.terminate()
            except psutil.Error:
                pass
        _, alive = psutil.wait_procs(survivors, timeout=10)
        for p in alive:
            try:
                p.kill()
            except psutil.Error:
                pass
        psutil.wait_procs(alive, timeout=5)
        self.log.close()
        self.proc = None
        return [p.pid for p in survivors]

    @property
    def started_at(self) -> float:
        return self._started if hasattr(self, "_started") else 0.0

    def mark_started(self):
        self._started = time.time()


def usage(proc: psutil.Process) -> dict:
    """PSS (MB) and CPU time used so far (s) of a single-user server and of its kernels."""
    def cpu(p):
        t = p.cpu_times()
        return t.user + t.system
    out = {"server_mb": proc.memory_full_info().pss / 1e6, "kernels_mb": 0.0,
           "server_cpu_s": cpu(proc), "kernels_cpu_s": 0.0}
    for child in proc.children(recursive=True):
        try:
            out["kernels_mb"] += child.memory_full_info().pss / 1e6
            out["kernels_cpu_s"] += cpu(child)
        except psutil.Error:
            pass
    return out


# ------------------------------------------------------------- the kernel websocket ----
def _now_iso():
    return datetime.now(timezone.utc).isoformat()


class Kernel:
    """A minimal kernel client over the Jupyter server's websocket (v1 protocol).

    It keeps the state of every widget model the kernel opened (``comm_open`` on
    ``jupyter.widget``) and sends comm messages the way the ipywidgets front end does.
    """

    def __init__(self, ws, session_id: str, username: str):
        self.ws, self.session_id, self.username = ws, session_id, username
        self.models: dict[str, dict] = {}
        self.pending: dict[str, dict] = {}   # msg_id -> {"done": Future, "outputs": [...], ...}
        self.closed = False
        self.reader = asyncio.ensure_future(self._read())

    @classmethod
    async def connect(cls, base: str, token: str, kernel_id: str, username: str):
        session_id = uuid.uuid4().hex
        url = (base.replace("http://", "ws://") +
               f"/api/kernels/{kernel_id}/channels?session_id={session_id}")
        req = HTTPRequest(url, headers={"Authorization": f"token {token}"},
                          connect_timeout=60, request_timeout=60)
        ws = await websocket_connect(req, subprotocols=[WS_PROTOCOL], max_message_size=1 << 28)
        return cls(ws, session_id, username)

    def _send(self, channel: str, msg_type: str, content: dict, metadata=None) -> str:
        msg_id = uuid.uuid4().hex
        header = {"msg_id": msg_id, "msg_type": msg_type, "username": self.username,
                  "session": self.session_id, "date": _now_iso(), "version": "5.3"}
        parts = [json.dumps(x).encode() for x in (header, {}, metadata or {}, content)]
        self.ws.write_message(serialize_msg_to_ws_v1(parts, channel), binary=True)
        return msg_id

    async def _read(self):
        try:
            while True:
                raw = await self.ws.read_message()
                if raw is None:
                    break
                channel, parts = deserialize_msg_from_ws_v1(raw)
                header, parent, _meta, content = (json.loads(p) for p in parts[:4])
                self._dispatch(channel, header, parent, content, parts[4:])
        except Exception as exc:  # noqa: BLE001 - a broken socket ends every pending request
            self.failure = f"{type(exc).__name__}: {exc}"
        finally:
            self.closed = True
            for req in self.pending.values():
                if not req["done"].done():
                    req["done"].set_exception(ConnectionError("kernel websocket closed"))

    def _dispatch(self, channel, header, parent, content, buffers):
        kind = header["msg_type"]
        if kind == "comm_open" and content.get("target_name") == "jupyter.widget":
            state = dict(content["data"].get("state", {}))
            self.models[content["comm_id"]] = state
        elif kind == "comm_msg" and content["comm_id"] in self.models:
            data = content["data"]
            if data.get("method") == "update":
                self.models[content["comm_id"]].update(data.get("state", {}))
                for path in data.get("buffer_paths", []):
                    self.models[content["comm_id"]][path[0]] = b"<buffer>"
        req = self.pending.get(parent.get("msg_id"))
        if req is None:
            return
        req["messages"].append((time.perf_counter(), channel, kind, content))
        if kind == "execute_reply":
            req["reply"] = content
        elif kind == "status" and content.get("execution_state") == "idle":
            req["idle"] = True
        elif kind in ("stream", "display_data", "execute_result", "error"):
            req["outputs"].append(_output(kind, content))
        elif kind == "clear_output":
            req["outputs"].clear()
        watch = req.get("watch")
        if watch and kind == "comm_msg" and content["comm_id"] == watch \
                and content["data"].get("method") == "update" \
                and ["value"] in content["data"].get("buffer_paths", []):
            req.setdefault("watch_at", time.perf_counter())
        if req.get("idle") and (req["reply"] is not None or req["kind"] != "execute"):
            if not req["done"].done():
                req["done"].set_result(True)

    async def execute(self, code: str, timeout=CELL_TIMEOUT, cell_id=None) -> dict:
        """Run ``code``; returns {"reply", "outputs", "seconds"} once the kernel is idle again.

        ``cell_id`` goes into the request's metadata, as JupyterLab sends it.
        """
        loop = asyncio.get_running_loop()
        start = time.perf_counter()
        msg_id = self._send("shell", "execute_request", {
            "code": code, "silent": False, "store_history": True, "user_expressions": {},
            "allow_stdin": False, "stop_on_error": True},
            metadata={"cellId": cell_id} if cell_id else None)
        req = self.pending[msg_id] = {"kind": "execute", "done": loop.create_future(),
                                      "reply": None, "outputs": [], "messages": []}
        try:
            await asyncio.wait_for(req["done"], timeout)
        finally:
            del self.pending[msg_id]
        req["seconds"] = time.perf_counter() - start
        return req

    async def set_value(self, comm_id: str, value, watch: str, timeout=120) -> dict:
        """Send a widget ``update`` (as the browser does when a slider moves).

        Returns {"seconds": time until the ``watch`` model (the image) got new bytes, or None
        if the kernel went idle without redrawing, "error": ...}.
        """
        loop = asyncio.get_running_loop()
        start = time.perf_counter()
        msg_id = self._send("shell", "comm_msg", {
            "comm_id": comm_id,
            "data": {"method": "update", "state": {"value": value}, "buffer_paths": []}})
        req = self.pending[msg_id] = {"kind": "comm", "done": loop.create_future(),
                                      "reply": None, "outputs": [], "messages": [],
                                      "watch": watch}
        try:
            await asyncio.wait_for(req["done"], timeout)
        finally:
            del self.pending[msg_id]
        at = req.get("watch_at")
        return {"seconds": None if at is None else at - start}

    async def close(self):
        self.ws.close()
        try:
            await asyncio.wait_for(self.reader, 10)
        except (asyncio.TimeoutError, Exception):  # noqa: BLE001
            pass


def _output(kind, content):
    if kind == "stream":
        return {"output_type": "stream", "name": content["name"], "text": content["text"]}
    if kind == "error":
        return {"output_type": "error", "ename": content["ename"], "evalue": content["evalue"],
                "traceback": content["traceback"]}
    out = {"output_type": kind, "data": content["data"], "metadata": content.get("metadata", {})}
    if kind == "execute_result":
        out["execution_count"] = content.get("execution_count")
    return out


def explorers_in(kernel: Kernel, outputs: list) -> list[dict]:
    """The explorers a cell displayed: {"box", "slider", "image"} model ids (widget tree)."""
    found = []
    for out in outputs:
        view = out.get("data", {}).get(WIDGET_VIEW) if "data" in out else None
        if not view:
            continue
        box = kernel.models.get(view["model_id"], {})
        kids = [c.removeprefix("IPY_MODEL_") for c in box.get("children", [])]
        image = next((k for k in kids if kernel.models.get(k, {}).get("_model_name")
                      == "ImageModel"), None)
        sliders = []
        for k in kids:
            for c in kernel.models.get(k, {}).get("children", []):
                c = c.removeprefix("IPY_MODEL_")
                if kernel.models.get(c, {}).get("_model_name") in SLIDERS:
                    sliders.append(c)
        if image and sliders:
            found.append({"box": view["model_id"], "slider": sliders[0], "image": image})
    return found


def drag_values(model: dict, n: int) -> list:
    """``n`` slider positions across the range, none equal to its neighbour (a slow drag)."""
    kind = model["_model_name"]
    lo, hi = model["min"], model["max"]
    if kind == "FloatLogSliderModel":
        step = model.get("step") or 0.1   # the browser sends base ** exponent, on the step grid
        exps = [lo + step * round((hi - lo) * (i + 1) / (n + 1) / step) for i in range(n)]
        vals = [float(model.get("base", 10)) ** e for e in exps]
        cur = model.get("value")
        return [v if v != cur else float(model.get("base", 10)) ** lo for v in vals]
    step = model.get("step") or 1
    steps = int(round((hi - lo) / step))
    idx = [int(round(steps * (i + 1) / (n + 1))) for i in range(n)]
    vals = [lo + k * step for k in idx]
    vals = [int(v) if kind == "IntSliderModel" else round(v, 10) for v in vals]
    cur = model.get("value")
    return [v if v != cur else (lo if cur != lo else hi) for v in vals]


# ----------------------------------------------------------------------- a student ----
class Student:
    def __init__(self, index: int, hub: Hub, record: dict):
        self.name = f"student{index:02d}"
        self.hub = hub
        self.rec = record
        self.rec.update(name=self.name, errors=[], lessons={}, drags=[], alone=[], memory={})
        self.http = httpx.AsyncClient(base_url=hub.url, timeout=120,
                                      limits=httpx.Limits(max_connections=8))
        self.token = None
        self.kernels: dict[str, tuple[Kernel, dict]] = {}   # lesson -> (kernel, notebook)

    @property
    def base(self):
        return f"{self.hub.url}/user/{self.name}"

    def error(self, where: str, what: str):
        self.rec["errors"].append(f"{self.name} {where}: {what}")

    async def api(self, method, path, **kw):
        headers = kw.pop("headers", {})
        headers["Authorization"] = f"token {self.token}"
        r = await self.http.request(method, self.base + path, headers=headers, **kw)
        if r.status_code >= 400:
            raise RuntimeError(f"{method} {path} -> {r.status_code} {r.text[:200]}")
        return r

    async def log_in_and_spawn(self):
        """Login form, a token for this student's own use, then start the server and wait."""
        home = self.hub.home / self.name / ".jupyter"
        home.mkdir(parents=True, exist_ok=True)
        (home / "nbgrader_config.py").write_text(student_config(self.hub.state, self.name))
        (home / "jupyter_server_config.py").write_text(server_config(self.hub.nodelay))
        page = await self.http.get("/hub/login")
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page.text).group(1)
        r = await self.http.post("/hub/login?next=", data={
            "username": self.name, "password": PASSWORD, "_xsrf": xsrf})
        if r.status_code != 302:
            raise RuntimeError(f"login -> {r.status_code}")
        xsrf_hdr = {"X-XSRFToken": self.http.cookies.get("_xsrf", xsrf)}
        r = await self.http.post(f"/hub/api/users/{self.name}/tokens", headers=xsrf_hdr,
                                 json={"note": "classroom", "expires_in": 4 * 3600})
        if r.status_code != 201:
            raise RuntimeError(f"token -> {r.status_code} {r.text[:200]}")
        self.token = r.json()["token"]
        auth = {"Authorization": f"token {self.token}"}
        start = time.perf_counter()
        r = await self.http.post(f"/hub/api/users/{self.name}/server", headers=auth)
        if r.status_code not in (201, 202):
            raise RuntimeError(f"spawn -> {r.status_code} {r.text[:200]}")
        if r.status_code == 202:   # pending: follow the progress stream, as the spawn page does
            ready = False
            async with self.http.stream("GET", f"/hub/api/users/{self.name}/server/progress",
                                        headers=auth, timeout=START_TIMEOUT + 60) as s:
                async for line in s.aiter_lines():
                    if line.startswith("data:"):
                        event = json.loads(line[5:])
                        if event.get("failed"):
                            raise RuntimeError(f"spawn failed: {event.get('message')}")
                        if event.get("ready"):
                            ready = True
                            break
            if not ready:
                raise RuntimeError("spawn progress ended without 'ready'")
        self.rec["spawn_s"] = time.perf_counter() - start
        self.hub.remember_pids()

    async def upload(self, source: Path, lessons: list[str]):
        """Put the learner edition into the home directory through the contents API."""
        await self.api("PUT", "/api/contents/lessons", json={"type": "directory"})
        for lesson in lessons:
            path = lesson_path(source, lesson)
            await self.api("PUT", f"/api/contents/lessons/{path.name}", json={
                "type": "notebook", "format": "json", "content": json.loads(path.read_text())})

    async def open_kernel(self, nb_path: str) -> Kernel:
        r = await self.api("POST", "/api/sessions", json={
            "path": nb_path, "name": Path(nb_path).name, "type": "notebook",
            "kernel": {"name": "python3"}})
        kernel_id = r.json()["kernel"]["id"]
        kernel = await Kernel.connect(self.base, self.token, kernel_id, self.name)
        await kernel.execute("pass", timeout=300)      # the kernel is up and answering
        return kernel

    async def run_lesson(self, lesson: str, source: Path):
        name = lesson_path(source, lesson).name
        nb_path = f"lessons/{name}"
        nb = (await self.api("GET", f"/api/contents/{nb_path}?content=1")).json()["content"]
        t0 = time.perf_counter()
        kernel = await self.open_kernel(nb_path)
        kernel_start = time.perf_counter() - t0
        cells, explorers = [], []
        t1 = time.perf_counter()
        for i, cell in enumerate(nb["cells"]):
            if cell["cell_type"] != "code" or not "".join(cell["source"]).strip():
                continue
            req = await kernel.execute("".join(cell["source"]), cell_id=cell.get("id"))
            cell["outputs"] = req["outputs"]
            cell["execution_count"] = req["reply"].get("execution_count")
            first = next((ln for ln in "".join(cell["source"]).splitlines()
                          if ln.strip() and not ln.startswith("#")), "")
            cells.append((i, req["seconds"], first.strip()[:40]))
            if req["reply"]["status"] != "ok":
                self.error(f"lesson {lesson} cell {i}", f"{req['reply'].get('ename')}: "
                                                        f"{req['reply'].get('evalue')}")
            for out in req["outputs"]:
                if out["output_type"] == "stream" and out["name"] == "stderr":
                    self.rec.setdefault("stderr", []).append(
                        f"{self.name} lesson {lesson} cell {i}: {out['text'].strip()[:200]}")
            for ex in explorers_in(kernel, req["outputs"]):
                explorers.append({**ex, "cell": i})
        seconds = time.perf_counter() - t1
        await self.api("PUT", f"/api/contents/{nb_path}", json={
            "type": "notebook", "format": "json", "content": nb})
        self.rec["lessons"][lesson] = {"seconds": seconds, "kernel_start_s": kernel_start,
                                       "cells": cells, "explorers": len(explorers)}
        self.kernels[lesson] = (kernel, nb, explorers)
        self.measure_memory(f"after {lesson}")

    def measure_memory(self, label: str):
        proc = self.hub.servers().get(self.name)
        if proc is None:
            self.error("memory", "no server process found")
            return
        try:
            self.rec["memory"][label] = usage(proc)
        except psutil.Error as exc:
            self.error("memory", repr(exc))

    async def drag(self, n: int, into: str):
        for lesson, (kernel, _nb, explorers) in self.kernels.items():
            for ex in explorers:
                model = kernel.models[ex["slider"]]
                for value in drag_values(model, n):
                    res = await kernel.set_value(ex["slider"], value, watch=ex["image"])
                    if res["seconds"] is None:
                        self.rec.setdefault("no_redraw", []).append((lesson, ex["cell"], value))
                    else:
                        self.rec[into].append((lesson, ex["cell"], res["seconds"]))

    async def rerun(self, n: int):
        """Re-run every explorer cell ``n`` times; later drags move the newest explorers."""
        for lesson, (kernel, nb, explorers) in self.kernels.items():
            newest = []
            for ex_cell in sorted({ex["cell"] for ex in explorers}):
                code = "".join(nb["cells"][ex_cell]["source"])
                for _ in range(n):
                    req = await kernel.execute(code, cell_id=nb["cells"][ex_cell].get("id"))
                    if req["reply"]["status"] != "ok":
                        self.error(f"lesson {lesson} re-run of cell {ex_cell}",
                                   req["reply"].get("evalue"))
                newest += [{**ex, "cell": ex_cell} for ex in explorers_in(kernel, req["outputs"])]
            self.kernels[lesson] = (kernel, nb, newest or explorers)
            self.measure_memory(f"after {n} re-runs")

    async def close(self):
        for kernel, _nb, _ex in self.kernels.values():
            await kernel.close()
        await self.http.aclose()


def lesson_path(source: Path, lesson: str) -> Path:
    found = sorted(source.glob(f"{lesson}_*.ipynb"))
    if not found:
        raise SystemExit(f"no lesson {lesson}_*.ipynb in {source}")
    return found[0]


# ------------------------------------------------------------------------ the class ----
async def run_class(hub: Hub, args, source: Path, records: list, students: list):
    records[:] = [{} for _ in range(args.students)]
    students[:] = [Student(i + 1, hub, records[i]) for i in range(args.students)]
    arrived = 0
    all_here = asyncio.Event()

    def arrive():
        nonlocal arrived
        arrived += 1
        if arrived == len(students):
            all_here.set()

    async def one(st: Student, delay: float):
        await asyncio.sleep(delay)
        try:
            await st.log_in_and_spawn()
            await st.upload(source, args.lessons)
            for lesson in args.lessons:
                await st.run_lesson(lesson, source)
        except Exception as exc:  # noqa: BLE001 - every failure is counted, exactly
            st.error("setup/lesson", f"{type(exc).__name__}: {exc}")
            arrive()
            return
        arrive()
        await all_here.wait()           # then the whole class drags at once
        try:
            await st.drag(args.drags, "drags")
            await st.rerun(args.reruns)
        except Exception as exc:  # noqa: BLE001
            st.error("sliders/re-runs", f"{type(exc).__name__}: {exc}")

    t0 = time.perf_counter()
    tasks = [one(st, (i // args.wave) * args.wave_gap) for i, st in enumerate(students)]
    try:
        await asyncio.wait_for(asyncio.gather(*tasks), args.timeout)
    except asyncio.TimeoutError:
        students[0].error("class", f"not finished within --timeout {args.timeout:g} s")
    records[0]["class_s"] = time.perf_counter() - t0
    if students[0].kernels:             # one student alone, the class connected and idle
        try:
            await students[0].drag(args.drags, "alone")
        except Exception as exc:  # noqa: BLE001
            students[0].error("alone", f"{type(exc).__name__}: {exc}")
    hub.remember_pids()
    for st in students:
        await st.close()


# ----------------------------------------------------------------------- reporting ----
def pct(values, q):
    if not values:
        return float("nan")
    values = sorted(values)
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def summarize(records: list[dict], args, extra: dict) -> dict:
    spawn = [r["spawn_s"] for r in records if "spawn_s" in r]
    out = {"students": len(records), "spawned": len(spawn),
           "spawn_median_s": pct(spawn, 0.5), "spawn_max_s": max(spawn, default=float("nan")),
           "spawn_over_30s": sum(s > 30 for s in spawn), "lessons": {}}
    for lesson in args.lessons:
        done = [r["lessons"][lesson] for r in records if lesson in r.get("lessons", {})]
        secs = [d["seconds"] for d in done]
        by_cell: dict[int, list] = {}
        label = {}
        for d in done:
            for i, s, first in d["cells"]:
                by_cell.setdefault(i, []).append(s)
                label[i] = first
        slow = sorted(((statistics.median(v), i) for i, v in by_cell.items()), reverse=True)[:3]
        out["lessons"][lesson] = {"ran": len(secs), "median_s": pct(secs, 0.5),
                                  "p95_s": pct(secs, 0.95),
                                  "kernel_start_median_s": pct(
                                      [d["kernel_start_s"] for d in done], 0.5),
                                  "slowest_cells": [(i, round(s, 2), label[i]) for s, i in slow]}
    load = [s for r in records for (_l, _c, s) in r.get("drags", [])]
    alone = [s for r in records for (_l, _c, s) in r.get("alone", [])]
    out.update(slider_alone_ms=(pct(alone, 0.5) * 1e3, pct(alone, 0.95) * 1e3, len(alone)),
               slider_load_ms=(pct(load, 0.5) * 1e3, pct(load, 0.95) * 1e3, len(load)),
               no_redraw=[x for r in records for x in r.get("no_redraw", [])])
    mem_first = [next(iter(r["memory"].values())) for r in records if r.get("memory")]
    mem_last = [list(r["memory"].values())[-1] for r in records if r.get("memory")]
    for key, rows in (("first", mem_first), ("last", mem_last)):
        server = [m["server_mb"] for m in rows]
        kern = [m["kernels_mb"] for m in rows]
        total = [m["server_mb"] + m["kernels_mb"] for m in rows]
        out[f"memory_{key}"] = {"kernel_cpu_median_s": pct([m.get("kernels_cpu_s", float("nan"))
                                                           for m in rows], 0.5),
                                "server_median_mb": pct(server, 0.5),
                                "kernel_median_mb": pct(kern, 0.5),
                                "total_median_mb": pct(total, 0.5),
                                "total_max_mb": max(total, default=float("nan"))}
    out["errors"] = [e for r in records for e in r.get("errors", [])]
    out["stderr"] = [e for r in records for e in r.get("stderr", [])]
    out.update(extra)
    return out


def table(s: dict, args) -> str:
    def ms(t):
        return f"{t[0]:.0f} / {t[1]:.0f} ms (n={t[2]})"
    rows = [("students spawned", f"{s['spawned']} of {s['students']} "
                                 f"(waves of {args.wave}, {args.wave_gap:g} s apart)"),
            ("spawn time, median / max", f"{s['spawn_median_s']:.1f} s / {s['spawn_max_s']:.1f} s"
                                         f" ({s['spawn_over_30s']} over 30 s)")]
    for lesson, d in s["lessons"].items():
        rows.append((f"lesson {lesson}, median / p95",
                     f"{d['median_s']:.1f} s / {d['p95_s']:.1f} s (ran {d['ran']}; kernel start "
                     f"{d['kernel_start_median_s']:.1f} s)"))
        rows.append((f"lesson {lesson}, slowest cells (median s)",
                     "; ".join(f"{t:.1f} s `{first}`" for _i, t, first in d["slowest_cells"])))
    rows += [("slider → new image, alone, median / p95", ms(s["slider_alone_ms"])),
             ("slider moves that drew nothing new", str(len(s["no_redraw"]))),
             ("slider → new image, whole class dragging", ms(s["slider_load_ms"])),
             ("memory per student after lesson (PSS)",
              f"server {s['memory_first']['server_median_mb']:.0f} MB + kernel "
              f"{s['memory_first']['kernel_median_mb']:.0f} MB = "
              f"{s['memory_first']['total_median_mb']:.0f} MB median, "
              f"{s['memory_first']['total_max_mb']:.0f} MB max"),
             (f"memory per student after {args.reruns} explorer re-runs",
              f"server {s['memory_last']['server_median_mb']:.0f} MB + kernel "
              f"{s['memory_last']['kernel_median_mb']:.0f} MB = "
              f"{s['memory_last']['total_median_mb']:.0f} MB median, "
              f"{s['memory_last']['total_max_mb']:.0f} MB max"),
             ("kernel CPU time per student: lesson / + re-runs",
              f"{s['memory_first']['kernel_cpu_median_s']:.1f} s / "
              f"{s['memory_last']['kernel_cpu_median_s']:.1f} s (median)"),
             ("hub + proxy (PSS)", f"{s.get('hub_proxy_mb', float('nan')):.0f} MB"),
             ("load average (1 min) at the end", f"{s.get('loadavg', float('nan')):.1f}")]
    if "nbgrader" in s:
        g = s["nbgrader"]
        rows.append(("nbgrader round trip", f"{g['matched']} of {g['students']} students' scores "
                                            f"match ({g['seconds']:.0f} s; autograde "
                                            f"{g['autograde_s']:.0f} s)"))
    rows.append(("errors", str(len(s["errors"]))))
    width = max(len(r[0]) for r in rows)
    lines = [f"| {'':{width}} | |", f"|{'-' * (width + 2)}|---|"]
    lines += [f"| {a:{width}} | {b} |" for a, b in rows]
    for e in s["errors"]:
        lines.append(f"  error: {e}")
    if s["stderr"]:
        lines.append(f"  stderr output in {len(s['stderr'])} cells, first: {s['stderr'][0]}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------- main ----
def watch_parent():
    """If whoever started this tool goes away (a killed test run), stop the hub all the same."""
    parent = os.getppid()

    def loop():
        while os.getppid() == parent:
            time.sleep(2)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=loop, daemon=True).start()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--students", "-n", type=int, default=30)
    ap.add_argument("--lessons", nargs="+", default=["08"], help="two-digit lesson numbers")
    ap.add_argument("--source", type=Path, default=None,
                    help="learner edition folder (default lessons/, else notebooks/)")
    ap.add_argument("--wave", type=int, default=10, help="students per login wave")
    ap.add_argument("--wave-gap", type=float, default=10.0, help="seconds between waves")
    ap.add_argument("--drags", type=int, default=20, help="slider moves per explorer")
    ap.add_argument("--reruns", type=int, default=10, help="re-runs per explorer cell")
    ap.add_argument("--nbgrader", default="01", help="lesson for the nbgrader round trip")
    ap.add_argument("--no-nbgrader", action="store_true")
    ap.add_argument("--state", type=Path, default=ROOT / "build" / "classroom" / "run")
    ap.add_argument("--pythonpath", default=None,
                    help="put this first on the kernels' PYTHONPATH (e.g. an older nnlib tree)")
    ap.add_argument("--no-nodelay", action="store_true",
                    help="leave the nnlib_nodelay server extension off")
    ap.add_argument("--timeout", type=float, default=3600, help="bound on the class, seconds")
    ap.add_argument("--json", type=Path, default=None, help="write the full results here")
    args = ap.parse_args(argv)
    source = args.source or (ROOT / "lessons" if (ROOT / "lessons").is_dir()
                             else ROOT / "notebooks")
    args.lessons = [lesson.zfill(2) for lesson in args.lessons]
    for lesson in args.lessons:
        lesson_path(source, lesson)

    hub = Hub(args.state.resolve(), args.pythonpath, nodelay=not args.no_nodelay)
    extra: dict = {"source": str(source)}
    stopped = False

    def on_signal(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, on_signal)
    watch_parent()
    records, students = [], []
    try:
        hub.mark_started()
        hub.start()
        print(f"hub on {hub.url}, state in {hub.state}, learner edition from {source}",
              flush=True)
        asyncio.run(run_class(hub, args, source, records, students))
        hub.remember_pids()
        try:
            hub_proc = psutil.Process(hub.proc.pid)
            extra["hub_proxy_mb"] = sum(
                p.memory_full_info().pss for p in [hub_proc] + [
                    c for c in hub_proc.children() if "JUPYTERHUB_USER" not in c.environ()]) / 1e6
        except psutil.Error:
            pass
        extra["loadavg"] = os.getloadavg()[0]
        if not args.no_nbgrader:
            extra["nbgrader"] = asyncio.run(round_trip(hub, args.students, args.nbgrader,
                                                       hub.state, PASSWORD, students))
            records[0].setdefault("errors", []).extend(extra["nbgrader"]["errors"])
    except KeyboardInterrupt as exc:
        print(f"interrupted ({exc}); stopping the hub", file=sys.stderr)
        records.append({"errors": [f"interrupted: {exc}"]})
    except Exception as exc:  # noqa: BLE001
        traceback.print_exc()
        records.append({"errors": [f"{type(exc).__name__}: {exc}"]})
    finally:
        t = time.perf_counter()
        survivors = hub.stop()
        stopped = True
        extra["stop_s"] = time.perf_counter() - t
        extra["survivors_killed"] = survivors
    summary = summarize([r for r in records if r], args, extra)
    if survivors:
        summary["errors"].append(f"{len(survivors)} processes outlived the hub and were ended: "
                                 f"{survivors}")
    print(table(summary, args), flush=True)
    print(f"stopped everything in {extra['stop_s']:.1f} s", flush=True)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"summary": summary, "records": records,
                                         "args": {k: str(v) for k, v in vars(args).items()}},
                                        indent=1, default=str))
    return 0 if stopped and not summary["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
