"""A job's command: ``python -m study.launch [--benchmark TSV] MODULE ARGS...`` runs the job module
MODULE with ARGS in the run's warm job server (study.job_server) if there is one, else in this
process, and writes the job's wall time, CPU time and peak memory to TSV. A workflow script's
first statement, `run_in_server`, does the same for a ``script:`` job, its ``snakemake`` object
sent as JSON.

Either way the job is the same: same arguments, files, log and exit code. This module imports
only the standard library, so that a job started through the server costs an interpreter's start
and a fork, not a second of imports. The benchmark is the job's own, in Snakemake's benchmark
columns (those it cannot measure: NA): Snakemake's would time this process, not the server's child
that computes.
"""
import atexit
import importlib
import json
import os
import resource
import socket
import sys
import time

_STARTED = time.monotonic()

SERVER_VARIABLE = "DIY_JOB_SERVER"  # the run's job server's socket (study.job_server)
SCRIPT = "script"  # the request to run a workflow script with its job, not a module
IN_SERVER = False  # True in a job the server runs


def on_server(path, module, args):
    """Run `module` with `args` in the server listening at `path` -> (its exit code, what it cost),
    or None if no server answers there (a run that ended, a job run by hand with a stale variable)
    or it refuses the job (not one of its modules or scripts)."""
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        client.connect(path)
    except OSError:
        return None
    request = {"module": module, "args": args, "cwd": os.getcwd(), "env": dict(os.environ)}
    socket.send_fds(client, [json.dumps(request).encode() + b"\n"], [0, 1, 2])
    reply = b""
    while not reply.endswith(b"\n"):
        more = client.recv(4096)
        if not more:
            print(f"study.launch: the job server at {path} ended during the job {module}", file=sys.stderr)
            return 1, None
        reply += more
    answer = json.loads(reply)
    if "error" in answer:  # not a job it runs: the job runs here
        print(f"study.launch: {answer['error']}; running it here", file=sys.stderr)
        return None
    code = answer.pop("exit_code")
    return (code if code >= 0 else 128 - code), answer  # killed by signal -code, as a shell says


class NamedList(list):
    """A list whose named items (or slices) are also attributes: Snakemake's Namedlist, as a
    script reads it (``snakemake.output.csv``, ``snakemake.log[0]``)."""

    def __init__(self, items, names):
        super().__init__(items)
        for name, (start, end) in names.items():
            setattr(self, name, self[start] if end is None else NamedList(self[start:end], {}))

    def __getitem__(self, key):
        return getattr(self, key) if isinstance(key, str) else super().__getitem__(key)


class ScriptJob:
    """The ``snakemake`` object of a script: job, rebuilt from `as_json`'s text."""

    def __init__(self, job):
        for field in _LISTS:
            setattr(self, field, NamedList(*job[field]))
        for field in _VALUES:
            setattr(self, field, job[field])


_LISTS = ("input", "output", "params", "wildcards", "log", "resources")
_VALUES = ("threads", "config", "rule", "bench_iteration", "scriptdir")


def as_json(snakemake):
    """A script job's ``snakemake`` object as JSON text, or None if JSON would change a value (a
    tuple, a key that is not a string, an object): such a job runs where it is."""
    job = {field: [list(getattr(snakemake, field)), dict(getattr(snakemake, field)._names)] for field in _LISTS}
    job.update({field: getattr(snakemake, field) for field in _VALUES})
    try:
        text = json.dumps(job)
    except (TypeError, ValueError):
        return None
    restored = json.loads(text)
    same = all(restored[field][0] == job[field][0] for field in _LISTS) and all(
        restored[field] == job[field] for field in _VALUES)
    return text if same else None


def run_in_server(snakemake, script):
    """The first statement of a workflow script: if the run has a job server, run `script` (the
    script's own path, ``__file__``) there with this job and exit with its code; else return, and
    the script runs here. A rule with a ``benchmark`` output (the training rules) gets the job's
    cost written there, as `main` writes an analysis job's: the server's child's, or this whole
    process's when it exits."""
    path = os.environ.get(SERVER_VARIABLE)
    benchmark = getattr(snakemake.output, "benchmark", None)
    job = None if IN_SERVER or not path else as_json(snakemake)
    result = on_server(path, SCRIPT, [os.path.abspath(script), job]) if job else None
    if result is not None:
        code, cost = result
        if code == 0 and benchmark:
            write_benchmark(benchmark, cost)
        sys.exit(code)
    if benchmark and not IN_SERVER:
        # At exit, also after a failure: Snakemake then removes the job's outputs, this one too.
        atexit.register(lambda: write_benchmark(benchmark, own_cost()))


def own_cost():
    """What this process has cost so far: wall seconds since it imported this module, CPU seconds
    and peak memory (MB)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"seconds": time.monotonic() - _STARTED, "cpu_seconds": usage.ru_utime + usage.ru_stime,
            "max_rss_mb": usage.ru_maxrss / 1024}


def in_process(module, args):
    """Run `module` here -> (0, what it cost: this whole process), or raise as the job does."""
    sys.argv = [module, *args]
    importlib.import_module(module).run_main()
    return 0, own_cost()


def write_benchmark(path, cost):
    """`cost` as Snakemake's benchmark file (one row), atomically."""
    seconds = cost["seconds"]
    clock = f"{int(seconds // 3600)}:{int(seconds % 3600 // 60):02d}:{int(seconds % 60):02d}"
    header = ["s", "h:m:s", "max_rss", "max_vms", "max_uss", "max_pss", "io_in", "io_out", "mean_load", "cpu_time"]
    row = [f"{seconds:.4f}", clock, f"{cost['max_rss_mb']:.2f}", *["NA"] * 6, f"{cost['cpu_seconds']:.2f}"]
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    temporary = f"{path}.tmp{os.getpid()}"
    with open(temporary, "w") as file:
        file.write("\t".join(header) + "\n" + "\t".join(row) + "\n")
    os.replace(temporary, path)


def main():
    args = sys.argv[1:]
    benchmark = None
    if args[:1] == ["--benchmark"] and len(args) >= 2:
        benchmark, args = args[1], args[2:]
    if not args:
        sys.exit("usage: python -m study.launch [--benchmark TSV] MODULE [ARGS...]")
    module, args = args[0], args[1:]
    path = os.environ.get(SERVER_VARIABLE)
    result = on_server(path, module, args) if path else None
    code, cost = result if result is not None else in_process(module, args)
    if code == 0 and benchmark:
        write_benchmark(benchmark, cost)
    sys.exit(code)


if __name__ == "__main__":
    main()
