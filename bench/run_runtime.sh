#!/usr/bin/env bash
# Int8 inference latency per window of one .plq model: our C runtime (optimised and reference
# kernels, bench/bench_runtime) against ONNX Runtime (npm onnxruntime-node) on the fp32 and the
# int8 QDQ ONNX models of the same file (bench/peers/plq_to_onnx.py), one thread each.
#
#   bash bench/run_runtime.sh MODEL.plq [reps, default 300]
#   bash bench/run_runtime.sh --full pow2|tflite [reps]
#     (--full: the PhysioLite-sized MIT-BIH graph written by tests/golden/gen_plq.py --full)
# Environment:
#   ROUNDS      interleaved rounds (default 5): each round runs every engine once, in a process
#               of its own, `reps` timed windows after a warm-up; the table gives the median over
#               rounds of each process's median
#   BUILD       build directory for bench_runtime (default build/h-onnx; configured and built
#               here, Release, torch off, if the binary is missing)
#   BUILD_CFLAGS  C flags for that configuration (default none: the portable x86-64 baseline, as
#               CI builds, whose AVX2 kernels are chosen at run time as ONNX Runtime's are; e.g.
#               BUILD=build/h-onnx-native BUILD_CFLAGS=-march=native lets the compiler use AVX2
#               everywhere, the reference kernels included)
#   CPU_TIME=1  each round also runs bench_runtime --cpu-time (the thread's CPU clock, which a
#               loaded machine's preemptions do not inflate) and prints its medians
#   PHYSIOLITE_NPM_CACHE   where onnxruntime-node is installed (default ~/.cache/physiolite-npm;
#               installed there with `npm install --ignore-scripts` if missing, never in the repo)
# Before timing, the ONNX models are checked against bench/peers/plq.py (plq_to_onnx.py compare);
# the script stops if the fp32 export or any op of the int8 model is off.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { sed -n 6,8p "$0" >&2; exit 2; }
[[ $# -ge 1 ]] || usage
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [[ $1 == --full ]]; then
  [[ $# -ge 2 && ($2 == pow2 || $2 == tflite) ]] || usage
  model="$tmp/physiolite_mitbih_$2.plq"
  /usr/bin/python3 tests/golden/gen_plq.py --full "$2" "$model" >/dev/null
  shift 2
else
  model=$1
  shift
fi
[[ -f $model ]] || { echo "run_runtime.sh: no model file $model" >&2; exit 3; }
reps=${1:-300}
rounds=${ROUNDS:-5}
build=${BUILD:-build/h-onnx}
cache=${PHYSIOLITE_NPM_CACHE:-$HOME/.cache/physiolite-npm}
export PHYSIOLITE_NPM_CACHE=$cache

/usr/bin/python3 -c "import onnx" 2>/dev/null ||
  { echo "run_runtime.sh: needs Debian's python3-onnx (apt-get install python3-onnx)" >&2; exit 2; }
command -v node >/dev/null && command -v npm >/dev/null ||
  { echo "run_runtime.sh: needs node and npm (apt-get install nodejs npm)" >&2; exit 2; }
if [[ ! -d $cache/node_modules/onnxruntime-node ]]; then
  echo "installing onnxruntime-node into $cache"
  mkdir -p "$cache"
  npm install --prefix "$cache" --ignore-scripts --no-audit --no-fund onnxruntime-node >&2
fi

ours="$build/bench/bench_runtime"
if [[ ! -x $ours ]] && grep -q bench_runtime bench/CMakeLists.txt; then
  echo "building $ours"
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPHYSIOLITE_WITH_TORCH=OFF \
    -DPHYSIOLITE_BUILD_TESTS=OFF "-DCMAKE_C_FLAGS=${BUILD_CFLAGS:-}" >"$tmp/build.log" 2>&1 &&
    cmake --build "$build" -j2 --target bench_runtime >>"$tmp/build.log" 2>&1 ||
    tail -5 "$tmp/build.log" >&2
fi
[[ -x $ours ]] || { echo "run_runtime.sh: WARNING: no $ours (not in this checkout or not" \
                         "built): timing ONNX Runtime only" >&2; ours=; }

/usr/bin/python3 bench/peers/plq.py selftest >/dev/null
/usr/bin/python3 bench/peers/plq.py info "$model" | sed -n 1p
/usr/bin/python3 bench/peers/plq_to_onnx.py convert "$model" "$tmp" --windows 16
for m in fp32 int8 int8_s8w int8_ops; do
  node bench/peers/ort_latency.js "$tmp/$m.onnx" --warmup 0 --runs 1 --io "$tmp" >/dev/null
done
/usr/bin/python3 bench/peers/plq_to_onnx.py compare "$model" "$tmp"

echo "timing: $rounds rounds x $reps windows per engine and process, interleaved"
for ((r = 0; r < rounds; ++r)); do
  if [[ -n $ours ]]; then
    "$ours" "$model" --reps "$reps" --input "$tmp/x.bin" --json >>"$tmp/ours.jsonl"
    if [[ ${CPU_TIME:-0} == 1 ]]; then
      "$ours" "$model" --reps "$reps" --input "$tmp/x.bin" --json --cpu-time >>"$tmp/ours_cpu.jsonl"
    fi
  fi
  for m in fp32 int8 int8_s8w identity; do
    node bench/peers/ort_latency.js "$tmp/$m.onnx" --runs "$reps" >>"$tmp/ort_$m.jsonl"
  done
done

/usr/bin/python3 - "$model" "$tmp" <<'PY'
import json, re, statistics, sys
from pathlib import Path

sys.path.insert(0, "bench/peers")
import plq

model = plq.read_plq(Path(sys.argv[1]).read_bytes())
tmp = Path(sys.argv[2])
macs = plq.macs(model)


def rounds(path, key):
    if not path.exists():
        return []
    return [json.loads(line)[key] for line in path.read_text().splitlines() if line.strip()]


rows = [("physiolite optimised", rounds(tmp / "ours.jsonl", "optimized_us")),
        ("physiolite reference", rounds(tmp / "ours.jsonl", "reference_us")),
        ("ORT fp32", rounds(tmp / "ort_fp32.jsonl", "median_us")),
        ("ORT int8 QDQ (U8U8, exact)", rounds(tmp / "ort_int8.jsonl", "median_us")),
        ("ORT int8 QDQ (U8S8, saturates)", rounds(tmp / "ort_int8_s8w.jsonl", "median_us"))]
overhead = rounds(tmp / "ort_identity.jsonl", "median_us")
if not all(rounds(tmp / "ours.jsonl", "outputs_equal")):
    sys.exit("run_runtime.sh: bench_runtime's reference and optimised outputs differ")
if any(m != macs for m in rounds(tmp / "ours.jsonl", "macs")):
    sys.exit("run_runtime.sh: bench_runtime and plq.py count different MACs")

info = open("/proc/cpuinfo").read()
cpu = re.search(r"model name\s*:\s*(.*)", info).group(1)
ghz = float(re.search(r"cpu MHz\s*:\s*([\d.]+)", info).group(1)) / 1000
vendor = re.search(r"vendor_id\s*:\s*(\S+)", info).group(1)
family = int(re.search(r"cpu family\s*:\s*(\d+)", info).group(1))
flags = set(re.search(r"flags\s*:\s*(.*)", info).group(1).split())
# int8 MACs per cycle of one core: two 256-bit integer multiply pipes, each VPMADDUBSW ymm = 32
# u8 x s8 products summed in pairs (AVX2 cores: Zen 2/3, Haswell onwards), VPDPBUSD the same
# with a 32-bit accumulate (AVX-VNNI). 512-bit VNNI doubles it, except on Zen 4, which executes
# 512-bit ops as two 256-bit halves. The exact s8 x s8 route (VPMOVSXBW + VPMADDWD, 16 MACs per
# instruction) reaches half of it.
if "avx512_vnni" in flags and not (vendor == "AuthenticAMD" and family == 25):
    per_cycle, isa = 128, "2 x VPDPBUSD zmm (64 MACs each) per cycle"
elif "avx512_vnni" in flags or "avx_vnni" in flags:
    per_cycle, isa = 64, "2 x VPDPBUSD ymm (32 MACs each) per cycle"
elif "avx2" in flags:
    per_cycle, isa = 64, "2 x VPMADDUBSW ymm (32 u8 x s8 MACs each) per cycle"
else:
    per_cycle, isa = 16, "2 x PMADDUBSW xmm (16 MACs each) per cycle"
peak = per_cycle * ghz  # GMAC/s, one core
print(f"\nCPU: {cpu} ({vendor} family {family}), {ghz:.3f} GHz as /proc/cpuinfo reports it "
      f"(no turbo assumed); one core")
print(f"assumed int8 peak: {isa} = {per_cycle} MACs/cycle x {ghz:.3f} GHz = {peak:.0f} GMAC/s "
      f"(an upper bound: exact s8 x s8 products via VPMADDWD reach half)")
print(f"model: {sys.argv[1]} ({plq.SCHEME_NAMES[model.scheme]}), {macs:,} MACs/window, "
      f"arena {model.arena_size:,} B\n")
med = {name: statistics.median(v) for name, v in rows if v}
opt = med.get("physiolite optimised")
call = statistics.median(overhead) if overhead else 0.0
print("| engine | median µs/window | per-round medians | ÷ optimised | ORT less its call cost "
      "| GMAC/s | % of peak |")
print("|---|---:|---|---:|---:|---:|---:|")
for name, v in rows:
    if not v:
        print(f"| {name} | n/a | (not run) | | | | |")
        continue
    m = med[name]
    ratio = f"{m / opt:.2f}×" if opt else ""
    net = ""
    if name.startswith("ORT"):
        net = f"{m - call:.1f} µs" + (f" = {(m - call) / opt:.2f}×" if opt else "")
    gmacs = macs / m / 1e3
    print(f"| {name} | {m:.1f} | {' '.join(f'{x:.0f}' for x in v)} | {ratio} | {net} | "
          f"{gmacs:.2f} | {100 * gmacs / peak:.1f} % |")
if overhead:
    print(f"\nONNX Runtime's per-call cost in node (an Identity model on the same input): median "
          f"{call:.1f} µs (rounds: {' '.join(f'{x:.0f}' for x in overhead)}); the ORT rows "
          f"include it, the 'less its call cost' column takes it out")
cpu_opt = rounds(tmp / "ours_cpu.jsonl", "optimized_us")
if cpu_opt:
    cpu_ref = rounds(tmp / "ours_cpu.jsonl", "reference_us")
    o, r = statistics.median(cpu_opt), statistics.median(cpu_ref)
    print(f"\nthread CPU time (bench_runtime --cpu-time), median of the rounds' medians: optimised "
          f"{o:.1f} µs (rounds: {' '.join(f'{x:.0f}' for x in cpu_opt)}), reference {r:.1f} µs "
          f"(rounds: {' '.join(f'{x:.0f}' for x in cpu_ref)}), reference / optimised {r / o:.2f}x")
if opt:
    print(f"aims: ORT fp32 / optimised >= 2x: {med['ORT fp32'] / opt:.2f}x; reference / optimised"
          f" >= 4x: {med['physiolite reference'] / opt:.2f}x; ORT int8 / optimised: "
          f"{med['ORT int8 QDQ (U8U8, exact)'] / opt:.2f}x (U8S8 "
          f"{med['ORT int8 QDQ (U8S8, saturates)'] / opt:.2f}x)")
PY
