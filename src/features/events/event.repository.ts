import type { Queryable } from '../../platform/db/db.ts';

export type EventType =
  | 'message.received'
  | 'message.sent'
  // an agent corrected a message's labels (the learning loop: docs/EVALUATION.md)
  | 'message.labels_corrected'
  | 'case.created'
  | 'case.updated'
  | 'case.reopened'
  | 'case.assigned'
  | 'case.status_changed'
  | 'case.priority_overridden'
  | 'case.note_added'
  | 'case.escalated'
  | 'case.locked'
  | 'case.unlocked'
  | 'sla.breached'
  | 'team.created'
  | 'team.updated'
  | 'team.deleted'
  | 'policy.updated'
  // replies (src/features/replies): the outbox and approvals
  | 'reply.queued'
  | 'reply.held'
  | 'reply.approved'
  | 'reply.rejected'
  | 'reply.edited'
  | 'reply.sending'
  | 'reply.retrying'
  | 'reply.sent'
  | 'reply.failed'
  | 'reply.unknown'
  | 'reply.awaiting_agent'
  | 'reply.moved_private'
  | 'reply.private_fallback'
  | 'reply.private_link_used'
  | 'callback.scheduled'
  | 'callback.due'
  | 'callback.completed'
  // identity (src/features/identity): one customer across channels
  | 'customer.merged'
  | 'customer.unmerged'
  | 'customer.identity_added'
  | 'customer.suggestion_dismissed'
  | 'customer.vulnerable_changed'
  // competitor watch (src/features/competitor-watch): a competitor courting our customer; offers opted out of
  | 'case.churn_risk'
  | 'customer.opted_out'
  | 'customer.opt_out_removed'
  // alerts (src/features/alerts): viral risk and complaint spikes for the communications team
  | 'alert.raised'
  | 'alert.ended'
  | 'alert.acknowledged';

export interface NewEvent {
  workspaceId: string;
  type: EventType;
  caseId?: string | null;
  actorUserId?: string | null;
  data?: Record<string, unknown>;
}

export interface StoredEvent {
  seq: number;
  type: string;
  caseId: string | null;
  actorUserId: string | null;
  data: Record<string, unknown>;
  createdAt: string;
}

/** Appends an event inside the caller's transaction; the event table is never updated or deleted from. */
export async function appendEvent(tx: Queryable, event: NewEvent): Promise<number> {
  const rows = await tx.query<{ seq: number }>(
    `INSERT INTO event (workspace_id, type, case_id, actor_user_id, data) VALUES ($1, $2, $3, $4, $5) RETURNING seq`,
    [event.workspaceId, event.type, event.caseId ?? null, event.actorUserId ?? null, JSON.stringify(event.data ?? {})],
  );
  return Number(rows[0].seq);
}

interface EventRow extends Record<string, unknown> {
  seq: number | string;
  type: string;
  case_id: string | null;
  actor_user_id: string | null;
  data: Record<string, unknown>;
  created_at: Date;
}

export async function listEventsAfter(db: Queryable, workspaceId: string, afterSeq: number, limit = 200): Promise<StoredEvent[]> {
  const rows = await db.query<EventRow>(
    `SELECT seq, type, case_id, actor_user_id, data, created_at FROM event
     WHERE workspace_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
    [workspaceId, afterSeq, limit],
  );
  return rows.map(toStoredEvent);
}

export async function listCaseEvents(db: Queryable, workspaceId: string, caseId: string): Promise<StoredEvent[]> {
  const rows = await db.query<EventRow>(
    `SELECT seq, type, case_id, actor_user_id, data, created_at FROM event
     WHERE workspace_id = $1 AND case_id = $2 ORDER BY seq`,
    [workspaceId, caseId],
  );
  return rows.map(toStoredEvent);
}

export async function latestEventSeq(db: Queryable, workspaceId: string): Promise<number> {
  const rows = await db.query<{ seq: number | null }>(`SELECT max(seq) AS seq FROM event WHERE workspace_id = $1`, [workspaceId]);
  return Number(rows[0]?.seq ?? 0);
}

function toStoredEvent(row: EventRow): StoredEvent {
  return {
    seq: Number(row.seq),
    type: row.type,
    caseId: row.case_id,
    actorUserId: row.actor_user_id,
    data: row.data,
    createdAt: row.created_at.toISOString(),
  };
}
