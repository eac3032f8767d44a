#!/usr/bin/python3
"""Writes tests/golden/dsp_golden.hpp: scipy's answers for the dsp tests, frozen as constexpr arrays.

Run from the repository root:  /usr/bin/python3 tests/golden/gen_dsp.py
Regenerate only on purpose, in a commit of its own.
"""
import sys
import warnings
from pathlib import Path

import numpy as np
import scipy
import scipy.ndimage
import scipy.signal as sig

SEED = 20240611
OUT = Path(__file__).with_name("dsp_golden.hpp")


def cname(name):
    """sos_bp4_20_95_200 -> kSosBp4_20_95_200: words capitalised, numbers kept apart by '_'."""
    return "k" + "".join("_" + p if p[0].isdigit() else p[0].upper() + p[1:]
                         for p in name.split("_"))


def fmt(v):
    return repr(float(v))


def array1(name, values):
    body = ", ".join(fmt(v) for v in np.ravel(values))
    return f"inline constexpr double {cname(name)}[] = {{{body}}};\n"


def array2(name, rows):
    rows = np.atleast_2d(rows)
    body = ",\n    ".join("{" + ", ".join(fmt(v) for v in row) + "}" for row in rows)
    return f"inline constexpr double {cname(name)}[][{rows.shape[1]}] = {{\n    {body}}};\n"


def main():
    warnings.simplefilter("ignore")  # medfilt warns about the deliberately long kernel
    rng = np.random.default_rng(SEED)
    out = []
    emit = out.append

    # Test signal: fs 500 Hz, 500 samples: sines at 3, 50 and 120 Hz, a slow drift and noise.
    fs_x = 500.0
    t = np.arange(500) / fs_x
    x = (np.sin(2 * np.pi * 3 * t) + 0.5 * np.sin(2 * np.pi * 50 * t + 0.3)
         + 0.25 * np.sin(2 * np.pi * 120 * t) + 0.8 * t + 0.3 * rng.standard_normal(t.size))
    emit("// Input: sin(2pi 3t) + 0.5 sin(2pi 50t + 0.3) + 0.25 sin(2pi 120t) + 0.8t + 0.3 N(0,1),\n"
         f"// t = n / {fs_x:g} s, n = 0..499, N from numpy.random.default_rng({SEED}).\n")
    emit(array1("x", x))

    designs = {
        # name: (order, Wn, btype, fs)
        "lp2_40_360": (2, 40.0, "lowpass", 360.0),
        "lp4_40_360": (4, 40.0, "lowpass", 360.0),
        "lp5_30_250": (5, 30.0, "lowpass", 250.0),
        "hp1_5_500": (1, 5.0, "highpass", 500.0),
        "hp3_1_360": (3, 1.0, "highpass", 360.0),
        "bp4_0p67_40_500": (4, [0.67, 40.0], "bandpass", 500.0),
        "bp4_20_95_200": (4, [20.0, 95.0], "bandpass", 200.0),
        "bp3_5_15_500": (3, [5.0, 15.0], "bandpass", 500.0),
        "bs2_45_55_500": (2, [45.0, 55.0], "bandstop", 500.0),
    }
    for name, (order, wn, btype, fs) in designs.items():
        sos = sig.butter(order, wn, btype, fs=fs, output="sos")
        emit(f"// scipy.signal.butter({order}, {wn}, '{btype}', fs={fs}, output='sos')\n")
        emit(array2("sos_" + name, sos))
        emit(f"// scipy.signal.sosfiltfilt(sos_{name}, x)\n")
        emit(array1("sosfiltfilt_" + name, sig.sosfiltfilt(sos, x)))

    zpk_cases = [  # pairing corner cases: no zeros, complex zeros, odd counts, more poles
        ([], [0.5 + 0.3j, 0.5 - 0.3j], 3.0),
        ([0.2, 0.5 + 0.5j, 0.5 - 0.5j], [0.3, 0.1 + 0.95j, 0.1 - 0.95j], 1.5),
        ([1j, -1j, 0.5, -0.3], [0.8, -0.7, 0.5 + 0.5j, 0.5 - 0.5j], 0.7),
        ([-1, -1, 0.9], [0.2, 0.4, 0.6 + 0.2j, 0.6 - 0.2j, -0.5], 1.0),
    ]
    for i, (z, p, k) in enumerate(zpk_cases):
        emit(f"// scipy.signal.zpk2sos({z}, {p}, {k})\n")
        emit(array2(f"zpk2sos_{i}", sig.zpk2sos(z, p, k)))

    sos = sig.butter(4, [0.67, 40.0], "bandpass", fs=500.0, output="sos")
    zi = sig.sosfilt_zi(sos)
    emit("// scipy.signal.sosfilt_zi(sos_bp4_0p67_40_500)\n")
    emit(array2("sosfilt_zi_bp4_0p67_40_500", zi))
    emit("// scipy.signal.sosfilt(sos_bp4_0p67_40_500, x, zi=sosfilt_zi(...) * x[0])[0]\n")
    emit(array1("sosfilt_zi_x0_bp4_0p67_40_500", sig.sosfilt(sos, x, zi=zi * x[0])[0]))
    emit("// scipy.signal.sosfilt(sos_lp5_30_250, x) (zero initial state)\n")
    emit(array1("sosfilt_lp5_30_250", sig.sosfilt(sig.butter(5, 30.0, fs=250.0, output="sos"), x)))

    freqs = np.array([0.1, 0.67, 5.0, 20.0, 40.0, 60.0, 100.0, 200.0, 249.0])
    emit(f"// Frequencies (Hz) for the responses below, fs = 500\n")
    emit(array1("freqs_500", freqs))
    emit("// scipy.signal.sosfreqz(sos_bp4_0p67_40_500, worN=freqs_500, fs=500): real, imag\n")
    _, h = sig.sosfreqz(sos, worN=freqs, fs=500.0)
    emit(array1("sosfreqz_re_bp4_0p67_40_500", h.real))
    emit(array1("sosfreqz_im_bp4_0p67_40_500", h.imag))

    for f0, q, fs in [(50.0, 30.0, 500.0), (60.0, 30.0, 360.0)]:
        b, a = sig.iirnotch(f0, q, fs=fs)
        tag = f"{int(f0)}_{int(q)}_{int(fs)}"
        emit(f"// scipy.signal.iirnotch({f0}, {q}, fs={fs})\n")
        emit(array1("notch_b_" + tag, b))
        emit(array1("notch_a_" + tag, a))
    b, a = sig.iirnotch(50.0, 30.0, fs=500.0)
    emit("// scipy.signal.lfilter_zi(notch_b_50_30_500, notch_a_50_30_500)\n")
    emit(array1("lfilter_zi_notch_50_30_500", sig.lfilter_zi(b, a)))
    emit("// scipy.signal.filtfilt(notch_b_50_30_500, notch_a_50_30_500, x)\n")
    emit(array1("filtfilt_notch_50_30_500", sig.filtfilt(b, a, x)))
    emit("// scipy.signal.freqz(notch_b_50_30_500, notch_a_50_30_500, worN=freqs_500, fs=500): |H|\n")
    emit(array1("freqz_abs_notch_50_30_500", np.abs(sig.freqz(b, a, worN=freqs, fs=500.0)[1])))
    b5 = [0.2, 0.1, -0.05, 0.3, 0.02]
    a4 = [1.5, -0.6, 0.3, -0.1]
    emit(f"// scipy.signal.filtfilt({b5}, {a4}, x) (unnormalised, len(b) != len(a))\n")
    emit(array1("filtfilt_b5a4", sig.filtfilt(b5, a4, x)))
    emit(f"// scipy.signal.lfilter({b5}, {a4}, x)\n")
    emit(array1("lfilter_b5a4", sig.lfilter(b5, a4, x)))

    for k in (7, 31):
        emit(f"// scipy.signal.medfilt(x, {k}) (zero-padded edges)\n")
        emit(array1(f"medfilt_{k}", sig.medfilt(x, k)))
        emit(f"// scipy.ndimage.median_filter(x, {k}, mode='nearest')\n")
        emit(array1(f"median_nearest_{k}", scipy.ndimage.median_filter(x, k, mode="nearest")))
    short = x[:10]
    emit("// scipy.signal.medfilt(x[:10], 15) (kernel longer than the signal)\n")
    emit(array1("medfilt_short_15", sig.medfilt(short, 15)))
    emit("// scipy.ndimage.median_filter(x[:10], 15, mode='nearest')\n")
    emit(array1("median_nearest_short_15", scipy.ndimage.median_filter(short, 15, mode="nearest")))

    for up, down in [(1, 2), (2, 3), (5, 18), (3, 1), (18, 5)]:
        emit(f"// scipy.signal.resample_poly(x, {up}, {down})\n")
        emit(array1(f"resample_{up}_{down}", sig.resample_poly(x, up, down)))
    emit("// scipy.signal.resample_poly(x[:37], 5, 18) (odd length: ceil(37*5/18) = 11)\n")
    emit(array1("resample_short_5_18", sig.resample_poly(x[:37], 5, 18)))
    emit("// scipy.signal.resample_poly(x[:1], 5, 18), (x[:2], 3, 1), (x[:3], 1, 7): tiny inputs\n")
    emit(array1("resample_tiny_5_18", sig.resample_poly(x[:1], 5, 18)))
    emit(array1("resample_tiny_3_1", sig.resample_poly(x[:2], 3, 1)))
    emit(array1("resample_tiny_1_7", sig.resample_poly(x[:3], 1, 7)))

    zs = rng.standard_normal(40) * 3 + 1
    emit(f"// z = 3 N(0,1) + 1 (40 values from the same generator, after x); then\n"
         f"// (z - z.mean()) / (z.std() + 1e-8), numpy population std\n")
    emit(array1("z", zs))
    emit(array1("zscore_z", (zs - zs.mean()) / (zs.std() + 1e-8)))

    header = (
        "// Generated by: /usr/bin/python3 tests/golden/gen_dsp.py   (do not edit)\n"
        f"// numpy {np.__version__}, scipy {scipy.__version__}, python {sys.version.split()[0]}, "
        f"seed {SEED}\n"
        "// scipy.signal / scipy.ndimage reference values for tests/dsp/*_test.cpp.\n"
        "#pragma once\n\nnamespace physiolite::dsp::golden {\n\n")
    OUT.write_text(header + "\n".join(out) + "\n}  // namespace physiolite::dsp::golden\n")


if __name__ == "__main__":
    main()
