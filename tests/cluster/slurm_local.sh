#!/usr/bin/env bash
# A one-node SLURM cluster on this machine, and the quick study run through it with the
# project's SLURM profile:
#   bash tests/cluster/slurm_local.sh [snakemake options...]
# e.g. --directory /tmp/somewhere (where the study runs; default: here). For Debian as root
# without systemd (a CI container): installs Debian's slurmctld, slurmd, slurm-client and
# munge, starts munged, slurmctld and slurmd itself, and stops them (by pid) when it exits,
# also on failure. Their configuration, munge key, state, spool and logs live in a temporary
# directory of its own; only /etc/slurm/slurm.conf links to its configuration while it runs,
# because a job's srun reads it there (the executor plugin clears SLURM_CONF from a job's
# environment). A machine with a SLURM configuration of its own is refused, not changed.
# Run it with the project's virtual environment active: the jobs find Snakemake and the
# packages through the PATH that sbatch exports to them. At the end it prints "SLURM jobs:" and
# what slurmctld ran, one job a line: id|state|comment (the rule and its wildcards).
# Exit status: Snakemake's; 2 if SLURM cannot be installed or started here (the reason on stderr).
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"

fail() { echo "slurm_local.sh: $*" >&2; exit 2; }

[ "$(id -u)" = 0 ] || fail "must run as root, to install SLURM with apt-get and start its daemons"
command -v apt-get > /dev/null || fail "needs apt-get (Debian) to install slurmctld, slurmd, slurm-client and munge"
command -v snakemake > /dev/null || fail "snakemake is not on PATH (activate the project's virtual environment)"

packages=(slurmctld slurmd slurm-client munge)
installed="$(dpkg-query -W -f='${db:Status-Status}\n' "${packages[@]}" 2> /dev/null | grep -c '^installed$' || true)"
if [ "$installed" != "${#packages[@]}" ]; then
  # Installing must not start the system's own daemons: ours run with the configuration below.
  # A policy-rc.d that says no is the Debian way (Docker images ship one; one present is kept).
  policy=/usr/sbin/policy-rc.d made_policy="" installed_ok=""
  [ -e "$policy" ] || { printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && made_policy=1; }
  apt-get update -qq > /dev/null \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" > /dev/null \
    && installed_ok=1
  [ -z "$made_policy" ] || rm -f "$policy"
  [ -n "$installed_ok" ] || fail "apt-get update; apt-get install ${packages[*]} failed"
fi

conf=/etc/slurm/slurm.conf
case "$(readlink "$conf" || true)" in
  */diy-slurm.*/slurm.conf) ;;  # left by a run of this script that was killed
  *) [ ! -e "$conf" ] || fail "$conf exists: this machine has a SLURM cluster of its own" ;;
esac
state="$(mktemp -d -t diy-slurm.XXXXXX)"
pids=() study=""
stop() {
  status=$?
  trap - EXIT INT TERM
  if [ -n "$study" ]; then  # interrupted: Snakemake cancels the jobs it submitted
    kill "$study" 2> /dev/null || true
    wait "$study" 2> /dev/null || true
  fi
  if [ ${#pids[@]} -gt 1 ]; then
    # Then the jobs still queued or running (Snakemake interrupted) are cancelled before
    # their slurmd goes.
    echo "SLURM jobs:"
    squeue --states=all --noheader --format='%i|%T|%k' || true
    scancel --full --quiet $(squeue --noheader --format=%i 2> /dev/null) 2> /dev/null || true
  fi
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do  # slurmd, slurmctld, then munged
    kill "${pids[i]}" 2> /dev/null || true
    wait "${pids[i]}" 2> /dev/null || true
  done
  if [ "$status" != 0 ]; then
    for log in "$state"/*.log "$state"/*.out; do
      [ -e "$log" ] && { echo "--- last lines of $(basename "$log")"; tail -n 20 "$log"; } >&2
    done
  fi
  [ "$(readlink "$conf")" != "$state/slurm.conf" ] || rm -f "$conf"
  rm -rf "$state"
  exit "$status"
}
trap stop EXIT
trap 'exit 130' INT TERM

# The node as slurmd sees it (CPUs, sockets, cores, memory), minus the uptime.
node="$(slurmd -C | head -n 1)"
host="$(sed 's/^NodeName=\([^ ]*\).*/\1/' <<< "$node")"
cat > "$state/slurm.conf" << EOF
ClusterName=diy-local
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$state/munge.socket
StateSaveLocation=$state/slurmctld
SlurmdSpoolDir=$state/slurmd
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$state/slurmctld.log
SlurmdLogFile=$state/slurmd.log
# No accounting daemon: job states come from slurmctld (squeue), which lists a finished job
# for MinJobAge seconds: an hour, so that the list printed at the end holds every job of a run.
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MinJobAge=3600
# No cgroups without systemd: processes tracked by parent pid, and a job step using more memory
# than its --mem is killed ("exceeded memory limit", job FAILED) when the sampling, every second, sees it.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/linux
JobAcctGatherFrequency=task=1
JobAcctGatherParams=OverMemoryKill
# CPUs and memory are both consumable, as on a real cluster.
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
MpiDefault=none
ReturnToService=2
$node NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=local Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
mkdir -p "$state/slurmctld" "$state/slurmd" "$(dirname "$conf")"
ln -sfn "$state/slurm.conf" "$conf"

# A key of this cluster's own (the system's /etc/munge/munge.key, if any, is not touched).
mungekey --create --keyfile="$state/munge.key"
munged --foreground --force --socket="$state/munge.socket" --key-file="$state/munge.key" \
  --pid-file="$state/munged.pid" --log-file="$state/munged.log" --seed-file="$state/munged.seed" \
  > /dev/null 2>&1 &
pids+=($!)
for _ in $(seq 50); do
  munge --socket="$state/munge.socket" --no-input 2> /dev/null | unmunge --socket="$state/munge.socket" > /dev/null 2>&1 && break
  sleep 0.2
done
munge --socket="$state/munge.socket" --no-input | unmunge --socket="$state/munge.socket" > /dev/null \
  || fail "munged did not start"

slurmctld -D > "$state/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D > "$state/slurmd.out" 2>&1 &
pids+=($!)
for _ in $(seq 60); do
  [ "$(sinfo --noheader --format=%t 2> /dev/null)" = idle ] && break
  sleep 1
done
[ "$(sinfo --noheader --format=%t 2> /dev/null)" = idle ] || fail "the node did not become idle: $(sinfo 2>&1)"
sinfo

cd "$repo"
# In the background, so that a TERM or INT reaches the trap (and so Snakemake) at once.
snakemake --profile workflow/profiles/slurm --configfile workflow/configs/quick.yaml "$@" &
study=$!
wait "$study"
study=""
