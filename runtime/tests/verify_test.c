/* One test per refusal of the verifier (plrt_model_init): each forges one bad field into an
 * otherwise valid file (the tiny model, or a small graph made for the case), fixes the CRC
 * unless the CRC is the point, and checks the status and the words of the reason. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "plrt_model.h"
#include "tiny_model.h"

static plqb g_tiny; /* the builder state, for offsets of fields inside the file */
static uint8_t* g_file;
static size_t g_size;

/* Expects plrt_model_init to refuse `file` with a reason containing `part`. */
static void expect_refused(const uint8_t* file, size_t size, const char* part, int line) {
  plrt_model m;
  plrt_error err;
  const plrt_status status = plrt_model_init(&m, file, size, &err);
  ++g_checks;
  if (status != PLRT_ERR_MODEL || strstr(err.reason, part) == NULL) {
    ++g_failures;
    fprintf(stderr, "%s:%d: expected a refusal containing \"%s\", got status %d, \"%s\"\n",
            __FILE__, line, part, (int)status, err.reason);
  }
}

/* A copy of the tiny model with `width` bytes at `offset` set to `value` (little-endian). */
static uint8_t* patched(size_t offset, int width, uint32_t value, int fix_crc) {
  uint8_t* f = (uint8_t*)malloc(g_size);
  memcpy(f, g_file, g_size);
  if (width == 1) f[offset] = (uint8_t)value;
  if (width == 2) plqb_put_u16(f + offset, (uint16_t)value);
  if (width == 4) plqb_put_u32(f + offset, value);
  if (fix_crc) plqb_fix_crc(f, g_size);
  return f;
}

static void refuse_patch(size_t offset, int width, uint32_t value, const char* part, int line) {
  uint8_t* f = patched(offset, width, value, 1);
  expect_refused(f, g_size, part, line);
  free(f);
}

#define REFUSE(offset, width, value, part) refuse_patch(offset, width, value, part, __LINE__)

static size_t op_field(uint32_t op, size_t field) { return plqb_op_entry(&g_tiny, op) + field; }
static size_t tensor_field(uint32_t t, size_t field) {
  return plqb_tensor_entry(&g_tiny, t) + field;
}
static size_t data_at(uint32_t offset) { return plqb_data_start(&g_tiny) + offset; }

static void test_accepts_the_tiny_model(void) {
  plrt_model m;
  plrt_error err;
  CHECK_EQ(plrt_model_init(&m, g_file, g_size, &err), PLRT_OK);
  CHECK_EQ(err.reason[0], '\0');
}

/* Flags bit 1 (a POW2 pool truncating toward zero) exists from format version 2 on. */
static void test_truncating_pool_needs_version_2(void) {
  plrt_model m;
  plrt_error err;
  uint8_t* f = patched(op_field(1, 3), 1, 2, 1);
  expect_refused(f, g_size, "op 1 (AVGPOOL1D): flags 2", __LINE__);
  plqb_put_u16(f + 4, 2);
  CHECK_EQ(plrt_model_init(&m, f, g_size, &err), PLRT_OK);
  free(f);
  REFUSE(op_field(1, 3), 1, 3, "op 1 (AVGPOOL1D): flags 3");
}

static void test_arguments(void) {
  plrt_model m;
  plrt_error err;
  uint8_t* shifted = (uint8_t*)malloc(g_size + 4);
  CHECK_EQ(plrt_model_init(NULL, g_file, g_size, &err), PLRT_ERR_ARGUMENT);
  CHECK_EQ(plrt_model_init(&m, NULL, g_size, &err), PLRT_ERR_ARGUMENT);
  CHECK_EQ(plrt_model_init(&m, g_file, g_size, NULL), PLRT_OK); /* the error is optional */
  memcpy(shifted + 1, g_file, g_size);                          /* malloc is 4-aligned */
  CHECK_EQ(plrt_model_init(&m, shifted + 1, g_size, &err), PLRT_ERR_ARGUMENT);
  CHECK_CONTAINS(err.reason, "4-byte aligned");
  free(shifted);
}

static void test_header(void) {
  expect_refused(g_file, 40, "shorter than the 64-byte header", __LINE__);
  expect_refused(g_file, g_size - 1, "file truncated: file_size says", __LINE__);
  REFUSE(0, 1, 'X', "magic: expected 'PLQM'");
  REFUSE(4, 2, 3, "version: expected 1 to 2, got 3");
  REFUSE(4, 2, 0, "version: expected 1 to 2, got 0");
  REFUSE(6, 1, 3, "scheme: expected 1 (MAX78000) or 2 (TFLite), got 3");
  REFUSE(7, 1, 1, "reserved");
  {
    /* a buffer longer than file_size: the file must be exactly the buffer */
    uint8_t* longer = (uint8_t*)calloc(g_size + 8, 1);
    memcpy(longer, g_file, g_size);
    expect_refused(longer, g_size + 8, "file_size: says", __LINE__);
    free(longer);
  }
  {
    uint8_t* f = patched(data_at(0), 1, 9, 0); /* a weight changed, CRC not fixed */
    expect_refused(f, g_size, "crc32: header says", __LINE__);
    free(f);
  }
  REFUSE(20, 4, 0, "n_ops (0) must be >= 1");
}

static void test_sections(void) {
  REFUSE(16, 4, 1000, "tensor table [64, 24064) outside the file");
  REFUSE(28, 4, (uint32_t)g_size - 8, "op table");
  REFUSE(28, 4, 32, "op table [32, "); /* ... overlaps the 64-byte header */
  REFUSE(24, 4, 66, "tensor table: offset 66 is not a multiple of 4");
  REFUSE(36, 4, (uint32_t)g_size, "data section [");   /* ... outside the file */
  REFUSE(52, 4, (uint32_t)g_size - 8, "input params"); /* 2 channels x 8 bytes */
}

static void test_tensors(void) {
  REFUSE(40, 4, 49, "tensor 8: arena bytes [48, 50) outside the arena of 49 bytes");
  REFUSE(tensor_field(3, 0), 4, 0, "tensor 3: channels 0, length 2: both must be >= 1");
  REFUSE(tensor_field(3, 16), 4, 1, "tensor 3: zero_point 1: must be 0 in a MAX78000");
  REFUSE(tensor_field(3, 12), 4, 0x7FC00000u, "tensor 3: scale (bits 7fc00000)"); /* NaN */
  REFUSE(tensor_field(3, 12), 4, 0xBF800000u, "must be finite and > 0");          /* -1.0 */
  REFUSE(tensor_field(3, 20), 4, 1, "tensor 3: reserved field must be 0");
  REFUSE(44, 4, 9, "input_tensor 9 / output_tensor 8: must be < n_tensors (9)");
  REFUSE(56, 4, 3, "output tensor 8: shape 2 x 1, expected num_classes (3) x 1");
  REFUSE(plqb_op_entry(&g_tiny, g_tiny.n_ops) + 4, 4, 1, "input channel 0: zero_point 1");
}

static void test_op_fields(void) {
  REFUSE(op_field(2, 0), 1, 9, "op 2: type: expected 1..5");
  REFUSE(op_field(2, 1), 1, 2, "op 2 (CONV1D): requant 2 differs from the header's scheme 1");
  REFUSE(op_field(3, 2), 1, 1, "op 3 (ADD): n_inputs 1 outside [2, 2]");
  REFUSE(op_field(4, 2), 1, 5, "op 4 (CONCAT): n_inputs 5 outside [2, 4]");
  REFUSE(op_field(1, 4), 4, 9, "op 1 (AVGPOOL1D): input 0: tensor 9, but n_tensors is 9");
  REFUSE(op_field(1, 8), 4, 2, "op 1 (AVGPOOL1D): unused input entry 1 must be 0");
  REFUSE(op_field(1, 20), 4, 100, "op 1 (AVGPOOL1D): output: tensor 100");
  REFUSE(op_field(0, 3), 1, 1, "op 0 (CONV1D): flags 1");
  REFUSE(op_field(3, 28), 2, 1, "op 3 (ADD): pad 1: only CONV1D pads");
  REFUSE(op_field(0, 34), 2, 1, "op 0 (CONV1D): reserved fields must be 0");
  REFUSE(op_field(5, 56), 4, 20, "op 5 (RELU): left_shift 20");
  REFUSE(op_field(5, 36), 4, 0, "op 5 (RELU): weights: unused by this op, expected 0xFFFFFFFF");
}

static void test_ranges(void) {
  REFUSE(op_field(0, 28), 2, 3, "op 0 (CONV1D): kernel 3, stride 1, pad 3: need kernel >= 1");
  REFUSE(op_field(0, 26), 2, 2, "stride 2");
  REFUSE(op_field(1, 24), 2, 5, "op 1 (AVGPOOL1D): kernel 5, stride 2: need 1 <= kernel <= input");
  REFUSE(op_field(1, 26), 2, 0, "op 1 (AVGPOOL1D): kernel 2, stride 0");
  REFUSE(op_field(0, 32), 2, 128, "op 0 (CONV1D): clamp [0, 128]");
  REFUSE(op_field(0, 30), 2, (uint16_t)-129, "clamp [-129, 127]");
  REFUSE(op_field(5, 30), 2, 102, "op 5 (RELU): clamp [102, 101]");
  /* POW2 shift r = 7 - output_shift with output_shift in [-15, 15] */
  REFUSE(data_at(g_tiny.ops[0].shift), 4, 23, "op 0 (CONV1D): shift[0] = 23 outside [-8, 22]");
  REFUSE(data_at(g_tiny.ops[7].shift + 4), 4, (uint32_t)-9, "op 7 (CONV1D): shift[1] = -9");
  /* |bias| + sum |w| * 128: bias 2^31 - 1 overflows */
  REFUSE(data_at(g_tiny.ops[0].bias), 4, 0x7FFFFFFFu, "can overflow the int32 accumulator");
}

static void test_arrays(void) {
  const uint32_t data_size = (uint32_t)g_tiny.data_size;
  REFUSE(op_field(0, 36), 4, data_size - 4, "op 0 (CONV1D): weights [");
  {
    char expected[96];
    snprintf(expected, sizeof expected,
             "weights [%" PRIu32 ", %" PRIu32 ") outside data section of %" PRIu32 " bytes",
             data_size - 4u, data_size + 8u, data_size);
    REFUSE(op_field(0, 36), 4, data_size - 4, expected);
  }
  REFUSE(op_field(0, 48), 4, PLQB_NONE, "op 0 (CONV1D): shift: required, got none");
  REFUSE(op_field(0, 40), 4, 2, "op 0 (CONV1D): bias: offset 2 is not a multiple of 4");
  REFUSE(op_field(0, 44), 4, 0, "op 0 (CONV1D): multiplier: unused by this op");
}

static void test_shapes(void) {
  REFUSE(tensor_field(1, 4), 4, 5,
         "op 0 (CONV1D): output length: L_in + 2*pad - kernel + 1 = 4, tensor 1 has 5");
  REFUSE(tensor_field(2, 0), 4, 3, "op 1 (AVGPOOL1D): output 3 x 2, expected 2 x");
  REFUSE(tensor_field(4, 4), 4, 1, "op 3 (ADD): shapes 2 x 2 + 2 x 2 -> 2 x 1");
  REFUSE(tensor_field(5, 0), 4, 5, "op 4 (CONCAT): input channels add up to 4, output tensor 5");
  REFUSE(tensor_field(5, 4), 4, 3, "op 4 (CONCAT): input 0 (tensor 4) has length 2, output 3");
  REFUSE(tensor_field(6, 4), 4, 1, "op 5 (RELU): output tensor 6 must have the input's shape");
  REFUSE(tensor_field(2, 12), 4, 0x3C800000u, "op 1 (AVGPOOL1D): output tensor 2: scale");
}

static void test_overlap(void) {
  REFUSE(
      tensor_field(1, 8), 4, 4,
      "op 0 (CONV1D): output tensor 1 (arena [4, 12)) overlaps input 0, tensor 0 (arena [0, 8))");
}

/* Builds `b`'s graph, expects its refusal with `part`. */
static void refuse_graph(plqb* b, const char* part, int line) {
  uint8_t* f;
  const size_t size = plqb_write(b, &f);
  expect_refused(f, size, part, line);
  free(f);
  plqb_free(b);
}

static void test_dataflow(void) {
  plqb b;
  /* op 2 reads tensor 1 after op 1 wrote tensor 2 over it */
  plqb_init(&b, 1);
  plqb_tensor_add(&b, 4, 1, 1.0f, 0);
  plqb_tensor_add(&b, 4, 1, 1.0f, 0);
  plqb_tensor_add(&b, 4, 1, 1.0f, 0);
  plqb_tensor_add(&b, 4, 1, 1.0f, 0);
  b.tensors[2].arena_offset = b.tensors[1].arena_offset + 2;
  plqb_relu(&b, 0, 1, -128, 127);
  plqb_relu(&b, 0, 2, -128, 127);
  plqb_add(&b, 1, 2, 3, -128, 127, NULL, NULL, 0);
  refuse_graph(&b,
               "op 2 (ADD): input 0 (tensor 1, arena [4, 8)) is overwritten by op 1 (tensor 2) "
               "before it is read",
               __LINE__);
  /* op 0 reads a tensor nobody wrote */
  plqb_init(&b, 1);
  plqb_tensor_add(&b, 4, 1, 1.0f, 0);
  plqb_tensor_add(&b, 4, 1, 1.0f, 0);
  plqb_tensor_add(&b, 4, 1, 1.0f, 0);
  plqb_relu(&b, 1, 2, -128, 127);
  refuse_graph(&b, "op 0 (RELU): input 0 (tensor 1) is neither the graph input nor written",
               __LINE__);
  /* the graph input is overwritten before its last reader */
  plqb_init(&b, 1);
  plqb_tensor_add(&b, 4, 1, 1.0f, 0);
  plqb_tensor_add(&b, 4, 1, 1.0f, 0);
  plqb_tensor_add(&b, 4, 1, 1.0f, 0);
  b.tensors[2].arena_offset = 0;
  b.tensors[1].arena_offset = 4;
  plqb_relu(&b, 0, 1, -128, 127);
  plqb_relu(&b, 1, 2, -128, 127); /* writes over tensor 0 ... */
  plqb_tensor_add(&b, 4, 1, 1.0f, 0);
  b.tensors[3].arena_offset = 8;
  plqb_add(&b, 0, 2, 3, -128, 127, NULL, NULL, 0); /* ... which is read here */
  refuse_graph(&b, "op 2 (ADD): input 0 (tensor 0, arena [0, 4)) is overwritten by op 1", __LINE__);
  /* the graph output is never written */
  plqb_init(&b, 1);
  plqb_tensor_add(&b, 4, 1, 1.0f, 0);
  plqb_tensor_add(&b, 4, 1, 1.0f, 0);
  plqb_tensor_add(&b, 4, 1, 1.0f, 0);
  plqb_relu(&b, 0, 1, -128, 127);
  b.output_tensor = 2;
  refuse_graph(&b, "the graph output (tensor 2) is neither the graph input nor written", __LINE__);
}

/* A TFLITE graph: conv k3 (zero points 5 -> -3), ADD of the conv output with itself, mean. */
static void tflite_graph(plqb* b) {
  static const int8_t w[12] = {1, -2, 3, -4, 5, -6, 7, -8, 9, -10, 11, -12};
  static const int32_t bias[2] = {100, -100}, mult[2] = {1 << 30, 0x60000000}, shift[2] = {-1, 2};
  static const int32_t add_mult[3] = {1 << 30, 1 << 30, 0x40000001}, add_shift[3] = {0, 0, -20};
  plqb_init(b, 2);
  plqb_tensor_add(b, 2, 4, 0.5f, 5);
  plqb_tensor_add(b, 2, 4, 0.25f, -3);
  plqb_tensor_add(b, 2, 4, 0.125f, 7);
  plqb_tensor_add(b, 2, 1, 0.125f, 7);
  plqb_conv(b, 0, 1, 3, 1, -128, 127, w, bias, mult, shift);
  plqb_add(b, 1, 1, 2, -128, 127, add_mult, add_shift, 20);
  plqb_pool(b, 2, 3, 4, 1, 0, -128, 127);
}

static void test_tflite(void) {
  plqb b;
  plrt_model m;
  plrt_error err;
  uint8_t* f;
  size_t size;
  tflite_graph(&b);
  size = plqb_write(&b, &f);
  CHECK_EQ(plrt_model_init(&m, f, size, &err), PLRT_OK);
  if (err.reason[0] != '\0') fprintf(stderr, "tflite graph: %s\n", err.reason);
  free(f);
  plqb_free(&b);

  tflite_graph(&b);
  b.ops[0].shift = plqb_data_add(&b, (const int32_t[]){31, 0}, 8);
  refuse_graph(&b, "op 0 (CONV1D): shift[0] = 31 outside [-31, 30]", __LINE__);
  tflite_graph(&b);
  b.ops[0].multiplier = plqb_data_add(&b, (const int32_t[]){1 << 30, (1 << 30) - 1}, 8);
  refuse_graph(&b, "op 0 (CONV1D): multiplier[1] = 1073741823: expected 0 or [2^30, 2^31)",
               __LINE__);
  tflite_graph(&b);
  b.ops[0].multiplier = plqb_data_add(&b, (const int32_t[]){-5, 1 << 30}, 8);
  refuse_graph(&b, "multiplier[0] = -5", __LINE__);
  tflite_graph(&b);
  b.ops[1].left_shift = 24;
  refuse_graph(&b, "op 1 (ADD): left_shift 24 outside [0, 23]", __LINE__);
  tflite_graph(&b);
  b.ops[1].shift = plqb_data_add(&b, (const int32_t[]){0, -32, 0}, 12);
  refuse_graph(&b, "op 1 (ADD): shift[1] = -32", __LINE__);
  tflite_graph(&b);
  b.ops[1].multiplier = PLQB_NONE;
  refuse_graph(&b, "op 1 (ADD): multiplier: required", __LINE__);
  tflite_graph(&b);
  b.ops[2].flags = 1; /* round half up is a POW2 option */
  refuse_graph(&b, "op 2 (AVGPOOL1D): flags 1", __LINE__);
  tflite_graph(&b);
  b.tensors[0].zero_point = -129;
  refuse_graph(&b, "tensor 0: zero_point -129 outside [-128, 127]", __LINE__);
  tflite_graph(&b);
  b.input_zero_point[1] = 128;
  refuse_graph(&b, "input channel 1: zero_point 128 outside [-128, 127]", __LINE__);
  /* accumulator bound: with the input zero point -128, max |x - zx| = 127 + 128 = 255, and
   * output channel 0 has sum |w| = 1 + 2 + 3 + 4 + 5 + 6 = 21: 21 * 255 = 5355, so a bias of
   * INT32_MAX - 5355 is the largest accepted */
  tflite_graph(&b);
  b.tensors[0].zero_point = -128;
  b.input_zero_point[0] = b.input_zero_point[1] = -128;
  b.ops[0].bias = plqb_data_add(&b, (const int32_t[]){INT32_MAX - 5355, 0}, 8);
  size = plqb_write(&b, &f);
  CHECK_EQ(plrt_model_init(&m, f, size, &err), PLRT_OK);
  free(f);
  b.ops[0].bias = plqb_data_add(&b, (const int32_t[]){INT32_MAX - 5354, 0}, 8);
  refuse_graph(&b, "output channel 0: |bias| + sum |w| * 255 = 2147483648 can overflow", __LINE__);
}

/* POW2 ADD: inputs and output share one scale. */
static void test_pow2_add_scale(void) {
  plqb b;
  tiny_model_graph(&b);
  b.tensors[4].scale = 1.0f / 64.0f;
  /* tensor 4 is also a concat input: its scale must match the concat output's, but op 3 comes
   * first */
  refuse_graph(&b, "op 3 (ADD): POW2 inputs and output must share one scale", __LINE__);
}

/* The arena cap: 512 KiB (the chips' data memory) for plrt_model_init, the caller's for _ex. */
static void test_arena_cap(void) {
  plrt_model m;
  plrt_error err;
  uint8_t* f = patched(40, 4, PLRT_MAX_ARENA_CHIP, 1); /* exactly the cap: accepted */
  CHECK_EQ(PLRT_MAX_ARENA_CHIP, 524288u);
  CHECK_EQ(plrt_model_init(&m, f, g_size, &err), PLRT_OK);
  CHECK_EQ(plrt_model_arena_size(&m), 524288u);
  free(f);
  f = patched(40, 4, PLRT_MAX_ARENA_CHIP + 4u, 1);
  expect_refused(f, g_size, "arena_size: 524292 bytes, more than the cap of 524288", __LINE__);
  /* The host override accepts it, and an old caller's plrt_model_init still refuses it. */
  CHECK_EQ(plrt_model_init_ex(&m, f, g_size, PLRT_MAX_ARENA_HOST, &err), PLRT_OK);
  CHECK_EQ(plrt_model_arena_size(&m), 524292u);
  CHECK_EQ(plrt_model_init_ex(&m, f, g_size, 0xFFFFFFFFu, &err), PLRT_OK);
  free(f);
  f = patched(40, 4, 0xFFFFFFF0u, 1);
  CHECK_EQ(plrt_model_init_ex(&m, f, g_size, PLRT_MAX_ARENA_HOST, &err), PLRT_ERR_MODEL);
  CHECK_CONTAINS(err.reason, "arena_size: 4294967280 bytes, more than the cap of 67108864");
  free(f);
  /* A cap below what the tiny model needs refuses the unmodified file. */
  CHECK_EQ(plrt_model_init_ex(&m, g_file, g_size, 16u, &err), PLRT_ERR_MODEL);
  CHECK_CONTAINS(err.reason, "more than the cap of 16");
}

int main(void) {
  tiny_model_graph(&g_tiny);
  g_size = plqb_write(&g_tiny, &g_file);
  test_accepts_the_tiny_model();
  test_truncating_pool_needs_version_2();
  test_arguments();
  test_header();
  test_arena_cap();
  test_sections();
  test_tensors();
  test_op_fields();
  test_ranges();
  test_arrays();
  test_shapes();
  test_overlap();
  test_dataflow();
  test_tflite();
  test_pow2_add_scale();
  free(g_file);
  plqb_free(&g_tiny);
  return check_report("verify_test");
}
