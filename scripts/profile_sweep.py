#!/usr/bin/python3
"""Design-space sweep of `physiolite profile`: predicted accelerator time per window over widths
(model.embed_dim) and window lengths (model.input_length) of a dataset profile, on both chips,
as an SVG line chart and a CSV (docs/profile.md).

    scripts/profile_sweep.py PHYSIOLITE OUT.svg [--profile uci] [--weights flash|sram]
                             [--models DIR ...]

Accuracy: for each point a trained model exists for (DIR/<profile>-*-seed*/ whose config.json has
that embed_dim and input_length; DIRs default to models/ and runs/sweep/, where
scripts/sweep_trainings.sh puts the sweep's own trainings), the VALIDATION macro-F1 at the epoch
training selected (log.jsonl, "best_epoch"), mean over seeds; never the test split. The SVG's
right panel plots it against the predicted accelerator time. Energy per window (accelerator_uj,
CSV only): the chip's published average power x the accelerator's time (docs/profile.md, "Energy").
"""
import argparse
import glob
import json
import os
import statistics
import subprocess
import sys

WIDTHS = [64, 128, 192, 256]
LENGTHS = [512, 1024]
CHIPS = ["max78000", "we2"]
COLOURS = {"max78000": "#4e79a7", "we2": "#e15759"}


def predict(physiolite, profile, chip, width, length, weights):
    cmd = [physiolite, "profile", "--profile", profile, "--target", chip, "--json",
           "--set", f"model.embed_dim={width}", "--set", f"model.input_length={length}"]
    if weights:
        cmd += ["--weights", weights]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        return None  # a chip rule refuses this point (printed by the caller)
    total = json.loads(r.stdout)["total"]
    accel = [c for c in json.loads(r.stdout)["components"] if c["unit"] != "CPU"]
    return sum(c["us"] for c in accel), total["weight_bytes"], sum(c["uj"] for c in accel)


def validation_f1(dirs, profile):
    """{(input_length, embed_dim): [validation macro-F1 of each seed]} of the trained models of a
    profile, each at the epoch its training selected (best_epoch)."""
    out = {}
    runs = [d for top in dirs for d in sorted(glob.glob(os.path.join(top, f"{profile}-*-seed*")))]
    for d in runs:
        if not os.path.exists(os.path.join(d, "report.md")):
            continue  # training not finished
        try:
            cfg = json.load(open(os.path.join(d, "config.json")))
            rows = [json.loads(l) for l in open(os.path.join(d, "log.jsonl")) if l.strip()]
        except (OSError, ValueError):
            continue
        best = rows[-1].get("best_epoch")
        chosen = [r for r in rows if r.get("epoch") == best and "val_macro_f1" in r]
        if not chosen:
            continue
        key = (cfg["model"]["input_length"], cfg["model"]["embed_dim"])
        out.setdefault(key, []).append(chosen[0]["val_macro_f1"])
    return out


def trade_off_panel(points, accuracy, x0, top, w, h):
    """Validation macro-F1 against predicted accelerator time, one line per chip and window
    length through the widths (labelled D): the trade-off a designer reads off the sweep."""
    pts = [(p, statistics.mean(accuracy[(p[1], p[2])])) for p in points if (p[1], p[2]) in accuracy]
    if not pts:
        return [f'<text x="{x0}" y="{top + 20}">no trained model at any point: no accuracy</text>']
    left, bottom, right = 50, 40, 10
    xmax = max(p[3] for p, _ in pts) * 1.05
    fmin = min(f for _, f in pts)
    ymin = max(0.0, round(fmin - 0.02, 2))
    xs = lambda us: x0 + left + us / xmax * (w - left - right)
    ys = lambda f: top + (1 - (f - ymin) / (1 - ymin)) * (h - top - bottom)
    out = [f'<line x1="{x0 + left}" y1="{h - bottom}" x2="{x0 + w - right}" y2="{h - bottom}" '
           'stroke="black"/>',
           f'<line x1="{x0 + left}" y1="{top}" x2="{x0 + left}" y2="{h - bottom}" stroke="black"/>',
           f'<text x="{x0 + (w + left) / 2:.0f}" y="{h - 5}" text-anchor="middle">'
           'accelerator µs / window</text>',
           f'<text x="{x0 + 5}" y="{top - 8}">validation macro-F1 (mean over seeds)</text>']
    for k in range(5):
        us = xmax * k / 4
        out.append(f'<text x="{xs(us):.0f}" y="{h - bottom + 15}" text-anchor="middle">{us:.0f}</text>')
        f = ymin + (1 - ymin) * k / 4
        out.append(f'<text x="{x0 + left - 5}" y="{ys(f) + 4:.0f}" text-anchor="end">{f:.2f}</text>')
    for chip in CHIPS:
        for n, length in enumerate(LENGTHS):
            line = sorted(((p[3], f, p[2]) for p, f in pts if p[0] == chip and p[1] == length))
            if not line:
                continue
            dash = ' stroke-dasharray="5,3"' if n else ""
            path = " ".join(f"{xs(us):.1f},{ys(f):.1f}" for us, f, _ in line)
            out.append(f'<polyline points="{path}" fill="none" stroke="{COLOURS[chip]}" '
                       f'stroke-width="1.5"{dash}/>')
            for us, f, width in line:
                out.append(f'<circle cx="{xs(us):.1f}" cy="{ys(f):.1f}" r="3" fill="{COLOURS[chip]}"/>')
                out.append(f'<text x="{xs(us) + 4:.1f}" y="{ys(f) - 4:.1f}" font-size="9">D {width}</text>')
    return out


def svg(points, title, accuracy=None):
    """Left: predicted accelerator time against width, per chip and window length. Right, where
    trained models exist: validation macro-F1 against that time (trade_off_panel)."""
    w, h, left, top, right, bottom = 560, 340, 60, 40, 160, 40
    panel = 420
    ys = [p[3] for p in points]
    ymax = max(ys) * 1.1
    xs = lambda width: left + (width - WIDTHS[0]) / (WIDTHS[-1] - WIDTHS[0]) * (w - left - right)
    ys_ = lambda us: top + (1 - us / ymax) * (h - top - bottom)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w + panel}" height="{h}" '
           'font-family="sans-serif" font-size="11">',
           f'<text x="{left}" y="20">{title}</text>',
           f'<line x1="{left}" y1="{h - bottom}" x2="{w - right}" y2="{h - bottom}" stroke="black"/>',
           f'<line x1="{left}" y1="{top}" x2="{left}" y2="{h - bottom}" stroke="black"/>']
    for width in WIDTHS:
        out.append(f'<text x="{xs(width):.0f}" y="{h - bottom + 15}" text-anchor="middle">{width}</text>')
    out.append(f'<text x="{(w - right + left) / 2:.0f}" y="{h - 5}" text-anchor="middle">'
               'model.embed_dim</text>')
    for k in range(5):
        v = ymax * k / 4
        out.append(f'<text x="{left - 5}" y="{ys_(v) + 4:.0f}" text-anchor="end">{v:.0f}</text>')
    out.append(f'<text x="12" y="{top - 8}">accelerator µs / window</text>')
    legend = 0
    for chip in CHIPS:
        for n, length in enumerate(LENGTHS):
            line = [(xs(p[2]), ys_(p[3])) for p in points if p[0] == chip and p[1] == length]
            if not line:
                continue
            dash = ' stroke-dasharray="5,3"' if n else ""
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in line)
            out.append(f'<polyline points="{path}" fill="none" stroke="{COLOURS[chip]}" '
                       f'stroke-width="2"{dash}/>')
            y = top + 16 * legend
            out.append(f'<line x1="{w - right + 10}" y1="{y}" x2="{w - right + 30}" y2="{y}" '
                       f'stroke="{COLOURS[chip]}" stroke-width="2"{dash}/>')
            out.append(f'<text x="{w - right + 35}" y="{y + 4}">{chip}, L = {length}</text>')
            legend += 1
    out += trade_off_panel(points, accuracy or {}, w, top, panel, h)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("physiolite")
    ap.add_argument("svg")
    ap.add_argument("--profile", default="uci")
    ap.add_argument("--weights", choices=["flash", "sram"])
    root = os.path.join(os.path.dirname(__file__), "..")
    ap.add_argument("--models", nargs="+",
                    default=[os.path.join(root, "models"), os.path.join(root, "runs", "sweep")])
    a = ap.parse_args()
    accuracy = validation_f1(a.models, a.profile)
    points = []
    print("chip,input_length,embed_dim,accelerator_us,accelerator_uj,weight_bytes,val_macro_f1,"
          "seeds")
    for chip in CHIPS:
        for length in LENGTHS:
            for width in WIDTHS:
                r = predict(a.physiolite, a.profile, chip, width, length, a.weights)
                if r is None:
                    print(f"# {chip} L={length} D={width}: refused by the chip's rules",
                          file=sys.stderr)
                    continue
                points.append((chip, length, width, r[0]))
                f1 = accuracy.get((length, width), [])
                mean = f"{statistics.mean(f1):.4f}" if f1 else ""
                print(f"{chip},{length},{width},{r[0]:.1f},{r[2]:.1f},{r[1]},{mean},{len(f1)}")
    weights = a.weights or "default placement"
    with open(a.svg, "w") as f:
        f.write(svg(points, f"profile {a.profile}: predicted accelerator time ({weights})",
                    {k: v for k, v in accuracy.items() if k[0] in LENGTHS and k[1] in WIDTHS}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
