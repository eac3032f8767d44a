#!/usr/bin/python3
"""Golden int8 models (.plq) for the C runtime, made with bench/peers/plq.py, a numpy reference
written from docs/int8_model_format.md alone (independent of runtime/ and src/quant/).

Two PhysioLite-shaped graphs with seeded random weights and the op sequence of docs/model.md (layer table):
avgpool fp -> 1x1 stem (bias, no activation) -> branches k3 pad 1, k5 pad 2, three stacked k3
(the middle one's ReLU as a separate RELU op) -> concat -> avgpool pt -> conv k3 ReLU ->
bottlenecks (1x1 down ReLU, k3 ReLU, 1x1 up, ADD with the block input) -> 1x1 ReLU -> avgpool pp
-> 1x1 -> avgpool over T2 -> 1x1 to K logits (bias). Small widths keep the files small: C_in 21
(5 signal + 16 positional channels), bank 4 per branch, D 32, m 8, 2 blocks, T 128, fp 4, pt 4,
pp 2, K 4.
- pow2_small: MAX78000 scheme. Zero points 0, scales 2^e/128, ReLU clamp [0, 127], others
  [-128, 127], per-layer shifts r = 7 - output_shift chosen from the accumulators so that ~3 %
  saturate; avgpool fp and the global pool round half up, pt and pp floor.
- tflite_small: TFLite scheme. Asymmetric activations (min/max quantiles of the real values),
  per-channel weights, multipliers from QuantizeMultiplier (TFLite's definition, below) of the
  real scales, ADD as TFLite's Prepare (left shift 20, twice the larger input scale); the patch
  conv's ReLU clamps at a zero point above -128.
Shifts and activation ranges are calibrated on the golden windows themselves, with quantiles
that leave a few per cent saturating; the README lists the rounding ties and saturations hit.

Files per graph in tests/golden/plq/: NAME.plq; NAME_input_f32.bin, float32 windows (N, C, L)
channel-first (signal ~ N(0, 1) with bursts beyond the input range, exact .5 ties of the input
quantisation, values where x / scale and x * (1 / scale) round differently, and the real
positional channels of docs/model.md (positional channels)); NAME_input.bin, int8 (N, L, C) channel-last =
plq.quantize_input of those; NAME_output.bin, int8 (N, K) = plq.run_int8 of NAME_input.bin.
Raw little-endian arrays without headers; N = file size / (L·C).

Run: /usr/bin/python3 tests/golden/gen_plq.py                 (rewrites tests/golden/plq/)
     /usr/bin/python3 tests/golden/gen_plq.py --full pow2|tflite OUT.plq
       (the PhysioLite-sized MIT-BIH graph for bench/run_runtime.sh: C_in 21, bank 16, D 256,
        m 64, 3 blocks, T 512, fp 4, pt 4, pp 2, K 4; no bias, calibrated for ~0.1 % saturation)
"""
import math
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench" / "peers"))
import plq  # noqa: E402
from plq import ADD, AVGPOOL1D, CONCAT, CONV1D, POW2, RELU, TFLITE  # noqa: E402

OUT_DIR = Path(__file__).resolve().parent / "plq"
WINDOWS = 4
POSITIONAL = 16


@dataclass(frozen=True)
class Dims:
    c_raw: int
    t: int
    bank: int
    d: int
    m: int
    depth: int
    fp: int
    pt: int
    pp: int
    k: int
    bias: bool  # stem and classifier biases (the network has none; the goldens cover them)
    q_hi: float  # quantile of the accumulators / real values that maps to the int8 limit

    @property
    def c_in(self):
        return self.c_raw + POSITIONAL


SMALL = Dims(5, 128, 4, 32, 8, 2, 4, 4, 2, 4, bias=True, q_hi=0.97)
FULL = Dims(5, 512, 16, 256, 64, 3, 4, 4, 2, 4, bias=False, q_hi=0.999)


def quantize_multiplier(real):
    """TFLite's QuantizeMultiplier: real = m · 2^(shift - 31) with m in [2^30, 2^31): frexp,
    round half away from zero (TfLiteRound), the 2^31 carry, and shifts below -31 flush to 0."""
    if real == 0.0:
        return 0, 0
    q, shift = math.frexp(real)
    fixed = int(math.floor(abs(q) * (1 << 31) + 0.5)) * (1 if q > 0 else -1)
    if fixed == 1 << 31:
        fixed //= 2
        shift += 1
    if shift < -31:
        return 0, 0
    return fixed, shift


def positional(t):
    """docs/model.md (positional channels): 0.1 · [sin(2π 2^k n/(T-1)), cos(...)] for k = 0..7, interleaved."""
    tn = np.linspace(0.0, 1.0, t)
    rows = []
    for k in range(POSITIONAL // 2):
        rows += [np.sin(2 * np.pi * 2**k * tn), np.cos(2 * np.pi * 2**k * tn)]
    return (0.1 * np.array(rows)).astype(np.float32)


def input_scales(scheme, dims):
    """Per input channel: signal range ±4 (z-scored), positional ±0.125 (POW2) / ±0.1."""
    if scheme == POW2:
        signal, pe = 2.0**2 / 128, 2.0**-3 / 128
    else:
        signal, pe = 4.0 / 127, 0.1 / 127
    return np.array([signal] * dims.c_raw + [pe] * POSITIONAL, np.float32)


def make_windows(rng, dims, scale, stats):
    """Float windows (N, C, L) with saturating bursts and exact input-quantisation edge cases."""
    n, t = WINDOWS, dims.t
    x = np.concatenate([rng.standard_normal((n, dims.c_raw, t)).astype(np.float32),
                        np.broadcast_to(positional(t), (n, POSITIONAL, t))], axis=1).copy()
    s = scale[0]
    for w in range(n):
        for c in range(dims.c_raw):
            at = rng.choice(t, 6, replace=False)
            x[w, c, at] = rng.choice([-1, 1], 6) * rng.uniform(6, 12, 6)  # beyond ±4: saturates
        # Exact ties of floor(x / s + 0.5): x / s = k + 0.5 in float32.
        ties = 0
        for k in rng.integers(-120, 120, 40):
            v = np.float32(k + 0.5) * s
            if np.float32(v / s) == np.float32(k + 0.5):
                x[w, 0, rng.integers(t)] = v
                ties += 1
        stats["input .5 ties"] = stats.get("input .5 ties", 0) + ties
        # Values where dividing by the scale and multiplying by its reciprocal round apart
        # (none exist for the power-of-two scales of POW2).
        near = (rng.integers(-120, 120, 2000) + np.float32(0.5)).astype(np.float32) * s
        v = np.nextafter(near, np.where(rng.random(near.size) < 0.5, -np.inf, np.inf),
                         dtype=np.float32)  # one ulp beside a .5 tie
        half, recip = np.float32(0.5), np.float32(1) / s
        apart = v[np.floor(v / s + half) != np.floor(v * recip + half)][:4]
        if apart.size or stats.get("input x/s vs x*(1/s)"):
            x[w, 1, rng.choice(t, apart.size, replace=False)] = apart
            stats["input x/s vs x*(1/s)"] = stats.get("input x/s vs x*(1/s)", 0) + apart.size
    return x


class Net:
    """Builds the graph op by op while running the calibration windows through it, so that each
    layer's shift or output range is chosen from the integer values it really produces."""

    def __init__(self, scheme, dims, rng, stats):
        self.scheme, self.dims, self.rng, self.stats = scheme, dims, rng, stats
        self.b = plq.GraphBuilder(scheme)
        self.values = {}  # tensor -> int8 calibration activations (N, L, C)

    def count(self, name, n):
        self.stats[name] = self.stats.get(name, 0) + int(n)

    def tensor(self, like, channels=None, length=None, scale=None, zero_point=None):
        t = self.b.tensors[like]
        return self.b.tensor(channels or t.channels, length or t.length,
                             t.scale if scale is None else scale,
                             t.zero_point if zero_point is None else zero_point)

    def run(self, op):
        y = plq.execute_op(self.scheme, op, self.b.tensors, [self.values[j] for j in op.inputs])
        self.values[op.output] = y
        return op.output

    # ---- convolutions: a stage (weights and accumulators), then the output quantisation

    def conv_stage(self, x, c_out, kernel, bias=False):
        t = self.b.tensors[x]
        fan_in = kernel * t.channels
        if self.scheme == POW2:
            w = self.rng.integers(-127, 128, (c_out, kernel, t.channels)).astype(np.int8)
            w.flat[self.rng.integers(w.size)] = -128  # the chip's full weight range
            ws = None
        else:
            bound = math.sqrt(6 / fan_in)  # He-uniform: activations keep their magnitude
            real = self.rng.uniform(-bound, bound, (c_out, kernel, t.channels))
            ws = (np.abs(real).reshape(c_out, -1).max(axis=1) / 127).astype(np.float32)
            w = np.clip(np.rint(real / ws.reshape(-1, 1, 1)), -127, 127).astype(np.int8)
        pad = (kernel - 1) // 2
        acc = plq.conv_accumulate(self.values[x], t.zero_point, w, None, pad)
        b = None
        if bias:
            b = self.rng.integers(-1, 2, c_out) * np.rint(acc.std() * self.rng.uniform(
                0.2, 1.0, c_out))
            b = b.astype(np.int32)
            acc = acc + b
        return dict(x=x, w=w, ws=ws, bias=b, pad=pad, acc=acc, c_out=c_out)

    def real(self, st):
        """TFLITE: the stage's accumulators in real units, s_x · w_scale[o] · acc."""
        return st["acc"] * self.b.tensors[st["x"]].scale * st["ws"].astype(np.float64)

    def conv_pow2(self, st, relu, e_out):
        """POW2: output scale 2^e_out / 128; r so that the q_hi quantile of |acc| (ReLU: of the
        positive part) lands at 127."""
        acc = st["acc"]
        a = np.maximum(acc, 0) if relu else np.abs(acc)
        top = np.quantile(a, self.dims.q_hi)
        r = math.ceil(math.log2(top / 127)) if top > 0 else 0
        r = min(max(r, plq.POW2_SHIFT_RANGE[0]), plq.POW2_SHIFT_RANGE[1])
        if r > 0:
            low = acc & ((1 << r) - 1)
            self.count("conv POW2 .5 ties (positive)", ((low == 1 << (r - 1)) & (acc > 0)).sum())
            self.count("conv POW2 .5 ties (negative)", ((low == 1 << (r - 1)) & (acc < 0)).sum())
        v = plq.requantize_pow2(acc, r)
        self.count("conv saturated", (v > 127).sum() + (0 if relu else (v < -128).sum()))
        s_x = self.b.tensors[st["x"]].scale
        s_y = 2.0**e_out / 128
        y = self.tensor(st["x"], st["c_out"], scale=s_y, zero_point=0)
        ws = np.full(st["c_out"], s_y * 2.0**-r / s_x, np.float32)
        op = self.b.op(CONV1D, [st["x"]], y, kernel=st["w"].shape[1], stride=1, pad=st["pad"],
                       act_min=0 if relu else -128, act_max=127, weights=st["w"],
                       bias=st["bias"], shift=np.full(st["c_out"], r, np.int32),
                       weight_scale=ws)
        return self.run(op)

    def out_params(self, real, relu, negative=0.0):
        """TFLITE activation parameters from real values: [lo, hi] from the quantiles (ReLU:
        lo = -negative·hi), scale (hi - lo)/255, zero point round(-128 - lo/scale) clamped."""
        hi = max(float(np.quantile(real, self.dims.q_hi)), 1e-6)
        lo = -negative * hi if relu else min(float(np.quantile(real, 1 - self.dims.q_hi)), 0.0)
        scale = float(np.float32((hi - lo) / 255))
        zp = int(np.clip(round(-128 - lo / scale), -128, 127))
        return scale, zp

    def conv_tflite(self, st, relu, params):
        scale, zp = params
        s_x = self.b.tensors[st["x"]].scale
        mult, shift = zip(*(quantize_multiplier(float(s_x) * float(ws) / scale)
                            for ws in st["ws"]))
        mult, shift = np.array(mult, np.int32), np.array(shift, np.int32)
        right = np.maximum(-shift, 0)
        h = plq.saturating_rounding_doubling_high_mul(st["acc"], mult)
        half = np.where(right > 0, np.int64(1) << np.maximum(right - 1, 0), -1)
        ties = (h & ((np.int64(1) << right) - 1)) == half
        self.count("conv TFLITE RoundingDivideByPOT .5 ties", ties.sum())
        v = plq.rounding_divide_by_pot(h, right) + zp
        act_min = max(-128, zp) if relu else -128
        self.count("conv saturated", (v > 127).sum() + (0 if relu else (v < -128).sum()))
        y = self.tensor(st["x"], st["c_out"], scale=scale, zero_point=zp)
        op = self.b.op(CONV1D, [st["x"]], y, kernel=st["w"].shape[1], stride=1, pad=st["pad"],
                       act_min=act_min, act_max=127, weights=st["w"], bias=st["bias"],
                       multiplier=mult, shift=shift, weight_scale=st["ws"])
        return self.run(op)

    def conv(self, x, c_out, kernel, relu, e_out=0, bias=False, negative=0.0):
        st = self.conv_stage(x, c_out, kernel, bias)
        if self.scheme == POW2:
            return self.conv_pow2(st, relu, e_out)
        return self.conv_tflite(st, relu, self.out_params(self.real(st), relu, negative))

    # ---- the other ops

    def avgpool(self, x, kernel, stride, round_half_up=False):
        t = self.b.tensors[x]
        y = self.tensor(x, length=(t.length - kernel) // stride + 1)
        s = plq.avgpool_sum(self.values[x], kernel, stride)
        if kernel % 2 == 0:
            self.count("avgpool .5 ties", (s % kernel == kernel // 2).sum())
        flags = plq.FLAG_ROUND_HALF_UP if round_half_up and self.scheme == POW2 else 0
        return self.run(self.b.op(AVGPOOL1D, [x], y, kernel=kernel, stride=stride,
                                  flags=flags))

    def concat(self, parts):
        t = self.b.tensors[parts[0]]
        y = self.tensor(parts[0], channels=sum(self.b.tensors[p].channels for p in parts))
        assert all((self.b.tensors[p].scale, self.b.tensors[p].zero_point) ==
                   (t.scale, t.zero_point) for p in parts)
        return self.run(self.b.op(CONCAT, parts, y))

    def relu(self, x):
        t = self.b.tensors[x]
        return self.run(self.b.op(RELU, [x], self.tensor(x), act_min=t.zero_point, act_max=127))

    def add(self, a, b):
        ta, tb = self.b.tensors[a], self.b.tensors[b]
        if self.scheme == POW2:
            y = self.tensor(a)
            v = self.values[a].astype(np.int64) + self.values[b]
            self.count("add saturated", ((v > 127) | (v < -128)).sum())
            return self.run(self.b.op(ADD, [a, b], y))
        real = plq.dequantize(ta, self.values[a]) + plq.dequantize(tb, self.values[b])
        scale, zp = self.out_params(real, relu=False)
        twice_max = 2 * max(ta.scale, tb.scale)
        left_shift = 20
        reals = [ta.scale / twice_max, tb.scale / twice_max, twice_max / ((1 << left_shift) *
                                                                          scale)]
        mult, shift = zip(*(quantize_multiplier(r) for r in reals))
        y = self.tensor(a, scale=scale, zero_point=zp)
        op = self.b.op(ADD, [a, b], y, multiplier=np.array(mult, np.int32),
                       shift=np.array(shift, np.int32), left_shift=left_shift)
        out = self.run(op)
        a0 = [plq.multiply_by_quantized_multiplier(
            (self.values[j].astype(np.int64) - self.b.tensors[j].zero_point) << left_shift,
            mult[i], shift[i]) for i, j in enumerate((a, b))]
        v = plq.multiply_by_quantized_multiplier(a0[0] + a0[1], mult[2], shift[2]) + zp
        self.count("add saturated", ((v > 127) | (v < -128)).sum())
        return out


def build(scheme, dims, rng, stats):
    """The PhysioLite op sequence; returns (Model, float windows)."""
    scale = input_scales(scheme, dims)
    x_f32 = make_windows(rng, dims, scale, stats)
    net = Net(scheme, dims, rng, stats)
    x = net.b.tensor(dims.c_in, dims.t, 1.0 / 128, 0)
    # The input tensor's own scale is nominal: the per-channel scales live in the input params.
    tmp = plq.Model(scheme, net.b.tensors, [], x, x, scale, np.zeros(dims.c_in, np.int32))
    net.values[x] = plq.quantize_input(tmp, x_f32)
    e = (lambda: int(rng.integers(-1, 3))) if scheme == POW2 else (lambda: 0)

    h = net.avgpool(x, dims.fp, dims.fp, round_half_up=True)
    stem = net.conv(h, dims.c_in, 1, relu=False, e_out=e(), bias=dims.bias)
    e_bank = e()
    if scheme == POW2:
        a = net.conv(stem, dims.bank, 3, relu=True, e_out=e_bank)
        b = net.conv(stem, dims.bank, 5, relu=True, e_out=e_bank)
        c = net.conv(stem, dims.bank, 3, relu=True, e_out=e())
        c = net.relu(net.conv(c, dims.bank, 3, relu=False, e_out=e()))
        c = net.conv(c, dims.bank, 3, relu=True, e_out=e_bank)
    else:  # the concat parts share one quantisation, from the union of their real values
        sa, sb = net.conv_stage(stem, dims.bank, 3), net.conv_stage(stem, dims.bank, 5)
        c = net.conv(stem, dims.bank, 3, relu=True)
        c = net.relu(net.conv(c, dims.bank, 3, relu=False))
        sc = net.conv_stage(c, dims.bank, 3)
        params = net.out_params(np.concatenate(
            [np.maximum(net.real(s), 0).ravel() for s in (sa, sb, sc)]), relu=True)
        a, b, c = (net.conv_tflite(s, True, params) for s in (sa, sb, sc))
    h = net.avgpool(net.concat([a, b, c]), dims.pt, dims.pt)
    e_trunk = e()
    h = net.conv(h, dims.d, 3, relu=True, e_out=e_trunk, negative=0.25)
    for _ in range(dims.depth):
        u = net.conv(h, dims.m, 1, relu=True, e_out=e())
        u = net.conv(u, dims.m, 3, relu=True, e_out=e())
        u = net.conv(u, dims.d, 1, relu=False, e_out=e_trunk)  # POW2 ADD: one shared scale
        h = net.add(u, h)
    h = net.conv(h, dims.d, 1, relu=True, e_out=e())
    h = net.avgpool(h, dims.pp, dims.pp)
    h = net.conv(h, dims.d, 1, relu=False, e_out=e())
    t2 = net.b.tensors[h].length
    h = net.avgpool(h, t2, 1, round_half_up=True)
    logits = net.conv(h, dims.k, 1, relu=False, e_out=e(), bias=dims.bias)
    model = net.b.build(x, logits, scale, np.zeros(dims.c_in, np.int32))
    # The arena-executed reference must reproduce the op-by-op calibration run.
    assert np.array_equal(plq.run_int8(model, net.values[x]), net.values[logits][:, 0, :])
    return model, x_f32


def write_goldens():
    OUT_DIR.mkdir(exist_ok=True)
    readme = ["# Golden .plq models", "",
              "Made by `/usr/bin/python3 tests/golden/gen_plq.py` (see its header for the graphs "
              "and file layouts) with numpy " + np.__version__ + "; expected outputs from "
              "`bench/peers/plq.py`.", "",
              "| file | scheme | seed | windows | bytes | arena | MACs/window | edge cases hit |",
              "|---|---|---:|---:|---:|---:|---:|---|"]
    for name, scheme, seed in (("pow2_small", POW2, 1), ("tflite_small", TFLITE, 2)):
        stats = {}
        model, x_f32 = build(scheme, SMALL, np.random.default_rng(seed), stats)
        data = plq.write_plq(model)
        model = plq.read_plq(data)  # the expected values come from the file as read back
        x_q = plq.quantize_input(model, x_f32)
        y = plq.run_int8(model, x_q)
        (OUT_DIR / f"{name}.plq").write_bytes(data)
        x_f32.astype("<f4").tofile(OUT_DIR / f"{name}_input_f32.bin")
        x_q.tofile(OUT_DIR / f"{name}_input.bin")
        y.tofile(OUT_DIR / f"{name}_output.bin")
        missing = [k for k, v in stats.items() if v == 0]
        assert not missing, f"{name}: no {missing}"
        cases = ", ".join(f"{k} {v}" for k, v in stats.items())
        readme.append(f"| {name} | {plq.SCHEME_NAMES[scheme]} | {seed} | {WINDOWS} | {len(data)} "
                      f"| {model.arena_size} | {plq.macs(model)} | {cases} |")
        print(f"{name}: {len(data)} bytes, logits {y.tolist()}")
    (OUT_DIR / "README.md").write_text("\n".join(readme) + "\n")


def main(argv):
    if not argv:
        write_goldens()
        return 0
    if len(argv) == 3 and argv[0] == "--full" and argv[1] in ("pow2", "tflite"):
        scheme, seed = (POW2, 3) if argv[1] == "pow2" else (TFLITE, 4)
        stats = {}
        model, _ = build(scheme, FULL, np.random.default_rng(seed), stats)
        Path(argv[2]).write_bytes(plq.write_plq(model))
        print(f"{argv[2]}: {plq.SCHEME_NAMES[scheme]}, {plq.macs(model)} MACs/window, arena "
              f"{model.arena_size} B; calibration: " +
              ", ".join(f"{k} {v}" for k, v in stats.items()))
        return 0
    print("usage: gen_plq.py | gen_plq.py --full pow2|tflite OUT.plq", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
