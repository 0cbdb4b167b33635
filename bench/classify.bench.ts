// Messages per second through every classifier head on one thread. Texts: TweetEval val + the complaints corpus,
// cycled for a fixed time. Reports wall-clock and CPU-time rates: on a shared machine the CPU-time figure is the
// steadier one. Ends with one JSON line.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { loadComplaints, loadTweetEvalSentiment } from '../src/features/classification/datasets.loader.ts';
import { loadModels } from '../src/features/classification/model.store.ts';
import { createClassifier } from '../src/features/classification/trained.classifier.ts';

const durationMs = Number(process.env.BENCH_MS ?? 5000);
const explain = process.env.BENCH_EXPLAIN === '1';

const loadStart = performance.now();
const classifier = createClassifier({ models: loadModels() });
const loadMs = performance.now() - loadStart;

const texts = [...loadTweetEvalSentiment('val').map((e) => e.text), ...loadComplaints().map((e) => e.text)];
// Explanations are computed when read, so the explain mode reads them (as an agent's view or `--explain` would).
let sink = 0;
const run = (text: string) => {
  const labels = classifier.classify(text, { explain });
  sink += explain ? labels.explanation.complaint.length : labels.topics.length;
};
for (const text of texts) run(text);

let count = 0;
const cpuStart = process.cpuUsage();
const start = performance.now();
while (performance.now() - start < durationMs) {
  for (const text of texts) run(text);
  count += texts.length;
}
const wallSeconds = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpuStart);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;

console.log(JSON.stringify({
  bench: 'classify',
  msgsPerSec: Math.round(count / wallSeconds),
  msgsPerCpuSec: Math.round(count / cpuSeconds),
  messages: count,
  explain,
  loadMs: Math.round(loadMs),
  modelVersion: classifier.version,
  node: process.version,
  cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
  cores: os.cpus().length,
  loadAverage: os.loadavg().map((x) => Number(x.toFixed(2))),
  sink,
}));
