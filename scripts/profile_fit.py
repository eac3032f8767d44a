#!/usr/bin/python3
"""Fitting harness of the chip cost models (src/profile/, docs/profile.md).

    scripts/profile_fit.py run NETDIR...     # izer and Vela on generated networks (once each)
    scripts/profile_fit.py table NETDIR...   # one CSV row per layer: our shapes + the tools' figures
    scripts/profile_fit.py fit NETDIR...     # least squares of the rules' features (the coefficients)
    scripts/profile_fit.py compare PHYSIOLITE NETDIR...  # `physiolite profile` against the tools

NETDIR is a folder written by `build/.../bench/bench_profile_netgen OUT SEED COUNT` (max.plq,
we2.tflite, max/ = our MAX78000 export, max_layers.csv, we2_ops.csv). `run` calls the vendors'
estimators with `nice -n 10`, one at a time (izer's "ESTIMATED LATENCY" per layer in
max/izer/NAME/log.txt; Vela's --verbose-performance per-layer CSV in vela/), skipping what is already
there. `table` joins their per-layer figures with the shapes; the fitted coefficients in
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
            "--verbose-performance", "--output-dir", out, tflite]


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
        if not os.path.exists(os.path.join(out, "we2_per-layer.csv")):
            subprocess.run(vela_command(os.path.join(netdir, "we2.tflite"), out, ini),
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)


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


def we2_features(r):
    """The compute features of src/profile/we2.cpp (same order), fitted on Vela's Op Cycles with
    the weights in SRAM (column sram_op), where the weights never limit."""
    ci, co, lo, k = int(r["cin"]), int(r["cout"]), int(r["lout"]), int(r["kernel"])
    if r["kind"] == "CONV1D":
        b = ceil_div(ci, 8) * ceil_div(co, 8)
        return "conv", [lo * k * b, lo * ceil_div(co, 8), k * b, 1]
    if r["kind"] == "AVGPOOL1D":
        return "pool", [lo * k * ceil_div(ci, 8), lo * ceil_div(ci, 8), 1]
    return "add", [lo * ceil_div(co, 8), 1]


def fit_we2(rows):
    """Compute rule per kind and the weight stream (flash Op Cycles of the convs), by least squares
    on the relative error (every layer weighs the same, however long)."""
    groups = {}
    stream_x, stream_y = [], []
    for r in rows:
        if r["chip"] != "we2":
            continue
        kind, x = we2_features(r)
        groups.setdefault(kind, ([], []))
        groups[kind][0].append(x)
        groups[kind][1].append(float(r["sram_op"]))
        if kind == "conv":
            ci, co, k = int(r["cin"]), int(r["cout"]), int(r["kernel"])
            stream_x.append([ci * co * k * 8, co * 8, 1])  # 8 flash cycles per byte (50 MB/s)
            stream_y.append(float(r["cycles"]))
    for kind, (x, y) in sorted(groups.items()):
        x, y = np.array(x, float), np.array(y, float)
        coef, *_ = np.linalg.lstsq(x / y[:, None], np.ones(len(y)), rcond=None)
        rel = np.abs(x @ coef - y) / y
        print(f"we2 {kind} compute: n={len(y)} coef={np.round(coef, 4).tolist()} "
              f"median rel err={np.median(rel):.3f} max={rel.max():.3f}")
    x, y = np.array(stream_x, float), np.array(stream_y, float)
    coef, *_ = np.linalg.lstsq(x / y[:, None], np.ones(len(y)), rcond=None)
    print(f"we2 weight stream (bytes per weight, per output channel, fixed x 8): "
          f"{np.round(coef, 4).tolist()}")


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


def compare(physiolite, netdirs):
    """Our prediction (physiolite profile --json) against izer and Vela on each network: per layer
    and whole network, relative error. Returns the rows printed."""
    import json
    worst = {"max78000": [0, 0], "we2-flash": [0, 0], "we2-sram": [0, 0]}
    lines = []
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
            vela = [float(r["Op Cycles"]) for r in rows]
            tot = abs(p["total"]["accelerator_cycles"] - sum(vela)) / sum(vela)
            key = "we2-" + placement
            worst[key][1] = max(worst[key][1], tot)
            if len(vela) != len(p["layers"]):  # Vela rewrote operators (a concatenation, pools)
                lines.append(f"{net} we2-{placement}: Vela {sum(vela):.0f} ours "
                             f"{p['total']['accelerator_cycles']} total err {tot:.2%} (Vela has "
                             f"{len(vela)} ops, we {len(p['layers'])}: no per-layer pairing)")
                continue
            errs = [abs(l["cycles"] - v) / v for l, v in zip(p["layers"], vela) if v > 0]
            within = sum(e <= 0.15 for e in errs) / len(errs)
            worst[key][0] = max(worst[key][0], max(errs))
            lines.append(f"{net} we2-{placement}: Vela {sum(vela):.0f} ours "
                         f"{p['total']['accelerator_cycles']} total err {tot:.2%}, layers within "
                         f"15 %: {within:.0%}, worst {max(errs):.0%}")
    for line in lines:
        print(line)
    for k, (per, tot) in worst.items():
        print(f"WORST {k}: per layer {per:.2%}, whole network {tot:.2%}")


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
        fit_we2(rows)
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
