#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Whole-process comparison on this machine, in one run: mobileconfigc against a small
# Python converter (plistlib + cryptography) and against `openssl speed rsa2048`.
# Prints each figure, the ratio and whether the target is met. Exit 0 when all are met.
#
#   bench/compare.sh [COUNT]        (default 1000 profiles)
#
# Work files go to $BENCH_DIR (default: a new directory under /tmp, i.e. the disk); the
# throughput figures are then repeated in /dev/shm (tmpfs), which separates the compiler's
# CPU cost from the cost of creating 1000 files on the disk. Targets are judged on the first
# (disk) figures.
#
# Beside each figure stands the floor (bench/io_floor.cpp: the same reads and writes with
# nothing compiled) and the ceilings it implies: a converter that compiled and signed in no
# extra time could not beat them on this machine.
#
# Timing: hyperfine, no intermediate shell (-N), a new empty output directory before each
# run (--prepare, not timed), best of the runs for throughput, mean for the single profile.
# The previous run's output is moved aside, not deleted, until the end: on ext4, creating
# files soon after deleting many makes the kernel skip the recently freed inodes one by one
# (perf: most of the time in recently_deleted/find_inode_bit), so deleting between runs
# would make each measurement slower than the one before.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
count=${1:-1000}
bash scripts/setup --bench
cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DMCC_BUILD_BENCH=ON -DMCC_BUILD_TESTS=OFF >/dev/null
cmake --build build-bench >/dev/null
bin=$root/build-bench/mobileconfigc
floor=$root/build-bench/bench/mcc_io_floor
work=$(mktemp -d "${BENCH_DIR:-/tmp}/mcc-bench.XXXXXX")
shm=""
if [ -d /dev/shm ] && [ -w /dev/shm ]; then shm=$(mktemp -d /dev/shm/mcc-bench.XXXXXX); fi
trap 'rm -rf "$work" ${shm:+"$shm"}' EXIT
one=(taskset -c 0)
runs=${BENCH_RUNS:-5}
status=0

# seconds DIR COMMAND...: the best (minimum) wall time of $runs runs, DIR emptied before each.
seconds() {
  local dir=$1 json
  shift
  json=$(mktemp)
  hyperfine -N --style none --runs "$runs" --prepare "bash -c 'mkdir -p $dir.old && if [ -d $dir ]; then mv $dir \$(mktemp -d -p $dir.old); fi && mkdir $dir'" \
    --export-json "$json" -- "$(printf '%q ' "$@")" >>"$work/hyperfine.log" 2>&1
  python3 -c 'import json,sys; print(min(json.load(open(sys.argv[1]))["results"][0]["times"]))' "$json"
  rm -f "$json"
}
calc() { python3 -c "print(format($1, '${2:-.6f}'))"; }
is() { python3 -c "print(1 if ($1) else 0)"; }
report() {  # name value target-description met(0/1)
  printf '%-50s %10s   %s\n' "$1" "$2" "$([ "$4" = 1 ] && echo "met ($3)" || echo "NOT met ($3)")"
  [ "$4" = 1 ] || status=1
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(uname -sr), $(awk '{print $1}' /proc/loadavg) load"
echo "software: mobileconfigc $("$bin" --version | cut -d' ' -f2) (Release, static libcrypto/libstdc++$(readelf -d "$bin" | grep -q libmimalloc && echo ', mimalloc')), $(openssl version | cut -d' ' -f1-2), Python $(python3 -c 'import sys; print(sys.version.split()[0])'), $(hyperfine --version)"
echo "work directory: $work ($(df -T "$work" | awk 'NR==2 {print $2}'))${shm:+, repeated in $shm (tmpfs)}"

setup_dir() {  # DIR: corpus and signer in DIR
  python3 bench/generate_corpus.py "$count" "$1/in"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$1/key.pem" -out "$1/cert.pem" -days 30 -subj "/CN=bench signer" 2>/dev/null
}
setup_dir "$work"
[ -z "$shm" ] || setup_dir "$shm"
python3 bench/generate_corpus.py 10000 "$work/in10k"
speed=$("${one[@]}" openssl speed -seconds 3 rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ {print $6}')
echo "openssl speed rsa2048, 1 core: $speed signs/s"
# What this machine's two cores give two independent processes doing pure CPU work: the
# most any --jobs 2 can gain over --jobs 1 here (target 4), before any I/O or shared state.
speed2=$(openssl speed -seconds 3 -multi 2 rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ {print $6}')
x_machine=$(python3 -c "print(format($speed2 / $speed, '.2f'))")
echo "openssl speed -multi 2 rsa2048: $speed2 signs/s, ${x_machine}x one core"
echo

# throughput DIR LABEL: measures in DIR; sets rate_* and t_* variables.
throughput() {
  local d=$1
  t_mcc=$(seconds "$d/out" "${one[@]}" "$bin" compile "$d/in" --jobs 1 --out-dir "$d/out")
  # The floor: the same reads and writes (profiles of the size just written), nothing compiled.
  size=$(( $(cat "$d"/out/*.mobileconfig | wc -c) / count ))
  t_floor=$(seconds "$d/out" "${one[@]}" "$floor" atomic "$size" "$d/out" "$d/in")
  t_plain=$(seconds "$d/out" "${one[@]}" "$floor" plain "$size" "$d/out" "$d/in")
  t_py=$(seconds "$d/out" "${one[@]}" python3 bench/python_converter.py "$d/out" "$d/in")
  t_sig=$(seconds "$d/out" "${one[@]}" "$bin" compile "$d/in" --jobs 1 --sign-cert "$d/cert.pem" --sign-key "$d/key.pem" --out-dir "$d/out")
  t_pysig=$(seconds "$d/out" "${one[@]}" python3 bench/python_converter.py "$d/out" "$d/in" --sign "$d/cert.pem" "$d/key.pem")
  t_j1=$(seconds "$d/out" "$bin" compile "$d/in" --jobs 1 --sign-cert "$d/cert.pem" --sign-key "$d/key.pem" --out-dir "$d/out")
  t_j2=$(seconds "$d/out" "$bin" compile "$d/in" --jobs 2 --sign-cert "$d/cert.pem" --sign-key "$d/key.pem" --out-dir "$d/out")
  t_j1u=$(seconds "$d/out" "$bin" compile "$d/in" --jobs 1 --out-dir "$d/out")
  t_j2u=$(seconds "$d/out" "$bin" compile "$d/in" --jobs 2 --out-dir "$d/out")
  r_mcc=$(calc "$count / $t_mcc" .0f); r_py=$(calc "$count / $t_py" .0f)
  r_sig=$(calc "$count / $t_sig" .0f); r_pysig=$(calc "$count / $t_pysig" .0f)
  x_unsigned=$(calc "$t_py / $t_mcc" .2f)
  x_signed=$(calc "100 * $count / $t_sig / $speed" .0f)
  x_jobs=$(calc "$t_j1 / $t_j2" .2f)
  x_jobsu=$(calc "$t_j1u / $t_j2u" .2f)
  echo "[$2] $count profiles, one file each, best of $runs:"
  echo "  unsigned, 1 core:  mobileconfigc $r_mcc profiles/s, python converter $r_py profiles/s"
  echo "  signed,   1 core:  mobileconfigc $r_sig profiles/s, python converter $r_pysig profiles/s, openssl speed $speed signs/s"
  echo "  signed,   2 jobs:  $(calc "$count / $t_j2" .0f) profiles/s (--jobs 1: $(calc "$count / $t_j1" .0f)); unsigned --jobs 2 / --jobs 1: ${x_jobsu}x"
  # Ceilings: a converter that compiled in no time would still read and write every file,
  # and one that signed would still pay openssl speed's time per signature on top.
  c_unsigned=$(calc "$t_py / $t_floor" .1f)
  c_plain=$(calc "$t_py / $t_plain" .1f)
  c_signed=$(calc "100 / (1 + $speed * $t_floor / $count)" .0f)
  echo "  floor, 1 core:     reading $count inputs and writing $count files of $size bytes, nothing compiled:"
  echo "                     atomically (as mobileconfigc) $(calc "$count / $t_floor" .0f) files/s, plain open/write/close $(calc "$count / $t_plain" .0f) files/s"
  echo "  ceilings:          unsigned ${c_unsigned}x the python converter (${c_plain}x writing plainly); signed ${c_signed}% of openssl speed"
  echo "  mobileconfigc:     $(calc "100 * $t_floor / $t_mcc" .0f)% of the atomic floor's throughput unsigned, $(calc "100 * $x_signed / $c_signed" .0f)% of the signed ceiling"
  f_unsigned=$(calc "$t_floor / $t_mcc" .2f)
  f_signed=$(calc "$x_signed / $c_signed" .2f)
}

throughput "$work" "disk: $(df -T "$work" | awk 'NR==2 {print $2}')"
t_mcc_disk=$t_mcc t_floor_disk=$t_floor
d_unsigned=$x_unsigned d_signed=$x_signed d_jobs=$x_jobs d_cu=$c_unsigned d_cs=$c_signed d_fu=$f_unsigned d_fs=$f_signed
if [ -n "$shm" ]; then
  throughput "$shm" "tmpfs"
  t_mcc_shm=$t_mcc t_floor_shm=$t_floor
  s_unsigned=$x_unsigned s_signed=$x_signed s_jobs=$x_jobs s_cu=$c_unsigned s_cs=$c_signed s_fu=$f_unsigned s_fs=$f_signed
fi
echo

# 4. One profile by a fresh process (mean of 300), on one core; output in DIR.
fresh_ms() {  # DIR: prints mean, standard deviation and median in ms
  local inputs json
  inputs=("$1"/in/*.json)  # (a glob: `ls | head` would die of SIGPIPE under pipefail)
  json=$(mktemp)
  "${one[@]}" hyperfine -N --style none --warmup 20 --runs 300 --export-json "$json" \
    -- "$bin compile ${inputs[0]} -o $1/single.mobileconfig" >>"$work/hyperfine.log" 2>&1
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print(format(r["mean"]*1000, ".2f"), format(r["stddev"]*1000, ".2f"), format(r["median"]*1000, ".2f"))' "$json"
  rm -f "$json"
}
# Issue 18 judges target 3 with the output on tmpfs; the disk figure (its one output
# flushed) is shown beside it. Without /dev/shm, the disk figure is all there is.
read -r disk_mean disk_sd disk_median <<<"$(fresh_ms "$work")"
if [ -n "$shm" ]; then read -r ms_mean ms_sd ms_median <<<"$(fresh_ms "$shm")"; else ms_mean=$disk_mean ms_sd=$disk_sd ms_median=$disk_median; fi
# The floor of target 3: a fresh process that does nothing (/bin/true), timed the same way, and
# the page faults of each (GNU time's minor faults): on some VMs a fault costs ~15 us, and a
# process start alone is most of the 2.5 ms.
true_json=$(mktemp)
"${one[@]}" hyperfine -N --style none --warmup 20 --runs 300 --export-json "$true_json" -- /bin/true >>"$work/hyperfine.log" 2>&1
true_median=$(python3 -c 'import json,sys; print(format(json.load(open(sys.argv[1]))["results"][0]["median"]*1000, ".2f"))' "$true_json")
rm -f "$true_json"
single_inputs=("$work"/in/*.json)
faults_mcc=$(/usr/bin/time -f '%R' "$bin" compile "${single_inputs[0]}" -o "${shm:-$work}/faults.mobileconfig" 2>&1 >/dev/null | tail -1)
faults_true=$(/usr/bin/time -f '%R' /bin/true 2>&1 | tail -1)

# 5. Peak memory for a 10,000-object export (one file per object), two jobs.
mv "$work/out" "$(mktemp -d -p "$work/out.old")" && mkdir "$work/out"
/usr/bin/time -o "$work/rss" -f '%M' "$bin" compile "$work/in10k" --jobs 2 --out-dir "$work/out" >/dev/null 2>&1
mb=$(calc "$(tail -1 "$work/rss") / 1024" .1f)

# 5, linearity (opt-in, a few minutes): BENCH_SCALE=100000 compiles that many objects in both
# layouts on one core, the best of BENCH_SCALE_RUNS (3) runs against 100x the time of 1,000 (the
# best of runs above, same layout).
# On tmpfs when there is one: creating and deleting 100,000 files on ext4 slows every later
# file creation there for minutes (the recently freed inodes, see above), this run's and the next.
scale=${BENCH_SCALE:-}
if [ -n "$scale" ]; then
  scale_dir=${shm:-$work}
  t_scale_1000=$([ -n "$shm" ] && echo "$t_mcc_shm" || echo "$t_mcc_disk")
  python3 bench/generate_corpus.py "$scale" "$scale_dir/in-scale"
  python3 bench/generate_corpus.py "$scale" "$scale_dir/in-scale-list" --list
  python3 bench/generate_corpus.py "$count" "$scale_dir/in-list" --list
  # NAME INPUT: the best time and the highest peak of $scale_runs runs, as the 1,000 are timed
  # (their best of $runs): one run on this VM moves by 15 % against the next, so one run
  # against a best of several would judge the VM. Prints "seconds peak-MB exit-status".
  scale_runs=${BENCH_SCALE_RUNS:-3}
  scale_run() {
    local out="$scale_dir/out-$1" best="" peak=0 rc=0 r secs kb
    for ((r = 0; r < scale_runs; r++)); do
      rm -rf "$out" && mkdir -p "$out"
      set +e
      "${one[@]}" /usr/bin/time -o "$work/time-$1" -f '%e %M' "$bin" compile "$2" --jobs 1 --out-dir "$out" >/dev/null 2>"$work/err-$1"
      local status=$?
      set -e
      [ "$status" = 0 ] || rc=$status
      # (time writes "Command exited with non-zero status N" above its figures then.)
      read -r secs kb < <(tail -1 "$work/time-$1")
      if [ -z "$best" ] || [ "$(is "$secs < $best")" = 1 ]; then best=$secs; fi
      peak=$((kb > peak ? kb : peak))
    done
    rm -rf "$out"
    echo "$best $(calc "$peak / 1024" .1f) $rc"
  }
  read -r s_files mb_files rc_files <<<"$(scale_run files "$scale_dir/in-scale")"
  rm -rf "$scale_dir/in-scale"
  t_list=$(seconds "$scale_dir/out-list1k" "${one[@]}" "$bin" compile "$scale_dir/in-list" --jobs 1 --out-dir "$scale_dir/out-list1k")
  read -r s_list mb_list rc_list <<<"$(scale_run list "$scale_dir/in-scale-list")"
  lin_files=$(calc "$s_files / ($t_scale_1000 * $scale / $count)" .2f)
  lin_list=$(calc "$s_list / ($t_list * $scale / $count)" .2f)
  echo "[$([ -n "$shm" ] && echo tmpfs || echo disk)] $scale objects, --jobs 1, best of $scale_runs runs (peak: the highest):"
  echo "  one file each:      ${s_files} s, peak ${mb_files} MB, ${lin_files} of $((scale / count))x the time of $count (exit ${rc_files})"
  echo "  one list response:  ${s_list} s, peak ${mb_list} MB, ${lin_list} of $((scale / count))x the time of $count (exit ${rc_list}$( [ "$rc_list" = 0 ] || echo ": $(head -c 200 "$work/err-list")"))"
  echo
fi

# The disk's floor runs at 1.4-1.7x tmpfs's time on these VMs. Far slower means the file system
# is slowed: on ext4 many files deleted shortly before (by an earlier run of this script, say)
# slow the creation of new ones for minutes, and a slowed floor makes targets 1a and 2 look
# nearer than they are.
if [ -n "$shm" ] && [ "$(is "$t_floor_disk > 3 * $t_floor_shm")" = 1 ]; then
  echo "note: the disk's atomic floor took $(calc "$t_floor_disk / $t_floor_shm" .1f)x tmpfs's time (1.4-1.7x when the disk is not slowed): the disk figures of targets 1a and 2 are not representative in this run; see their tmpfs figures, or run again later"
  echo
fi
tmpfs_note() { [ -z "$shm" ] || printf ' (tmpfs: %s)' "$1"; }
# Targets of issue 18, judged on the disk figures (tmpfs in brackets).
echo "target                                                  figure   verdict"
report "1a. unsigned, 1 core: share of the atomic I/O floor" "${d_fu}" ">= 0.25$(tmpfs_note "${s_fu:-}")" "$(is "$d_fu >= 0.25")"
report "1b. unsigned, 1 core: x the python converter" "${d_unsigned}x" ">= 8x; ceiling here ${d_cu}x$(tmpfs_note "${s_unsigned:-}x of ${s_cu:-}x")" "$(is "$d_unsigned >= 8")"
report "2. RSA-2048 signed, 1 core: share of the signed ceiling" "${d_fs}" ">= 0.85; ${d_signed}% of openssl speed, ceiling ${d_cs}%$(tmpfs_note "${s_fs:-}")" "$(is "$d_fs >= 0.85")"
report "3. single profile, fresh process (median of 300)" "${ms_median} ms" "< 2.5 ms, output on tmpfs; mean ${ms_mean}, sd ${ms_sd} (ext4: median ${disk_median}); /bin/true ${true_median} ms; page faults ${faults_mcc} (/bin/true ${faults_true})" "$(is "$ms_median < 2.5")"
report "4. --jobs 2 over --jobs 1 (signed)" "${d_jobs}x" ">= 1.9x; the machine's two cores: ${x_machine}x$(tmpfs_note "${s_jobs:-}x")" "$(is "$d_jobs >= 1.9")"
report "5. peak RSS, 10,000 objects, --jobs 2" "${mb} MB" "< 32 MB$([ -n "$scale" ] || echo " (linearity: BENCH_SCALE=100000)")" "$(is "$mb < 32")"
if [ -n "$scale" ]; then
  report "5. $scale objects, one file each: time, peak RSS" "${lin_files}, ${mb_files} MB" "<= 1.10 of $((scale / count))x, < 32 MB" "$(is "$rc_files == 0 and $lin_files <= 1.10 and $mb_files < 32")"
  report "5. $scale objects, one list response: time, peak RSS" "${lin_list}, ${mb_list} MB" "<= 1.10 of $((scale / count))x, < 32 MB" "$(is "$rc_list == 0 and $lin_list <= 1.10 and $mb_list < 32")"
fi
exit $status
