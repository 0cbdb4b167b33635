import type { EventType, StoredEvent } from '../../lib/wire.types.ts';

// The server names each SSE message after its event type, so EventSource needs a listener per type.
export const liveEventTypes = [
  'message.received',
  'message.sent',
  'message.labels_corrected',
  'case.created',
  'case.updated',
  'case.reopened',
  'case.assigned',
  'case.status_changed',
  'case.priority_overridden',
  'case.note_added',
  'case.escalated',
  'case.locked',
  'case.unlocked',
  'sla.breached',
  'reply.queued',
  'reply.held',
  'reply.approved',
  'reply.rejected',
  'reply.edited',
  'reply.sending',
  'reply.retrying',
  'reply.sent',
  'reply.failed',
  'reply.unknown',
  'reply.awaiting_agent',
  'customer.merged',
  'customer.unmerged',
  'customer.identity_added',
  'customer.suggestion_dismissed',
  'customer.vulnerable_changed',
] as const satisfies readonly EventType[];

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

const reopenAfterMs = 5_000;

type Listener = (event: StoredEvent) => void;

function parseEvent(data: unknown): StoredEvent | null {
  if (typeof data !== 'string') return null;
  try {
    const value: unknown = JSON.parse(data);
    if (typeof value !== 'object' || value === null) return null;
    if (!('seq' in value) || typeof value.seq !== 'number' || !('type' in value) || typeof value.type !== 'string') return null;
    const caseId = 'caseId' in value && typeof value.caseId === 'string' ? value.caseId : null;
    const actorUserId = 'actorUserId' in value && typeof value.actorUserId === 'string' ? value.actorUserId : null;
    const createdAt = 'createdAt' in value && typeof value.createdAt === 'string' ? value.createdAt : new Date().toISOString();
    const payload = 'data' in value && typeof value.data === 'object' && value.data !== null ? { ...value.data } : {};
    return { seq: value.seq, type: value.type, caseId, actorUserId, data: payload, createdAt };
  } catch {
    return null;
  }
}

/** One EventSource for the whole app, shared by every view that wants live updates. */
export class LiveEvents {
  private source: EventSource | null = null;
  private reopenTimer: number | undefined;
  private readonly listeners = new Set<Listener>();
  private readonly statusListeners = new Set<(status: LiveStatus) => void>();
  status: LiveStatus = 'connecting';

  /** `onRefused` runs when the server refuses the stream (say, an expired session), so the app can find out why. */
  private readonly onRefused: () => void;

  constructor(onRefused: () => void = () => undefined) {
    this.onRefused = onRefused;
  }

  open(url = '/api/v1/events'): void {
    if (this.source) return;
    const source = new EventSource(url);
    this.source = source;
    source.onopen = () => this.setStatus('live');
    source.onerror = () => {
      // EventSource reconnects by itself after a dropped stream (the server sets `retry`) and resumes after
      // Last-Event-ID; it gives up only on an HTTP error, which is worth another try a little later.
      if (source.readyState !== EventSource.CLOSED) {
        this.setStatus('reconnecting');
        return;
      }
      this.setStatus('offline');
      this.source = null;
      this.onRefused();
      this.reopenTimer = window.setTimeout(() => this.open(url), reopenAfterMs);
    };
    for (const type of liveEventTypes) {
      source.addEventListener(type, (message) => {
        const event = parseEvent(message.data);
        if (!event) return;
        for (const listener of this.listeners) listener(event);
      });
    }
  }

  close(): void {
    window.clearTimeout(this.reopenTimer);
    this.source?.close();
    this.source = null;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onStatus(listener: (status: LiveStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  private setStatus(status: LiveStatus): void {
    if (status === this.status) return;
    this.status = status;
    for (const listener of this.statusListeners) listener(status);
  }
}
