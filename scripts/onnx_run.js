// Runs an ONNX export (physiolite export --target onnx) with ONNX Runtime (npm onnxruntime-node,
// from ${PHYSIOLITE_NPM_CACHE:-~/.cache/physiolite-npm}, scripts/install_npm_peers.sh) on a raw
// int8 file of windows and writes the int8 outputs:
//   node scripts/onnx_run.js MODEL.onnx IN.bin N OUT.bin
// IN.bin: N windows of the model's input "input" (int8 [1, C, L] each, back to back);
// OUT.bin: N outputs "logits" (int8 [1, K, 1] each). One intra-op thread. The input shape comes
// from ONNX_INPUT_SHAPE (JSON, e.g. [1,3,8]).
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

const cache =
    process.env.PHYSIOLITE_NPM_CACHE || path.join(os.homedir(), '.cache', 'physiolite-npm');
const ort = require(path.join(cache, 'node_modules', 'onnxruntime-node'));

async function main() {
  const [model, input, count, output] = process.argv.slice(2);
  if (!output) {
    console.error('usage: onnx_run.js MODEL.onnx IN.bin N OUT.bin');
    process.exit(2);
  }
  const session = await ort.InferenceSession.create(
      model, {intraOpNumThreads: 1, executionMode: 'sequential'});
  const bytes = new Int8Array(fs.readFileSync(input).buffer.slice(0));
  const n = Number(count);
  const per = bytes.length / n;
  const outs = [];
  for (let i = 0; i < n; ++i) {
    const x = bytes.slice(i * per, (i + 1) * per);
    // The window's shape: [1, C, L] with C * L = per; C from the model's first Conv input.
    const feeds = {input: new ort.Tensor('int8', x, JSON.parse(process.env.ONNX_INPUT_SHAPE))};
    const r = await session.run(feeds);
    outs.push(Buffer.from(r.logits.data.buffer, r.logits.data.byteOffset, r.logits.data.length));
  }
  fs.writeFileSync(output, Buffer.concat(outs));
}

main().catch((e) => {
  console.error(`onnx_run.js: ${e.message}`);
  process.exit(1);
});
