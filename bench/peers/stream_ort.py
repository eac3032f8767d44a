#!/usr/bin/python3
"""Benchmark peer of `physiolite stream` (plrt_ecg): the same job on a whole record in numpy/scipy,
the int8 model in ONNX Runtime.

  stream_ort.py RECORD MODEL.plq MODEL.onnx [--repeat N] [--compare STREAM.csv] [--output F.csv]

RECORD is a MIT-BIH record (path without extension, format 212), MODEL.plq the int8 model (its
run's config.json two directories up, models/<run>/int8/<file>.plq, gives the preprocessing, as
for `physiolite stream`) and MODEL.onnx its ONNX QDQ graph: `physiolite export --target onnx` (input "input" int8; ONNX
Runtime requantises each layer in float, so logits may differ by an LSB from our runtime's and a
few close beats change class) or its `--onnx-form qdq-u8` (input "input_u8", codes + 128: the U8U8
form ONNX Runtime computes exactly on x86).
Per run, timed from reading the record to the classes:
  - the QRS detector: bench/peers/qrs_numpy.py (plrt_qrs's algorithm, its filters vectorised),
    each beat then moved to the band-passed lead's extremum within 50 ms (plrt_ecg's refinement);
  - per lead (MLII first, the other signal second): minus the first sample, 2nd-order Butterworth
    high-pass then low-pass at the record's rate (scipy.signal.lfilter, forward only), linear
    interpolation to the model's rate (numpy.interp);
  - the running z-score: the exact statistics of the first norm_seconds (cumulative sums), then
    the exponential average of weight 1 / (norm_seconds * model_fs) (scipy.signal.lfilter), taken
    at each window's last sample;
  - per beat: its window, the running median beat (the mean of the first learn_beats beats, then
    steps of template_step), the RR side inputs from the beats known when plrt_ecg finalises it
    (the next beat if the detector reported it by the later of the window's end and max_post_ms
    after the beat), the positional channels, the input quantisation (bench/peers/plq.py);
  - the model: bench/peers/ort_latency.js --io in Node (npm onnxruntime-node, one intra-op
    thread, graph optimisation "all"), every classified window once; the first learn_beats beats are not classified (plrt_ecg's learning
    period).
Times: median over N runs of the CPU time of this process plus its Node child (the C benchmark
counts CPU time too: the machine is shared) and the wall time. --compare: the classes beside
those of `physiolite stream --output STREAM.csv` on the same record (beats at the same sample,
both classified). Not reproduced: lead-off / NaN handling (MIT-BIH records have none that matter)
and the detector's flat-line restarts (qrs_numpy.py).
"""
import argparse
import csv
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import onnx
import scipy
import scipy.signal

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import mitdb212  # noqa: E402
import plq  # noqa: E402
import qrs_numpy  # noqa: E402

# plrt_ecg_default_config's values that config.json does not carry.
NORM_SECONDS, TEMPLATE_STEP, LEARN_BEATS, REFINE_MS = 300.0, 0.02, 8, 50.0
# data.causal_max_post_ms, 2000 in runs made before config.json carried it
LEGACY_MAX_POST_MS = 2000.0


def band_pass(x, fs, low_hz, high_hz):
    bh, ah = scipy.signal.butter(2, low_hz / (fs / 2), "high")
    bl, al = scipy.signal.butter(2, high_hz / (fs / 2), "low")
    return scipy.signal.lfilter(bl, al, scipy.signal.lfilter(bh, ah, x - x[0]))


def refine(beats, y, fs, mfs, low_hz, high_hz):
    """plrt_ecg's refine_ready: each beat moved to the largest |y| (lead 0 band-passed at the
    model's rate) within REFINE_MS, back at the record's rate less the band-pass's group delay at
    10 Hz in whole samples."""
    half = int(REFINE_MS * mfs / 1000 + 0.5)
    w = [2 * np.pi * 10.0 / fs]
    delay = sum(scipy.signal.group_delay(scipy.signal.butter(2, f / (fs / 2), kind), w)[1][0]
                for f, kind in ((low_hz, "high"), (high_hz, "low")))
    shift = int(delay + 0.5) if delay > 0 else 0
    out = []
    for s in beats:
        c = int((2 * s * mfs + fs) // (2 * fs))
        lo, hi = max(c - half, 0), min(c + half, y.size - 1)
        if lo > hi:
            out.append(s)
            continue
        k = lo + int(np.argmax(np.abs(y[lo : hi + 1])))
        out.append(max(int((2 * k * fs + mfs) // (2 * mfs)) - shift, 0))
    return np.array(out, np.int64)


def running_zscore(y, norm_len):
    """Mean and standard deviation after each sample: weight 1/k for the k-th, 1/norm_len once k
    reaches norm_len (plrt_ecg's emit_model_sample)."""
    k0 = min(norm_len - 1, y.size)  # samples with weight 1/k
    k = np.arange(1, k0 + 1)
    mean = np.empty_like(y)
    var = np.empty_like(y)
    mean[:k0] = np.cumsum(y[:k0]) / k
    var[:k0] = np.cumsum(y[:k0] ** 2) / k - mean[:k0] ** 2
    if y.size > k0:
        w = 1.0 / norm_len
        tail = y[k0:]
        m_prev = mean[k0 - 1]
        mean[k0:], _ = scipy.signal.lfilter([w], [1, -(1 - w)], tail, zi=[(1 - w) * m_prev])
        old = np.concatenate(([m_prev], mean[k0:-1]))
        g = (tail - old) * (tail - mean[k0:])
        var[k0:], _ = scipy.signal.lfilter([w], [1, -(1 - w)], g, zi=[(1 - w) * var[k0 - 1]])
    return mean, np.sqrt(np.maximum(var, 0.0))


def rr_inputs(beats, self_i, post, fs, data, local_beats):
    """plrt_ecg_rr_inputs over beats[0 .. self_i] (+ the next one when `post`)."""
    count = self_i + 1 + (1 if post else 0)
    b = beats[:count]
    rr = lambda k: (b[k] - b[k - 1]) / fs  # noqa: E731
    intervals = self_i + (1 if post else 0)
    mean_rr = (b[count - 1] - b[0]) / intervals / fs if intervals > 0 else 1.0
    pre = rr(self_i) if self_i > 0 else (rr(1) if count > 1 else mean_rr)
    post_rr = rr(self_i + 1) if post else pre
    ks = range(self_i, max(0, self_i - local_beats), -1)
    local = sum(rr(k) for k in ks) / len(ks) if len(ks) else pre
    out = [pre / mean_rr, post_rr / mean_rr, local / mean_rr]
    if data.get("rr_seconds"):
        out.append(mean_rr)
    if data.get("rr_ratios"):
        out += [pre / local, post_rr / pre]
    if data.get("rr_variability"):
        v = [rr(k) for k in range(max(self_i - 1, 0), max(0, self_i - 1 - local_beats), -1) if k >= 1]
        out.append(float(np.std(v) / np.mean(v)) if len(v) >= 2 else 0.0)
    if data.get("rr_irregularity"):
        first, last = max(1, self_i - local_beats + 1), min(count - 1, self_i + local_beats)
        iv = np.diff(b[first - 1 : last + 1]).astype(np.float64)
        d = np.abs(np.diff(iv))
        out.append(float(np.median(d) / np.median(iv)) if d.size >= 2 else 0.0)
    return out


def positional(length, freqs, scale):
    n = np.arange(length)
    rows = []
    for k in range(freqs):
        a = 2 * np.pi * (2**k) * n / max(length - 1, 1)
        rows += [scale * np.sin(a), scale * np.cos(a)]
    return np.array(rows, np.float32).reshape(-1, length)


def stream(record, model, config, onnx_path, io_names, workdir):
    """Returns (beat samples, labels: class index or -1 for unclassified)."""
    data, mcfg = config["data"], config["model"]
    fs, signals, names = mitdb212.read_212(record)
    lead0 = names.index(data.get("lead", "MLII")) if data.get("lead", "MLII") in names else 0
    order = [lead0] + [i for i in range(len(signals)) if i != lead0]
    leads = [np.nan_to_num(signals[i].astype(np.float64)) for i in order[: data["leads"]]]
    detected = qrs_numpy.detect(leads[0], fs)
    beats = np.array([b[0] for b in detected], np.int64)
    reported = np.array([b[1] for b in detected], np.int64)

    mfs, length, offset = data["fs_hz"], data["window_length"], data["beat_offset"]
    pos = np.arange(int(np.floor((leads[0].size - 1) * mfs / fs)) + 1) * (fs / mfs)
    norm_len = int(NORM_SECONDS * mfs + 0.5)
    series = []
    for x in leads:
        y = np.interp(pos, np.arange(x.size), band_pass(x, fs, data["low_hz"], data["high_hz"]))
        series.append((y,) + running_zscore(y, norm_len))
    m_total = pos.size
    beats = refine(beats, series[0][0], fs, mfs, data["low_hz"], data["high_hz"])

    side_offset = np.array(mcfg["side_offset"])
    side_scale = np.array(mcfg["side_scale"])
    pe = positional(length, mcfg.get("pos_freqs", 8), mcfg.get("pe_scale", 0.1))
    max_post = int(data.get("causal_max_post_ms", LEGACY_MAX_POST_MS) * fs / 1000 + 0.5)
    n_lead = len(leads)
    template = np.zeros((n_lead, length))
    windows, which = [], []
    labels = np.full(beats.size, -1)
    for i, s in enumerate(beats):
        centre = int((2 * s * mfs + fs) // (2 * fs))
        start, end = centre - offset, centre - offset + length - 1
        if end >= m_total:
            continue  # the stream ended first: unclassified
        # the input sample whose push completes the window (+1 for the interpolation)
        window_done = int(np.ceil(end * fs / mfs)) + (0 if (end * fs) % mfs == 0 else 1)
        post = i + 1 < beats.size and reported[i + 1] <= max(window_done, s + max_post)
        idx = np.arange(start, start + length)
        x = np.zeros((n_lead, length))
        for lead, (y, mean, sd) in enumerate(series):
            sd_end = sd[end] if sd[end] > 0 else 1.0
            x[lead] = np.where(idx >= 0, (y[np.maximum(idx, 0)] - mean[end]) / sd_end, 0.0)
        if i < LEARN_BEATS:
            template = x.copy() if i == 0 else template + (x - template) / (i + 1)
            continue
        template += TEMPLATE_STEP * np.sign(x - template)
        side = (np.array(rr_inputs(beats, i, post, fs, data, data.get("local_rr_beats", 10)))
                - side_offset) / side_scale
        rows = [x]
        if data.get("template_channel"):
            rows.append(x - template)
        rows.append(np.repeat(side[:, None], length, axis=1))
        rows.append(pe)
        windows.append(np.concatenate(rows).astype(np.float32))
        which.append(i)
    q = plq.quantize_input(model, np.array(windows)).transpose(0, 2, 1)  # (N, C, L) int8
    graph_in, graph_out = io_names
    if graph_in.endswith("_u8"):  # export --onnx-form qdq-u8(s8): codes + 128
        q = (q.astype(np.int16) + 128).astype(np.uint8)
    q.tofile(os.path.join(workdir, f"{graph_in}.bin"))
    subprocess.run(["node", str(HERE / "ort_latency.js"), str(onnx_path), "--io", workdir,
                    "--warmup", "0", "--runs", "1"], check=True, stdout=subprocess.DEVNULL)
    logits = np.fromfile(os.path.join(workdir, f"{graph_out}.bin"), q.dtype).reshape(q.shape[0], -1)
    labels[np.array(which)] = np.argmax(logits, axis=1)
    return beats, labels, (np.array(which), q)


def cpu_seconds():
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("record")
    ap.add_argument("plq")
    ap.add_argument("onnx")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--compare", help="CSV of `physiolite stream` on the same record")
    ap.add_argument("--output", help="CSV sample,label (-1: unclassified)")
    ap.add_argument("--check-every", type=int, default=0,
                    help="with --compare: every K-th window through plq.py's integer reference "
                    "too, its logits against the stream's (is a difference preprocessing or ORT?)")
    args = ap.parse_args()
    plq_path = Path(args.plq)
    config = json.loads((plq_path.parent.parent / "config.json").read_text())
    model = plq.read_plq(plq_path.read_bytes())
    classes = config["data"].get("classes", "NSVF")
    graph = onnx.load(args.onnx).graph
    io_names = (graph.input[0].name, graph.output[0].name)
    cpu, wall = [], []
    with tempfile.TemporaryDirectory() as workdir:
        for _ in range(args.repeat):
            c0, w0 = cpu_seconds(), time.perf_counter()
            beats, labels, inputs = stream(args.record, model, config, args.onnx, io_names, workdir)
            cpu.append(cpu_seconds() - c0)
            wall.append(time.perf_counter() - w0)
    fs, signals, _ = mitdb212.read_212(args.record)
    seconds = signals[0].size / fs
    line = (f"stream_ort record={args.record} seconds={seconds:.0f} beats={beats.size} "
            f"classified={(labels >= 0).sum()} cpu_median_s={statistics.median(cpu):.3f} "
            f"realtime={seconds / statistics.median(cpu):.0f}x "
            f"wall_median_s={statistics.median(wall):.3f} numpy={np.__version__} "
            f"scipy={scipy.__version__}")
    if args.output:
        with open(args.output, "w") as f:
            f.write("sample,label\n")
            f.writelines(f"{s},{classes[k] if k >= 0 else '!'}\n" for s, k in zip(beats, labels))
    if args.compare:
        ours, our_logits = {}, {}
        with open(args.compare) as f:
            for row in csv.DictReader(f):
                ours[int(row["sample"])] = row["label"]
                if not row["label"].startswith("!"):
                    our_logits[int(row["sample"])] = [int(row[f"logit_{c}"]) for c in classes]
        both = same = 0
        for s, k in zip(beats, labels):
            theirs = ours.get(int(s))
            if k < 0 or theirs is None or theirs.startswith("!"):
                continue
            both += 1
            same += theirs == classes[k]
        common = len(set(ours) & set(int(s) for s in beats))
        line += (f" stream_beats={len(ours)} same_sample={common} both_classified={both} "
                 f"same_class={same} agreement={100.0 * same / max(both, 1):.2f}%")
    if args.compare and args.check_every > 0:
        which, q = inputs
        pick = np.arange(0, which.size, args.check_every)
        q_ref = q[pick] if q.dtype == np.int8 else (q[pick].astype(np.int16) - 128).astype(np.int8)
        ref = plq.run_int8(model, q_ref.transpose(0, 2, 1)).astype(int)
        c_logits = np.array([our_logits.get(int(beats[which[i]]), [0] * len(classes)) for i in pick])
        line += (f" checked={pick.size} plq_same_logits={(ref == c_logits).all(axis=1).sum()} "
                 f"plq_same_class={(ref.argmax(1) == c_logits.argmax(1)).sum()}")
    print(line)


if __name__ == "__main__":
    main()
