#!/usr/bin/env node
/*
** run_ort.mjs — the ONNX Runtime contender of wasitorch's model benchmark.
**
**   node bench/ort/run_ort.mjs --model M.onnx --input IN.bin --shape 1,3,224,224
**        [--threads N] [--output OUT.bin] [--reference REF.bin]
**        [--repeat N] [--warmup N] [--include-first]
**
** Mirrors tools/native/wt-native-ref's interface and report lines so the
** harness (bench/models.py) parses every contender the same way:
**   "model ...: load wall X ms, cpu Y ms"
**   "inference (N runs, W warmup, threads T): wall median .. p90 ..; cpu median .. p90 .."
**   "max abs diff D vs REF.bin"
** One inference always runs first (its output is what --output writes);
** --include-first counts it among the --repeat timed runs, as the Wasm
** classify guest's --repeat does. CPU time is the whole process's
** (process.cpuUsage), like CLOCK_PROCESS_CPUTIME_ID in the C++ runner.
** onnxruntime-node is installed by bench/run.sh into bench/ort/node_modules.
*/
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import process from 'node:process';

const USAGE = 'usage: run_ort.mjs --model M.onnx --input IN.bin --shape D0,D1,... [--threads N]\n' +
  '          [--output OUT.bin] [--reference REF.bin] [--repeat N] [--warmup N] [--include-first]\n';

/* Parses argv into an options object; exits 2 with usage on bad input. */
function parseArgs(argv) {
  const o = { threads: 0, repeat: 0, warmup: 0, includeFirst: false };
  const fail = (msg) => { process.stderr.write(`run_ort: ${msg}\n${USAGE}`); process.exit(2); };
  const count = (k, v) => {
    if (!/^\d+$/.test(v ?? '')) fail(`${k} wants a count, not '${v}'`);
    return Number(v);
  };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    if (k === '--help' || k === '-h') { process.stdout.write(USAGE); process.exit(0); }
    if (k === '--include-first') { o.includeFirst = true; continue; }
    const v = argv[++i];
    if (v === undefined) fail(`${k} needs a value`);
    switch (k) {
      case '--model': o.model = v; break;
      case '--input': o.input = v; break;
      case '--output': o.output = v; break;
      case '--reference': o.reference = v; break;
      case '--shape': o.shape = v.split(',').map((d) => count('--shape', d)); break;
      case '--threads': o.threads = count(k, v); break;
      case '--repeat': o.repeat = count(k, v); break;
      case '--warmup': o.warmup = count(k, v); break;
      default: fail(`unknown option '${k}'`);
    }
  }
  if (!o.model || !o.input || !o.shape) fail('--model, --input and --shape are required');
  return o;
}

const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

/* Nearest-rank percentile on a sorted copy, the C++ runner's definition. */
function percentile(values, p) {
  const v = [...values].sort((a, b) => a - b);
  return v[Math.min(v.length - 1, Math.round(p * (v.length - 1)))];
}

/* Raw little-endian f32 file → Float32Array of exactly `count` elements. */
function readF32(path, count) {
  const buf = readFileSync(path);
  if (count !== undefined && buf.length !== count * 4) {
    throw new Error(`${path} has ${buf.length} bytes, shape needs ${count * 4}`);
  }
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length));
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  let ort;
  try {
    ort = (await import('onnxruntime-node')).default;
  } catch (e) {
    process.stderr.write(`run_ort: onnxruntime-node is not installed (bench/run.sh installs it): ${e.message}\n`);
    process.exit(1);
  }
  const elems = o.shape.reduce((a, b) => a * b, 1);
  const input = new ort.Tensor('float32', readF32(o.input, elems), o.shape);
  const opts = { executionProviders: ['cpu'], graphOptimizationLevel: 'all', executionMode: 'sequential',
    interOpNumThreads: 1 };
  if (o.threads > 0) opts.intraOpNumThreads = o.threads;

  let w0 = performance.now(), c0 = cpuMs();
  const session = await ort.InferenceSession.create(o.model, opts);
  const loadWall = performance.now() - w0, loadCpu = cpuMs() - c0;
  const feeds = { [session.inputNames[0]]: input };
  const wall = [], cpu = [];
  w0 = performance.now(); c0 = cpuMs();
  const first = await session.run(feeds);
  if (o.includeFirst && o.repeat > 0) { wall.push(performance.now() - w0); cpu.push(cpuMs() - c0); }
  const out = first[session.outputNames[0]].data;
  if (o.output) {
    writeFileSync(o.output, Buffer.from(out.buffer, out.byteOffset, out.byteLength));
    process.stderr.write(`wrote ${o.output} (${out.byteLength} bytes, dtype ${first[session.outputNames[0]].type})\n`);
  }
  if (o.reference) {
    const ref = readF32(o.reference, out.length);
    let d = 0;
    for (let i = 0; i < out.length; i++) d = Math.max(d, Math.abs(out[i] - ref[i]));
    process.stdout.write(`max abs diff ${d.toExponential(3)} vs ${o.reference}\n`);
  }
  if (o.repeat === 0) return;
  for (let i = 0; i < o.warmup; i++) await session.run(feeds);
  while (wall.length < o.repeat) {
    w0 = performance.now(); c0 = cpuMs();
    await session.run(feeds);
    wall.push(performance.now() - w0); cpu.push(cpuMs() - c0);
  }
  process.stdout.write(`model ${o.model} (onnxruntime ${ort.env.versions?.common ?? ''}): ` +
    `load wall ${loadWall.toFixed(3)} ms, cpu ${loadCpu.toFixed(3)} ms\n`);
  process.stdout.write(`inference (${o.repeat} runs, ${o.warmup} warmup, threads ${o.threads}): ` +
    `wall median ${percentile(wall, 0.5).toFixed(3)} ms p90 ${percentile(wall, 0.9).toFixed(3)} ms; ` +
    `cpu median ${percentile(cpu, 0.5).toFixed(3)} ms p90 ${percentile(cpu, 0.9).toFixed(3)} ms\n`);
}

main().catch((e) => { process.stderr.write(`run_ort: ${e.message}\n`); process.exit(1); });
