#!/usr/bin/env bash
# Runs a tiny study through a real one-node Slurm cluster started here, the way docs/cluster.md describes it: the script
# 'plan --slurm' writes is submitted unchanged, one array task is cancelled mid-way, 'merge' names it as incomplete,
# the resubmission it prints finishes it, and every experiment ends up merged exactly once. docs/cluster.md says what
# this proves. Needs root: installs Debian's slurm-wlm and munge with apt-get when missing, and starts munged,
# slurmctld and slurmd from a configuration in a temporary folder (private socket and ports); on exit it cancels its
# jobs and stops the daemons it started, by pid, even on failure. At most SLURM_TEST_TIMEOUT seconds (default 300).
# Ends with one line: "slurm-test: ok ..." or "slurm-test: FAILED: ...".
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
started=$SECONDS
deadline=$((SECONDS + ${SLURM_TEST_TIMEOUT:-300}))
work=""
pids=()
jobs_submitted=()

log_tail() {
  local f
  for f in "$@"; do
    [ -s "$f" ] && { echo "--- last lines of ${f#"$work"/}:" >&2; tail -n 4 "$f" >&2; }
  done
  return 0
}
fail() {
  echo "slurm-test: FAILED after $((SECONDS - started)) s: $*" >&2
  if [ -n "$work" ]; then log_tail "$work"/munged.err "$work"/slurmctld.log "$work"/slurmd.log "$work"/job/slurm-*.out; fi
  exit 1
}
cleanup() {
  local status=$? pid
  trap - EXIT INT TERM
  # Cancel what is still queued or running and let slurmd stop it before the daemons go.
  if [ "${#jobs_submitted[@]}" -gt 0 ]; then
    scancel "${jobs_submitted[@]}" >/dev/null 2>&1 || true
    for _ in $(seq 60); do
      [ -z "$(squeue -h -j "$(IFS=,; echo "${jobs_submitted[*]}")" -o %i 2>/dev/null)" ] && break
      sleep 0.5
    done
  fi
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  [ -n "$work" ] && rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
left() { [ "$SECONDS" -lt "$deadline" ] || fail "timed out (${SLURM_TEST_TIMEOUT:-300} s) while $1"; }

[ "$(id -u)" = 0 ] || fail "needs root (it installs slurm-wlm and munge and starts their daemons)"
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
  echo "slurm-test: installing slurm-wlm and munge ..."
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq --no-install-recommends slurm-wlm munge; } >/dev/null 2>&1 \
    || fail "apt-get could not install slurm-wlm and munge"
fi
bash eng/install-native-runtime.sh >/dev/null
bash eng/prepare-sample-data.sh >/dev/null
dotnet build samples/ReproducePaper -c Release --nologo -v quiet -clp:ErrorsOnly >/dev/null 2>&1 \
  || fail "dotnet build samples/ReproducePaper failed"
program="$root/samples/ReproducePaper/bin/Release/net10.0/ReproducePaper.dll"
cli() { dotnet "$program" "$@"; }

# The cluster: munged on a private socket as user munge, slurmctld and slurmd as root on random ports.
work=$(mktemp -d /tmp/backdoorkit-slurm.XXXXXX)
chmod 755 "$work"
mkdir -p "$work/munge" "$work/state" "$work/spool" "$work/job"
dd if=/dev/urandom of="$work/munge/munge.key" bs=1024 count=1 status=none
chown -R munge:munge "$work/munge"
chmod 755 "$work/munge"
chmod 400 "$work/munge/munge.key"
setpriv --reuid=munge --regid=munge --init-groups munged --foreground --socket="$work/munge/munge.socket" \
  --key-file="$work/munge/munge.key" --pid-file="$work/munge/munged.pid" --log-file="$work/munge/munged.log" \
  --seed-file="$work/munge/munged.seed" 2>"$work/munged.err" &
pids+=($!)
for _ in $(seq 50); do [ -S "$work/munge/munge.socket" ] && break; sleep 0.1; done
[ -S "$work/munge/munge.socket" ] || fail "munged did not start"

host=$(hostname -s)
port=$((20000 + RANDOM % 20000))
export SLURM_CONF="$work/slurm.conf"
cat > "$SLURM_CONF" <<CONF
ClusterName=backdoorkit-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$work/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
MinJobAge=600
KillWait=15
InactiveLimit=0
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
slurmctld -D -c -f "$SLURM_CONF" >/dev/null 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" -N "$host" >/dev/null 2>&1 &
pids+=($!)
until [ "$(sinfo -h -o %t 2>/dev/null)" = idle ]; do
  left "waiting for the node to become idle"
  sleep 0.5
done

# A tiny CPU matrix: small-cnn on the bundled digits, 12 backdoored + 1 clean experiments of about 2 s each.
job="$work/job"
cat > "$job/matrix.json" <<'JSON'
{
  "name": "slurm-test",
  "datasets": [{ "name": "mnist-sample", "trainLimit": 2000, "testLimit": 200, "inputSize": 28 }],
  "models": ["small-cnn"],
  "freezeStrategy": "full",
  "weights": "random",
  "triggerSizes": [0.08],
  "positions": ["bottom-right", "top-left", "middle", "top-right"],
  "colors": ["#FFFFFF"],
  "poisoningRates": [0.02, 0.05, 0.1],
  "repetitions": 1,
  "training": { "epochs": 4, "batchSize": 32 }
}
JSON
comment="it's \"quoted\" \\ #1 \$(x)"
(cd "$job" && cli plan --matrix matrix.json --shards 3 --slurm study.sh --gpus 0 --cpus-per-task 1 \
  --data "$root/data" --sbatch-arg "comment=$comment" >/dev/null) || fail "plan --slurm failed"
grep -q -- '--gres' "$job/study.sh" && fail "the CPU job's script asks for a GPU"
expected=$(cli plan --matrix "$job/matrix.json" --json 2>/dev/null | sed -n 's/.*"total": *\([0-9]*\).*/\1/p')
[ -n "$expected" ] || fail "plan --json gave no total"

submit() {  # sbatch ARGS...: submits from the job folder; the job id goes to $submitted
  submitted=$(cd "$job" && sbatch --parsable "$@") || fail "sbatch $* failed"
  submitted=${submitted%%;*}
  jobs_submitted+=("$submitted")
}
wait_gone() {  # JOBID: waits until no task of the job is pending or running
  while [ -n "$(squeue -h -j "$1" -o %i 2>/dev/null)" ]; do
    left "waiting for job $1"
    sleep 0.5
  done
}
task_field() {  # JOBID TASK FIELD: a field of 'scontrol show job' for one array task
  scontrol -o show job "$1_$2" 2>/dev/null | tr ' ' '\n' | sed -n "s/^$3=//p" | head -n 1
}

submit study.sh
first=$submitted
read_comment=$(squeue -h -j "$first" -o %k | head -n 1)
[ "$read_comment" = "$comment" ] || fail "sbatch read the quoted --comment as '$read_comment', not '$comment'"
out1="$job/slurm-backdoorkit-slurm-test-${first}_1.out"
until grep -q '^\[1/' "$out1" 2>/dev/null; do
  left "waiting for the first result of task 1"
  case "$(task_field "$first" 1 JobState)" in
    PENDING | CONFIGURING | RUNNING | "") ;;
    *) fail "task 1 ended before its first result: $(tail -n 1 "$out1" 2>/dev/null)" ;;
  esac
  sleep 0.2
done
scancel "${first}_1"
wait_gone "$first"
grep -q '^SIGTERM: stopping' "$out1" || fail "task 1 did not stop on SIGTERM: $(tail -n 3 "$out1")"
kept=$(grep -c '^\[[0-9]*/[0-9]*\] .*clean accuracy' "$out1" || true)
shard1=$(grep -o 'shard 1/3): [0-9]* experiments' "$out1" | grep -o '[0-9]* experiments' | cut -d' ' -f1)
[ "$kept" -ge 1 ] && [ "$kept" -lt "$shard1" ] || fail "task 1 was not cancelled mid-way ($kept of $shard1 done)"
for task in 0 2; do
  [ "$(task_field "$first" "$task" JobState)" = COMPLETED ] && [ "$(task_field "$first" "$task" ExitCode)" = 0:0 ] \
    || fail "task $task ended $(task_field "$first" "$task" JobState) with exit code $(task_field "$first" "$task" ExitCode)"
done
state1="$(task_field "$first" 1 JobState) $(task_field "$first" 1 ExitCode)"

merge() { (cd "$job" && cli merge --out results/slurm-test --from results/slurm-test/shard-* --shards 3 --slurm study.sh); }
report=$(merge) || fail "merge failed: $report"
resubmit=$(grep -o 'sbatch --array=[0-9,-]* study.sh' <<< "$report") || fail "merge named no tasks to resubmit: $report"
[ "$resubmit" = "sbatch --array=1 study.sh" ] || fail "merge asked to resubmit '$resubmit', not task 1: $report"
grep -q "$((expected - shard1 + kept))/$expected experiments done" <<< "$report" || fail "merge counted wrongly: $report"

submit --array=1 study.sh
second=$submitted
wait_gone "$second"
[ "$(task_field "$second" 1 JobState)" = COMPLETED ] && [ "$(task_field "$second" 1 ExitCode)" = 0:0 ] \
  || fail "the resubmitted task 1 ended $(task_field "$second" 1 JobState) $(task_field "$second" 1 ExitCode)"
reran=$(grep -o 'study: [0-9]* of [0-9]* experiments to run' "$job/slurm-backdoorkit-slurm-test-${second}_1.out" | head -n 1)
[ "$reran" = "study: $((shard1 - kept)) of $shard1 experiments to run" ] || fail "the resubmitted task did not resume: '$reran'"

report=$(merge) || fail "second merge failed: $report"
grep -q "$expected/$expected experiments done, 0 missing" <<< "$report" && ! grep -q sbatch <<< "$report" \
  || fail "second merge still misses experiments: $report"
(cd "$job" && cli export --out results/slurm-test --format csv --file all.csv >/dev/null) || fail "export failed"
rows=$(($(wc -l < "$job/all.csv") - 1))
ids=$(tail -n +2 "$job/all.csv" | cut -d, -f1 | sort -u | wc -l)
[ "$rows" = "$expected" ] && [ "$ids" = "$expected" ] || fail "export has $rows rows with $ids distinct ids, not $expected"
(cd "$job" && cli status --out results/slurm-test) | grep -q "$expected/$expected experiments done (100.0 %), 0 failed, 0 pending" \
  || fail "status does not show every experiment done"

echo "slurm-test: ok in $((SECONDS - started)) s: $expected experiments in 3 array tasks on a one-node Slurm cluster;" \
  "task 1 cancelled after $kept of $shard1 ($state1, stopped on SIGTERM), merge asked for '$resubmit', which ran the" \
  "$((shard1 - kept)) missing; tasks 0, 2 and the resubmission exited 0; merged, exported and counted: each experiment once"
