#!/usr/bin/env bash
# Training throughput (windows/s) of PhysioLiteNet in LibTorch (bench_train) against the same
# model, batch, threads and optimiser in Python PyTorch 1.13 (bench/peers/train_torch.py).
# The peer runs the model as written (nn.Conv1d, NCHW); a second peer runs the same parameters in
# the C++ network's channels-last 2-D layout, to show how much of the lead is the layout.
# Processes are interleaved (ours, python, python nhwc, ours, ...) because speeds differ from
# process to process on this machine (TOOLCHAIN.md); each process runs a warm-up, then timed
# repeats. Prints per case the median over processes of each process's median repeat, the ratios,
# and the FLOP/s achieved against the peak of the cores used.
#
#   bash bench/run_train.sh [build dir, default build/release] [processes per side, default 4]
#        [cases, default "uci mitbih"]
# Environment, the same for both sides (and printed):
#   GLIBC_TUNABLES  malloc keeps large blocks (mmap and trim thresholds 1 GiB); HUGETLB=1 adds
#                   transparent huge pages for malloc (glibc.malloc.hugetlb=1)
#   THREADS         intra-op threads (default 2); OPENBLAS_NUM_THREADS is set to the same
#   BATCH           windows per step (default 64)
# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are left as the machine sets them, for both sides.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
processes=${2:-4}
cases=${3:-uci mitbih}
threads=${THREADS:-2}
batch=${BATCH:-64}
ours="$build/bench/bench_train"
[[ -x "$ours" ]] || { echo "no $ours: configure with -DPHYSIOLITE_WITH_TORCH=ON and build bench_train" >&2; exit 2; }

tunables=glibc.malloc.mmap_threshold=1073741824:glibc.malloc.trim_threshold=1073741824
[[ "${HUGETLB:-0}" == 1 ]] && tunables+=:glibc.malloc.hugetlb=1
export GLIBC_TUNABLES=$tunables OPENBLAS_NUM_THREADS=$threads
echo "GLIBC_TUNABLES=$GLIBC_TUNABLES OPENBLAS_NUM_THREADS=$OPENBLAS_NUM_THREADS" \
     "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset} batch $batch, $threads threads, $processes processes per side"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for ((p = 0; p < processes; ++p)); do
  for c in $cases; do
    "$ours" "$c" "$batch" "$threads" >>"$tmp/ours"
    /usr/bin/python3 bench/peers/train_torch.py "$c" "$batch" "$threads" >>"$tmp/python"
    /usr/bin/python3 bench/peers/train_torch.py "$c" "$batch" "$threads" 3 4 5 nhwc >>"$tmp/nhwc"
  done
done

/usr/bin/python3 - "$tmp/ours" "$tmp/python" "$tmp/nhwc" "$threads" <<'PY'
import re, statistics, sys

def load(path, has_macs):
    runs, macs = {}, {}
    for line in open(path):
        f = line.split()
        rates = [float(v) for v in f[2 if has_macs else 1:]]
        runs.setdefault(f[0], []).append(statistics.median(rates))
        if has_macs:
            macs[f[0]] = int(f[1])
    return runs, macs

ours, macs = load(sys.argv[1], True)
peer, _ = load(sys.argv[2], False)
peer_nhwc, _ = load(sys.argv[3], False)
cores = int(sys.argv[4])

info = open("/proc/cpuinfo").read()
model = re.search(r"model name\s*:\s*(.*)", info).group(1)
ghz = float(re.search(r"cpu MHz\s*:\s*([\d.]+)", info).group(1)) / 1000
flags = set(re.search(r"flags\s*:\s*(.*)", info).group(1).split())
family = int(re.search(r"cpu family\s*:\s*(\d+)", info).group(1))
vendor = re.search(r"vendor_id\s*:\s*(\S+)", info).group(1)
if "avx512f" in flags and "fma" in flags:
    lanes, isa = 16, "AVX-512"
elif "fma" in flags:
    lanes, isa = 8, "AVX2"
else:
    lanes, isa = 4, "SSE"
# Nominal: 2 FMA units x lanes x 2 flops per cycle and core. AMD Zen 4 (family 25 with AVX-512)
# splits each 512-bit FMA into two 256-bit halves, so its real peak is half the nominal one.
nominal = cores * 2 * lanes * 2 * ghz
zen4 = vendor == "AuthenticAMD" and family == 25 and lanes == 16
print(f"CPU: {model} ({vendor} family {family}), {ghz:.3f} GHz as /proc/cpuinfo reports it, {isa} FMA")
print(f"peak fp32 of {cores} cores, nominal 2 FMA x {lanes} lanes x 2 flops: {nominal:.0f} GFLOP/s"
      + (f"; Zen 4 executes 512-bit FMA as 2 x 256 bits: {nominal / 2:.0f} GFLOP/s" if zen4 else ""))
print("FLOP per window = 2 x MACs x 3 (forward + backward); windows/s = median over processes of "
      "each process's median repeat")
print(f"{'case':<8} {'MACs/window':>12} {'C++ win/s':>10} {'PyTorch':>10} {'C++/Py':>7} "
      f"{'Py NHWC':>10} {'C++/NHWC':>9} {'C++ GFLOP/s':>12} {'% nominal':>10}"
      + (f" {'% Zen4':>7}" if zen4 else ""))
for name, rates in ours.items():
    c, p = statistics.median(rates), statistics.median(peer[name])
    q = statistics.median(peer_nhwc[name])
    gflops = c * 6 * macs[name] / 1e9
    line = (f"{name:<8} {macs[name]:>12} {c:>10.1f} {p:>10.1f} {c / p:>7.2f} {q:>10.1f} "
            f"{c / q:>9.2f} {gflops:>12.1f} {100 * gflops / nominal:>9.1f}%")
    if zen4:
        line += f" {200 * gflops / nominal:>6.1f}%"
    print(line)
    print(f"{'':<8} per process: C++ {' '.join(f'{r:.0f}' for r in rates)}; "
          f"PyTorch {' '.join(f'{r:.0f}' for r in peer[name])}; "
          f"PyTorch NHWC {' '.join(f'{r:.0f}' for r in peer_nhwc[name])}")
PY
