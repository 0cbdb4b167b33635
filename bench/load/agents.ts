/**
 * The agents of bench:load, in their own process: each signs in with an API token and loops — read the queue, take
 * the next case, open it, answer (X cases get a public reply through the outbox; others a note), resolve — with a
 * short think time between steps. Prints its samples and the replies it queued as one JSON line on stdout.
 */
import { Recorder } from './recorder.ts';

interface AgentsConfig {
  base: string;
  tokens: string[];
  seconds: number;
  thinkMs: [number, number];
}

const config = JSON.parse(process.env.BENCH_LOAD_CONFIG ?? '{}') as AgentsConfig;
const recorder = new Recorder();
const deadline = Date.now() + config.seconds * 1000;
let repliesQueued = 0;
let casesTaken = 0;

// Letters only, so that no reply looks like an order or phone number to the composer's personal-data check.
function marker(n: number): string {
  let out = '';
  for (let v = n + 26 * 26; v > 0; v = Math.floor(v / 26)) out = String.fromCharCode(97 + (v % 26)) + out;
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const think = () => sleep(config.thinkMs[0] + Math.random() * (config.thinkMs[1] - config.thinkMs[0]));

async function json<T>(res: Response | null): Promise<T | null> {
  if (!res?.ok) return null;
  return (await res.json()) as T;
}

async function agent(index: number, token: string): Promise<void> {
  const headers = { authorization: `Bearer ${token}` };
  const jsonHeaders = { ...headers, 'content-type': 'application/json' };
  let answered = 0;
  await sleep(Math.random() * 2_000);
  while (Date.now() < deadline) {
    await recorder.call('GET /api/v1/queue', `${config.base}/api/v1/queue?limit=25`, { headers });
    const next = await json<{ data: { id: string; channelKind: string } | null }>(
      await recorder.call('POST /api/v1/queue/next', `${config.base}/api/v1/queue/next`, { method: 'POST', headers }),
    );
    if (!next?.data) {
      await sleep(1_000);
      continue;
    }
    casesTaken += 1;
    const caseId = next.data.id;
    await think();
    await recorder.call('GET /api/v1/cases/:id', `${config.base}/api/v1/cases/${caseId}`, { headers });
    await think();
    if (next.data.channelKind === 'x') {
      answered += 1;
      const text = `Sorry about the trouble, we are on it and will update you here. Ref ${marker(index * 100_000 + answered)}`;
      const res = await recorder.call('POST /api/v1/cases/:id/replies', `${config.base}/api/v1/cases/${caseId}/replies`, {
        method: 'POST', headers: jsonHeaders, body: JSON.stringify({ text }),
      });
      if (res?.status === 201) repliesQueued += 1;
    } else {
      await recorder.call('POST /api/v1/cases/:id/notes', `${config.base}/api/v1/cases/${caseId}/notes`, {
        method: 'POST', headers: jsonHeaders, body: JSON.stringify({ body: 'Checked the account; following up by phone.' }),
      });
    }
    await recorder.call('PATCH /api/v1/cases/:id', `${config.base}/api/v1/cases/${caseId}`, {
      method: 'PATCH', headers: jsonHeaders, body: JSON.stringify({ status: 'resolved' }),
    });
    await think();
  }
}

await Promise.all(config.tokens.map((token, i) => agent(i, token)));
process.stdout.write(`${JSON.stringify({ repliesQueued, casesTaken, samples: recorder.samples })}\n`);
