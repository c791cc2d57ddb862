"""A warm process that runs a local run's analysis, training, table and figure jobs: their imports
paid once per run, not once per job.

An analysis job computes for a fraction of a second on digits, but a new interpreter first spends
about a second importing scikit-learn (which imports scipy.stats and pandas), openTSNE and the
study; a figure job half a second importing matplotlib and pandas (docs/performance.md, "What a
job pays to exist"). The server imports all of it once, then forks one child per job: a fork
copies the imported modules for free, so a job starts computing within milliseconds. Each job is
still its own Snakemake job and its own process, with its own files, log, exit code and thread
limit; a job that crashes takes only its own process down.

    python -m study.job_server SOCKET READY_FD   # what start() runs (the Snakefile's onstart)

Jobs reach it through `study.launch`: an analysis job's command (``python -m study.launch
study.analysis_job ...``), and a workflow script's first statement (``run_in_server``), which
sends the script's path and its ``snakemake`` object as JSON. Per connection:

1. the client sends its standard input, output and error (file descriptors, passed over the Unix
   socket) and one JSON line: the module or script to run, its arguments, working directory and
   environment;
2. the server forks a handler, which forks the job: the job takes the client's descriptors,
   directory and environment and runs the module's ``run_main`` or the script;
3. the handler sends back the job's exit code, wall and CPU time and peak memory (an analysis'
   client writes them as the job's benchmark), or kills the job if the client goes away first
   (Snakemake cancelled it), so no job outlives its command.

The server stops with Snakemake, its parent (or when `stop` is called: onsuccess, onerror). Only
the modules in `JOBS` and the scripts in workflow/scripts run; the socket sits in a directory only
its user can open.
"""
import ast
import importlib
import json
import os
import runpy
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

from study import launch
from study.launch import SCRIPT

JOBS = ("study.analysis_job",)
SCRIPTS = Path(__file__).resolve().parents[1] / "workflow" / "scripts"  # the script: jobs that run here, by default
# What the analyses compute with, imported once with what the scripts import (`preload`; a module
# not installed is skipped: its job imports it, or fails, as without the server).
PRELOAD = ("numpy", "study.analysis_job", "sklearn.cluster", "sklearn.linear_model", "sklearn.neighbors",
           "sklearn.manifold", "sklearn.metrics", "sklearn.mixture", "sklearn.pipeline",
           "sklearn.preprocessing", "openTSNE", "pynndescent")  # openTSNE imports pynndescent (and numba) on its first map
LEDGER_VARIABLE = "DIY_JOB_LEDGER"  # a file for each served job's cost (`_record`)
_MESSAGE_LIMIT = 1 << 22  # bytes of one request (its environment and arguments)
_PARENT_POLL = 1.0  # seconds between checks that Snakemake still runs


def start(scripts=SCRIPTS):
    """Start a server for this process's jobs, and for the workflow scripts in the directory
    `scripts` (the Snakefile's) -> (its process, the socket's path); the socket exists once this
    returns. The path goes into the jobs' environment (`SERVER_VARIABLE`)."""
    directory = tempfile.mkdtemp(prefix="diy-jobs-")  # mode 0700: only this user connects
    path = os.path.join(directory, "socket")
    ready_read, ready_write = os.pipe()
    # One thread in the server, so that no BLAS or OpenMP worker threads exist when it forks; each
    # job sets its own number (study.threads.limit_threads, from the rule's threads).
    single = {name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}
    process = subprocess.Popen([sys.executable, "-m", "study.job_server", path, str(ready_write), str(scripts)],
                               pass_fds=(ready_write,), stdin=subprocess.DEVNULL, env={**os.environ, **single})
    os.close(ready_write)
    with os.fdopen(ready_read) as ready:
        if ready.read() != "ready":
            process.wait()
            shutil.rmtree(directory, ignore_errors=True)
            raise RuntimeError(f"the job server did not start (exit code {process.returncode})")
    return process, path


def stop(process, path):
    """Stop the server `start` returned and remove its socket."""
    process.terminate()
    process.wait()
    shutil.rmtree(os.path.dirname(path), ignore_errors=True)


def preload(scripts):
    """Import `PRELOAD` and every module a workflow script in `scripts` imports (read from its
    source)."""
    scripts = [ast.parse(script.read_text()) for script in sorted(scripts.glob("*.py"))]
    imported = [node.module if isinstance(node, ast.ImportFrom) else alias.name
                for tree in scripts for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))
                for alias in node.names]
    for name in dict.fromkeys([*PRELOAD, *imported]):
        try:
            importlib.import_module(name)
        except ImportError:
            pass


def serve(path, ready_fd, scripts):
    """Accept jobs on the Unix socket `path` until the parent process ends."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(64)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    parent = os.getppid()
    with os.fdopen(ready_fd, "w") as ready:
        ready.write("ready")
    # Snakemake goes on meanwhile; the first jobs wait in the socket's queue for about the time
    # their own imports would have taken.
    preload(scripts)
    try:
        while os.getppid() == parent:
            _reap()
            if not select.select([listener], [], [], _PARENT_POLL)[0]:
                continue
            connection, _ = listener.accept()
            sys.stdout.flush()
            sys.stderr.flush()
            if os.fork() == 0:
                try:  # the handler never returns into the server's loop
                    listener.close()
                    signal.signal(signal.SIGTERM, signal.SIG_DFL)
                    # A Ctrl-C reaches the whole terminal's group: the handler outlives it to kill
                    # its job once the client, interrupted too, is gone.
                    signal.signal(signal.SIGINT, signal.SIG_IGN)
                    _handle(connection, scripts)
                finally:
                    os._exit(0)
            connection.close()
    finally:
        shutil.rmtree(os.path.dirname(path), ignore_errors=True)


def _reap():
    """Wait for the handlers that ended: their CPU time (their jobs' included) then counts as the
    server's children's, and so as Snakemake's (what `time snakemake ...` reports)."""
    try:
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass
    except ChildProcessError:
        pass


def _handle(connection, scripts):
    """One job: read the request, fork the job, send back its exit code."""
    request, descriptors = _receive(connection)
    problem = _refused(request, scripts)
    if problem:
        connection.sendall(json.dumps({"error": problem}).encode() + b"\n")
        return
    started = time.monotonic()
    job = os.fork()
    if job == 0:
        try:  # nor does the job
            connection.close()
            os.setpgid(0, 0)
            signal.signal(signal.SIGINT, signal.default_int_handler)
            _run_job(request, descriptors)
        finally:
            os._exit(1)
    for descriptor in descriptors:
        os.close(descriptor)
    finished = os.pidfd_open(job)
    while True:
        readable = select.select([connection, finished], [], [])[0]
        if finished in readable:
            _, status, usage = os.wait4(job, 0)
            reply = {"exit_code": os.waitstatus_to_exitcode(status), "seconds": time.monotonic() - started,
                     "cpu_seconds": usage.ru_utime + usage.ru_stime, "max_rss_mb": usage.ru_maxrss / 1024}
            connection.sendall(json.dumps(reply).encode() + b"\n")
            _record(request, reply)
            return
        if not connection.recv(1):  # the client is gone: its job goes too
            os.killpg(job, signal.SIGKILL)
            os.waitpid(job, 0)
            return


def _record(request, cost):
    """With ``DIY_JOB_LEDGER`` set (bench/cpu_split.py), append the job's kind and CPU seconds to
    that file: one short line, written at once, so concurrent handlers never interleave."""
    ledger = os.environ.get(LEDGER_VARIABLE)
    if ledger:
        kind = Path(request["args"][0]).stem if request["module"] == SCRIPT else request["module"]
        with open(ledger, "a") as file:
            file.write(f"{kind}\t{cost['cpu_seconds']:.4f}\t{cost['seconds']:.4f}\n")


def _receive(connection):
    """The request (a JSON line) and the three descriptors sent with it."""
    message, descriptors, _, _ = socket.recv_fds(connection, _MESSAGE_LIMIT, 3)
    while not message.endswith(b"\n"):
        more = connection.recv(_MESSAGE_LIMIT)
        if not more:
            raise ConnectionError("the request ended early")
        message += more
    return json.loads(message), descriptors


def _refused(request, scripts):
    """Why the server does not run `request` (None: it does)."""
    if request["module"] == SCRIPT:
        script = Path(request["args"][0]).resolve()
        if script.parent != scripts or script.suffix != ".py":
            return f"not a workflow script: {request['args'][0]!r} (only those in {scripts} run here)"
    elif request["module"] not in JOBS:
        return f"not a job module: {request['module']!r}"
    return None


def _run_job(request, descriptors):
    """In the job's process: become the client's process, run the module, exit with its code."""
    for descriptor, standard in zip(descriptors, (0, 1, 2)):
        os.dup2(descriptor, standard)
        os.close(descriptor)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    code = 0
    try:
        if request["module"] == SCRIPT:
            script, job = request["args"]
            sys.argv = [script]
            launch.IN_SERVER = True
            runpy.run_path(script, init_globals={"snakemake": launch.ScriptJob(json.loads(job))}, run_name="__main__")
        else:
            sys.argv = [request["module"], *request["args"]]
            importlib.import_module(request["module"]).run_main()
    except SystemExit as exit:
        code = exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 1)
        if not isinstance(exit.code, (int, type(None))):
            print(exit.code, file=sys.stderr)
    except BaseException:
        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    serve(sys.argv[1], int(sys.argv[2]), Path(sys.argv[3]).resolve())
