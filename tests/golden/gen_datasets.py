#!/usr/bin/python3
"""Writes small copies of the five reference datasets in their publishers' formats, and the
windows the reference's rules give for them, computed here with numpy / scipy / sklearn.

Command (from the repository root):  /usr/bin/python3 tests/golden/gen_datasets.py
Made with Debian 12's python3-numpy 1.24.2, python3-scipy 1.10.1, python3-sklearn 1.2.1.

Output: tests/golden/datasets/{ptb-xl,cpsc2018,chapman,ninapro-db5,emg-epn-612}/ (the fixture
trees, read by tests/data/reference_datasets_test.cpp and tests/cli/) and
tests/golden/datasets_expected.json (what every split must hold).

The files are written the way the publishers' tools write them: PTB-XL WFDB format-16 records and
csv module CSVs (pandas-style quoting), the challenges' level-4 `val` files with
scipy.io.savemat(format='4') next to WFDB headers with `#Dx:` lines, NinaPro level-5 files with
savemat(do_compression=True) (as MATLAB's default -v7), EPN-612 JSON with json.dump. The expected
windows come from an independent re-implementation of the reference scripts' rules (REFERENCE
rules as documented in docs/datasets.md), reading the files back with np.fromfile /
scipy.io.loadmat / json.load as those scripts do. To keep the fixtures small the windows are
shorter than the reference's (options given in `options` below); the rules are the same.
"""
import csv
import json
import os
import shutil

import numpy as np
import scipy.io
from sklearn.model_selection import train_test_split

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "datasets")

ECG = dict(window_length=64, stride=32)
DB5 = dict(window_length=16, stride=4)
EPN = dict(window_length=32, train_per_gesture=2)


def rng_signal(seed, leads, n):
    r = np.random.RandomState(seed)
    x = r.randint(-400, 400, size=(leads, n)).astype(np.int16)
    return x


def checksum16(v):
    s = int(np.sum(v.astype(np.int64))) & 0xFFFF
    return s - 0x10000 if s >= 0x8000 else s


LEAD_NAMES = ["I", "II", "III", "AVR", "AVL", "AVF", "V1", "V2", "V3", "V4", "V5", "V6"]


# ---------------------------------------------------------------- PTB-XL
PTB_RECORDS = [
    # ecg_id, strat_fold, scp_codes, length
    (1, 1, "{'NORM': 100.0, 'SR': 0.0}", 170),
    (2, 3, "{'IMI': 80.0, 'LVH': 100.0}", 130),  # two superclasses: HYP (highest index)
    (3, 8, "{'NDT': 50.0, 'NORM': 79.0}", 140),  # every likelihood below 80: dropped
    (4, 2, "{'CLBBB': 100.0}", 50),  # shorter than a window: dropped
    (5, 9, "{'IMI': 100.0, 'NDT': 100.0}", 160),  # a multiple of the step: no tail
    (6, 10, "{'SR': 100.0, 'NORM': 80.0}", 64),  # exactly one window
    (7, 5, "{'CLBBB': 90.0, 'IMI': 15.0}", 100),
    (8, 10, "{}", 120),  # no statement: dropped
    (9, 9, "{'PVC': 100.0, 'LVH': 85.0}", 97),  # PVC is not diagnostic; constant lead 12
]
SCP = [
    # code, description, diagnostic, form, rhythm, diagnostic_class
    ("NDT", "non-diagnostic T abnormalities", "1.0", "1.0", "", "STTC"),
    ("NORM", "normal ECG", "1.0", "", "", "NORM"),
    ("IMI", "inferior myocardial infarction", "1.0", "", "", "MI"),
    ("LVH", "left ventricular hypertrophy", "1.0", "", "", "HYP"),
    ("CLBBB", "complete left bundle branch block", "1.0", "", "", "CD"),
    ("PVC", "ventricular premature complex", "", "1.0", "1.0", ""),
    ("SR", "sinus rhythm", "", "", "1.0", ""),
]


def write_ptbxl(root):
    d = os.path.join(root, "ptb-xl")
    os.makedirs(os.path.join(d, "records500", "00000"))
    with open(os.path.join(d, "ptbxl_database.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["ecg_id", "patient_id", "age", "sex", "report", "scp_codes", "strat_fold",
                    "filename_lr", "filename_hr"])
        for ecg_id, fold, scp, n in PTB_RECORDS:
            w.writerow([ecg_id, 1000.0 + ecg_id, 56.0, 1, 'sinus rhythm, "normal" ecg', scp, fold,
                        f"records100/00000/{ecg_id:05d}_lr", f"records500/00000/{ecg_id:05d}_hr"])
    with open(os.path.join(d, "scp_statements.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["", "description", "diagnostic", "form", "rhythm", "diagnostic_class"])
        for row in SCP:
            w.writerow(row)
    for ecg_id, fold, scp, n in PTB_RECORDS:
        x = rng_signal(ecg_id, 12, n)
        if ecg_id == 9:
            x[11, :] = 17
        name = f"{ecg_id:05d}_hr"
        base = os.path.join(d, "records500", "00000", name)
        x.T.astype("<i2").tofile(base + ".dat")  # format 16: samples interleaved by lead
        with open(base + ".hea", "w") as f:
            f.write(f"{name} 12 500 {n}\n")
            for lead in range(12):
                f.write(f"{name}.dat 16 1000.0(0)/mV 16 0 {x[lead, 0]} {checksum16(x[lead])} 0 "
                        f"{LEAD_NAMES[lead]}\n")


def minmax(seg):
    out = np.zeros_like(seg)
    for i in range(seg.shape[0]):
        lo, hi = seg[i].min(), seg[i].max()
        out[i] = 2 * (seg[i] - lo) / (hi - lo) - 1 if hi - lo > 1e-8 else 0.0
    return out


def zscore(seg):
    mu = seg.mean(axis=1, keepdims=True)
    sd = seg.std(axis=1, keepdims=True)
    return (seg - mu) / (sd + 1e-8)


def windows(x, W, S, norm, tail):
    """Full windows from 0 with step S, then the tail: "step" (PTB-XL, Chapman: from
    floor(L / S) * S when L % S != 0) or "after" (CPSC: from the last full window's end when that
    is before L). The tail is zero-padded to W, then normalised."""
    L = x.shape[1]
    segs = []
    end = 0
    for start in range(0, L - W + 1, S):
        segs.append((start, norm(x[:, start:start + W]) if norm else x[:, start:start + W]))
        end = start + W
    begin = None
    if tail == "step" and L % S != 0:
        begin = (L // S) * S
    if tail == "after" and end < L:
        begin = end
    if begin is not None:
        pad = np.zeros((x.shape[0], W))
        rem = x[:, begin:begin + W]
        pad[:, :rem.shape[1]] = rem
        segs.append((begin, norm(pad) if norm else pad))
    return segs


def ptbxl_expected(root):
    d = os.path.join(root, "ptb-xl")
    with open(os.path.join(d, "scp_statements.csv")) as f:
        rows = list(csv.reader(f))
    diag = {r[0]: r[5] for r in rows[1:] if r[2] and float(r[2]) == 1}
    classes = {"NORM": 0, "MI": 1, "STTC": 2, "CD": 3, "HYP": 4}
    with open(os.path.join(d, "ptbxl_database.csv")) as f:
        db = list(csv.DictReader(f))
    out = {}
    for split, folds in [("train", range(1, 9)), ("validation", [9]), ("test", [10])]:
        items = []
        for row in db:
            if int(row["strat_fold"]) not in folds:
                continue
            import ast
            codes = ast.literal_eval(row["scp_codes"])
            found = [classes[diag[c]] for c, lk in codes.items()
                     if lk >= 80 and diag.get(c) in classes]
            if not found:
                continue
            base = os.path.join(d, row["filename_hr"])
            n = int(open(base + ".hea").readline().split()[3])
            sig = np.fromfile(base + ".dat", dtype="<i2").reshape(n, 12).T / 1000.0
            if n < ECG["window_length"]:
                continue
            for begin, seg in windows(sig, ECG["window_length"], ECG["stride"], minmax, "step"):
                items.append((row["ecg_id"], begin, [max(found)], seg))
        out[split] = items
    return out


# ---------------------------------------------------------------- CPSC 2018 and Chapman
CPSC_RECORDS = [
    # folder, name, dx, length
    ("g1", "A0001", "59118001", 170),
    ("g1", "A0002", "426783006", 40),  # shorter than a window: one padded window
    ("g1", "A0003", "164889003,59118001", 96),  # several labels; ends with a full window
    ("g1", "A0004", "164934002", 120),  # no class of the nine: dropped
    ("g1", "A0005", "270492004,164884008,17338001", 130),
    ("g2", "A0006", "733534002", 64),
    ("g2", "A0007", "284470004,429622005", 200),
    ("g2", "A0008", "164931005", 33),
    ("g2", "A0009", "164909002,427172004", 128),
    ("g2", "A0010", "426783006", 150),
    ("g2", "A0011", "713427006", 90),
]
CHAPMAN_RECORDS = [
    ("WFDBRecords/01/010", "JS00001", "426177001,164934002", 170),
    ("WFDBRecords/01/010", "JS00002", "164889003", 100),
    ("WFDBRecords/01/010", "JS00003", "427084000,164890007", 64),  # two classes
    ("WFDBRecords/01/010", "JS00004", "251146004", 160),  # no class: dropped
    ("WFDBRecords/01/010", "JS00005", "426761007", 50),  # shorter than a window: dropped
    ("WFDBRecords/01/011", "JS00006", "AFL", 128),  # a text token
    ("WFDBRecords/01/011", "JS00007", "426783006", 200),
    ("WFDBRecords/01/011", "JS00008", "713422000,427393009", 96),
    ("WFDBRecords/01/011", "JS00009", "SB", 150),
    ("WFDBRecords/01/011", "JS00010", "233896004", 75),
    ("WFDBRecords/01/011", "JS00011", "426783006", 180),
    ("WFDBRecords/01/011", "JS00012", "195101003", 110),
]


def write_challenge(root, folder, records, seed0):
    for i, (sub, name, dx, n) in enumerate(records):
        d = os.path.join(root, folder, sub)
        os.makedirs(d, exist_ok=True)
        x = rng_signal(seed0 + i, 12, n)
        scipy.io.savemat(os.path.join(d, name + ".mat"), {"val": x}, format="4")
        with open(os.path.join(d, name + ".hea"), "w") as f:
            f.write(f"{name} 12 500 {n} 05-Feb-2020 11:39:16\n")
            for lead in range(12):
                f.write(f"{name}.mat 16+24 1000/mV 16 0 {x[lead, 0]} {checksum16(x[lead])} 0 "
                        f"{LEAD_NAMES[lead]}\n")
            f.write(f"#Age: 63\n#Sex: Female\n#Dx: {dx}\n#Rx: Unknown\n#Hx: Unknown\n#Sx: Unknown\n")


CPSC_MAP = {"426783006": 0, "164889003": 1, "270492004": 2, "733534002": 3, "164909002": 3,
            "713427006": 4, "59118001": 4, "284470004": 5, "427172004": 6, "164884008": 6,
            "17338001": 6, "429622005": 7, "164931005": 8}
CHAPMAN_MAP = {"426177001": 0, "SB": 0, "164889003": 1, "164890007": 1, "AFIB": 1, "AF": 1,
               "AFL": 1, "426761007": 2, "713422000": 2, "233896004": 2, "233897008": 2,
               "195101003": 2, "SVT": 2, "AT": 2, "AVNRT": 2, "AVRT": 2, "SAAWR": 2,
               "427084000": 3, "426783006": 3, "427393009": 3, "SR": 3, "SI": 3, "ST": 3}


def challenge_records(root, folder, mapping, k, min_len):
    found = []
    for dirpath, _, files in os.walk(os.path.join(root, folder)):
        for f in files:
            if f.endswith(".hea"):
                found.append(os.path.join(dirpath, f))
    found.sort()  # sorted, where the reference takes os.walk / glob order
    out = []
    for hea in found:
        lines = open(hea).read().splitlines()
        n = int(lines[0].split()[3])
        dx = [l for l in lines if l.startswith("#Dx:")][0][4:].strip().split(",")
        y = np.zeros(k, dtype=np.int64)
        for c in dx:
            if c.strip() in mapping:
                y[mapping[c.strip()]] = 1
        if y.sum() == 0 or n < min_len:
            continue
        val = scipy.io.loadmat(hea[:-4] + ".mat")["val"].astype(np.float64)
        out.append((os.path.basename(hea)[:-4], y, val))
    return out


def cpsc_expected(root):
    recs = challenge_records(root, "cpsc2018", CPSC_MAP, 9, 0)
    train, rest = train_test_split(recs, test_size=0.3, random_state=42)
    val, test = train_test_split(rest, test_size=1 / 3, random_state=42)
    out = {}
    for split, part in [("train", train), ("validation", val), ("test", test)]:
        out[split] = [(name, b, list(y), seg) for name, y, x in part
                      for b, seg in windows(x, ECG["window_length"], ECG["stride"], zscore, "after")]
    return out


def chapman_expected(root):
    recs = challenge_records(root, "chapman", CHAPMAN_MAP, 4, ECG["window_length"])
    np.random.seed(42)
    np.random.shuffle(recs)
    n = len(recs)
    n_train, n_val = int(0.7 * n), int(0.2 * n)
    parts = {"train": recs[:n_train], "validation": recs[n_train:n_train + n_val],
             "test": recs[n_train + n_val:]}
    out = {}
    for split, part in parts.items():
        items = []
        for name, y, x in part:
            x = zscore(x)  # whole record
            for b, seg in windows(x, ECG["window_length"], ECG["stride"], None, "step"):
                items.append((name, b, list(y), seg))
        out[split] = items
    return out


# ---------------------------------------------------------------- NinaPro DB5
def db5_exercise(seed, exercise):
    """Rest, then repetitions 1-6 of two movements; repetition 3 of the first movement follows
    repetition 2 without rest (a boundary a window must not cross); stimulus 0 at the edges of
    some repetitions so that windows there are labelled by majority (with one exact tie)."""
    r = np.random.RandomState(seed)
    stim, rep = [], []

    def seg(s, p, n):
        stim.extend([s] * n)
        rep.extend([p] * n)

    seg(0, 0, 10)
    for movement in (1, 2):
        for repetition in range(1, 7):
            n = 20 + 2 * repetition
            if repetition == 4:
                seg(0, repetition, 8)  # rest-labelled lead-in inside the repetition run: tie
                seg(movement, repetition, n - 8)
            else:
                seg(movement, repetition, n)
            if not (movement == 1 and repetition == 2):
                seg(0, 0, 6)
    n = len(stim)
    emg = np.round(r.normal(0, 30 + 5 * exercise, size=(n, 16)))  # Myo units: integers
    emg[:, 3] *= 3
    return emg, np.array(stim, dtype=np.float64)[:, None], np.array(rep, dtype=np.float64)[:, None]


def write_db5(root):
    for subject in (1, 2):
        d = os.path.join(root, "ninapro-db5", f"s{subject}")
        os.makedirs(d)
        for e in (1, 2, 3):
            emg, stim, rep = db5_exercise(100 * subject + e, e)
            scipy.io.savemat(os.path.join(d, f"S{subject}_E{e}_A1.mat"),
                             {"emg": emg, "restimulus": stim, "rerepetition": rep,
                              "stimulus": stim, "exercise": np.array([[e]], dtype=np.float64),
                              "subject": np.array([[subject]], dtype=np.float64),
                              "info": "NinaPro DB5 fixture"}, do_compression=True)


def db5_expected(root):
    W, S = DB5["window_length"], DB5["stride"]
    reps = {"train": [1, 3, 4, 6], "validation": [2], "test": [5]}
    offset = {1: 0, 2: 12, 3: 29}
    per_split = {k: [] for k in reps}
    present = set()
    for subject in (1, 2):
        files = [scipy.io.loadmat(os.path.join(root, "ninapro-db5", f"s{subject}",
                                               f"S{subject}_E{e}_A1.mat")) for e in (1, 2, 3)]
        xs = [m["emg"][:, :8] for m in files]
        rs = [m["rerepetition"][:, 0].astype(int) for m in files]
        ss = [m["restimulus"][:, 0].astype(int) for m in files]
        train_rows = np.concatenate([x[np.isin(r, reps["train"])] for x, r in zip(xs, rs)])
        mu = train_rows.mean(axis=0)
        sd = np.maximum(train_rows.std(axis=0, ddof=1), 1e-3)
        for e, (x, r, s) in enumerate(zip(xs, rs, ss), start=1):
            lab = np.where(s > 0, s + offset[e], 0)
            z = np.clip((x - mu) / sd, -10, 10)
            i = 0
            while i < len(r):
                j = i
                while j < len(r) and r[j] == r[i]:
                    j += 1
                if r[i] > 0:
                    for b in range(i, j - W + 1, S):
                        vals, counts = np.unique(lab[b:b + W], return_counts=True)
                        label = int(vals[np.argmax(counts)])  # first maximum = smallest label
                        present.add(label)
                        for split, rr in reps.items():
                            if r[i] in rr:
                                per_split[split].append((f"s{subject}", b, label, z[b:b + W].T))
                i = j
    remap = {v: i for i, v in enumerate(sorted(present))}
    out = {k: [(src, b, [remap[l]], seg) for src, b, l, seg in v] for k, v in per_split.items()}
    return out, sorted(present)


# ---------------------------------------------------------------- EMG-EPN-612
GESTURES = ["noGesture", "waveIn", "waveOut", "pinch", "open", "fist"]


def epn_sample(r, gesture, n):
    keys = ["ch3", "ch1", "ch8", "ch2", "ch5", "ch4", "ch7", "ch6"]  # not in sorted order
    emg = {k: [int(v) for v in r.randint(-128, 128, size=n)] for k in keys}
    if n == 23:
        emg["ch6"] = [0] * n  # an all-zero channel stays zero
    return {"startTime": 1, "gestureName": gesture, "groundTruth": [0] * 3, "emg": emg,
            "quaternion": {"w": [1.0]}}


def write_epn(root):
    users = {"trainingJSON": [1, 2, 10], "testingJSON": [11, 12]}
    for part, ids in users.items():
        for u in ids:
            r = np.random.RandomState(1000 + u)
            training, testing = {}, {}
            for i in range(15):
                training[f"idx_{i + 1}"] = epn_sample(r, GESTURES[(i * 5 + u) % 6],
                                                      20 + (7 * i + u) % 26)
            for i in range(6):
                g = GESTURES[(i + u) % 6] if part == "trainingJSON" else "notProvided"
                testing[f"idx_{i + 1}"] = epn_sample(r, g, 23 + 3 * i)
            d = os.path.join(root, "emg-epn-612", part, f"user{u}")
            os.makedirs(d)
            with open(os.path.join(d, f"user{u}.json"), "w") as f:
                json.dump({"userInfo": {"username": f"user{u}"},
                           "generalInfo": {"samplingFrequencyInHertz": 200},
                           "trainingSamples": training, "testingSamples": testing}, f)


def epn_window(sample):
    W = EPN["window_length"]
    x = np.stack([np.array(sample["emg"][k], dtype=np.float64) / 128.0
                  for k in sorted(sample["emg"])])
    out = np.zeros((8, W))
    n = min(W, x.shape[1])
    out[:, :n] = x[:, :n]
    for c in range(8):
        m = np.abs(out[c]).max()
        if m > 0:
            out[c] /= m
    return out


def epn_expected(root):
    base = os.path.join(root, "emg-epn-612")
    load = lambda part, u: json.load(open(os.path.join(base, part, f"user{u}", f"user{u}.json")))
    out = {"train": [], "validation": [], "test": []}
    for u in (1, 2, 10):
        j = load("trainingJSON", u)
        for key, s in [("train", j["trainingSamples"]), ("validation", j["testingSamples"])]:
            for v in s.values():
                if v["gestureName"] != "notProvided":
                    out[key].append((f"user{u}", 0, [GESTURES.index(v["gestureName"])],
                                     epn_window(v)))
    for u in (11, 12):
        j = load("testingJSON", u)
        seen = {}
        for v in j["trainingSamples"].values():
            g = GESTURES.index(v["gestureName"])
            seen[g] = seen.get(g, 0) + 1
            key = "train" if seen[g] <= EPN["train_per_gesture"] else "test"
            out[key].append((f"user{u}", 0, [g], epn_window(v)))
    return out


def to_json(items):
    return {"n": len(items),
            "source": [s for s, _, _, _ in items],
            "begin_sample": [int(b) for _, b, _, _ in items],
            "labels": [int(v) for _, _, y, _ in items for v in y],
            "window_sums": [float("%.9g" % np.float32(seg).astype(np.float64).sum())
                            for *_, seg in items],
            "channel0": [float("%.7g" % v) for *_, seg in items for v in seg[0]]}


def write_fuzz_seeds():
    """Seed corpora of fuzz/mat_file_fuzz.cpp, scp_codes_fuzz.cpp and epn612_fuzz.cpp."""
    corpus = os.path.join(HERE, "..", "corpus")
    mat = os.path.join(corpus, "mat_file")
    os.makedirs(mat, exist_ok=True)
    val = np.arange(-3, 3, dtype=np.int16).reshape(2, 3)
    scipy.io.savemat(os.path.join(mat, "level4_val.mat"), {"val": val}, format="4")
    small = {"emg": np.arange(12, dtype=np.float64).reshape(4, 3),
             "restimulus": np.array([[0], [1], [1], [0]], dtype=np.uint8),
             "rerepetition": np.array([[0], [1], [1], [0]], dtype=np.int32), "info": "db5"}
    scipy.io.savemat(os.path.join(mat, "level5_compressed.mat"), small, do_compression=True)
    scipy.io.savemat(os.path.join(mat, "level5_plain.mat"), small, do_compression=False)
    scp = os.path.join(corpus, "scp_codes")
    os.makedirs(scp, exist_ok=True)
    for i, text in enumerate(["{'NORM': 100.0, 'SR': 0.0}", "{}", "{'IMI': 80.0, 'LVH': 100.0}",
                              '{"NDT": 50.0}']):
        with open(os.path.join(scp, f"seed{i}.txt"), "w") as f:
            f.write(text)
    epn = os.path.join(corpus, "epn612")
    os.makedirs(epn, exist_ok=True)
    r = np.random.RandomState(7)
    with open(os.path.join(epn, "user.json"), "w") as f:
        json.dump({"trainingSamples": {"idx_1": epn_sample(r, "fist", 5)},
                   "testingSamples": {"idx_1": epn_sample(r, "notProvided", 4)}}, f)


def main():
    write_fuzz_seeds()
    if os.path.exists(ROOT):
        shutil.rmtree(ROOT)
    os.makedirs(ROOT)
    write_ptbxl(ROOT)
    write_challenge(ROOT, "cpsc2018", CPSC_RECORDS, 500)
    write_challenge(ROOT, "chapman", CHAPMAN_RECORDS, 700)
    write_db5(ROOT)
    write_epn(ROOT)
    db5, db5_labels = db5_expected(ROOT)
    expected = {
        "options": {"ecg": ECG, "db5": DB5, "epn612": EPN},
        "ptbxl": {k: to_json(v) for k, v in ptbxl_expected(ROOT).items()},
        "cpsc": {k: to_json(v) for k, v in cpsc_expected(ROOT).items()},
        "chapman": {k: to_json(v) for k, v in chapman_expected(ROOT).items()},
        "db5": {k: to_json(v) for k, v in db5.items()},
        "db5_movements": db5_labels,
        "epn612": {k: to_json(v) for k, v in epn_expected(ROOT).items()},
    }
    with open(os.path.join(HERE, "datasets_expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")
    for name in ("ptbxl", "cpsc", "chapman", "db5", "epn612"):
        print(name, {k: v["n"] for k, v in expected[name].items()})


if __name__ == "__main__":
    main()
