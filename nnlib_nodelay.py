"""Jupyter server extension: TCP_NODELAY on kernel websockets (a workaround, see docs/nodelay.md).

Why: jupyter_server's kernel websocket never sets ``TCP_NODELAY``, so Nagle's algorithm and
the browser's delayed ACKs hold small kernel messages back by about 40 ms. Every slider move
pays that twice (comm message in, new image out). Tornado documents the remedy for exactly
this case: call ``WebSocketHandler.set_nodelay(True)`` once the websocket is open.

How: :func:`apply` wraps ``KernelWebsocketHandler.open`` (jupyter_server 2.x) so that it first
calls tornado's public ``self.set_nodelay(True)`` and then the original ``open``. Voilà's
handler subclasses it, so ``make present`` is covered too. Nothing else changes.

If the installed jupyter_server no longer has that handler or method, :func:`apply` logs one
line saying so and does nothing else; ``tests/test_nodelay.py`` fails in that case, so the
course notices. Drop this module once upstream sets the flag itself (the same test then says
so).

Enabled by ``etc/jupyter/jupyter_server_config.d/nnlib_nodelay.json`` (installed with the
package, editable or not) for JupyterLab, Notebook 7 and JupyterHub single-user servers;
``make present`` runs Voilà through ``python -m nnlib_nodelay voila ...``.

This is a top-level module (not ``nnlib._nodelay``) so that the Jupyter *server* process does
not import nnlib, NumPy and matplotlib just to set a socket flag.
"""

from __future__ import annotations

import functools
import logging
import sys

__all__ = ["apply", "applied", "MARKER"]

MARKER = "__nnlib_nodelay__"
TARGET = "jupyter_server.services.kernels.websocket.KernelWebsocketHandler.open"
_log = logging.getLogger("nnlib_nodelay")


def _handler_class():
    from jupyter_server.services.kernels.websocket import KernelWebsocketHandler
    return KernelWebsocketHandler


def applied() -> bool:
    """Whether the installed jupyter_server's kernel websocket handler carries the patch."""
    try:
        return bool(getattr(_handler_class().__dict__.get("open"), MARKER, False))
    except Exception:
        return False


def _why_not(handler) -> str | None:
    """The reason the patch cannot apply to ``handler``, or ``None`` if it can."""
    original = handler.__dict__.get("open")
    if original is None or not callable(original):
        return f"{handler.__name__} defines no open() of its own"
    if not callable(getattr(handler, "set_nodelay", None)):
        return f"{handler.__name__} has no set_nodelay() (tornado WebSocketHandler API)"
    return None


def apply(log: logging.Logger | None = None) -> bool:
    """Patch the kernel websocket's ``open`` to set ``TCP_NODELAY``; True if it is in place.

    Idempotent. On any mismatch with the installed jupyter_server: one warning line, no
    change, returns False.
    """
    log = log or _log
    try:
        handler = _handler_class()
        reason = _why_not(handler)
    except Exception as exc:  # module moved or renamed upstream
        reason = f"cannot import it ({type(exc).__name__}: {exc})"
    if reason is not None:
        log.warning("nnlib_nodelay: not applied, kernel websockets keep Nagle's ~40 ms delay: "
                    "%s: %s. See docs/nodelay.md.", TARGET, reason)
        return False
    original = handler.__dict__["open"]
    if getattr(original, MARKER, False):
        return True

    @functools.wraps(original)
    def open(self, *args, **kwargs):  # noqa: A001 - the name tornado calls
        try:
            self.set_nodelay(True)
        except Exception as exc:  # a closed stream: the original open() reports that
            self.log.debug("nnlib_nodelay: set_nodelay failed: %s", exc)
        return original(self, *args, **kwargs)

    setattr(open, MARKER, True)
    handler.open = open
    return True


# --- jupyter_server extension API -------------------------------------------------------------

def _jupyter_server_extension_points():
    return [{"module": "nnlib_nodelay"}]


def _load_jupyter_server_extension(serverapp):
    if apply(serverapp.log):
        serverapp.log.info("nnlib_nodelay: TCP_NODELAY on for kernel websockets (docs/nodelay.md)")


# --- launcher for servers that load no extensions (standalone Voilà) ----------------------------

def main(argv: list[str] | None = None) -> int:
    """``python -m nnlib_nodelay voila ARGS...``: apply the patch, then run Voilà."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] != "voila":
        print("usage: python -m nnlib_nodelay voila [voila arguments]", file=sys.stderr)
        return 2
    logging.basicConfig(format="[%(levelname).1s %(name)s] %(message)s")
    apply()
    from voila.app import main as voila_main
    sys.argv = ["voila"] + argv[1:]
    return voila_main() or 0


if __name__ == "__main__":
    sys.exit(main())
