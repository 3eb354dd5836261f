"""Gunicorn settings for the webhook (``gunicorn --config python:webhook.gunicorn_conf``).

Loaded as a module, not as a file: an installed wheel has no source tree to point at.

Sized for the 2-core machine (override with BESOKSRAPPORT_WORKERS / _THREADS):

* 2 workers, one per core: the Python work of a delivery (verify, parse, validate,
  answer) holds the GIL, so one process cannot use more than one core;
* 8 threads per worker: while a delivery waits for its durable commit (fsync, GIL
  released) the other threads parse and validate the next ones, and queue up behind
  the commit, so the storage's group commit writes several deliveries per fsync.

Measured with bench/bench_webhook.py in an earlier state of the code (wrk, 16 connections,
8 s, ours only, so compare within one column): 2×8: 947 req/s, p99 34 ms; 2×4: 798, p99 39;
3×4: 753, p99 59; 4×4: 764, p99 55; 4×2: 634, p99 41; 8×2: 690, p99 45. After the
multi-row group commit (before reuse_port), 2×4, 2×16, 3×6 and 4×4 were no better than 2×8. More
processes mean more, smaller commits (the writers of all processes take turns on one
file lock) and more GIL contention per core; fewer threads mean smaller batches.

``reuse_port``: each worker listens on its own socket (SO_REUSEPORT) and the kernel spreads
new connections over them. With one shared socket, whichever worker wakes first takes the
connection, and keep-alive connections stay where they landed: in the benchmark 13 to 15 of
16 connections often sat on one worker, which then ran on one core (the GIL) while the
other idled. The cost: a connection waiting in a worker's own queue when that worker stops
is reset, and the platform retries it, as it does any failed delivery. A Unix socket or a
socket from systemd is shared by the workers as before (``startup.use_reuse_port``).

The app is created in each worker after the fork (no preload), so every worker has its own
database connections. Settings are checked in the master first: a bad one stops start-up
with one line.

The outbox runs in one process of its own, ``besoksrapport worker``, which the master
starts when it is ready and stops when it exits (``BESOKSRAPPORT_OUTBOX_PROCESS=false``
puts it back in a thread of every web worker). Rendering and filing in a web worker took
the GIL and the database from the requests: with them there, the ack managed 0.02 × bare
Flask (issue 19). The master restarts the process if it dies. A web worker stopped
gracefully stops its outbox thread, if it has one, and hands its job back (``worker_exit``).
"""

import contextlib
import gc
import os
import signal
import sys
import tempfile
import threading
import time

bind = os.environ.get("BESOKSRAPPORT_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("BESOKSRAPPORT_WORKERS", "2"))
worker_class = "webhook.gunicorn_worker.Worker"  # gthread, see webhook/gunicorn_worker.py
threads = int(os.environ.get("BESOKSRAPPORT_THREADS", "8"))
timeout = 30
graceful_timeout = 10
keepalive = 5
reuse_port = True
accesslog = None  # the app writes its own JSON-lines access log
errorlog = "-"
loglevel = "warning"
proc_name = "besoksrapport"
# How long a start waits for the port of a killed master's orphaned workers (they close
# their listening sockets within about a second, see webhook/gunicorn_worker.py).
ORPHANS_LET_GO_SECONDS = 3.0


def post_worker_init(worker) -> None:
    """Freeze the app's objects for the collector; say, in Swedish, where the service
    listens once it does (``make run`` shows it).

    ``gc.freeze``: the objects the app was built from (schemas, validators, templates,
    routes) live as long as the worker, yet every full collection walked them all, with
    the GIL held: 44–138 ms pauses, every few seconds under load, during which no
    delivery of that worker moved. Frozen, they are skipped, and a full collection walks
    only what the requests left behind. What is garbage already is collected first, so
    none of it is frozen for good.

    With ``reuse_port`` the workers, not the master, listen, so the line comes when the
    first worker has its app and socket (once: not again for later workers or restarts).
    """
    gc.collect()
    gc.freeze()
    if worker.age != 1:
        return
    from webhook.startup import listening_line

    print(listening_line(worker.cfg.address), file=sys.stderr, flush=True)


def on_starting(server) -> None:
    """Refuse to start on a bad setting, naming it in one line (no traceback)."""
    from besoksrapport.errors import ConfigError
    from webhook.startup import check, check_addresses_free, use_reuse_port

    _prepare_metrics_dir()

    if not use_reuse_port(server.cfg.address, os.environ):
        server.cfg.set("reuse_port", False)
    try:
        check()
        if server.cfg.reuse_port:
            check_addresses_free(server.cfg.address, wait_seconds=ORPHANS_LET_GO_SECONDS)
    except ConfigError as error:
        print(f"besoksrapport: {error}", file=sys.stderr, flush=True)
        sys.exit(2)


def _prepare_metrics_dir() -> None:
    """``PROMETHEUS_MULTIPROC_DIR`` for the workers' counters (``webhook.metrics``): the
    operator's, emptied of a previous run's files, or a new temporary folder."""
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not path:
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="besoksrapport-metrics-")
        return
    os.makedirs(path, exist_ok=True)
    for name in os.listdir(path):
        if name.endswith(".db"):
            os.unlink(os.path.join(path, name))


def child_exit(server, worker) -> None:
    """A worker is gone: its live gauges no longer count (its counters still do)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
_outbox: dict = {"pid": None, "stopping": False}


def _outbox_process_wanted() -> bool:
    from besoksrapport.settings import env_bool

    return env_bool(os.environ, "RUN_WORKER", True) and env_bool(os.environ, "OUTBOX_PROCESS",
                                                                  True)


def _spawn_outbox() -> int:
    """``besoksrapport worker`` by posix_spawn: no pipe for gunicorn's forked web workers
    to inherit and hold open, as subprocess's exec-error pipe would be."""
    argv = [sys.executable, "-m", "besoksrapport.cli.main", "worker"]
    env = {**os.environ, "BESOKSRAPPORT_RUN_WORKER": "true",
           "BESOKSRAPPORT_OUTBOX_PARENT": str(os.getpid())}
    return os.posix_spawn(sys.executable, argv, env)


def _ended(pid: int) -> tuple[bool, int | None]:
    """Whether the process has ended, and its status if this thread reaped it. Never
    blocks: the master's own SIGCHLD handler reaps children too, and a blocking wait for one
    it reaped first can hang."""
    try:
        done, status = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True, None  # reaped by the master
    return (True, os.waitstatus_to_exitcode(status)) if done else (False, None)


def _supervise() -> None:
    """Start ``besoksrapport worker`` and start it again if it dies (not when stopping)."""
    while not _outbox["stopping"]:
        pid = _outbox["pid"] = _spawn_outbox()
        while True:
            ended, code = _ended(pid)
            if ended or _outbox["stopping"]:
                break
            time.sleep(0.2)
        if not _outbox["stopping"]:
            # Beside the Swedish start-up lines; the status is unknown when the master's
            # own reaping took the process first (the usual case).
            how = f" med status {code}" if code is not None else ""
            print(f"besoksrapport: utkorgens process avslutades{how} och startas igen.",
                  file=sys.stderr, flush=True)
            time.sleep(1.0)


def when_ready(server) -> None:
    """Start the outbox's own process; the web workers forked after this run none."""
    if _outbox_process_wanted():
        os.environ["BESOKSRAPPORT_RUN_WORKER"] = "false"  # read by create_app in each worker
        threading.Thread(target=_supervise, name="besoksrapport-outbox", daemon=True).start()


def on_exit(server) -> None:
    """Stop the outbox process gracefully: it hands a job it cannot finish back."""
    _outbox["stopping"] = True
    pid = _outbox["pid"]
    if pid is None or _ended(pid)[0]:
        return
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + graceful_timeout
    while time.monotonic() < deadline:
        if _ended(pid)[0]:
            return
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    _ended(pid)


def worker_exit(server, worker) -> None:
    """A web worker that ran the outbox in a thread stops it and hands its job back."""
    state = getattr(getattr(worker, "wsgi", None), "extensions", {}).get("besoksrapport")
    if state is not None:
        if getattr(state, "oep_poller", None) is not None:
            state.oep_poller.stop(1.0)
        if getattr(state, "worker", None) is not None:
            state.worker.stop(min(5.0, graceful_timeout / 2))
