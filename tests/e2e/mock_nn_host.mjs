// mock_nn_host.mjs — an independent, minimal wasi_ephemeral_nn host on
// Node's WASI, used to test guests (SDK + classify) without our runtime.
//
//   node mock_nn_host.mjs RECORD.json GUEST.wasm [--dir HOST:GUEST]... -- ARGS...
//
// It decodes every call strictly by the ABI (tensor fields by byte offset,
// only byte 8 of the type word, bounds on every pointer) and answers with a
// deterministic "model": output j = 10 * mean(input[150j .. 150j+150)) as
// 1000 f32. Named model: "mobilenet". `load` accepts one builder of
// non-empty bytes. get_output answers too_large with the required size when
// the buffer is short. What it saw (input bytes, output bytes, call counts,
// loaded-bytes length/checksum) goes to RECORD.json for the checker.
// ABI violations print "mock: ABI violation: ..." and exit 99.
import { readFileSync, writeFileSync } from 'node:fs';
import { WASI } from 'node:wasi';
import { createHash } from 'node:crypto';

const E = { success: 0, invalid_argument: 1, runtime_error: 5, too_large: 7, not_found: 8 };
const argv = process.argv.slice(2);
const recordPath = argv.shift();
const wasmPath = argv.shift();
const preopens = {};
while (argv.length && argv[0] !== '--') {
  const flag = argv.shift();
  if (flag !== '--dir') throw new Error(`unknown flag ${flag}`);
  const [host, guest] = argv.shift().split(':');
  preopens[guest || host] = host;
}
argv.shift(); // the '--'

const rec = { calls: {}, input: null, output: null, loaded: null, input_dims: null };
let memory = null;
const graphs = [];  // graph id -> name
const ctxs = [];    // ctx id -> { input: Float32Array|null, output: Buffer|null }

function count(name) { rec.calls[name] = (rec.calls[name] || 0) + 1; }
function violation(msg) {
  console.error(`mock: ABI violation: ${msg}`);
  process.exit(99);
}
// Bounds-checked view of guest memory [ptr, ptr+len).
function span(ptr, len) {
  const buf = memory.buffer;
  if (ptr < 0 || len < 0 || ptr + len > buf.byteLength) violation(`span ${ptr}+${len} out of memory`);
  return new Uint8Array(buf, ptr, len);
}
function u32(ptr) { return new DataView(span(ptr, 4).slice().buffer).getUint32(0, true); }
function putU32(ptr, v) { new DataView(memory.buffer).setUint32(span(ptr, 4).byteOffset, v, true); }

function compute(input) {
  const out = new Float32Array(1000);
  for (let j = 0; j < 1000; j++) {
    let s = 0;
    for (let i = 0; i < 150; i++) s = Math.fround(s + input[j * 150 + i]);
    out[j] = Math.fround(Math.fround(s / 150) * 10);
  }
  return Buffer.from(out.buffer);
}

const nn = {
  load(bptr, blen, enc, target, outp) {
    count('load');
    if (blen !== 1 || enc !== 3 || target !== 0) return E.invalid_argument;
    const p = u32(bptr), n = u32(bptr + 4);
    if (n === 0) return E.invalid_argument;
    const bytes = span(p, n);
    rec.loaded = { len: n, sha256: createHash('sha256').update(bytes).digest('hex') };
    graphs.push('bytes');
    putU32(outp, graphs.length - 1);
    return E.success;
  },
  load_by_name(nptr, nlen, outp) {
    count('load_by_name');
    const name = Buffer.from(span(nptr, nlen)).toString('utf8');
    if (name.includes('\0')) violation('name contains NUL');
    if (name !== 'mobilenet') return E.not_found;
    graphs.push(name);
    putU32(outp, graphs.length - 1);
    return E.success;
  },
  init_execution_context(g, outp) {
    count('init_execution_context');
    if (g >= graphs.length) return E.invalid_argument;
    ctxs.push({ input: null, output: null });
    putU32(outp, ctxs.length - 1);
    return E.success;
  },
  set_input(c, index, tptr) {
    count('set_input');
    if (c >= ctxs.length || index !== 0) return E.invalid_argument;
    if (tptr % 4) violation('tensor not 4-aligned');
    const t = span(tptr, 20).slice();
    const dv = new DataView(t.buffer);
    const dimsPtr = dv.getUint32(0, true), ndims = dv.getUint32(4, true);
    const type = t[8], dataPtr = dv.getUint32(12, true), dataLen = dv.getUint32(16, true);
    const dims = [];
    for (let i = 0; i < ndims; i++) dims.push(u32(dimsPtr + 4 * i));
    if (type !== 1) return E.invalid_argument;
    if (dims.join(',') !== '1,3,224,224') return E.invalid_argument;
    if (dataLen !== 602112) violation(`data_len ${dataLen} != product(dims)*4`);
    const bytes = span(dataPtr, dataLen).slice();
    rec.input_dims = dims;
    rec.input = Buffer.from(bytes).toString('base64');
    ctxs[c].input = new Float32Array(bytes.buffer);
    ctxs[c].output = null;
    return E.success;
  },
  compute(c) {
    count('compute');
    if (c >= ctxs.length || !ctxs[c].input) return E.runtime_error;
    ctxs[c].output = compute(ctxs[c].input);
    rec.output = ctxs[c].output.toString('base64');
    return E.success;
  },
  get_output(c, index, bptr, bmax, outp) {
    count('get_output');
    if (c >= ctxs.length || !ctxs[c].output || index !== 0) return E.invalid_argument;
    const out = ctxs[c].output;
    if (bmax < out.length) { putU32(outp, out.length); count('get_output_too_large'); return E.too_large; }
    span(bptr, out.length).set(out);
    putU32(outp, out.length);
    return E.success;
  },
};

const wasi = new WASI({ version: 'preview1', args: ['guest', ...argv], env: {}, preopens, returnOnExit: true });
const module = await WebAssembly.compile(readFileSync(wasmPath));
for (const imp of WebAssembly.Module.imports(module)) {
  if (imp.module === 'wasi_ephemeral_nn' && !(imp.name in nn)) violation(`unexpected import ${imp.name}`);
}
const instance = await WebAssembly.instantiate(module, {
  wasi_snapshot_preview1: wasi.wasiImport, wasi_ephemeral_nn: nn,
});
memory = instance.exports.memory;
const rc = wasi.start(instance);
writeFileSync(recordPath, JSON.stringify(rec));
process.exitCode = rc;
