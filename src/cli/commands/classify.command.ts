import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { createClassifier } from '../../features/classification/index.ts';
import type { Classifier, Labels } from '../../features/classification/index.ts';

const topicsFileSchema = z.array(z.object({ id: z.string().min(1), seeds: z.array(z.string().min(1)).min(1) }));

interface ClassifyFlags {
  jsonl?: boolean;
  explain?: boolean;
  topics?: string;
}

// Fields are copied by name: destructuring or spreading `labels` would read `explanation`, which the classifier
// computes only when it is read.
function present(labels: Labels, explain: boolean, id: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {
    complaint: labels.complaint,
    complaintScore: labels.complaintScore,
    sentiment: labels.sentiment,
    sentimentScores: labels.sentimentScores,
    intent: labels.intent,
    topics: labels.topics,
    urgency: labels.urgency,
    urgencySignals: labels.urgencySignals,
    lang: labels.lang,
    modelVersion: labels.modelVersion,
  };
  if (explain) out.explanation = labels.explanation;
  return id === undefined ? out : { id, ...out };
}

function errorLine(code: string, message: string): string {
  return JSON.stringify({ error: { code, message } });
}

/** One output line for one input line. Never throws: an odd line becomes an error object, not a stopped stream. */
export function classifyLine(classifier: Classifier, line: string, flags: { jsonl: boolean; explain: boolean }): string {
  try {
    if (!flags.jsonl || line.trim() === '') return JSON.stringify(present(classifier.classify(line, { explain: flags.explain }), flags.explain, undefined));
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return errorLine('invalid_json', 'line is not valid JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || !('text' in parsed) || typeof parsed.text !== 'string') {
      return errorLine('missing_text', 'expected an object with a string "text" field');
    }
    const id = 'id' in parsed ? parsed.id : undefined;
    return JSON.stringify(present(classifier.classify(parsed.text, { explain: flags.explain }), flags.explain, id));
  } catch (error) {
    return errorLine('classify_failed', error instanceof Error ? error.message : String(error));
  }
}

async function write(chunk: string): Promise<void> {
  if (!process.stdout.write(chunk)) await new Promise<void>((resolve) => process.stdout.once('drain', resolve));
}

// Lines are split on raw bytes and decoded one by one, so a non-UTF-8 line turns into U+FFFD characters without
// corrupting its neighbours; output is flushed in ~64 KB writes with backpressure.
async function classifyStream(classifier: Classifier, flags: { jsonl: boolean; explain: boolean }): Promise<void> {
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let pending: Buffer[] = [];
  let out = '';
  const handle = async (bytes: Buffer) => {
    let line = decoder.decode(bytes);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    out += `${classifyLine(classifier, line, flags)}\n`;
    if (out.length > 65_536) { await write(out); out = ''; }
  };
  for await (const chunk of process.stdin) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    let start = 0;
    let newline = buffer.indexOf(0x0a, start);
    while (newline !== -1) {
      const piece = buffer.subarray(start, newline);
      await handle(pending.length > 0 ? Buffer.concat([...pending, piece]) : piece);
      pending = [];
      start = newline + 1;
      newline = buffer.indexOf(0x0a, start);
    }
    if (start < buffer.length) pending.push(buffer.subarray(start));
  }
  if (pending.length > 0) await handle(Buffer.concat(pending));
  if (out) await write(out);
}

export function registerClassifyCommand(program: Command): void {
  program
    .command('classify')
    .description('label messages from stdin: one text per line (or JSONL with a "text" field), one JSON object per line out')
    .option('--jsonl', 'input lines are JSON objects with a "text" field (an "id" is echoed back)')
    .option('--explain', 'include the features behind each decision')
    .option('--topics <file>', 'JSON file of extra topics: [{"id": "...", "seeds": ["term", "phrase", "prefix*"]}]')
    .action(async (flags: ClassifyFlags) => {
      const extraTopics = flags.topics ? topicsFileSchema.parse(JSON.parse(readFileSync(flags.topics, 'utf8'))) : undefined;
      const classifier = createClassifier({ extraTopics });
      await classifyStream(classifier, { jsonl: flags.jsonl === true, explain: flags.explain === true });
    });
}
