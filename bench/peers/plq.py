#!/usr/bin/python3
"""Independent numpy reader, writer and integer reference of the .plq int8 model file.

Written from docs/int8_model_format.md alone (no runtime or quantiser code was read), so it can
serve as the oracle for both: golden files (tests/golden/gen_plq.py), the ONNX export's tests
(tests/export/onnx_writer_test.cpp) and the runtime benchmark's cross-checks (bench/run_runtime.sh).

- read_plq(bytes) -> Model: every structural and semantic check of the spec's verifier list,
  raising PlqError with the table entry and field named.
- write_plq(Model) -> bytes: lays out tables and data, CRC-32 by zlib.crc32; GraphBuilder makes
  a Model from numpy arrays and plans the arena by tensor lifetimes.
- run_int8(Model, int8 windows) -> int8 logits: the spec's integer semantics in int64 numpy,
  executed inside a real arena (tensor views at their arena offsets, as a runtime does), so a
  file whose tensors alias gives the same result here as on the device.
- quantize_input / run_float: the host-side input quantisation (float32, as specified) and a
  float64 forward of the same graph with dequantised weights (what an fp32 export computes).

Windows are numpy arrays (N, L, C), channel-last like the arena; float windows are (N, C, L).
CLI: see USAGE.
"""
import struct
import sys
import zlib
from dataclasses import dataclass, field

import numpy as np

MAGIC = b"PLQM"
VERSION = 1  # written when no op needs version 2; readers accept VERSIONS
VERSIONS = (1, 2)
POW2, TFLITE = 1, 2
SCHEME_NAMES = {POW2: "POW2", TFLITE: "TFLITE"}
CONV1D, AVGPOOL1D, ADD, CONCAT, RELU = 1, 2, 3, 4, 5
OP_NAMES = {CONV1D: "CONV1D", AVGPOOL1D: "AVGPOOL1D", ADD: "ADD", CONCAT: "CONCAT", RELU: "RELU"}
FLAG_ROUND_HALF_UP = 1
FLAG_TRUNCATE = 2  # version 2: the POW2 average truncates toward zero (the MAX78000's 1-D pool)
NONE = 0xFFFFFFFF
HEADER = struct.Struct("<4sHBBIIIIIIIIIIIIII")  # 64 bytes
TENSOR = struct.Struct("<IIIfiI")  # 24 bytes
OP = struct.Struct("<BBBB4IIHHHhhHIIIIIiI")  # 64 bytes
INT32_MIN, INT32_MAX = -(1 << 31), (1 << 31) - 1
# MAX78000 output_shift is in [-15, 15] (docs/chip_rules.md (MAX78000)) and the file stores r = 7 - shift.
POW2_SHIFT_RANGE = (7 - 15, 7 + 15)
# (x - z) · 2^left_shift must stay an int32 for |x - z| <= 255.
ADD_LEFT_SHIFT_MAX = 23


USAGE = """usage: plq.py selftest
       plq.py info FILE.plq
       plq.py run FILE.plq IN.bin OUT.bin [--float]
  IN.bin: int8 windows (N, L, C), or with --float float32 windows (N, C, L) quantised first;
  OUT.bin: the int8 logits (N, K)."""


class PlqError(ValueError):
    """A file (or a Model handed to the writer) that breaks the format; the message says where."""


@dataclass
class Tensor:
    channels: int
    length: int
    scale: float
    zero_point: int
    arena_offset: int = 0

    @property
    def size(self):
        return self.channels * self.length


@dataclass
class Op:
    type: int
    inputs: list
    output: int
    kernel: int = 0
    stride: int = 0
    pad: int = 0
    act_min: int = -128
    act_max: int = 127
    flags: int = 0
    weights: np.ndarray = None  # int8 [C_out][kernel][C_in]
    bias: np.ndarray = None  # int32 [C_out]
    multiplier: np.ndarray = None  # int32 [C_out] (TFLITE CONV1D) or [3] (TFLITE ADD)
    shift: np.ndarray = None  # int32 [C_out] (CONV1D) or [3] (TFLITE ADD)
    weight_scale: np.ndarray = None  # float32 [C_out]
    left_shift: int = 0


@dataclass
class Model:
    scheme: int
    tensors: list
    ops: list
    input_tensor: int
    output_tensor: int
    input_scale: np.ndarray  # float32 [C_in]
    input_zero_point: np.ndarray  # int32 [C_in]
    arena_size: int = 0
    num_classes: int = field(init=False, default=0)

    def __post_init__(self):
        self.num_classes = self.tensors[self.output_tensor].channels if self.tensors else 0


def op_name(i, op):
    return f"op {i} ({OP_NAMES.get(op.type, op.type)})"


# --------------------------------------------------------------------------------------------
# Reading


def read_plq(buf):
    """Parses and verifies a .plq file held in `buf` (bytes); returns a Model."""
    buf = bytes(buf)
    if len(buf) < HEADER.size:
        raise PlqError(f"file of {len(buf)} bytes is shorter than the {HEADER.size}-byte header")
    (magic, version, scheme, reserved7, file_size, crc, n_tensors, n_ops, tensors_offset,
     ops_offset, data_offset, data_size, arena_size, input_tensor, output_tensor,
     input_params_offset, num_classes, reserved60) = HEADER.unpack_from(buf)
    if magic != MAGIC:
        raise PlqError(f"header: magic {magic!r}, expected {MAGIC!r}")
    if version not in VERSIONS:
        raise PlqError(f"header: version {version}, expected 1 or 2")
    if scheme not in SCHEME_NAMES:
        raise PlqError(f"header: scheme {scheme}, expected 1 (POW2) or 2 (TFLITE)")
    if reserved7 or reserved60:
        raise PlqError("header: reserved fields must be 0")
    if file_size != len(buf):
        raise PlqError(f"header: file_size {file_size} but the file has {len(buf)} bytes")
    actual_crc = zlib.crc32(buf[16:]) & 0xFFFFFFFF
    if crc != actual_crc:
        raise PlqError(f"header: crc32 {crc:#010x} but bytes [16, {len(buf)}) give "
                       f"{actual_crc:#010x}")
    if n_tensors < 1 or n_ops < 1:
        raise PlqError(f"header: n_tensors {n_tensors} and n_ops {n_ops} must be >= 1")

    def section(name, offset, size):
        if offset % 4:
            raise PlqError(f"header: {name} offset {offset} is not a multiple of 4")
        if offset < HEADER.size or offset + size > len(buf):
            raise PlqError(f"header: {name} [{offset}, {offset + size}) outside [64, {len(buf)})")

    section("tensor table", tensors_offset, n_tensors * TENSOR.size)
    section("op table", ops_offset, n_ops * OP.size)
    section("data section", data_offset, data_size)

    tensors = []
    for i in range(n_tensors):
        c, length, arena_offset, scale, zp, reserved = TENSOR.unpack_from(
            buf, tensors_offset + i * TENSOR.size)
        if reserved:
            raise PlqError(f"tensor {i}: reserved field must be 0")
        tensors.append(Tensor(c, length, float(np.float32(scale)), zp, arena_offset))
    for name, index in (("input_tensor", input_tensor), ("output_tensor", output_tensor)):
        if index >= n_tensors:
            raise PlqError(f"header: {name} {index} >= n_tensors {n_tensors}")
    c_in = tensors[input_tensor].channels
    section("input params", input_params_offset, 8 * c_in)
    params = np.frombuffer(buf, "<f4, <i4", c_in, input_params_offset)
    input_scale = params["f0"].astype(np.float32)
    input_zero_point = params["f1"].astype(np.int32)

    def array(what, offset, dtype, count):
        """A data-section array: offset relative to data_offset, inside the section, 4-aligned
        when its elements are 32-bit (int8 weights may sit anywhere)."""
        nbytes = np.dtype(dtype).itemsize * count
        if np.dtype(dtype).itemsize == 4 and offset % 4:
            raise PlqError(f"{what} offset {offset} is not a multiple of 4")
        if offset + nbytes > data_size:
            raise PlqError(f"{what} [{offset}, {offset + nbytes}) outside data section of "
                           f"{data_size} bytes")
        return np.frombuffer(buf, dtype, count, data_offset + offset).copy()

    ops = []
    for i in range(n_ops):
        f = OP.unpack_from(buf, ops_offset + i * OP.size)
        (type_, requant, n_inputs, flags, in0, in1, in2, in3, output, kernel, stride, pad, act_min,
         act_max, reserved34, weights, bias, multiplier, shift, weight_scale, left_shift,
         reserved60) = f
        where = f"op {i} ({OP_NAMES.get(type_, type_)})"
        if type_ not in OP_NAMES:
            raise PlqError(f"op {i}: type {type_}, expected 1-5")
        if requant != scheme:
            raise PlqError(f"{where}: requant {requant} differs from the header's scheme {scheme}")
        arity = {ADD: (2, 2), CONCAT: (2, 4)}.get(type_, (1, 1))
        if not arity[0] <= n_inputs <= arity[1]:
            raise PlqError(f"{where}: n_inputs {n_inputs}, expected {arity[0]}-{arity[1]}")
        inputs = [in0, in1, in2, in3]
        if any(inputs[n_inputs:]):
            raise PlqError(f"{where}: unused input entries must be 0")
        for k, t in enumerate(inputs[:n_inputs] + [output]):
            if t >= n_tensors:
                name = f"inputs[{k}]" if k < n_inputs else "output"
                raise PlqError(f"{where}: {name} {t} >= n_tensors {n_tensors}")
        if reserved34 or reserved60:
            raise PlqError(f"{where}: reserved fields must be 0")
        if flags & FLAG_TRUNCATE and version < 2:
            raise PlqError(f"{where}: flags bit 1 (truncate) needs format version 2, the file "
                           f"is version {version}")
        op = Op(type_, inputs[:n_inputs], output, kernel, stride, pad, act_min, act_max, flags,
                left_shift=left_shift)
        used = set()
        if type_ == CONV1D:
            c_out, c_in_op = tensors[output].channels, tensors[op.inputs[0]].channels
            if kernel < 1:
                raise PlqError(f"{where}: kernel {kernel}, expected >= 1")
            op.weights = array(f"{where}: weights", weights, np.int8,
                               c_out * kernel * c_in_op).reshape(c_out, kernel, c_in_op)
            if bias != NONE:
                op.bias = array(f"{where}: bias", bias, "<i4", c_out).astype(np.int32)
            op.shift = array(f"{where}: shift", shift, "<i4", c_out).astype(np.int32)
            if scheme == TFLITE:
                op.multiplier = array(f"{where}: multiplier", multiplier, "<i4",
                                      c_out).astype(np.int32)
            op.weight_scale = array(f"{where}: weight_scale", weight_scale, "<f4",
                                    c_out).astype(np.float32)
            used = {"weights", "bias", "shift", "weight_scale"} | (
                {"multiplier"} if scheme == TFLITE else set())
        elif type_ == ADD and scheme == TFLITE:
            op.multiplier = array(f"{where}: multiplier", multiplier, "<i4", 3).astype(np.int32)
            op.shift = array(f"{where}: shift", shift, "<i4", 3).astype(np.int32)
            used = {"multiplier", "shift"}
        fields = {"weights": weights, "bias": bias, "multiplier": multiplier, "shift": shift,
                  "weight_scale": weight_scale}
        for name, value in fields.items():
            if name not in used and value != NONE:
                raise PlqError(f"{where}: {name} is unused by this op and must be 0xFFFFFFFF")
        ops.append(op)

    model = Model(scheme, tensors, ops, input_tensor, output_tensor, input_scale,
                  input_zero_point, arena_size)
    if num_classes != model.num_classes:
        raise PlqError(f"header: num_classes {num_classes} but the output tensor has "
                       f"{model.num_classes} channels")
    validate(model)
    return model


def validate(model):
    """The semantic checks of the spec (shapes, scales, ranges, arena); raises PlqError."""
    t = model.tensors
    out = t[model.output_tensor]
    if out.length != 1:
        raise PlqError(f"output tensor {model.output_tensor}: length {out.length}, expected 1")
    c_in = t[model.input_tensor].channels
    if len(model.input_scale) != c_in or len(model.input_zero_point) != c_in:
        raise PlqError(f"input params: {len(model.input_scale)} entries for {c_in} channels")
    for c, (s, z) in enumerate(zip(model.input_scale, model.input_zero_point)):
        if not np.isfinite(s) or s <= 0:
            raise PlqError(f"input params: channel {c} scale {s}, expected finite and > 0")
        if not -128 <= z <= 127:
            raise PlqError(f"input params: channel {c} zero_point {z}, expected [-128, 127]")
    for i, x in enumerate(t):
        if x.channels < 1 or x.length < 1:
            raise PlqError(f"tensor {i}: shape C {x.channels} x L {x.length}, both must be >= 1")
        if not -128 <= x.zero_point <= 127:
            raise PlqError(f"tensor {i}: zero_point {x.zero_point}, expected [-128, 127]")
        if not np.isfinite(x.scale) or x.scale <= 0:
            raise PlqError(f"tensor {i}: scale {x.scale}, expected finite and > 0")
        if x.arena_offset + x.size > model.arena_size:
            raise PlqError(f"tensor {i}: arena bytes [{x.arena_offset}, "
                           f"{x.arena_offset + x.size}) outside arena of {model.arena_size}")
    for i, op in enumerate(model.ops):
        _validate_op(model, i, op)
    _validate_data_flow(model)


def _overlap(a, b):
    return a.arena_offset < b.arena_offset + b.size and b.arena_offset < a.arena_offset + a.size


def _validate_data_flow(model):
    """Every op input is the graph input or an earlier op's output whose bytes no op in between
    overwrote; the graph output is written by an op and not overwritten afterwards."""
    t, ops = model.tensors, model.ops
    writer = {model.input_tensor: -1}
    for i, op in enumerate(ops):
        for k, j in enumerate(op.inputs):
            if j not in writer:
                raise PlqError(f"{op_name(i, op)}: inputs[{k}] tensor {j} is read before any op "
                               f"writes it")
            for m in range(writer[j] + 1, i):
                if _overlap(t[ops[m].output], t[j]):
                    raise PlqError(f"{op_name(i, op)}: inputs[{k}] tensor {j} was overwritten "
                                   f"in the arena by {op_name(m, ops[m])}")
        writer[op.output] = i
    out = model.output_tensor
    if writer.get(out, -1) < 0:
        raise PlqError(f"output tensor {out} is written by no op")
    for m in range(writer[out] + 1, len(ops)):
        if _overlap(t[ops[m].output], t[out]):
            raise PlqError(f"output tensor {out} is overwritten in the arena by "
                           f"{op_name(m, ops[m])}")


def _validate_op(model, i, op):
    t = model.tensors
    where = op_name(i, op)
    x, y = t[op.inputs[0]], t[op.output]

    def fail(message):
        raise PlqError(f"{where}: {message}")

    for k, j in enumerate(op.inputs):
        if _overlap(t[j], y):
            fail(f"output tensor {op.output} overlaps inputs[{k}] (tensor {j}) in the arena")
    if not -128 <= op.act_min <= op.act_max <= 127:
        fail(f"act_min {op.act_min} / act_max {op.act_max}, expected -128 <= min <= max <= 127")
    if op.flags not in (0, FLAG_ROUND_HALF_UP, FLAG_TRUNCATE) or (op.flags and not (
            op.type == AVGPOOL1D and model.scheme == POW2)):
        fail(f"flags {op.flags:#x}: at most one of bit 0 and bit 1, and only on a POW2 AVGPOOL1D")
    if op.type != ADD and op.left_shift:
        fail(f"left_shift {op.left_shift} must be 0 on this op")
    if op.type != CONV1D and op.pad:
        fail(f"pad {op.pad} must be 0 on this op")  # kernel and stride: ignored off conv/pool
    same_quant = (x.scale, x.zero_point) == (y.scale, y.zero_point)
    if op.type == CONV1D:
        if op.stride != 1:
            fail(f"stride {op.stride}, CONV1D must be 1")
        if op.pad >= op.kernel:
            fail(f"pad {op.pad} >= kernel {op.kernel}")
        l_out = x.length + 2 * op.pad - op.kernel + 1
        if l_out != y.length:
            fail(f"output length {y.length}, expected L_in + 2·pad - kernel + 1 = {l_out}")
        if op.weights.shape != (y.channels, op.kernel, x.channels):
            fail(f"weights shape {op.weights.shape}, expected "
                 f"{(y.channels, op.kernel, x.channels)}")
        lo, hi = POW2_SHIFT_RANGE if model.scheme == POW2 else (-31, 30)
        bad = np.flatnonzero((op.shift < lo) | (op.shift > hi))
        if bad.size:
            fail(f"shift[{bad[0]}] {op.shift[bad[0]]}, expected [{lo}, {hi}]")
        if model.scheme == TFLITE:
            _check_multipliers(fail, op.multiplier)
        if model.scheme == POW2 and y.zero_point:
            fail(f"output zero_point {y.zero_point}, POW2 graphs use 0")
        # No accumulator can leave int32, so every implementation's int32 sums are exact.
        reach = max(127 - x.zero_point, x.zero_point + 128)
        bound = np.abs(op.weights.astype(np.int64)).reshape(y.channels, -1).sum(1) * reach
        if op.bias is not None:
            bound = bound + np.abs(op.bias.astype(np.int64))
        bad = np.flatnonzero(bound > INT32_MAX)
        if bad.size:
            fail(f"output channel {bad[0]}: |bias| + Σ|w| · {reach} = {bound[bad[0]]} can "
                 f"leave int32")
    elif op.type == AVGPOOL1D:
        if op.kernel < 1 or op.stride < 1:
            fail(f"kernel {op.kernel} / stride {op.stride}, both must be >= 1")
        if x.length < op.kernel:
            fail(f"input length {x.length} < kernel {op.kernel}")
        l_out = (x.length - op.kernel) // op.stride + 1
        if y.length != l_out or y.channels != x.channels:
            fail(f"output shape C {y.channels} x L {y.length}, expected C {x.channels} x L "
                 f"{l_out}")
        if not same_quant:
            fail("output scale / zero_point differ from the input's")
    elif op.type == ADD:
        x2 = t[op.inputs[1]]
        if not (x.channels, x.length) == (x2.channels, x2.length) == (y.channels, y.length):
            fail("inputs and output must have the same shape")
        if model.scheme == POW2:
            if not (x.scale == x2.scale == y.scale and x.zero_point == x2.zero_point ==
                    y.zero_point == 0):
                fail("POW2 ADD inputs and output must share the scale and have zero point 0")
        else:
            _check_multipliers(fail, op.multiplier)
            bad = np.flatnonzero((op.shift < -31) | (op.shift > 30))
            if bad.size:
                fail(f"shift[{bad[0]}] {op.shift[bad[0]]}, expected [-31, 30]")
            if not 0 <= op.left_shift <= ADD_LEFT_SHIFT_MAX:
                fail(f"left_shift {op.left_shift}, expected [0, {ADD_LEFT_SHIFT_MAX}]")
    elif op.type == CONCAT:
        parts = [t[j] for j in op.inputs]
        if any(p.length != y.length for p in parts):
            fail("every input must have the output's length")
        if sum(p.channels for p in parts) != y.channels:
            fail(f"input channels add up to {sum(p.channels for p in parts)}, output has "
                 f"{y.channels}")
        if any((p.scale, p.zero_point) != (y.scale, y.zero_point) for p in parts):
            fail("every input must have the output's scale and zero point")
    elif op.type == RELU:
        if (x.channels, x.length) != (y.channels, y.length) or not same_quant:
            fail("output must have the input's shape, scale and zero point")


def _check_multipliers(fail, multiplier):
    m = multiplier.astype(np.int64)
    bad = np.flatnonzero((m != 0) & ((m < 1 << 30) | (m > INT32_MAX)))
    if bad.size:
        fail(f"multiplier[{bad[0]}] {m[bad[0]]}, expected [2^30, 2^31) or 0")


# --------------------------------------------------------------------------------------------
# Writing


def plan_arena(model):
    """Sets every tensor's arena_offset and the arena size by lifetimes, first fit, 4-aligned.

    A tensor lives from the op that writes it (the graph input: from the start) to the last op
    that reads it (the graph output: to the end). Two tensors whose lifetimes meet never share
    bytes, so an op's output never overlaps its inputs and nothing is overwritten while needed.
    """
    n = len(model.ops)
    first = {model.input_tensor: -1}
    last = {model.output_tensor: n}
    for i, op in enumerate(model.ops):
        first.setdefault(op.output, i)
        for j in op.inputs:
            last[j] = max(last.get(j, i), i)
    placed = []  # (begin, end, first, last)
    arena = 0
    for j in sorted(first, key=lambda j: (first[j], j)):
        size = model.tensors[j].size
        live = (first[j], last.get(j, first[j]))
        busy = sorted((b, e) for b, e, f, l in placed if f <= live[1] and live[0] <= l)
        offset = 0
        for b, e in busy:
            if offset + size <= b:
                break
            offset = max(offset, (e + 3) & ~3)
        model.tensors[j].arena_offset = offset
        placed.append((offset, offset + size, *live))
        arena = max(arena, offset + size)
    model.arena_size = (arena + 3) & ~3


def write_plq(model):
    """Serialises a Model (validated first) to bytes."""
    validate(model)
    data = bytearray()

    def put(array, dtype):
        if array is None:
            return NONE
        offset = len(data)
        data.extend(np.ascontiguousarray(array, dtype).tobytes())
        data.extend(b"\0" * (-len(data) % 4))
        return offset

    op_bytes = bytearray()
    for op in model.ops:
        inputs = list(op.inputs) + [0] * (4 - len(op.inputs))
        op_bytes += OP.pack(op.type, model.scheme, len(op.inputs), op.flags, *inputs, op.output,
                            op.kernel, op.stride, op.pad, op.act_min, op.act_max, 0,
                            put(op.weights, np.int8), put(op.bias, "<i4"),
                            put(op.multiplier, "<i4"), put(op.shift, "<i4"),
                            put(op.weight_scale, "<f4"), op.left_shift, 0)
    tensor_bytes = b"".join(
        TENSOR.pack(x.channels, x.length, x.arena_offset, x.scale, x.zero_point, 0)
        for x in model.tensors)
    params = np.zeros(len(model.input_scale), "<f4, <i4")
    params["f0"], params["f1"] = model.input_scale, model.input_zero_point
    tensors_offset = HEADER.size
    ops_offset = tensors_offset + len(tensor_bytes)
    params_offset = ops_offset + len(op_bytes)
    data_offset = params_offset + params.nbytes
    body = tensor_bytes + op_bytes + params.tobytes() + bytes(data)
    size = HEADER.size + len(body)
    rest = struct.pack("<IIIIIIIIIIII", len(model.tensors), len(model.ops), tensors_offset,
                       ops_offset, data_offset, len(data), model.arena_size, model.input_tensor,
                       model.output_tensor, params_offset, model.num_classes, 0) + body
    crc = zlib.crc32(rest) & 0xFFFFFFFF
    version = 2 if any(op.flags & FLAG_TRUNCATE for op in model.ops) else VERSION
    return MAGIC + struct.pack("<HBBII", version, model.scheme, 0, size, crc) + rest


class GraphBuilder:
    """Collects tensors and ops, then plans the arena and returns a Model."""

    def __init__(self, scheme):
        self.scheme = scheme
        self.tensors = []
        self.ops = []

    def tensor(self, channels, length, scale, zero_point=0):
        self.tensors.append(Tensor(channels, length, float(np.float32(scale)), int(zero_point)))
        return len(self.tensors) - 1

    def op(self, type_, inputs, output, **fields):
        self.ops.append(Op(type_, list(inputs), output, **fields))
        return self.ops[-1]

    def build(self, input_tensor, output_tensor, input_scale, input_zero_point):
        model = Model(self.scheme, self.tensors, self.ops, input_tensor, output_tensor,
                      np.asarray(input_scale, np.float32),
                      np.asarray(input_zero_point, np.int32))
        plan_arena(model)
        validate(model)
        return model


# --------------------------------------------------------------------------------------------
# Integer semantics (int64 numpy; arrays are (N, L, C))


def _trunc_div(a, b):
    """C's integer division (toward zero) of int64 arrays by a positive divisor."""
    q = np.abs(a) // b
    return np.where(a < 0, -q, q)


def saturating_rounding_doubling_high_mul(a, b):
    """TFLite's SaturatingRoundingDoublingHighMul: (a·b + nudge) / 2^31 with nudge 2^30 when
    a·b >= 0, else 1 - 2^30, and a division truncating toward zero, i.e. 2·a·b / 2^32 rounded
    to nearest with ties toward +infinity; a = b = INT32_MIN saturates to INT32_MAX."""
    a, b = np.broadcast_arrays(np.asarray(a, np.int64), np.asarray(b, np.int64))
    ab = a * b
    nudge = np.where(ab >= 0, 1 << 30, 1 - (1 << 30))
    high = _trunc_div(ab + nudge, 1 << 31)
    return np.where((a == INT32_MIN) & (b == INT32_MIN), INT32_MAX, high)


def rounding_divide_by_pot(x, exponent):
    """TFLite's RoundingDivideByPOT: x / 2^exponent rounded to nearest, ties away from zero."""
    x = np.asarray(x, np.int64)
    exponent = np.asarray(exponent, np.int64)
    mask = (np.int64(1) << exponent) - 1
    remainder = x & mask
    threshold = (mask >> 1) + (x < 0)
    return (x >> exponent) + (remainder > threshold)


def saturate_int32(v):
    return np.clip(v, INT32_MIN, INT32_MAX)


def multiply_by_quantized_multiplier(x, multiplier, shift):
    """TFLite's MultiplyByQuantizedMultiplier(x, multiplier, shift) for int32 x; where
    x · 2^left leaves int32 (TFLite overflows) it saturates, as the spec defines."""
    shift = np.asarray(shift, np.int64)
    left, right = np.maximum(shift, 0), np.maximum(-shift, 0)
    scaled = saturate_int32(np.asarray(x, np.int64) << left)
    return rounding_divide_by_pot(saturating_rounding_doubling_high_mul(scaled, multiplier), right)


def conv_accumulate(x, zx, weights, bias, pad):
    """acc[n][t][o] = bias[o] + Σ_k Σ_c w[o][k][c] · (x[n][t + k - pad][c] - zx), int64."""
    n, length, c_in = x.shape
    c_out, kernel, _ = weights.shape
    xz = np.zeros((n, length + 2 * pad, c_in), np.int64)
    xz[:, pad:pad + length] = x.astype(np.int64) - zx
    l_out = length + 2 * pad - kernel + 1
    cols = np.stack([xz[:, k:k + l_out] for k in range(kernel)], axis=2)  # (N, L_out, K, C_in)
    acc = cols.reshape(n, l_out, kernel * c_in) @ weights.reshape(c_out, -1).astype(np.int64).T
    if bias is not None:
        acc = acc + bias.astype(np.int64)
    return acc  # within int32: the verifier bounds |bias| + Σ|w| · max|x - zx|


def requantize_pow2(acc, r):
    """floor(acc · 2^-r + 0.5): (acc + 2^(r-1)) >> r for r > 0, acc · 2^-r otherwise."""
    r = np.asarray(r, np.int64)
    right, left = np.maximum(r, 0), np.maximum(-r, 0)
    return ((acc + ((np.int64(1) << right) >> 1)) >> right) << left


def avgpool_sum(x, kernel, stride):
    """s[n][t][c] = Σ_{k<kernel} x[n][t·stride + k][c] over raw int8 values, int64."""
    l_out = (x.shape[1] - kernel) // stride + 1
    s = np.zeros((x.shape[0], l_out, x.shape[2]), np.int64)
    for k in range(kernel):
        s += x[:, k:k + stride * (l_out - 1) + 1:stride].astype(np.int64)
    return s


def avgpool_round(s, n, scheme, round_half_up, truncate=False):
    if scheme == TFLITE:  # half away from zero, as TFLite's reference kernel
        return np.where(s > 0, _trunc_div(s + n // 2, n), _trunc_div(s - n // 2, n))
    if truncate:
        return _trunc_div(s, n)  # toward zero
    if round_half_up:
        return (2 * s + n) // (2 * n)  # floor((2s + n) / 2n)
    return s // n  # floor


def execute_op(scheme, op, tensors, inputs):
    """Runs one op on int8 input arrays (N, L, C); returns the int8 output array."""
    y = tensors[op.output]
    zy = y.zero_point

    def clamp(v):
        return np.clip(v, op.act_min, op.act_max).astype(np.int8)

    x = inputs[0]
    zx = tensors[op.inputs[0]].zero_point
    if op.type == CONV1D:
        acc = conv_accumulate(x, zx, op.weights, op.bias, op.pad)
        if scheme == POW2:
            return clamp(requantize_pow2(acc, op.shift) + zy)
        return clamp(multiply_by_quantized_multiplier(acc, op.multiplier, op.shift) + zy)
    if op.type == AVGPOOL1D:
        s = avgpool_sum(x, op.kernel, op.stride)
        return clamp(avgpool_round(s, op.kernel, scheme, op.flags & FLAG_ROUND_HALF_UP,
                                   op.flags & FLAG_TRUNCATE))
    if op.type == ADD:
        if scheme == POW2:
            return clamp(x.astype(np.int64) + inputs[1])
        a = [multiply_by_quantized_multiplier(
            (inputs[i].astype(np.int64) - tensors[op.inputs[i]].zero_point) << op.left_shift,
            op.multiplier[i], op.shift[i]) for i in (0, 1)]
        total = saturate_int32(a[0] + a[1])  # the spec saturates the sum
        return clamp(multiply_by_quantized_multiplier(total, op.multiplier[2], op.shift[2]) + zy)
    if op.type == CONCAT:
        return np.concatenate(inputs, axis=2)  # a copy: inputs share the output's quantisation
    if op.type == RELU:
        return clamp(np.maximum(x, zx))
    raise PlqError(f"unknown op type {op.type}")


def run_int8(model, x):
    """Runs the graph on int8 windows x (N, L, C); returns the int8 logits (N, K).

    Tensors are read from and written to one arena per window at their planned offsets."""
    x = np.asarray(x, np.int8)
    t_in = model.tensors[model.input_tensor]
    if x.ndim != 3 or x.shape[1:] != (t_in.length, t_in.channels):
        raise PlqError(f"input windows of shape {x.shape}, expected (N, {t_in.length}, "
                       f"{t_in.channels})")
    arena = np.zeros((x.shape[0], model.arena_size), np.int8)

    def view(j):
        t = model.tensors[j]
        return arena[:, t.arena_offset:t.arena_offset + t.size].reshape(-1, t.length, t.channels)

    view(model.input_tensor)[:] = x
    for i, op in enumerate(model.ops):
        inputs = [view(j).copy() for j in op.inputs]
        view(op.output)[:] = execute_op(model.scheme, op, model.tensors, inputs)
    return view(model.output_tensor)[:, 0, :].copy()


def quantize_input(model, x):
    """The host's input quantisation of float windows x (N, C, L) -> int8 (N, L, C):
    q = clamp(floor(x / scale_c + 0.5) + zero_point_c, -128, 127), all in float32; a NaN sample
    quantises to the zero point (real 0)."""
    x = np.asarray(x, np.float32)
    scale = model.input_scale.reshape(1, -1, 1)
    with np.errstate(invalid="ignore", over="ignore"):
        v = np.floor(x / scale + np.float32(0.5))  # float32 division, then float32 addition
    v = np.nan_to_num(np.clip(v, -1e6, 1e6), nan=0.0).astype(np.int64)
    v = v + model.input_zero_point.reshape(1, -1, 1)
    return np.clip(v, -128, 127).astype(np.int8).transpose(0, 2, 1).copy()


def dequantize(tensor, q):
    return tensor.scale * (np.asarray(q, np.float64) - tensor.zero_point)


def conv_has_relu(model, op):
    """A conv's float activation: ReLU when its clamp starts at or above real 0."""
    return op.act_min >= model.tensors[op.output].zero_point


def run_float(model, x):
    """Float64 forward of the graph on float windows x (N, C, L) -> logits (N, K).

    Weights are dequantised (w = q · weight_scale, bias = q_bias · s_in · weight_scale); a conv
    gets a ReLU when its clamp begins at or above real 0, no other clamp. The input is mapped
    from the host's per-channel scales onto the input tensor's scale and zero point first:
    u_c = s_t · (x_c / s_c + z_c - z_t), which is what the integer graph sees."""
    t_in = model.tensors[model.input_tensor]
    x = np.asarray(x, np.float64).transpose(0, 2, 1)  # (N, L, C)
    s_c = model.input_scale.astype(np.float64)
    values = {model.input_tensor: t_in.scale * (x / s_c + model.input_zero_point -
                                                t_in.zero_point)}
    for op in model.ops:
        xs = [values[j] for j in op.inputs]
        if op.type == CONV1D:
            w = op.weights.astype(np.float64) * op.weight_scale.reshape(-1, 1, 1)
            n, length, c_in = xs[0].shape
            xp = np.zeros((n, length + 2 * op.pad, c_in))
            xp[:, op.pad:op.pad + length] = xs[0]
            l_out = length + 2 * op.pad - op.kernel + 1
            cols = np.stack([xp[:, k:k + l_out] for k in range(op.kernel)], axis=2)
            v = cols.reshape(n, l_out, -1) @ w.reshape(w.shape[0], -1).T
            if op.bias is not None:
                s_x = model.tensors[op.inputs[0]].scale
                v = v + op.bias * s_x * op.weight_scale.astype(np.float64)
            if conv_has_relu(model, op):
                v = np.maximum(v, 0)
        elif op.type == AVGPOOL1D:
            l_out = (xs[0].shape[1] - op.kernel) // op.stride + 1
            v = sum(xs[0][:, k:k + op.stride * (l_out - 1) + 1:op.stride]
                    for k in range(op.kernel)) / op.kernel
        elif op.type == ADD:
            v = xs[0] + xs[1]
        elif op.type == CONCAT:
            v = np.concatenate(xs, axis=2)
        else:
            v = np.maximum(xs[0], 0)
        values[op.output] = v
    return values[model.output_tensor][:, 0, :]


# --------------------------------------------------------------------------------------------
# CLI


def describe(model):
    lines = [f"scheme {SCHEME_NAMES[model.scheme]}, {len(model.tensors)} tensors, "
             f"{len(model.ops)} ops, arena {model.arena_size} B, input tensor "
             f"{model.input_tensor}, output tensor {model.output_tensor}, "
             f"{model.num_classes} classes, {macs(model)} MACs/window"]
    for i, t in enumerate(model.tensors):
        lines.append(f"tensor {i}: C {t.channels} L {t.length} arena {t.arena_offset} "
                     f"scale {t.scale:.6g} zp {t.zero_point}")
    for i, op in enumerate(model.ops):
        extra = ""
        if op.type in (CONV1D, AVGPOOL1D):
            extra = f" k {op.kernel} stride {op.stride} pad {op.pad}"
        lines.append(f"{op_name(i, op)}: {op.inputs} -> {op.output}{extra} "
                     f"clamp [{op.act_min}, {op.act_max}] flags {op.flags}")
    return "\n".join(lines)


def macs(model):
    """Conv multiply-accumulates per window (the docs/model.md (dataset profiles) count)."""
    return sum(int(op.weights.size) * model.tensors[op.output].length
               for op in model.ops if op.type == CONV1D)


def selftest():
    """Hand-worked cases of the arithmetic, a tiny model computed by hand, and refusals."""
    passed = []

    def expect(got, want, what):
        if not np.array_equal(np.asarray(got), np.asarray(want)):
            raise AssertionError(f"{what}: got {got}, expected {want}")
        passed.append(what)

    srdhm, rdbpot = saturating_rounding_doubling_high_mul, rounding_divide_by_pot
    expect(srdhm(INT32_MIN, INT32_MIN), INT32_MAX, "SRDHM overflow saturates")
    expect(srdhm(1 << 30, 1 << 30), 1 << 29, "SRDHM 2·2^60 / 2^32 = 2^29")
    expect(srdhm([1, -1, -3], 1 << 30), [1, 0, -1], "SRDHM ±0.5, -1.5: ties toward +inf")
    expect(rdbpot([3, -3, -5, 5, -6], [1, 1, 2, 2, 2]), [2, -2, -1, 1, -2],
           "RDBPOT 1.5, -1.5, -1.25, 1.25, -1.5: ties away from zero")
    # 1000 · (2^30 / 2^31) / 2^3 = 62.5 -> 63
    expect(multiply_by_quantized_multiplier(1000, 1 << 30, -3), 63, "MBQM")
    # 2^30 · 2^2 leaves int32 and saturates to 2^31 - 1; · 0.5 -> (2^61 - 2^30 + 2^30) / 2^31
    expect(multiply_by_quantized_multiplier(1 << 30, 1 << 30, 2), 1 << 30, "MBQM saturates")
    expect(requantize_pow2(np.array([5, -5, 7, 3]), [1, 1, 1, -2]), [3, -2, 4, 12],
           "POW2: floor(2.5 + .5), floor(-2.5 + .5), floor(3.5 + .5), 3 · 4")
    s = np.array([6, -6, 5, -5])
    expect(avgpool_round(s, 4, POW2, False), [1, -2, 1, -2], "avgpool floor 1.5 -1.5 ±1.25")
    expect(avgpool_round(s, 4, POW2, True), [2, -1, 1, -1], "avgpool half up")
    expect(avgpool_round(s, 4, TFLITE, False), [2, -2, 1, -1], "avgpool half away from zero")
    expect(avgpool_round(s, 4, POW2, False, True), [1, -1, 1, -1], "avgpool toward zero")

    # x (t, c) = [[1, -2], [3, 4], [-5, 6]], w[k][c] = [[1, 2], [3, 4], [5, 6]], pad 1:
    # acc[0] = (3·1 + 4·-2) + (5·3 + 6·4) = -5 + 39 = 34
    # acc[1] = (1·1 + 2·-2) + (3·3 + 4·4) + (5·-5 + 6·6) = -3 + 25 + 11 = 33
    # acc[2] = (1·3 + 2·4) + (3·-5 + 4·6) = 11 + 9 = 20
    # r = 1: 17, 17 (16.5 rounds up), 10; avgpool k 3 floor: 44 / 3 -> 14.
    b = GraphBuilder(POW2)
    x, h, y = b.tensor(2, 3, 1 / 128), b.tensor(1, 3, 1 / 128), b.tensor(1, 1, 1 / 128)
    b.op(CONV1D, [x], h, kernel=3, stride=1, pad=1, weights=np.array(
        [[[1, 2], [3, 4], [5, 6]]], np.int8), shift=np.array([1], np.int32),
        weight_scale=np.array([0.5], np.float32))
    b.op(AVGPOOL1D, [h], y, kernel=3, stride=1)
    data = write_plq(b.build(x, y, [1 / 128, 1 / 64], [0, 0]))
    model = read_plq(data)
    expect(run_int8(model, [[[1, -2], [3, 4], [-5, 6]]]), [[14]], "tiny POW2 model")
    # floor(x / s + 0.5): 0.5/(1/128) = 64 -> 64.5 -> 64; -1.5 · 64 + .5 = -95.5 -> -96; 3 -> 127
    expect(quantize_input(model, [[[0.5, -0.01171875, 3.0], [-1.5, 0.0, 1.0]]]),
           [[[64, -96], [-1, 0], [127, 64]]], "input quantisation")
    expect(quantize_input(model, [[[np.nan, np.inf, -np.inf], [0.0, 0.0, 0.0]]])[0, :, 0],
           [0, 127, -128], "NaN -> zero point, ±inf saturate")

    def refused_model(build, words):
        try:
            build()
        except PlqError as e:
            if words not in str(e):
                raise AssertionError(f"refusal '{e}' does not mention '{words}'")
            passed.append(words)
            return
        raise AssertionError(f"accepted a model that should be refused ({words})")

    def pools_then_add(overwrite):
        """x -> pool a, x -> pool b, add(a, b); overwrite: b placed on a, which add still needs."""
        g = GraphBuilder(POW2)
        x, a, b2, c = (g.tensor(1, 1, 1 / 128) for _ in range(4))
        g.op(AVGPOOL1D, [x], a, kernel=1, stride=1)
        g.op(AVGPOOL1D, [x], b2, kernel=1, stride=1)
        g.op(ADD, [a, b2], c)
        m = g.build(x, c, [1.0], [0])
        if overwrite:
            m.tensors[b2].arena_offset = m.tensors[a].arena_offset
            validate(m)

    pools_then_add(False)
    refused_model(lambda: pools_then_add(True), "tensor 1 was overwritten in the arena by op 1")

    def bias_too_large():
        g = GraphBuilder(POW2)
        x, y1 = g.tensor(1, 1, 1 / 128), g.tensor(1, 1, 1 / 128)
        g.op(CONV1D, [x], y1, kernel=1, stride=1, weights=np.ones((1, 1, 1), np.int8),
             bias=np.array([INT32_MAX], np.int32), shift=np.zeros(1, np.int32),
             weight_scale=np.ones(1, np.float32))
        g.build(x, y1, [1.0], [0])

    refused_model(bias_too_large, "|bias| + Σ|w| · 128 = 2147483775 can leave int32")

    def refused(buf, words):
        try:
            read_plq(buf)
        except PlqError as e:
            if words not in str(e):
                raise AssertionError(f"refusal '{e}' does not mention '{words}'")
            passed.append(words)
            return
        raise AssertionError(f"accepted a file that should be refused ({words})")

    def patched(offset, fmt, value, fix_crc=True):
        buf = bytearray(data)
        struct.pack_into(fmt, buf, offset, value)
        if fix_crc:
            struct.pack_into("<I", buf, 12, zlib.crc32(bytes(buf[16:])) & 0xFFFFFFFF)
        return bytes(buf)

    refused(data[:40], "shorter than the 64-byte header")
    refused(patched(0, "<4s", b"PLQX", False), "magic")
    refused(patched(4, "<H", 3, False), "version 3")
    refused(patched(100, "<B", data[100] ^ 1, False), "crc32")
    refused(data + b"\0" * 4, "file_size")
    refused(patched(24, "<I", len(data) - 8), "tensor table")
    refused(patched(64 + 24 + 8, "<I", 10), "arena bytes")  # tensor 1 ends past the 12 B
    refused(patched(64 + 24 + 8, "<I", 0), "overlaps")  # tensor 1 onto the input
    ops = 64 + 3 * 24
    refused(patched(ops + 28, "<H", 3), "pad 3 >= kernel 3")
    refused(patched(ops + 30, "<h", -129), "act_min -129")
    refused(patched(ops + 26, "<H", 2), "stride 2, CONV1D must be 1")
    refused(patched(ops + 36, "<I", 1 << 20), "weights")
    refused(patched(ops + 64 + 24, "<H", 2), "output shape")  # avgpool kernel 2: L_out 2
    print(f"plq.py selftest: {len(passed)} passed, 0 failed")


def main(argv):
    if argv == ["selftest"]:
        selftest()
        return 0
    if len(argv) >= 2 and argv[0] == "info":
        print(describe(read_plq(open(argv[1], "rb").read())))
        return 0
    if len(argv) >= 4 and argv[0] == "run":
        model = read_plq(open(argv[1], "rb").read())
        t = model.tensors[model.input_tensor]
        if "--float" in argv[4:]:
            x = np.fromfile(argv[2], np.float32).reshape(-1, t.channels, t.length)
            x = quantize_input(model, x)
        else:
            x = np.fromfile(argv[2], np.int8).reshape(-1, t.length, t.channels)
        run_int8(model, x).tofile(argv[3])
        return 0
    print(USAGE, file=sys.stderr)
    return 2


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except (PlqError, OSError) as e:
        print(f"plq.py: {e}", file=sys.stderr)
        sys.exit(3)
