"""nnlib_nodelay: TCP_NODELAY on Jupyter kernel websockets (docs/nodelay.md).

- the patch applies to the *installed* jupyter_server (if upstream moves the handler, this
  fails: the extension would only log one line and the sliders would be slow again);
- on a mismatch it logs exactly one line and changes nothing;
- a real ``jupyter server``, configured only by the JSON file the package ships, has
  TCP_NODELAY set on a real kernel websocket: the socket option is read back from the
  server's own socket (``pidfd_getfd``), not inferred from timings;
- the same server without the extension does *not* set it (upstream behaviour): when this
  control starts failing, upstream sets the flag itself and the workaround can go.

Execute round-trip times are printed for information only (no timing assertion).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import ctypes
import json
import logging
import os
import secrets
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

import nnlib_nodelay

ROOT = Path(__file__).resolve().parents[1]
CONFIG_DIR = ROOT / "jupyter-config"  # holds jupyter_server_config.d/nnlib_nodelay.json
SYS_PIDFD_GETFD = 438  # the same number on every Linux architecture


def run_coroutine(coro):
    """``asyncio.run(coro)`` in a thread of its own: in the full suite the browser tests'
    session-wide Playwright keeps an event loop running in the main thread, where
    ``asyncio.run`` refuses to start."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


# --------------------------------------------------------------------------- unit tests
def test_patch_applies_to_installed_jupyter_server():
    from jupyter_server.services.kernels.websocket import KernelWebsocketHandler

    assert nnlib_nodelay.apply() is True
    assert nnlib_nodelay.applied()
    assert getattr(KernelWebsocketHandler.open, nnlib_nodelay.MARKER, False)
    before = KernelWebsocketHandler.open
    assert nnlib_nodelay.apply() is True  # idempotent: no wrapper around the wrapper
    assert KernelWebsocketHandler.open is before
    # Voila's handler (make present) inherits the patched open
    from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler
    assert "open" not in VoilaKernelWebsocketHandler.__dict__
    assert getattr(VoilaKernelWebsocketHandler.open, nnlib_nodelay.MARKER, False)


def test_wrapper_sets_nodelay_before_the_original_open(monkeypatch):
    calls = []

    class Handler:  # the two methods the wrapper relies on, recording their calls
        log = logging.getLogger("handler")

        def set_nodelay(self, value):
            calls.append(("set_nodelay", value))

        async def open(self, kernel_id):
            calls.append(("open", kernel_id))

    monkeypatch.setattr(nnlib_nodelay, "_handler_class", lambda: Handler)
    assert nnlib_nodelay.apply() is True
    result = Handler().open("kernel-1")
    assert calls == [("set_nodelay", True)]  # before the original open runs
    run_coroutine(result)  # tornado awaits what open() returns
    assert calls == [("set_nodelay", True), ("open", "kernel-1")]


def test_mismatch_logs_one_line_and_changes_nothing(monkeypatch, caplog):
    class Renamed:  # what a future jupyter_server might look like: no open() of its own
        pass

    monkeypatch.setattr(nnlib_nodelay, "_handler_class", lambda: Renamed)
    with caplog.at_level(logging.INFO, logger="nnlib_nodelay"):
        assert nnlib_nodelay.apply() is False
    assert len(caplog.records) == 1, [r.getMessage() for r in caplog.records]
    message = caplog.records[0].getMessage()
    assert "not applied" in message and "Renamed" in message and "docs/nodelay.md" in message
    assert "\n" not in message
    assert Renamed.__dict__.get("open") is None

    def broken():
        raise ImportError("No module named 'jupyter_server.services.kernels.websocket'")

    caplog.clear()
    monkeypatch.setattr(nnlib_nodelay, "_handler_class", broken)
    with caplog.at_level(logging.INFO, logger="nnlib_nodelay"):
        assert nnlib_nodelay.apply() is False
    assert len(caplog.records) == 1 and "cannot import" in caplog.records[0].getMessage()


def test_shipped_config_enables_the_extension():
    config = json.loads((CONFIG_DIR / "jupyter_server_config.d" / "nnlib_nodelay.json")
                        .read_text(encoding="utf-8"))
    assert config == {"ServerApp": {"jpserver_extensions": {"nnlib_nodelay": True}}}
    points = nnlib_nodelay._jupyter_server_extension_points()
    assert points == [{"module": "nnlib_nodelay"}]


# --------------------------------------------------------------------------- a real server
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _private_env(home: Path, with_extension: bool) -> dict:
    env = dict(os.environ)
    for var in ("JUPYTER_PATH", "JUPYTER_TOKEN", "JUPYTER_CONFIG_PATH"):
        env.pop(var, None)
    env.update(HOME=str(home), JUPYTER_CONFIG_DIR=str(home / ".jupyter"),
               JUPYTER_DATA_DIR=str(home / "data"), JUPYTER_RUNTIME_DIR=str(home / "runtime"),
               IPYTHONDIR=str(home / ".ipython"), PYTHONWARNINGS="")
    if with_extension:  # exactly the file the package installs into etc/jupyter
        env["JUPYTER_CONFIG_PATH"] = str(CONFIG_DIR)
    return env


class JupyterServer:
    def __init__(self, tmp: Path, with_extension: bool):
        home = tmp / "home"
        home.mkdir(parents=True)
        self.port, self.token = _free_port(), secrets.token_hex(16)
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = tmp / "server.log"
        cmd = [sys.executable, "-m", "jupyter_server", "--no-browser",
               "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}",
               "--ServerApp.port_retries=0", f"--IdentityProvider.token={self.token}",
               f"--ServerApp.root_dir={tmp}"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--ServerApp.allow_root=True")
        if not with_extension:  # also off when a normal install put the JSON in sys.prefix
            cmd.append("--ServerApp.jpserver_extensions=nnlib_nodelay=False")
        self._log = open(self.log_path, "w", encoding="utf-8")
        self.proc = subprocess.Popen(cmd, env=_private_env(home, with_extension), cwd=tmp,
                                     stdout=self._log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while True:
            assert self.proc.poll() is None, f"server exited:\n{self.log()}"
            try:
                self.request("GET", "/api/status")
                break
            except OSError:
                assert time.monotonic() < deadline, f"server did not start:\n{self.log()}"
                time.sleep(0.25)

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(encoding="utf-8")[-4000:]

    def request(self, method, path, body=None):
        req = urllib.request.Request(self.base + path, method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            raw = resp.read()
        return json.loads(raw) if raw else None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self._log.close()


def _nodelay_of_peer_socket(pid: int, local_port: int, server_port: int) -> int:
    """TCP_NODELAY of the server's end of our connection, read from the server's own fd."""
    import psutil

    conns = [c for c in psutil.Process(pid).net_connections(kind="tcp")
             if c.laddr and c.laddr.port == server_port and c.raddr
             and c.raddr.port == local_port]
    assert len(conns) == 1, f"server socket for client port {local_port} not found: {conns}"
    libc = ctypes.CDLL(None, use_errno=True)
    pidfd = os.pidfd_open(pid)
    try:
        fd = libc.syscall(SYS_PIDFD_GETFD, pidfd, conns[0].fd, 0)
        if fd < 0:
            err = ctypes.get_errno()
            pytest.skip(f"pidfd_getfd not permitted here ({os.strerror(err)})")
        try:
            with socket.socket(fileno=os.dup(fd)) as s:
                return s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        finally:
            os.close(fd)
    finally:
        os.close(pidfd)


def _message(session, msg_type, content):
    return {"header": {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "session": session,
                       "username": "test", "date": "2026-01-01T00:00:00Z", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "content": content, "channel": "shell",
            "buffers": []}


async def _probe_kernel_websocket(server, kernel_id, rounds=15):
    """Connect a kernel websocket; returns (server-side TCP_NODELAY, execute round trips ms)."""
    from tornado.websocket import websocket_connect

    session = uuid.uuid4().hex
    url = (f"ws://127.0.0.1:{server.port}/api/kernels/{kernel_id}/channels"
           f"?session_id={session}&token={server.token}")
    ws = await websocket_connect(url)
    stream = ws.protocol.stream
    try:
        local_port = stream.socket.getsockname()[1]

        async def execute(code):
            msg = _message(session, "execute_request",
                           {"code": code, "silent": False, "store_history": False,
                            "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
            start = time.perf_counter()
            await ws.write_message(json.dumps(msg))
            while True:
                raw = await asyncio.wait_for(ws.read_message(), 30)
                assert raw is not None, "websocket closed"
                reply = json.loads(raw)
                if (reply.get("parent_header", {}).get("msg_id") == msg["header"]["msg_id"]
                        and reply["header"]["msg_type"] == "execute_reply"):
                    return (time.perf_counter() - start) * 1000

        await execute("pass")  # the kernel is connected and warm
        nodelay = _nodelay_of_peer_socket(server.proc.pid, local_port, server.port)
        times = [await execute("pass") for _ in range(rounds)]
        return nodelay, times
    finally:
        ws.close()
        with contextlib.suppress(Exception):  # let the closing handshake finish
            while await asyncio.wait_for(ws.read_message(), 5) is not None:
                pass
        stream.close()  # and the socket itself, before this thread's event loop ends


def _run_server_probe(tmp_path, with_extension):
    server = JupyterServer(tmp_path, with_extension)
    try:
        kernel = server.request("POST", "/api/kernels", {"name": "python3"})
        try:
            nodelay, times = run_coroutine(_probe_kernel_websocket(server, kernel["id"]))
        finally:
            server.request("DELETE", f"/api/kernels/{kernel['id']}")
        return nodelay, times, server.log()
    finally:
        server.stop()


@pytest.mark.skipif(not sys.platform.startswith("linux") or not hasattr(os, "pidfd_open"),
                    reason="reads the server's socket option with Linux's pidfd_getfd")
def test_real_server_kernel_websocket_has_nodelay(tmp_path):
    nodelay, times, log = _run_server_probe(tmp_path, with_extension=True)
    print(f"\nwith nnlib_nodelay: execute('pass') round trip median "
          f"{statistics.median(times):.1f} ms, max {max(times):.1f} ms (load average "
          f"{os.getloadavg()[0]:.1f}; information only)")
    assert "nnlib_nodelay: TCP_NODELAY on for kernel websockets" in log, log
    assert "nnlib_nodelay: not applied" not in log, log
    assert nodelay != 0, "the kernel websocket's server socket has TCP_NODELAY off"


@pytest.mark.skipif(not sys.platform.startswith("linux") or not hasattr(os, "pidfd_open"),
                    reason="reads the server's socket option with Linux's pidfd_getfd")
def test_upstream_still_needs_the_workaround(tmp_path):
    """Control: without the extension, jupyter_server leaves Nagle on. If this fails, upstream
    sets TCP_NODELAY itself: remove nnlib_nodelay (docs/nodelay.md says how)."""
    nodelay, times, log = _run_server_probe(tmp_path, with_extension=False)
    print(f"\nwithout nnlib_nodelay: execute('pass') round trip median "
          f"{statistics.median(times):.1f} ms, max {max(times):.1f} ms (information only)")
    assert "nnlib_nodelay" not in log
    assert nodelay == 0, ("upstream jupyter_server now sets TCP_NODELAY on kernel websockets: "
                          "the nnlib_nodelay workaround can be dropped (docs/nodelay.md)")
