#!/usr/bin/python3
"""ONNX peers of a .plq model for ONNX Runtime, built from the file alone (via bench/peers/plq.py).

  plq_to_onnx.py convert MODEL.plq DIR [--windows N] [--seed S]
  plq_to_onnx.py compare MODEL.plq DIR

convert writes these models (opset 13, each through onnx.checker and strict shape inference):
- fp32.onnx: float input "x" [1, C, L] channel-first (ONNX Conv's NCW layout; the float window
  as plrt_quantize_input takes it), output "logits" [1, K, 1]. Dequantised weights
  w = q · weight_scale, bias = q_bias · s_in · weight_scale, and the file's op sequence:
  AveragePool, Conv with pads (+ Relu where the conv's clamp starts at or above real 0), Add,
  Concat, Relu. The host's per-channel input scales are folded into the first convs (the input
  tensor's scale over each channel's), so the model takes the real window.
- int8.onnx: the QDQ form ONNX Runtime fuses into QLinearConv / QLinearAdd / QLinearAveragePool
  / QLinearConcat: input "x_u8" [1, C, L] (the runtime's int8 input window, channel-first, + 128),
  every activation DequantizeLinear -> op -> QuantizeLinear with the file's scale and zero point
  (+ 128), weights + 128 as uint8 with a per-channel DequantizeLinear (axis 0, zero point 128),
  int32 bias with scale s_in · weight_scale; output "logits_u8" [1, K, 1]. One DequantizeLinear
  per consumer. A ReLU clamp at a zero point above -128 stays a Relu node before the Q: ONNX
  Runtime then runs that conv in float between a DQ and a Q (the ReLU convs of POW2 graphs, whose
  zero point is 0, all do).
- int8_s8w.onnx: the same with int8 weights (zero point 0), output "logits_s8w_u8": ONNX
  Runtime's usual U8S8 form, faster on AVX2 but not exact (see S8_WEIGHTS below).
- int8_ops.onnx: the QDQ groups of int8.onnx, each reading its inputs from graph inputs
  "t<j>_u8" and writing "op<i>_u8": every op checked alone on plq.py's own input values.
- identity.onnx: Identity on the fp32 input, the per-call cost of the binding alone.
and the check windows: x.bin float32 (N, C, L) (channel c ~ N(0, (40 s_c)^2)); x_u8.bin and
t<j>_u8.bin, plq.py's quantised input and intermediate tensors (N, C, L) + 128; expect.bin
float32 (N, K) = plq.run_float; expect_s8.bin int8 (N, K) = plq.run_int8; expect_op<i>.bin int8.
`node bench/peers/ort_latency.js MODEL.onnx --io DIR` fills in ONNX Runtime's outputs (logits.bin,
logits_u8.bin, logits_s8w_u8.bin, op<i>_u8.bin); compare prints how they agree with plq.py and
exits 1 if the fp32 export differs from plq.run_float by more than 1e-4 of the largest logit (an
export error; float32 rounding is ~1e-6) or any op of int8.onnx alone differs from plq.py by more
than 1 LSB.
"""
import sys
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, str(Path(__file__).resolve().parent))
import plq  # noqa: E402
from plq import ADD, AVGPOOL1D, CONCAT, CONV1D, RELU  # noqa: E402

OPSET = 13
FP32_TOLERANCE = 1e-4
# Activations go to ONNX as uint8 = int8 + 128 (zero points too): the same values, in the U8S8
# form ONNX Runtime's x86 kernels use. Given int8 activations it converts Q -> DQ pairs to uint8
# itself, but only where a QuantizeLinear feeds a single DequantizeLinear, so every tensor with
# two consumers (the stem output, each block input) and the graph output stayed float convs.
U8_OFFSET = 128
# S8_WEIGHTS: weights go as uint8 = int8 + 128 with zero point 128 (U8U8) in int8.onnx, which
# ONNX Runtime computes exactly. With int8 weights (U8S8, int8_s8w.onnx) its AVX2 kernels
# multiply with VPMADDUBSW, whose int16 sums of two products saturate (2 · 255 · 127 > 32767):
# single ops of the golden models came out up to 110 LSB off. U8S8 ran ~15 % faster on the
# PhysioLite-sized graph, so the benchmark times both.


def input_fold(model):
    """Per input channel s_t / s_c, mapping the real window onto the input tensor's scale; None
    when every factor is 1."""
    t = model.tensors[model.input_tensor]
    if np.any(model.input_zero_point != t.zero_point):
        raise plq.PlqError("per-channel input zero points that differ from the input tensor's "
                           "cannot be folded into the first convolutions")
    factor = np.float64(t.scale) / model.input_scale.astype(np.float64)
    return None if np.all(factor == 1) else factor


def folded_convs(model):
    """Indices of the convs that read the raw window (the input, through AVGPOOL1D only): they
    take the per-channel input scales into their weights."""
    raw, convs = {model.input_tensor}, set()
    for i, op in enumerate(model.ops):
        if not raw.intersection(op.inputs):
            continue
        if op.type == AVGPOOL1D:
            raw.add(op.output)
        elif op.type == CONV1D:
            convs.add(i)
        else:
            raise plq.PlqError(f"{plq.op_name(i, op)} reads the raw input window: only avgpools "
                               f"and convs can take the per-channel input scales")
    return convs


class Graph:
    """Accumulates nodes and initialisers under unique names."""

    def __init__(self):
        self.nodes, self.inits = [], []
        self.count = 0

    def name(self, stem):
        self.count += 1
        return f"{stem}_{self.count}"

    def const(self, stem, array):
        name = self.name(stem)
        self.inits.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def node(self, op_type, inputs, output=None, **attrs):
        output = output or self.name(op_type.lower())
        self.nodes.append(helper.make_node(op_type, inputs, [output], name=self.name(op_type),
                                           **attrs))
        return output

    def model(self, name, inputs, outputs):
        graph = helper.make_graph(self.nodes, name, inputs, outputs, self.inits)
        m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="physiolite plq_to_onnx.py")
        onnx.checker.check_model(m, full_check=True)
        return onnx.shape_inference.infer_shapes(m, check_type=True, strict_mode=True)


def value(name, elem, tensor):
    return helper.make_tensor_value_info(name, elem, [1, tensor.channels, tensor.length])


def conv_attrs(op):
    return dict(kernel_shape=[op.kernel], pads=[op.pad, op.pad], strides=[1])


def pool_attrs(op):
    return dict(kernel_shape=[op.kernel], strides=[op.stride])


def weights_oiw(op):
    """[C_out][kernel][C_in] (the file) -> [C_out][C_in][kernel] (ONNX Conv)."""
    return op.weights.transpose(0, 2, 1)


def check_last_op(model):
    if model.ops[-1].output != model.output_tensor:
        raise plq.PlqError("the last op must write the output tensor")


def to_fp32(model):
    check_last_op(model)
    g = Graph()
    fold, convs = input_fold(model), folded_convs(model)
    names = {model.input_tensor: "x"}
    last = len(model.ops) - 1
    for i, op in enumerate(model.ops):
        xs = [names[j] for j in op.inputs]
        out = "logits" if i == last else None
        if op.type == CONV1D:
            w = weights_oiw(op).astype(np.float64) * op.weight_scale.reshape(-1, 1, 1)
            if fold is not None and i in convs:
                w = w * fold.reshape(1, -1, 1)
            inputs = xs + [g.const("w", w.astype(np.float32))]
            if op.bias is not None:
                s_x = np.float64(model.tensors[op.inputs[0]].scale)
                inputs.append(g.const("b", (op.bias * s_x * op.weight_scale).astype(np.float32)))
            relu = plq.conv_has_relu(model, op)
            y = g.node("Conv", inputs, None if relu else out, **conv_attrs(op))
            names[op.output] = g.node("Relu", [y], out) if relu else y
        elif op.type == AVGPOOL1D:
            names[op.output] = g.node("AveragePool", xs, out, **pool_attrs(op))
        elif op.type == ADD:
            names[op.output] = g.node("Add", xs, out)
        elif op.type == CONCAT:
            names[op.output] = g.node("Concat", xs, out, axis=1)
        elif op.type == RELU:
            names[op.output] = g.node("Relu", xs, out)
    t = model.tensors
    return g.model("physiolite_fp32", [value("x", TensorProto.FLOAT, t[model.input_tensor])],
                   [value("logits", TensorProto.FLOAT, t[model.output_tensor])])


def to_qdq(model, per_op=False, s8_weights=False):
    """The QDQ model; per_op: every op reads graph inputs t<j>_u8 and writes op<i>_u8;
    s8_weights: int8 weights (U8S8) instead of uint8 = int8 + 128 with zero point 128 (U8U8)."""
    logits = "logits_s8w_u8" if s8_weights else "logits_u8"
    check_last_op(model)
    w_type, w_offset = (np.int8, 0) if s8_weights else (np.uint8, U8_OFFSET)
    g = Graph()
    t = model.tensors
    quant = {}  # tensor -> (scale, zero point) initialiser names
    names = {} if per_op else {model.input_tensor: "x_u8"}
    inputs, outputs = [], []

    def params(j):
        if j not in quant:
            quant[j] = (g.const("scale", np.float32(t[j].scale)),
                        g.const("zp", np.uint8(t[j].zero_point + U8_OFFSET)))
        return quant[j]

    def dq(j):
        if per_op and j not in names:  # the op's input comes from outside
            names[j] = f"t{j}_u8"
            inputs.append(value(names[j], TensorProto.UINT8, t[j]))
        return g.node("DequantizeLinear", [names[j], *params(j)])

    last = len(model.ops) - 1
    for i, op in enumerate(model.ops):
        xs = [dq(j) for j in op.inputs]
        out = f"op{i}_u8" if per_op else (logits if i == last else None)
        zy = t[op.output].zero_point
        if op.act_max != 127 or op.act_min not in (-128, zy):
            raise plq.PlqError(f"{plq.op_name(i, op)}: clamp [{op.act_min}, {op.act_max}] is "
                               f"neither the int8 range nor a ReLU at the zero point {zy}")
        if op.type == CONV1D:
            c_out = op.weights.shape[0]
            w = g.node("DequantizeLinear", [
                g.const("w_q", (weights_oiw(op).astype(np.int16) + w_offset).astype(w_type)),
                g.const("w_scale", op.weight_scale.astype(np.float32)),
                g.const("w_zp", np.full(c_out, w_offset, w_type))], axis=0)
            conv_inputs = xs + [w]
            if op.bias is not None:
                s_x = np.float64(t[op.inputs[0]].scale)
                conv_inputs.append(g.node("DequantizeLinear", [
                    g.const("b_s32", op.bias.astype(np.int32)),
                    g.const("b_scale", (s_x * op.weight_scale).astype(np.float32)),
                    g.const("b_zp", np.zeros(c_out, np.int32))], axis=0))
            y = g.node("Conv", conv_inputs, **conv_attrs(op))
            if op.act_min == zy > -128:  # ReLU not implied by the Q's saturation
                y = g.node("Relu", [y])
        elif op.type == AVGPOOL1D:
            y = g.node("AveragePool", xs, **pool_attrs(op))
        elif op.type == ADD:
            y = g.node("Add", xs)
        elif op.type == CONCAT:
            y = g.node("Concat", xs, axis=1)
        elif op.type == RELU:
            y = g.node("Relu", xs)
        y = g.node("QuantizeLinear", [y, *params(op.output)], out)
        if per_op:
            outputs.append(value(out, TensorProto.UINT8, t[op.output]))
        else:
            names[op.output] = y
    if not per_op:
        inputs = [value("x_u8", TensorProto.UINT8, t[model.input_tensor])]
        outputs = [value(logits, TensorProto.UINT8, t[model.output_tensor])]
    return g.model("physiolite_int8_qdq", inputs, outputs)


def identity(model):
    g = Graph()
    g.node("Identity", ["x"], "x_copy")
    x = model.tensors[model.input_tensor]
    return g.model("identity", [value("x", TensorProto.FLOAT, x)],
                   [value("x_copy", TensorProto.FLOAT, x)])


def check_windows(model, n, seed):
    """Float windows (N, C, L): channel c ~ N(0, (40 s_c)^2), so that the int8 input spreads
    over most of its range and rarely saturates."""
    t = model.tensors[model.input_tensor]
    rng = np.random.default_rng(seed)
    std = 40 * model.input_scale.astype(np.float64).reshape(1, -1, 1)
    return (rng.standard_normal((n, t.channels, t.length)) * std).astype(np.float32)


def intermediates(model, x_q):
    """Every tensor's int8 values (N, L, C) on the windows, op by op with plq.py."""
    values = {model.input_tensor: x_q}
    for op in model.ops:
        values[op.output] = plq.execute_op(model.scheme, op, model.tensors,
                                           [values[j] for j in op.inputs])
    assert np.array_equal(values[model.output_tensor][:, 0], plq.run_int8(model, x_q))
    return values


def to_u8(v):
    """int8 (N, L, C) -> uint8 (N, C, L) + 128, as the QDQ models take them."""
    return (v.transpose(0, 2, 1).astype(np.int16) + U8_OFFSET).astype(np.uint8)


def convert(model, out_dir, n, seed):
    out_dir.mkdir(parents=True, exist_ok=True)
    onnx.save(to_fp32(model), out_dir / "fp32.onnx")
    onnx.save(to_qdq(model), out_dir / "int8.onnx")
    onnx.save(to_qdq(model, s8_weights=True), out_dir / "int8_s8w.onnx")
    per_op = to_qdq(model, per_op=True)
    onnx.save(per_op, out_dir / "int8_ops.onnx")
    onnx.save(identity(model), out_dir / "identity.onnx")
    x = check_windows(model, n, seed)
    x_q = plq.quantize_input(model, x)
    values = intermediates(model, x_q)
    x.tofile(out_dir / "x.bin")
    to_u8(x_q).tofile(out_dir / "x_u8.bin")
    for graph_input in per_op.graph.input:
        j = int(graph_input.name[1:].split("_")[0])
        to_u8(values[j]).tofile(out_dir / f"{graph_input.name}.bin")
    for i, op in enumerate(model.ops):
        values[op.output].transpose(0, 2, 1).tofile(out_dir / f"expect_op{i}.bin")
    plq.run_float(model, x).astype(np.float32).tofile(out_dir / "expect.bin")
    values[model.output_tensor][:, 0].tofile(out_dir / "expect_s8.bin")


def from_u8(path):
    return np.fromfile(path, np.uint8).astype(np.int64) - U8_OFFSET


def compare(model, out_dir):
    k = model.num_classes
    t_out = model.tensors[model.output_tensor]
    expect = np.fromfile(out_dir / "expect.bin", np.float32).reshape(-1, k)
    expect_s8 = np.fromfile(out_dir / "expect_s8.bin", np.int8).reshape(-1, k)
    ort_fp32 = np.fromfile(out_dir / "logits.bin", np.float32).reshape(-1, k)
    ort_int8 = from_u8(out_dir / "logits_u8.bin").reshape(-1, k)
    span = float(np.abs(expect).max()) or 1.0
    fp32_err = float(np.abs(ort_fp32 - expect).max())
    deq_err = np.abs(ort_fp32 - plq.dequantize(t_out, expect_s8))
    diff = np.abs(ort_int8 - expect_s8)
    print(f"check on {len(expect_s8)} windows x {k} logits:")
    print(f"  ORT fp32 vs plq.py float64 forward: max |diff| {fp32_err:.3g} = "
          f"{fp32_err / span:.2g} of the largest logit {span:.3g} (limit {FP32_TOLERANCE:g})")
    print(f"  ORT fp32 vs plq.py int8 logits dequantised: max |diff| {deq_err.max():.3g} = "
          f"{deq_err.max() / t_out.scale:.1f} output LSB (median "
          f"{np.median(deq_err) / t_out.scale:.1f}); same argmax "
          f"{100 * np.mean(ort_fp32.argmax(1) == expect_s8.argmax(1)):.0f} %")
    print(f"  ORT int8 QDQ vs plq.py int8, whole graph: {100 * np.mean(diff == 0):.1f} % equal, "
          f"{100 * np.mean(diff <= 1):.1f} % within 1 LSB, max {diff.max()} LSB; same argmax "
          f"{100 * np.mean(ort_int8.argmax(1) == expect_s8.argmax(1)):.0f} %")
    s8w_path = out_dir / "logits_s8w_u8.bin"
    if s8w_path.exists():
        d = np.abs(from_u8(s8w_path).reshape(-1, k) - expect_s8)
        print(f"  ORT int8 QDQ with int8 weights (U8S8), whole graph: "
              f"{100 * np.mean(d == 0):.1f} % equal, {100 * np.mean(d <= 1):.1f} % within "
              f"1 LSB, max {d.max()} LSB (informative: VPMADDUBSW saturates)")
    worst = 0
    by_type = {}
    for i, op in enumerate(model.ops):
        d = np.abs(from_u8(out_dir / f"op{i}_u8.bin") -
                   np.fromfile(out_dir / f"expect_op{i}.bin", np.int8))
        worst = max(worst, int(d.max()))
        s = by_type.setdefault(plq.OP_NAMES[op.type], [0, 0, 0])
        s[0] += int((d == 0).sum())
        s[1] += d.size
        s[2] = max(s[2], int(d.max()))
    print("  ORT int8 QDQ vs plq.py int8, each op alone on plq.py's inputs:")
    for name, (eq, n, m) in by_type.items():
        print(f"    {name:<10} {100 * eq / n:6.2f} % equal, max {m} LSB")
    ok = fp32_err <= FP32_TOLERANCE * span and worst <= 1
    print(f"  {'PASS' if ok else 'FAIL'}: fp32 export within {FP32_TOLERANCE:g}, every op within "
          f"1 LSB (ORT requantises in float, rounding half to even; plq.py is the spec's "
          f"integer arithmetic)")
    return 0 if ok else 1


def main(argv):
    if len(argv) >= 3 and argv[0] in ("convert", "compare"):
        model = plq.read_plq(Path(argv[1]).read_bytes())
        out_dir = Path(argv[2])
        if argv[0] == "compare":
            return compare(model, out_dir)
        opts = dict(zip(argv[3::2], argv[4::2]))
        if len(argv) % 2 == 0 or set(opts) - {"--windows", "--seed"}:
            print(__doc__.split("\n\n")[1], file=sys.stderr)
            return 2
        convert(model, out_dir, int(opts.get("--windows", 16)), int(opts.get("--seed", 0)))
        return 0
    print(__doc__.split("\n\n")[1], file=sys.stderr)
    return 2


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except (plq.PlqError, OSError) as e:
        print(f"plq_to_onnx.py: {e}", file=sys.stderr)
        sys.exit(3)
