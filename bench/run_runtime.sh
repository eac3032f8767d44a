#!/usr/bin/env bash
# Int8 inference latency per window of one .plq model: our C runtime (optimised and reference
# kernels, bench/bench_runtime) against ONNX Runtime (npm onnxruntime-node) on the ONNX models of
# the same file that `physiolite export --target onnx` writes (--onnx-form float, qdq-u8 and
# qdq-u8s8; docs/export.md), one thread each.
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
#   PHYSIOLITE_CLI  the physiolite binary that writes the ONNX models (default
#               build/release/physiolite: `cmake --build build/release --target physiolite`)
#   PHYSIOLITE_NPM_CACHE   where onnxruntime-node is installed (default ~/.cache/physiolite-npm;
#               installed there with `npm install --ignore-scripts` if missing, never in the repo)
# Before timing, ONNX Runtime runs the exports on 16 check windows: the float model against
# bench/peers/plq.py's float64 forward (within 1e-4 of the largest logit) and the uint8 QDQ model
# against our runtime's codes (bench_runtime --logits); the script stops if either is off.
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

cli=${PHYSIOLITE_CLI:-build/release/physiolite}
[[ -x $cli ]] || { echo "run_runtime.sh: no physiolite CLI at $cli (cmake --build build/release" \
                        "--target physiolite, or set PHYSIOLITE_CLI)" >&2; exit 2; }
[[ -n $ours ]] || { echo "run_runtime.sh: the check needs $ours" >&2; exit 2; }

/usr/bin/python3 bench/peers/plq.py selftest >/dev/null
/usr/bin/python3 bench/peers/plq.py info "$model" | sed -n 1p
# Check windows (float32 (N, C, L), channel c ~ N(0, (40 s_c)^2): most of the int8 range, rarely
# saturated), plq.py's float64 forward of them, their int8 codes + 128 channel-first (the U8
# models' input) and the ONNX Runtime call-cost model (Identity on the float window).
/usr/bin/python3 - "$model" "$tmp" <<'PY'
import sys
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper

sys.path.insert(0, "bench/peers")
import plq

model = plq.read_plq(Path(sys.argv[1]).read_bytes())
tmp = Path(sys.argv[2])
t = model.tensors[model.input_tensor]
rng = np.random.default_rng(0)
std = 40 * model.input_scale.astype(np.float64).reshape(1, -1, 1)
x = (rng.standard_normal((16, t.channels, t.length)) * std).astype(np.float32)
x.tofile(tmp / "x.bin")
plq.run_float(model, x).astype(np.float32).tofile(tmp / "expect_float.bin")
q = plq.quantize_input(model, x).transpose(0, 2, 1)  # (N, L, C) -> (N, C, L)
for form in ("float", "qdq-u8", "qdq-u8s8"):
    (tmp / f"io-{form}").mkdir()
(tmp / "io-float/input.bin").write_bytes(x.tobytes())
for form in ("qdq-u8", "qdq-u8s8"):
    (q.astype(np.int16) + 128).astype(np.uint8).tofile(tmp / f"io-{form}/input_u8.bin")
shape = [1, t.channels, t.length]
graph = helper.make_graph([helper.make_node("Identity", ["input"], ["copy"])], "identity",
                          [helper.make_tensor_value_info("input", TensorProto.FLOAT, shape)],
                          [helper.make_tensor_value_info("copy", TensorProto.FLOAT, shape)])
onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]),
          tmp / "identity.onnx")
PY
for form in float qdq-u8 qdq-u8s8; do
  "$cli" export --int8 "$model" --target onnx --onnx-form "$form" --window "$tmp/x.bin" \
    -o "$tmp/$form" --name model >/dev/null
  cp "$tmp/$form/model.onnx" "$tmp/$form.onnx"
  node bench/peers/ort_latency.js "$tmp/$form.onnx" --warmup 0 --runs 1 --io "$tmp/io-$form" \
    >/dev/null
done
"$ours" "$model" --reps 1 --warmup 1 --input "$tmp/x.bin" --logits "$tmp/ours_logits.bin" \
  >/dev/null
# Each op alone: its QDQ group cut out of the exported qdq-u8 model (onnx.utils.extract_model;
# the exporter writes one QuantizeLinear per op, in op order) and fed plq.py's own int8 values of
# its inputs, so that rounding differences do not pile up through the graph.
/usr/bin/python3 - "$model" "$tmp" <<'PY'
import sys
from pathlib import Path

import numpy as np
import onnx
import onnx.utils

sys.path.insert(0, "bench/peers")
import plq

model = plq.read_plq(Path(sys.argv[1]).read_bytes())
tmp = Path(sys.argv[2])
t = model.tensors[model.input_tensor]
graph = onnx.load(tmp / "qdq-u8.onnx").graph
q_out = [n.output[0] for n in graph.node if n.op_type == "QuantizeLinear"]
assert len(q_out) == len(model.ops), "one QuantizeLinear per op"
name = {model.input_tensor: "input_u8", **{op.output: q_out[i] for i, op in enumerate(model.ops)}}
x = np.fromfile(tmp / "x.bin", np.float32).reshape(-1, t.channels, t.length)
values = {model.input_tensor: plq.quantize_input(model, x)}  # (N, L, C) int8
for op in model.ops:
    values[op.output] = plq.execute_op(model.scheme, op, model.tensors,
                                       [values[j] for j in op.inputs])
for i, op in enumerate(model.ops):
    d = tmp / f"op{i}"
    d.mkdir()
    inputs = sorted({name[j]: j for j in op.inputs}.items())
    onnx.utils.extract_model(str(tmp / "qdq-u8.onnx"), str(d / "op.onnx"),
                             [n for n, _ in inputs], [name[op.output]])
    for n, j in inputs:
        (values[j].transpose(0, 2, 1).astype(np.int16) + 128).astype(np.uint8).tofile(d / f"{n}.bin")
    values[op.output].transpose(0, 2, 1).tofile(d / "expect.bin")
    (d / "output").write_text(name[op.output])
PY
for d in "$tmp"/op*/; do
  node bench/peers/ort_latency.js "$d/op.onnx" --warmup 0 --runs 1 --io "$d" >/dev/null
done
/usr/bin/python3 - "$model" "$tmp" <<'PY'
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, "bench/peers")
import plq

TOLERANCE = 1e-4  # of the largest logit: an export error, not float32 rounding (~1e-6)
model = plq.read_plq(Path(sys.argv[1]).read_bytes())
tmp = Path(sys.argv[2])
k = model.num_classes
expect = np.fromfile(tmp / "expect_float.bin", np.float32).reshape(-1, k)
ours = np.fromfile(tmp / "ours_logits.bin", np.int8).reshape(-1, k).astype(np.int64)
ort_float = np.fromfile(tmp / "io-float/logits.bin", np.float32).reshape(-1, k)
span = float(np.abs(expect).max()) or 1.0
err = float(np.abs(ort_float - expect).max())
print(f"check on {len(ours)} windows x {k} logits:")
print(f"  ORT, export --onnx-form float vs plq.py float64 forward: max |diff| {err:.3g} = "
      f"{err / span:.2g} of the largest logit {span:.3g} (limit {TOLERANCE:g})")
worst = {}
for form in ("qdq-u8", "qdq-u8s8"):
    y = np.fromfile(tmp / f"io-{form}/logits_u8.bin", np.uint8).reshape(-1, k).astype(np.int64)
    d = np.abs(y - 128 - ours)
    worst[form] = int(d.max())
    print(f"  ORT, export --onnx-form {form} vs our runtime's codes: {100 * np.mean(d == 0):.1f} % "
          f"equal, max {d.max()} LSB; same argmax {100 * np.mean(y.argmax(1) == ours.argmax(1)):.0f} %")
op_worst, by_type = 0, {}
for i, op in enumerate(model.ops):
    d = tmp / f"op{i}"
    y = np.fromfile(d / f"{(d / 'output').read_text()}.bin", np.uint8).astype(np.int64) - 128
    diff = np.abs(y - np.fromfile(d / "expect.bin", np.int8))
    op_worst = max(op_worst, int(diff.max()))
    n = by_type.setdefault(plq.OP_NAMES[op.type], [0, 0, 0])
    n[0], n[1], n[2] = n[0] + int((diff == 0).sum()), n[1] + diff.size, max(n[2], int(diff.max()))
print("  ORT, export --onnx-form qdq-u8, each op alone on plq.py's inputs: " +
      "; ".join(f"{k} {100 * e / n:.2f} % equal, max {m} LSB" for k, (e, n, m) in by_type.items()))
ok = err <= TOLERANCE * span and op_worst <= 1
print(f"  {'PASS' if ok else 'FAIL'}: float within {TOLERANCE:g}, every op of qdq-u8 within 1 LSB "
      f"(ORT requantises in float, rounding half to even, so whole-graph codes drift by a few LSB; "
      f"qdq-u8s8 is informative: its int16 VPMADDUBSW sums saturate)")
sys.exit(0 if ok else 1)
PY

echo "timing: $rounds rounds x $reps windows per engine and process, interleaved"
for ((r = 0; r < rounds; ++r)); do
  if [[ -n $ours ]]; then
    "$ours" "$model" --reps "$reps" --input "$tmp/x.bin" --json >>"$tmp/ours.jsonl"
    if [[ ${CPU_TIME:-0} == 1 ]]; then
      "$ours" "$model" --reps "$reps" --input "$tmp/x.bin" --json --cpu-time >>"$tmp/ours_cpu.jsonl"
    fi
  fi
  for m in float qdq-u8 qdq-u8s8 identity; do
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
        ("ORT fp32", rounds(tmp / "ort_float.jsonl", "median_us")),
        ("ORT int8 QDQ (U8U8, exact)", rounds(tmp / "ort_qdq-u8.jsonl", "median_us")),
        ("ORT int8 QDQ (U8S8, saturates)", rounds(tmp / "ort_qdq-u8s8.jsonl", "median_us"))]
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
