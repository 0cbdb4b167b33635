/**
 * One simulated day of bench:fairness through Parley's real code: every message goes through the ingest pipeline
 * (classification, identity, threading, openCase / applyInboundToCase), agents pull work with takeNextCase (the
 * `POST /api/v1/queue/next` code), and their answers go back through the pipeline as outbound messages
 * (applyOutboundToCase). Time is a simulated clock; each pass has a workspace of its own in an in-memory PGlite.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../../src/platform/db/db.ts';
import { openDatabase } from '../../src/platform/db/db.ts';
import { migrate } from '../../src/platform/db/migrate.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { createWorkspace } from '../../src/features/accounts/index.ts';
import type { Principal } from '../../src/features/accounts/index.ts';
import { createChannel } from '../../src/features/channels/index.ts';
import type { Classifier } from '../../src/features/classification/index.ts';
import { createEventNotifier } from '../../src/features/events/index.ts';
import { ingestMessage, inboundMessageSchema } from '../../src/features/ingest/index.ts';
import type { IngestChannel, IngestDeps } from '../../src/features/ingest/index.ts';
import { putCasePolicy, takeNextCase } from '../../src/features/cases/index.ts';
import type { PriorityPolicy } from '../../src/features/cases/index.ts';
import { composeMinutes, dayStart, followUpAfterMinutes, followUpText, minute, mulberry32 } from './traffic.ts';
import type { Contact, Copy, Kind } from './traffic.ts';

/** A migrated, empty database: every worker process starts from it. */
export async function buildSnapshot(): Promise<Blob> {
  const db = await openDatabase({ dataDir: 'memory://' });
  try {
    await migrate(db);
    if (!db.snapshot) throw new Error('the embedded database cannot take snapshots');
    return await db.snapshot();
  } finally {
    await db.close();
  }
}

interface BenchWorkspace {
  workspaceId: string;
  admin: Principal;
  agents: Principal[];
  channels: Record<Kind, IngestChannel>;
}

/**
 * A fresh workspace for one pass: its admin, its agents and one owned channel of each kind. The users never sign
 * in, so they are inserted without a password: createUser's argon2id hash costs about half a CPU-second per user —
 * 4 s for the 8 agents of a replay that spends 9 s on everything the bench measures, 20 s for a head-to-head team.
 */
async function createBenchWorkspace(db: Db, agentCount: number): Promise<BenchWorkspace> {
  const workspace = await createWorkspace(db, { slug: `fairness-${randomBytes(4).toString('hex')}`, name: 'Fairness bench' });
  const user = async (email: string, role: 'admin' | 'agent'): Promise<Principal> => {
    const id = randomUUID();
    await db.query(`INSERT INTO app_user (workspace_id, id, email, name, role) VALUES ($1, $2, $3, $3, $4)`, [workspace.id, id, email, role]);
    return { workspaceId: workspace.id, userId: id, role, via: 'token' };
  };
  const admin = await user('admin@fairness.example', 'admin');
  const agents: Principal[] = [];
  for (let i = 0; i < agentCount; i += 1) agents.push(await user(`agent${i}@fairness.example`, 'agent'));
  const channel = async (kind: Kind): Promise<IngestChannel> => {
    const { channel: created } = await createChannel(db, randomBytes(32), { workspaceId: workspace.id, kind, name: kind, owned: true });
    return { workspaceId: workspace.id, id: created.id, kind, owned: true };
  };
  const channels = { phone: await channel('phone'), email: await channel('email'), x: await channel('x'), bluesky: await channel('bluesky'), facebook: await channel('facebook') };
  return { workspaceId: workspace.id, admin, agents, channels };
}

export interface PassInput {
  policy: PriorityPolicy;
  contacts: Contact[];
  copies: Copy[];
  agents: number;
  /** Seeds the order in which simultaneous copies of a contact are ingested. */
  seed: number;
}

type SimEvent =
  | { at: number; type: 'arrival' | 'follow-up'; copy: number }
  | { at: number; type: 'reply'; copy: number; agent: number }
  | { at: number; type: 'agent-free'; agent: number };

/** A binary heap of events by time, then by insertion order. */
class EventQueue {
  private heap: { event: SimEvent; seq: number }[] = [];
  private seq = 0;
  push(event: SimEvent): void {
    const h = this.heap;
    h.push({ event, seq: this.seq++ });
    for (let i = h.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!before(h[i], h[parent])) break;
      [h[i], h[parent]] = [h[parent], h[i]];
      i = parent;
    }
  }
  peek(): SimEvent | undefined {
    return this.heap[0]?.event;
  }
  pop(): SimEvent | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l], h[m])) m = l;
        if (r < h.length && before(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top?.event;
  }
}

function before(a: { event: SimEvent; seq: number }, b: { event: SimEvent; seq: number }): boolean {
  return a.event.at < b.event.at || (a.event.at === b.event.at && a.seq < b.seq);
}

/**
 * Serves one day under one priority policy, in a fresh workspace of `db`. Returns each copy's first-response time in
 * minutes (from its first message to the brand's first answer, as stored on the case).
 */
export async function runPass(db: Db, classifier: Classifier, input: PassInput): Promise<number[]> {
  const { contacts, copies } = input;
  const clock = fixedClock(new Date(dayStart));
  const deps: IngestDeps = {
    db, clock, classifier, notifier: createEventNotifier(), threadWindowHours: 72,
    matcher: { match: () => ({ pass: true, matchedRuleIds: [] }) },
  };
  const { workspaceId: ws, admin, agents, channels } = await createBenchWorkspace(db, input.agents);
  await putCasePolicy(db, admin, 'priority', input.policy);
  const channelOf = (kind: Kind): IngestChannel => channels[kind];
  const events = new EventQueue();
  // The copies of a contact arrive at the same instant; they are ingested in a random order, so that the order
  // the simulation feeds them in cannot favour a channel. Between them, Parley's own order decides.
  const random = mulberry32(input.seed);
  const byContact = new Map<number, number[]>();
  copies.forEach((copy, index) => byContact.set(copy.contact, [...(byContact.get(copy.contact) ?? []), index]));
  for (const indexes of byContact.values()) {
    for (let i = indexes.length - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      [indexes[i], indexes[j]] = [indexes[j], indexes[i]];
    }
    for (const copy of indexes) {
      const contact = contacts[copies[copy].contact];
      events.push({ at: contact.at, type: 'arrival', copy });
      if (contact.followsUp) events.push({ at: contact.at + followUpAfterMinutes * minute, type: 'follow-up', copy });
    }
  }
  agents.forEach((_, agent) => events.push({ at: dayStart, type: 'agent-free', agent }));
  const idle = new Set<number>();
  const answered = new Set<number>();
  const copyOfCase = new Map<string, number>();

  const takeWork = async (agent: number, at: number): Promise<boolean> => {
    const taken = await takeNextCase(db, agents[agent], new Date(at));
    if (!taken) {
      idle.add(agent);
      return false;
    }
    const copy = copyOfCase.get(taken.id);
    if (copy === undefined) throw new Error('took a case the simulation did not open');
    // The agent answers first, then works the case (checks, fixes, notes) until they are free again.
    events.push({ at: at + composeMinutes * minute, type: 'reply', agent, copy });
    events.push({ at: at + (composeMinutes + copies[copy].handlingMinutes) * minute, type: 'agent-free', agent });
    return true;
  };

  for (let head = events.peek(); head; head = events.peek()) {
    const at = head.at;
    clock.set(new Date(at));
    // Everything that happens at one instant is ingested before anyone takes work, so simultaneous copies all
    // reach the queue before an agent picks between them.
    const freed: number[] = [];
    let arrived = false;
    for (let event = events.peek(); event && event.at === at; event = events.peek()) {
      events.pop();
      switch (event.type) {
        case 'arrival':
        case 'follow-up': {
          if (event.type === 'follow-up' && answered.has(event.copy)) break;
          const copy = copies[event.copy];
          const contact = contacts[copy.contact];
          const outcome = await ingestMessage(deps, channelOf(copy.kind), inboundMessageSchema.parse({
            externalId: `${event.type}-${event.copy}`,
            text: event.type === 'arrival' ? contact.text : followUpText,
            sentAt: new Date(at).toISOString(),
            author: { externalId: `customer-${event.copy}`, followerCount: copy.followers ?? undefined },
          }));
          if (event.type === 'arrival') {
            if (!outcome.caseId) throw new Error(`arrival ${event.copy} opened no case`);
            copyOfCase.set(outcome.caseId, event.copy);
            arrived = true;
          }
          break;
        }
        case 'reply':
          await ingestMessage(deps, channelOf(copies[event.copy].kind), inboundMessageSchema.parse({
            externalId: `reply-${event.copy}`,
            direction: 'outbound',
            text: 'Sorry about this — it is fixed now and I have credited your account.',
            replyToExternalId: `arrival-${event.copy}`,
            sentAt: new Date(at).toISOString(),
            author: { externalId: 'brand' },
            senderName: `Agent ${event.agent}`,
          }));
          answered.add(event.copy);
          break;
        case 'agent-free':
          freed.push(event.agent);
          break;
        default: {
          const unreachable: never = event;
          throw new Error(`unknown event ${JSON.stringify(unreachable)}`);
        }
      }
    }
    // Agents free now, and idle agents when new work arrived, take the head of the queue until it is empty (this
    // workspace has no teams and no other lock holders, so "nothing to take" means the queue is empty).
    const takers = arrived ? [...idle, ...freed] : freed;
    if (arrived) idle.clear();
    let empty = false;
    for (const agent of takers) {
      if (empty) idle.add(agent);
      else empty = !(await takeWork(agent, at));
    }
  }

  const rows = await db.query<{ id: string; first_message_at: Date; first_responded_at: Date | null }>(
    `SELECT id, first_message_at, first_responded_at FROM cases WHERE workspace_id = $1`,
    [ws],
  );
  const minutes = new Array<number>(copies.length).fill(Number.NaN);
  for (const row of rows) {
    const copy = copyOfCase.get(row.id);
    if (copy === undefined || !row.first_responded_at) continue;
    minutes[copy] = (row.first_responded_at.getTime() - row.first_message_at.getTime()) / minute;
  }
  const unanswered = minutes.filter((m) => Number.isNaN(m)).length;
  if (unanswered > 0) throw new Error(`${unanswered} cases never got a first response`);
  return minutes;
}
