// ONNX Runtime (npm onnxruntime-node) latency of one model on single windows: one intra-op
// thread, sequential execution, graph optimisation "all"; a warm-up, then timed runs of one
// window each; prints one JSON line with the median (and p10 / p90) microseconds per window.
//
//   node bench/peers/ort_latency.js MODEL.onnx [--warmup 50] [--runs 500] [--io DIR]
//        [--optimized-model FILE.onnx]
//
// --io DIR first runs every window once: each model input NAME is read from DIR/NAME.bin (raw
// windows of the input's type and shape, back to back), each output is written to DIR/NAME.bin
// the same way. That is the check that the timed model computes what plq.py does
// (bench/run_runtime.sh writes the inputs and compares the outputs). Timed runs reuse the
// first window (zeros without --io).
// --optimized-model saves the graph as ONNX Runtime rewrote it (which QDQ groups it fused).
// The package is loaded from ${PHYSIOLITE_NPM_CACHE:-$HOME/.cache/physiolite-npm}/node_modules
// (bench/run_runtime.sh installs it there with `npm install --ignore-scripts`).
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

const cache =
    process.env.PHYSIOLITE_NPM_CACHE || path.join(os.homedir(), '.cache', 'physiolite-npm');
const ort = require(path.join(cache, 'node_modules', 'onnxruntime-node'));

const ARRAYS = {float32: Float32Array, int8: Int8Array, uint8: Uint8Array};
const USAGE = 'usage: ort_latency.js MODEL.onnx [--warmup N] [--runs N] [--io DIR] ' +
    '[--optimized-model FILE.onnx]';

class UsageError extends Error {}

function parseArgs(argv) {
  if (argv.length < 1 || argv[0].startsWith('--')) throw new UsageError(USAGE);
  const opts = {model: argv[0], warmup: 50, runs: 500};
  const keys = {'--warmup': 'warmup', '--runs': 'runs', '--io': 'io',
                '--optimized-model': 'optimizedModel'};
  for (let i = 1; i < argv.length; i += 2) {
    const key = keys[argv[i]];
    if (!key || argv[i + 1] === undefined) throw new UsageError(`bad option ${argv[i]}\n${USAGE}`);
    opts[key] = ['warmup', 'runs'].includes(key) ? Number(argv[i + 1]) : argv[i + 1];
  }
  if (!(opts.runs >= 1) || !(opts.warmup >= 0)) throw new UsageError('--runs >= 1, --warmup >= 0');
  return opts;
}

function tensorOf(meta, data) {
  return new ort.Tensor(meta.type, data, meta.shape.map(Number));
}

function windowSize(meta) {
  return meta.shape.map(Number).reduce((a, b) => a * b, 1);
}

// Runs every window of DIR/<input>.bin; writes DIR/<output>.bin; returns the first window's feeds.
async function runFiles(session, dir) {
  const inputs = session.inputMetadata.map((meta) => {
    const bytes = fs.readFileSync(path.join(dir, `${meta.name}.bin`));
    const TypedArray = ARRAYS[meta.type];
    if (!TypedArray) throw new Error(`input ${meta.name}: type ${meta.type} not supported`);
    const all = new TypedArray(
        bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    return {meta, all, windows: all.length / windowSize(meta)};
  });
  const windows = inputs[0].windows;
  if (inputs.some((x) => x.windows !== windows || !Number.isInteger(x.windows))) {
    throw new Error(`${dir}: input files do not hold the same whole number of windows`);
  }
  const outputs = Object.fromEntries(session.outputNames.map((name) => [name, []]));
  let first = null;
  for (let w = 0; w < windows; ++w) {
    const feeds = Object.fromEntries(inputs.map(({meta, all}) => {
      const n = windowSize(meta);
      return [meta.name, tensorOf(meta, all.slice(w * n, (w + 1) * n))];
    }));
    first = first || feeds;
    const result = await session.run(feeds);
    for (const name of session.outputNames) {
      const y = result[name].data;
      outputs[name].push(Buffer.from(y.buffer, y.byteOffset, y.byteLength));
    }
  }
  for (const [name, parts] of Object.entries(outputs)) {
    fs.writeFileSync(path.join(dir, `${name}.bin`), Buffer.concat(parts));
  }
  return first;
}

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const sessionOptions = {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  };
  if (opts.optimizedModel) sessionOptions.optimizedModelFilePath = opts.optimizedModel;
  const session = await ort.InferenceSession.create(opts.model, sessionOptions);
  let feeds = opts.io ? await runFiles(session, opts.io) : null;
  feeds = feeds || Object.fromEntries(session.inputMetadata.map(
      (meta) => [meta.name, tensorOf(meta, new ARRAYS[meta.type](windowSize(meta)))]));
  for (let i = 0; i < opts.warmup; ++i) await session.run(feeds);
  const us = [];
  for (let i = 0; i < opts.runs; ++i) {
    const begin = process.hrtime.bigint();
    await session.run(feeds);
    us.push(Number(process.hrtime.bigint() - begin) / 1e3);
  }
  us.sort((a, b) => a - b);
  const version = require(path.join(cache, 'node_modules', 'onnxruntime-node', 'package.json'));
  console.log(JSON.stringify({
    model: opts.model,
    onnxruntime: version.version,
    threads: 1,
    graph_optimization: 'all',
    warmup: opts.warmup,
    runs: opts.runs,
    median_us: quantile(us, 0.5),
    p10_us: quantile(us, 0.1),
    p90_us: quantile(us, 0.9),
  }));
}

main().catch((e) => {
  console.error(`ort_latency.js: ${e.message}`);
  process.exit(e instanceof UsageError ? 2 : 3);
});
