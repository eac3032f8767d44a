#!/usr/bin/python3
"""Fitting harness of the chip cost models (src/profile/, docs/profile.md).

    scripts/profile_fit.py run NETDIR...     # izer and Vela on generated networks (once each)
    scripts/profile_fit.py table NETDIR...   # one CSV row per layer: our shapes + the tools' figures
    scripts/profile_fit.py fit NETDIR...     # least squares of the rules' features (the coefficients)
    scripts/profile_fit.py encoded NETDIR... # the WE2 encoded-weight-size fit (we2.cpp kEncoded)
    scripts/profile_fit.py compare PHYSIOLITE NETDIR...  # `physiolite profile` against the tools

NETDIR is a folder written by `build/.../bench/bench_profile_netgen OUT SEED COUNT` (max.plq,
we2.tflite, max/ = our MAX78000 export, max_layers.csv, we2_ops.csv). `run` calls the vendors'
estimators with `nice -n 10`, one at a time (izer's "ESTIMATED LATENCY" per layer in
max/izer/NAME/log.txt; Vela's --verbose-performance per-layer CSV in vela/), skipping what is already
there (Vela's --verbose-weights/--verbose-schedule report in vela-*/sched.log). `table` joins their per-layer figures with the shapes; the fitted coefficients in
src/profile/max78000.cpp and src/profile/we2.cpp come from least squares on that table
(scripts/profile_fit.py fit NETDIR...). Debian's python3 (numpy) only.
"""
import csv
import os
import re
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
TOOLS = os.path.join(HERE, "..", "..", "shared", "tools")
VELA = os.environ.get("PHYSIOLITE_VELA", os.path.join(TOOLS, "vela", "vela"))
IZER = os.environ.get("PHYSIOLITE_IZER", os.path.join(TOOLS, "izer", "izer"))


def vela_command(tflite, out, ini):
    return ["nice", "-n", "10", VELA, "--accelerator-config", "ethos-u55-64", "--config", ini,
            "--system-config", "My_Sys_Cfg", "--memory-mode", "My_Mem_Mode_Parent",
            "--verbose-performance", "--verbose-weights", "--verbose-schedule", "--output-dir", out,
            tflite]


def run(netdir):
    name = os.path.basename(os.path.normpath(netdir))
    log = os.path.join(netdir, "max", "izer", name, "log.txt")
    if not os.path.exists(log):
        m = os.path.join(netdir, "max")
        subprocess.run(["nice", "-n", "10", IZER, "--device", "MAX78000", "--prefix", name,
                        "--checkpoint-file", os.path.join(m, name + "-q.pth.tar"),
                        "--config-file", os.path.join(m, name + ".yaml"),
                        "--test-dir", os.path.join(m, "izer"),
                        "--sample-input", os.path.join(m, name + ".input.npy"),
                        "--verbose", "--no-progress"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    for placement, ini in (("flash", os.path.join(TOOLS, "vela", "himax_we2.ini")),
                           ("sram", sram_ini(netdir))):
        out = os.path.join(netdir, "vela-" + placement)
        if not os.path.exists(os.path.join(out, "sched.log")):
            os.makedirs(out, exist_ok=True)
            with open(os.path.join(out, "sched.log"), "w") as log:
                subprocess.run(vela_command(os.path.join(netdir, "we2.tflite"), out, ini),
                               stdout=log, stderr=subprocess.DEVNULL, check=False)


def sram_ini(netdir):
    """The published WE2 config with the weights placed in SRAM (const_mem_area=Axi0)."""
    path = os.path.join(netdir, "we2_sram.ini")
    text = open(os.path.join(TOOLS, "vela", "himax_we2.ini")).read()
    with open(path, "w") as f:
        f.write(text.replace("const_mem_area=Axi1", "const_mem_area=Axi0"))
    return path


def izer_layers(netdir):
    name = os.path.basename(os.path.normpath(netdir))
    log = os.path.join(netdir, "max", "izer", name, "log.txt")
    if not os.path.exists(log):
        return None
    text = open(log).read()
    at = text.find("ESTIMATED LATENCY")
    if at < 0:
        return None
    cycles = [int(m.group(2).replace(",", ""))
              for m in re.finditer(r"Layer (\d+)(?: \([^)]*\))?\s+([\d,]+)", text[at:])]
    total = re.search(r"Total\s+([\d,]+) cycles", text[at:])
    return cycles, int(total.group(1).replace(",", ""))


def vela_rows(netdir, placement):
    path = os.path.join(netdir, "vela-" + placement, "we2_per-layer.csv")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return list(csv.DictReader(f))


def table(netdirs, out=sys.stdout):
    w = csv.writer(out)
    w.writerow(["net", "chip", "index", "kind", "cin", "cout", "lin", "lout", "kernel", "pad",
                "pool", "stride", "cycles", "npu", "sram_ac", "flash_ac", "sram_npu",
                "sram_op"])
    for d in netdirs:
        net = os.path.basename(os.path.normpath(d))
        iz = izer_layers(d)
        shapes = list(csv.DictReader(open(os.path.join(d, "max_layers.csv"))))
        if iz is not None and len(iz[0]) == len(shapes):
            for i, (s, c) in enumerate(zip(shapes, iz[0])):
                w.writerow([net, "max78000", i, s["kind"], s["cin"], s["cout"], s["lin"],
                            s["lout"], s["kernel"], s["pad"], s["pool"], s["pool_stride"], c,
                            "", "", "", "", ""])
        ops = list(csv.DictReader(open(os.path.join(d, "we2_ops.csv"))))
        fl, sr = vela_rows(d, "flash"), vela_rows(d, "sram")
        if fl is not None and sr is not None and len(fl) == len(ops) == len(sr):
            for i, (s, r, q) in enumerate(zip(ops, fl, sr)):
                w.writerow([net, "we2", i, s["type"], s["cin"], s["cout"], s["lin"], s["lout"],
                            s["kernel"], s["pad"], 1, s["stride"], float(r["Op Cycles"]),
                            float(r["NPU"]), float(r["SRAM AC"]), float(r["OffFlash AC"]),
                            float(q["NPU"]), float(q["Op Cycles"])])


def ceil_div(a, b):
    return -(-a // b)


def max78000_features(r):
    """The features of src/profile/max78000.cpp (same order): see its comment."""
    cin, cout, lin, lout = int(r["cin"]), int(r["cout"]), int(r["lin"]), int(r["lout"])
    k, pad, pool, stride = int(r["kernel"]), int(r["pad"]), int(r["pool"]), int(r["stride"])
    m = ceil_div(cin, 64)  # passes of 64 processors
    pooled = (lin - pool) // stride + 1
    if r["kind"] == "conv":
        return "conv", [(lout - pad) * m * (pool + 1), lout * m * cout,
                        (k - 1 - pad) * (m * (pool + 1) + 1), pad * (4 * m + 1), 1]
    n = 2 if r["kind"] == "add" else 1
    slots = min(ceil_div(min(cout, 64), 4), 4)
    return "eltwise", [pooled * m * n * (pool + 1), pooled * m * slots, 1]


def vela_schedule(netdir, placement="flash"):
    """Per operator of Vela's --verbose-schedule/--verbose-weights report: its encoded weight bytes
    (None for operators without weights) and the output block it chose."""
    path = os.path.join(netdir, "vela-" + placement, "sched.log")
    if not os.path.exists(path):
        return None
    ops = []
    for line in open(path):
        if re.match(r"\s+\d+: Operation ", line):
            ops.append({"encoded": None})
        elif ops and (m := re.search(r"Encoded Weights = (\d+) bytes", line)):
            ops[-1]["encoded"] = int(m.group(1))
        elif ops and (m := re.search(r"Block Config = \[(.*)\]", line)):
            ops[-1]["block"] = [int(x) for x in m.group(1).split(",")]
    return ops


def encoded_features(cin, cout, k):
    """The features of kEncoded in src/profile/we2.cpp (same order), per op: real weights, zero
    padding of a depth-first kernel (C_in to 32) and of a part-kernel one (C_in to 8, taps to 4),
    output channels, 1, and the weights of the channels padding C_out to 8."""
    part = cin <= 8 or cin * k / (round_up(cin, 8) * round_up(k, 4)) > cin / round_up(cin, 32)
    padded = round_up(cin, 8) * round_up(k, 4) if part else round_up(cin, 32) * k
    w, z = cin * k, padded - cin * k
    return [w * cout, 0 if part else z * cout, z * cout if part else 0, cout, 1,
            (round_up(cout, 8) - cout) * w]


def round_up(a, b):
    return ceil_div(a, b) * b


def fit_encoded(netdirs):
    """Least squares (relative error) of Vela's encoded weight bytes per convolution, less the 10
    bytes of scale and bias per output channel that kEncoded.per_channel adds back. The sizes are
    those of the weights in SRAM (vela-sram): encoded for the whole depth, as Vela's transfer time
    counts them even when it streams them from flash in depth slices (whose separate streams add
    a few bytes each)."""
    x, y = [], []
    for d in netdirs:
        sched = vela_schedule(d, "sram")
        ops = list(csv.DictReader(open(os.path.join(d, "we2_ops.csv"))))
        if sched is None or len(sched) != len(ops):
            continue
        for s, o in zip(ops, sched):
            if s["type"] == "CONV1D" and o["encoded"]:
                ci, co, k = int(s["cin"]), int(s["cout"]), int(s["kernel"])
                x.append(encoded_features(ci, co, k))
                y.append(o["encoded"] - 10 * co)
    x, y = np.array(x, float), np.array(y, float)
    coef, *_ = np.linalg.lstsq(x / y[:, None], np.ones(len(y)), rcond=None)
    rel = np.abs(x @ coef - y) / y
    coef[3] += 10  # scale and bias
    print(f"we2 encoded weights: n={len(y)} coef={np.round(coef, 4).tolist()} "
          f"median rel err={np.median(rel):.3f} max={rel.max():.3f}")


def fit(rows, chip, features):
    """Least squares per kind; prints the coefficients and the worst relative residual."""
    groups = {}
    for r in rows:
        if r["chip"] != chip:
            continue
        kind, x = features(r)
        groups.setdefault(kind, ([], []))
        groups[kind][0].append(x)
        groups[kind][1].append(float(r["cycles"]))
    for kind, (x, y) in sorted(groups.items()):
        x, y = np.array(x, float), np.array(y, float)
        coef, *_ = np.linalg.lstsq(x, y, rcond=None)
        pred = x @ coef
        rel = np.abs(pred - y) / np.maximum(y, 1)
        print(f"{chip} {kind}: n={len(y)} coef={np.round(coef, 4).tolist()} "
              f"max rel err={rel.max():.4f} median={np.median(rel):.4f}")


def pair_vela_rows(netdir, rows):
    """Vela's Op Cycles per operator of ours. Vela may reorder operators and turns a concatenation
    into one copy per input ("CONCATENATION") plus an element-wise pass ("UNKNOWN"): rows are
    matched by operator and MAC count and a concatenation's rows summed. None if one is missing."""
    ops = list(csv.DictReader(open(os.path.join(netdir, "we2_ops.csv"))))
    used = [False] * len(rows)

    def take(pred):
        for i, r in enumerate(rows):
            if not used[i] and pred(r):
                used[i] = True
                return float(r["Op Cycles"])
        return None

    def macs(r):
        return int(float(r["MAC Count"]))

    out = []
    for s in ops:
        ci, co, lo, k = int(s["cin"]), int(s["cout"]), int(s["lout"]), int(s["kernel"])
        if s["type"] == "CONCAT":
            # one copy per input (MACs = length x its channels) until the channels add up
            v, channels = 0.0, 0
            while v is not None and channels < co:
                i = next((i for i, r in enumerate(rows) if not used[i]
                          and r["TFLite_operator"] == "CONCATENATION" and macs(r) % lo == 0), None)
                if i is None:
                    v = None
                else:
                    used[i] = True
                    v += float(rows[i]["Op Cycles"])
                    channels += macs(rows[i]) // lo
            add = take(lambda r: r["TFLite_operator"] == "UNKNOWN")
            v = None if v is None or add is None else v + add
        elif s["type"] == "ADD":
            v = take(lambda r: r["TFLite_operator"] == "ADD")
        else:
            m = lo * k * ci * co if s["type"] == "CONV1D" else lo * k * ci
            if s["type"] == "AVGPOOL1D" and int(s["stride"]) > 3:
                m = lo * k * ci * co  # a 1 x 1 convolution over k * C channels
            v = take(lambda r: r["TFLite_operator"] not in ("CONCATENATION", "UNKNOWN", "ADD")
                     and macs(r) == m)
        if v is None:
            return None
        out.append(v)
    return out


def compare(physiolite, netdirs):
    """Our prediction (physiolite profile --json) against izer and Vela on each network: per layer
    and whole network, relative error. Returns the rows printed."""
    import json
    worst = {"max78000": [0, 0], "we2-flash": [0, 0], "we2-sram": [0, 0]}
    lines = []
    per_layer = []
    for d in netdirs:
        net = os.path.basename(os.path.normpath(d))
        iz = izer_layers(d)
        if iz is not None:
            p = json.loads(subprocess.run([physiolite, "profile", "--int8", os.path.join(d, "max.plq"),
                                           "--target", "max78000", "--json"], check=True,
                                          capture_output=True, text=True).stdout)
            ours = [l["cycles"] for l in p["layers"]]
            per = max(abs(a - b) / b for a, b in zip(ours, iz[0]) if b > 0)
            tot = abs(p["total"]["accelerator_cycles"] - iz[1]) / iz[1]
            worst["max78000"] = [max(worst["max78000"][0], per), max(worst["max78000"][1], tot)]
            lines.append(f"{net} max78000: izer {iz[1]} ours {p['total']['accelerator_cycles']} "
                         f"total err {tot:.2%}, worst layer {per:.2%}")
        for placement in ("flash", "sram"):
            rows = vela_rows(d, placement)
            if rows is None:
                continue
            p = json.loads(subprocess.run([physiolite, "profile", "--int8", os.path.join(d, "we2.plq"),
                                           "--target", "we2", "--weights", placement, "--json"],
                                          check=True, capture_output=True, text=True).stdout)
            vela = pair_vela_rows(d, rows)
            tot = abs(p["total"]["accelerator_cycles"] - sum(float(r["Op Cycles"]) for r in rows)) \
                / sum(float(r["Op Cycles"]) for r in rows)
            key = "we2-" + placement
            worst[key][1] = max(worst[key][1], tot)
            if vela is None or len(vela) != len(p["layers"]):
                lines.append(f"{net} we2-{placement}: Vela {sum(float(r['Op Cycles']) for r in rows):.0f}"
                             f" ours {p['total']['accelerator_cycles']} total err {tot:.2%} (no "
                             f"per-layer pairing)")
                continue
            errs = [abs(l["cycles"] - v) / v for l, v in zip(p["layers"], vela) if v > 0]
            within = sum(e <= 0.15 for e in errs) / len(errs)
            worst[key][0] = max(worst[key][0], max(errs))
            per_layer.extend(errs)
            lines.append(f"{net} we2-{placement}: Vela {sum(vela):.0f} ours "
                         f"{p['total']['accelerator_cycles']} total err {tot:.2%}, layers within "
                         f"15 %: {within:.0%}, worst {max(errs):.0%}")
    for line in lines:
        print(line)
    for k, (per, tot) in worst.items():
        print(f"WORST {k}: per layer {per:.2%}, whole network {tot:.2%}")
    if per_layer:
        print(f"WE2 layers within 15 % of Vela: {sum(e <= 0.15 for e in per_layer)} of "
              f"{len(per_layer)} (both placements)")


def main():
    if len(sys.argv) >= 4 and sys.argv[1] == "compare":
        compare(sys.argv[2], sys.argv[3:])
        return 0
    if len(sys.argv) >= 3 and sys.argv[1] == "fit":
        import io
        buf = io.StringIO()
        table(sys.argv[2:], buf)
        rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
        fit(rows, "max78000", max78000_features)
        fit_encoded(sys.argv[2:])
        return 0
    if len(sys.argv) >= 3 and sys.argv[1] == "encoded":
        fit_encoded(sys.argv[2:])
        return 0
    if len(sys.argv) < 3 or sys.argv[1] not in ("run", "table"):
        print(__doc__)
        return 2
    dirs = sys.argv[2:]
    if sys.argv[1] == "run":
        for d in dirs:
            run(d)
            print(d, flush=True)
    else:
        table(dirs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
