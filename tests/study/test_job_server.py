"""The warm job server (study.job_server) and a job's command (study.launch): a job run through the
server is the job run alone, its failure the command's, and no job outlives its command or server."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from study import job_server
from study.analyses import ANALYSES
from study.config import validate_config
from study.launch import SERVER_VARIABLE, ScriptJob, as_json

NAME = "mlp_latent2_tanh_noise0_seed0"


@pytest.fixture(scope="module")
def server():
    process, path = job_server.start()
    yield process, path
    job_server.stop(process, path)


@pytest.fixture
def job(tmp_path, digits, schema, defaults):
    """Runs `python -m study.launch` for k-means of a tiny autoencoder's codes on digits, through
    `server` (a socket path) or alone (None): ``(exit code, stderr, output directory)``."""
    from diy.autoencoder import AutoEncoder
    from diy.serialization import save
    from study.artifacts import write_codes
    from study.data.dataset import save_dataset
    from study.representations import encode_splits, model_metadata

    save_dataset(tmp_path / "digits.npz", digits)
    (tmp_path / NAME).mkdir()
    model = AutoEncoder.build([64, 16, 2], rng=0)
    save(model, tmp_path / NAME / "model.npz", model_metadata(NAME, "digits"))
    write_codes(tmp_path / NAME / "codes.npz", encode_splits(model.encoder, digits), NAME, "digits", model)
    settings = {**ANALYSES["kmeans"].settings(validate_config({}, schema, defaults=defaults)), "n_init": 2}
    repository = Path(__file__).resolve().parents[2]

    def run(server, out, settings=settings, data=tmp_path / "digits.npz"):
        out = tmp_path / out
        command = [sys.executable, "-m", "study.launch", "--benchmark", str(out / "benchmark.tsv"),
                   "study.analysis_job", "digits", "kmeans", NAME, str(data), str(tmp_path / NAME / "codes.npz"),
                   str(tmp_path / NAME / "model.npz"), "--json", str(out / "kmeans.json"),
                   "--arrays", str(out / "kmeans.npz"), "--log", str(out / "kmeans.log"),
                   "--settings", json.dumps(settings)]
        environment = {key: value for key, value in os.environ.items() if key != SERVER_VARIABLE}
        # As Snakemake sets them for a job of 1 thread (a document records the thread pools).
        environment.update(dict.fromkeys(("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"), "1"))
        if server:
            environment[SERVER_VARIABLE] = server
        done = subprocess.run(command, capture_output=True, text=True, cwd=repository, env=environment)
        return done.returncode, done.stderr, out

    return run


def test_a_job_through_the_server_writes_what_it_writes_alone(server, job):
    code, _, alone = job(None, "alone")
    assert code == 0
    code, _, served = job(server[1], "served")
    assert code == 0
    for name in ("kmeans.json", "kmeans.npz"):
        assert (served / name).read_bytes() == (alone / name).read_bytes()
    # The benchmark is the job's own, in Snakemake's columns: the served one counts its
    # computation, not the launching process (which only waits).
    for out in (alone, served):
        header, row = (out / "benchmark.tsv").read_text().splitlines()
        values = dict(zip(header.split("\t"), row.split("\t")))
        assert list(values) == ["s", "h:m:s", "max_rss", "max_vms", "max_uss", "max_pss", "io_in", "io_out",
                                "mean_load", "cpu_time"]
        assert float(values["s"]) > 0 and float(values["cpu_time"]) > 0 and float(values["max_rss"]) > 10


def test_a_job_s_failure_is_its_command_s_with_its_message(server, job):
    for where in (None, server[1]):
        code, stderr, out = job(where, f"failed{where is None}", settings={"n_init": 2})
        assert code == 1
        assert "--settings of analysis kmeans: missing 'confidence', 'resamples', 'seed'" in stderr
        assert not (out / "kmeans.json").exists() and not (out / "benchmark.tsv").exists()


def test_only_job_modules_and_workflow_scripts_run_on_the_server(server):
    environment = {**os.environ, SERVER_VARIABLE: server[1]}
    refused = subprocess.run([sys.executable, "-m", "study.launch", "os"], capture_output=True, text=True,
                             env=environment)
    assert "not a job module: 'os'; running it here" in refused.stderr
    assert refused.returncode != 0 and "has no attribute 'run_main'" in refused.stderr  # here, as by hand
    from study.launch import SCRIPT, on_server

    assert on_server(server[1], SCRIPT, [__file__, "{}"]) is None  # a script of another checkout: run there


def test_a_job_whose_command_is_killed_is_killed_too(server, job, tmp_path):
    # The job blocks opening a FIFO as its data until its command is killed.
    fifo = tmp_path / "blocked.npz"
    os.mkfifo(fifo)
    environment = {**os.environ, SERVER_VARIABLE: server[1]}
    command = subprocess.Popen([sys.executable, "-m", "study.launch", "study.analysis_job", "digits", "kmeans",
                                NAME, str(fifo), str(tmp_path / "x" / "codes.npz"), str(tmp_path / "x" / "model.npz"),
                                "--json", "j", "--arrays", "a", "--log", str(tmp_path / "log"), "--settings", "{}"],
                               env=environment)
    served = psutil.Process(server[0].pid)
    deadline = time.monotonic() + 30
    while len(served.children(recursive=True)) < 2 and time.monotonic() < deadline:  # handler and job
        time.sleep(0.05)
    jobs = served.children(recursive=True)
    assert len(jobs) == 2
    command.send_signal(signal.SIGKILL)
    command.wait()
    gone, alive = psutil.wait_procs(jobs, timeout=10)
    assert not alive


def test_the_server_ends_with_the_process_that_started_it(tmp_path):
    code = ("import os, sys; from study import job_server; process, path = job_server.start(); "
            "print(process.pid, path, flush=True); os._exit(0)")
    pid, path = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                               check=True).stdout.split()
    deadline = time.monotonic() + 10
    while psutil.pid_exists(int(pid)) and psutil.Process(int(pid)).status() != psutil.STATUS_ZOMBIE \
            and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not psutil.pid_exists(int(pid)) or psutil.Process(int(pid)).status() == psutil.STATUS_ZOMBIE
    assert not Path(path).parent.exists()


def test_a_script_job_goes_to_the_server_only_if_json_keeps_every_value():
    from snakemake.iocontainers import Namedlist

    def named(**items):
        return Namedlist(fromdict=items)

    class Job:  # the fields of Snakemake's script object
        input = Namedlist(["a.json", "b.json"])
        output = named(csv="t.csv", md="t.md")
        params = named(confidence=0.95, datasets=["digits"])
        wildcards = named(table="kmeans")
        log = Namedlist(["t.log"])
        resources = named(_cores=1, mem_mb=100)
        threads, config, rule, bench_iteration, scriptdir = 1, {"extensions": []}, "table", None, "/w/scripts"

    job = ScriptJob(json.loads(as_json(Job)))
    assert job.output.csv == "t.csv" and job.output[1] == "t.md" and job.output["md"] == "t.md"
    assert list(job.input) == ["a.json", "b.json"] and job.log[0] == "t.log"
    assert job.params.confidence == 0.95 and job.wildcards.table == "kmeans" and job.config == {"extensions": []}
    Job.params = named(entries=[("digits", "hidden256_seed0")])  # a tuple would come back a list
    assert as_json(Job) is None
    Job.params, Job.config = named(x=1), {1: "a"}  # a key that is not a string would come back one
    assert as_json(Job) is None
