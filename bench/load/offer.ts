/**
 * One inbound-load process of bench:load: offers `rate` messages/s for `seconds`, open loop (sent on schedule, not
 * after the previous answer), round-robin over the API channel and the X, Facebook and Twilio webhooks, each signed
 * as the platform signs it. Writes the externally visible ids of every accepted message to `acceptedFile` and its
 * samples as one JSON line on stdout.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { Recorder } from './recorder.ts';

export interface OfferConfig {
  base: string;
  worker: number;
  rate: number;
  seconds: number;
  acceptedFile: string;
  maxInFlight: number;
  api: { id: string; token: string };
  x: { id: string; consumerSecret: string; firstTweetId: string };
  facebook: { id: string; appSecret: string; pageId: string };
  phone: { id: string; authToken: string };
}

const config = JSON.parse(process.env.BENCH_LOAD_CONFIG ?? '{}') as OfferConfig;
const recorder = new Recorder();
const accepted: string[] = [];
const texts = [
  'no signal at all since this morning, is there an outage?',
  'charged twice for my plan this month, please refund',
  'third dropped call today, this is ridiculous',
  'how do I move my contract to a new address?',
  'still waiting for the engineer, day four without internet',
];

// Display names as varied as real ones (identity linking compares them across platforms).
const firstNames = ['Ana', 'Ben', 'Chloe', 'Dev', 'Elif', 'Femi', 'Grace', 'Hiro', 'Ines', 'Jonas', 'Kemi', 'Liam', 'Maya', 'Noor', 'Omar', 'Priya', 'Quinn', 'Rosa', 'Sam', 'Tariq', 'Uma', 'Viktor', 'Wen', 'Yara', 'Zoe'];
const lastNames = ['Abbott', 'Baker', 'Chen', 'Diaz', 'Evans', 'Fischer', 'Gupta', 'Hughes', 'Ivanova', 'Jones', 'Khan', 'Lopez', 'Murphy', 'Nakamura', 'Okafor', 'Patel', 'Quint', 'Rossi', 'Smith', 'Tanaka', 'Usman', 'Virtanen', 'Walsh', 'Xu', 'Young', 'Zielinski', 'Moreau', 'Novak', 'Olsen', 'Park', 'Reyes', 'Silva', 'Torres', 'Weber', 'Yilmaz', 'Kowalski', 'Andersen', 'Boyle', 'Costa', 'Dubois'];
const nameOf = (n: number) => `${firstNames[n % firstNames.length]} ${lastNames[Math.floor(n / firstNames.length) % lastNames.length]}`;

const hmac = (algorithm: string, key: string, data: string, encoding: 'base64' | 'hex') => crypto.createHmac(algorithm, key).update(data).digest(encoding);

/** X tweet ids of this worker: consecutive from its first id, so bench:load can register them with the fake X API. */
function xTweetId(first: string, seq: number): string {
  return (BigInt(first) + BigInt(seq)).toString();
}

async function offerOne(seq: number): Promise<void> {
  const customer = `${config.worker}${seq % 2_000}`;
  const text = `${texts[seq % texts.length]} (#${config.worker}-${seq})`;
  const now = Date.now();
  switch (seq % 4) {
    case 0: {
      const externalId = `api-${config.worker}-${seq}`;
      const res = await recorder.call('POST /api/v1/channels/:id/messages', `${config.base}/api/v1/channels/${config.api.id}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${config.api.token}` },
        body: JSON.stringify({ externalId, text, author: { externalId: `api-cust-${customer}`, handle: `api_customer_${customer}`, displayName: nameOf((seq % 2_000) + 3) } }),
      });
      if (res?.ok) accepted.push(`api\t${externalId}`);
      return;
    }
    case 1: {
      const id = xTweetId(config.x.firstTweetId, seq);
      const body = JSON.stringify({
        for_user_id: '900000000000000001',
        tweet_create_events: [{ id_str: id, text: `@acme ${text}`, timestamp_ms: String(now), user: { id_str: `5${customer}`, screen_name: `x_customer_${customer}`, name: nameOf(seq % 2_000), followers_count: seq % 5_000 } }],
      });
      const res = await recorder.call('POST /webhooks/x/:channelId', `${config.base}/webhooks/x/${config.x.id}`, {
        method: 'POST', body, headers: { 'content-type': 'application/json', 'x-twitter-webhooks-signature': `sha256=${hmac('sha256', config.x.consumerSecret, body, 'base64')}` },
      });
      if (res?.ok) accepted.push(`x\t${id}`);
      return;
    }
    case 2: {
      const pageId = config.facebook.pageId;
      const commentId = `${config.worker}${seq}_${seq}`;
      const seconds = Math.floor(now / 1000);
      const body = JSON.stringify({
        object: 'page',
        entry: [{ id: pageId, time: seconds, changes: [{ field: 'feed', value: {
          item: 'comment', verb: 'add', comment_id: commentId, post_id: `${pageId}_1`, parent_id: `${pageId}_1`,
          from: { id: `6${customer}`, name: nameOf((seq % 2_000) + 7) }, created_time: seconds, message: text,
        } }] }],
      });
      const res = await recorder.call('POST /webhooks/facebook/:channelId', `${config.base}/webhooks/facebook/${config.facebook.id}`, {
        method: 'POST', body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${hmac('sha256', config.facebook.appSecret, body, 'hex')}` },
      });
      if (res?.ok) accepted.push(`facebook\t${commentId}`);
      return;
    }
    default: {
      const callSid = `CA${crypto.createHash('md5').update(`${config.worker}-${seq}`).digest('hex')}`;
      const params: Record<string, string> = {
        CallSid: callSid, AccountSid: 'AC00000000000000000000000000000000', From: `+4420794${String(seq % 100_000).padStart(5, '0')}`,
        To: '+442071234567', CallStatus: 'completed', CallDuration: '95', Direction: 'inbound',
      };
      const path = `/webhooks/twilio/${config.phone.id}/status`;
      const signed = `${config.base}${path}${Object.keys(params).sort().map((k) => k + params[k]).join('')}`;
      const res = await recorder.call('POST /webhooks/twilio/:channelId/status', `${config.base}${path}`, {
        method: 'POST', body: new URLSearchParams(params).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': hmac('sha1', config.phone.authToken, signed, 'base64') },
      });
      if (res?.ok) accepted.push(`phone\t${callSid}`);
    }
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const total = Math.round(config.rate * config.seconds);
  let sent = 0;
  let inFlight = 0;
  let delayed = 0;
  const pending = new Set<Promise<void>>();
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * config.rate));
    while (sent < due) {
      if (inFlight >= config.maxInFlight) {
        delayed += 1;
        await Promise.race(pending);
        continue;
      }
      inFlight += 1;
      const p: Promise<void> = offerOne(sent++).finally(() => {
        inFlight -= 1;
        pending.delete(p);
      });
      pending.add(p);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  await Promise.all(pending);
  fs.writeFileSync(config.acceptedFile, accepted.join('\n'));
  process.stdout.write(`${JSON.stringify({ offered: sent, delayedByInFlightCap: delayed, seconds: (performance.now() - started) / 1000, samples: recorder.samples })}\n`);
}

await main();
