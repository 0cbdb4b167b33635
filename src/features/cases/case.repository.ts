import type { Queryable } from '../../platform/db/db.ts';
import type { CaseStatus, CaseSummary } from './case.types.ts';
import type { Priority, Severity } from './priority.ts';

export interface CaseRow extends Record<string, unknown> {
  id: string;
  status: CaseStatus;
  priority: Priority;
  priority_rank: number;
  priority_reason: string | null;
  priority_overridden: boolean;
  severity: Severity;
  urgency: number;
  topic: string | null;
  subject: string;
  customer_id: string;
  customer_name: string;
  assignee_id: string | null;
  escalation_tier: number;
  channel_id: string;
  channel_kind: string;
  message_count: number;
  inbound_count: number;
  sentiment: string | null;
  first_message_at: Date;
  last_message_at: Date;
  last_inbound_at: Date | null;
  first_response_due_at: Date | null;
  next_response_due_at: Date | null;
  resolution_due_at: Date | null;
  first_responded_at: Date | null;
  resolved_at: Date | null;
  need_score: number;
  language: string | null;
  required_skills: string[];
  team_id: string | null;
  escalated_at: Date | null;
  sla_paused_at: Date | null;
  sla_paused_minutes: number;
  first_response_breached_at: Date | null;
  next_response_breached_at: Date | null;
  resolution_breached_at: Date | null;
  locked_by: string | null;
  lock_expires_at: Date | null;
}

const caseColumns = `c.id, c.status, c.priority, c.priority_rank, c.priority_reason, c.priority_overridden, c.severity,
  c.urgency, c.topic, c.subject, c.customer_id, cu.display_name AS customer_name, c.assignee_id, c.escalation_tier,
  c.channel_id, c.channel_kind, c.message_count, c.inbound_count, c.first_message_at, c.last_message_at,
  c.last_inbound_at, c.first_response_due_at, c.next_response_due_at, c.resolution_due_at, c.first_responded_at,
  c.resolved_at, c.need_score, c.language, c.required_skills, c.team_id, c.escalated_at, c.sla_paused_at, c.sla_paused_minutes,
  c.first_response_breached_at, c.next_response_breached_at, c.resolution_breached_at, c.locked_by, c.lock_expires_at,
  (SELECT m.labels->>'sentiment' FROM message m WHERE m.workspace_id = c.workspace_id AND m.case_id = c.id
     AND m.direction = 'inbound' ORDER BY m.sent_at DESC LIMIT 1) AS sentiment`;

const caseFrom = `FROM cases c JOIN customer cu ON cu.workspace_id = c.workspace_id AND cu.id = c.customer_id`;

export async function findCase(db: Queryable, workspaceId: string, caseId: string, forUpdate = false): Promise<CaseRow | null> {
  const rows = await db.query<CaseRow>(
    `SELECT ${caseColumns} ${caseFrom} WHERE c.workspace_id = $1 AND c.id = $2 ${forUpdate ? 'FOR UPDATE OF c' : ''}`,
    [workspaceId, caseId],
  );
  return rows[0] ?? null;
}

/** The case of the message a reply answers, looked up in the same channel. */
export async function findCaseOfMessage(tx: Queryable, workspaceId: string, channelId: string, externalId: string): Promise<string | null> {
  const rows = await tx.query<{ case_id: string | null }>(
    `SELECT case_id FROM message WHERE workspace_id = $1 AND channel_id = $2 AND external_id = $3`,
    [workspaceId, channelId, externalId],
  );
  return rows[0]?.case_id ?? null;
}

/** The customer's most recent open case with activity since `since`. */
export async function findOpenCaseOfCustomer(tx: Queryable, workspaceId: string, customerId: string, since: Date): Promise<string | null> {
  const rows = await tx.query<{ id: string }>(
    `SELECT id FROM cases WHERE workspace_id = $1 AND customer_id = $2 AND status IN ('new', 'open', 'waiting')
       AND last_message_at >= $3 ORDER BY last_message_at DESC LIMIT 1`,
    [workspaceId, customerId, since],
  );
  return rows[0]?.id ?? null;
}

/** The columns the lifecycle needs, locked for update; cheaper than the presented view. */
export interface CaseState extends Record<string, unknown> {
  status: CaseStatus;
  customer_id: string;
  channel_kind: string;
  priority: Priority;
  need_score: number;
  escalation_tier: number;
  language: string | null;
  required_skills: string[];
  team_id: string | null;
  assignee_id: string | null;
  first_message_at: Date;
  first_response_due_at: Date | null;
  resolution_due_at: Date | null;
  sla_paused_at: Date | null;
  sla_paused_minutes: number;
  priority_overridden: boolean;
  severity: Severity;
  urgency: number;
  topic: string | null;
  message_count: number;
  inbound_count: number;
  last_message_at: Date;
  last_inbound_at: Date | null;
  next_response_due_at: Date | null;
  first_responded_at: Date | null;
}

export async function lockCaseState(tx: Queryable, workspaceId: string, caseId: string): Promise<CaseState | null> {
  const rows = await tx.query<CaseState>(
    `SELECT status, customer_id, channel_kind, priority, need_score, escalation_tier, language, required_skills, team_id,
       assignee_id, first_message_at, first_response_due_at, resolution_due_at, sla_paused_at, sla_paused_minutes,
       priority_overridden, severity, urgency, topic, message_count, inbound_count, last_message_at, last_inbound_at,
       next_response_due_at, first_responded_at
     FROM cases WHERE workspace_id = $1 AND id = $2 FOR UPDATE`,
    [workspaceId, caseId],
  );
  return rows[0] ?? null;
}

export interface NewCase {
  workspaceId: string;
  id: string;
  priority: Priority;
  priorityRank: number;
  priorityReason: string;
  severity: Severity;
  urgency: number;
  topic: string | null;
  subject: string;
  customerId: string;
  channelId: string;
  channelKind: string;
  at: Date;
  needScore: number;
  language: string | null;
  requiredSkills: string[];
  teamId: string | null;
  escalationTier: number;
  escalatedAt: Date | null;
  firstResponseDueAt: Date;
  nextResponseDueAt: Date;
  resolutionDueAt: Date;
}

export async function insertCase(tx: Queryable, c: NewCase): Promise<void> {
  await tx.query(
    `INSERT INTO cases (workspace_id, id, status, priority, priority_rank, priority_reason, severity, urgency, topic,
       subject, customer_id, channel_id, channel_kind, message_count, inbound_count, first_message_at, last_message_at,
       last_inbound_at, first_response_due_at, next_response_due_at, resolution_due_at, need_score, language,
       required_skills, team_id, escalation_tier, escalated_at)
     VALUES ($1, $2, 'new', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, 1, $13, $13, $13, $14, $15, $16, $17, $18, $19,
       $20, $21, $22)`,
    [c.workspaceId, c.id, c.priority, c.priorityRank, c.priorityReason, c.severity, c.urgency, c.topic, c.subject,
      c.customerId, c.channelId, c.channelKind, c.at, c.firstResponseDueAt, c.nextResponseDueAt, c.resolutionDueAt,
      c.needScore, c.language, c.requiredSkills, c.teamId, c.escalationTier, c.escalatedAt],
  );
}

export interface CaseChange {
  status?: CaseStatus;
  priority?: Priority;
  priorityRank?: number;
  priorityReason?: string | null;
  priorityOverridden?: boolean;
  severity?: Severity;
  urgency?: number;
  topic?: string | null;
  assigneeId?: string | null;
  messageCount?: number;
  inboundCount?: number;
  lastMessageAt?: Date;
  lastInboundAt?: Date;
  nextResponseDueAt?: Date | null;
  firstResponseDueAt?: Date | null;
  resolutionDueAt?: Date | null;
  firstRespondedAt?: Date | null;
  resolvedAt?: Date | null;
  needScore?: number;
  requiredSkills?: string[];
  teamId?: string | null;
  escalationTier?: number;
  escalatedAt?: Date | null;
  slaPausedAt?: Date | null;
  slaPausedMinutes?: number;
  firstResponseBreachedAt?: Date | null;
  nextResponseBreachedAt?: Date | null;
  resolutionBreachedAt?: Date | null;
  lockedBy?: string | null;
  lockExpiresAt?: Date | null;
}

const changeColumns: Record<keyof CaseChange, string> = {
  status: 'status',
  priority: 'priority',
  priorityRank: 'priority_rank',
  priorityReason: 'priority_reason',
  priorityOverridden: 'priority_overridden',
  severity: 'severity',
  urgency: 'urgency',
  topic: 'topic',
  assigneeId: 'assignee_id',
  messageCount: 'message_count',
  inboundCount: 'inbound_count',
  lastMessageAt: 'last_message_at',
  lastInboundAt: 'last_inbound_at',
  nextResponseDueAt: 'next_response_due_at',
  firstResponseDueAt: 'first_response_due_at',
  resolutionDueAt: 'resolution_due_at',
  firstRespondedAt: 'first_responded_at',
  resolvedAt: 'resolved_at',
  needScore: 'need_score',
  requiredSkills: 'required_skills',
  teamId: 'team_id',
  escalationTier: 'escalation_tier',
  escalatedAt: 'escalated_at',
  slaPausedAt: 'sla_paused_at',
  slaPausedMinutes: 'sla_paused_minutes',
  firstResponseBreachedAt: 'first_response_breached_at',
  nextResponseBreachedAt: 'next_response_breached_at',
  resolutionBreachedAt: 'resolution_breached_at',
  lockedBy: 'locked_by',
  lockExpiresAt: 'lock_expires_at',
};

/**
 * Writes the given columns of one case (undefined leaves a column alone, null clears it). Callers hold the case row
 * (lockCaseState or findCase with forUpdate) in the same transaction and append the event that explains the change.
 */
export async function updateCase(tx: Queryable, workspaceId: string, caseId: string, change: CaseChange): Promise<void> {
  const sets: string[] = [];
  const params: unknown[] = [workspaceId, caseId];
  for (const key of Object.keys(changeColumns).filter(isChangeKey)) {
    const value = change[key];
    if (value === undefined) continue;
    const column = changeColumns[key];
    params.push(value);
    sets.push(`${column} = $${params.length}`);
  }
  if (sets.length === 0) return;
  await tx.query(`UPDATE cases SET ${sets.join(', ')}, updated_at = now() WHERE workspace_id = $1 AND id = $2`, params);
}

function isChangeKey(key: string): key is keyof CaseChange {
  return key in changeColumns;
}

export function presentCase(row: CaseRow): CaseSummary {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    id: row.id,
    status: row.status,
    priority: row.priority,
    priorityReason: row.priority_reason,
    severity: row.severity,
    urgency: Number(row.urgency),
    topic: row.topic,
    subject: row.subject,
    customer: { id: row.customer_id, displayName: row.customer_name },
    assigneeId: row.assignee_id,
    escalationTier: Number(row.escalation_tier),
    channel: { id: row.channel_id, kind: row.channel_kind },
    messageCount: Number(row.message_count),
    sentiment: row.sentiment,
    firstMessageAt: row.first_message_at.toISOString(),
    lastMessageAt: row.last_message_at.toISOString(),
    firstResponseDueAt: iso(row.first_response_due_at),
    nextResponseDueAt: iso(row.next_response_due_at),
    resolutionDueAt: iso(row.resolution_due_at),
    firstRespondedAt: iso(row.first_responded_at),
    resolvedAt: iso(row.resolved_at),
    needScore: Number(row.need_score),
    language: row.language,
    teamId: row.team_id,
    escalatedAt: iso(row.escalated_at),
    sla: {
      paused: row.sla_paused_at !== null,
      pausedSince: iso(row.sla_paused_at),
      pausedMinutes: Number(row.sla_paused_minutes),
      breached: {
        firstResponse: row.first_response_breached_at !== null,
        nextResponse: row.next_response_breached_at !== null,
        resolution: row.resolution_breached_at !== null,
      },
    },
    lock: row.locked_by && row.lock_expires_at ? { userId: row.locked_by, expiresAt: row.lock_expires_at.toISOString() } : null,
  };
}

export interface QueueFilter {
  statuses: CaseStatus[];
  channelKind?: string;
  assigneeId?: string | null;
  topic?: string;
  /** A team's queue; null is the shared queue (cases routed to no team). */
  teamId?: string | null;
  after?: QueueCursor;
  limit: number;
}

/** Position in the fair order: priority rank, then the response deadline, then arrival, then id. */
export interface QueueCursor {
  rank: number;
  due: string | null;
  first: string;
  id: string;
}

// NULL deadlines (nothing owed to the customer) sort after every real one; the sentinel keeps the keyset comparable.
const farFuture = '9999-12-31T00:00:00.000Z';

export async function listQueue(db: Queryable, workspaceId: string, filter: QueueFilter): Promise<CaseRow[]> {
  const where = ['c.workspace_id = $1', 'c.status = ANY($2::text[])'];
  const params: unknown[] = [workspaceId, filter.statuses];
  if (filter.channelKind) {
    params.push(filter.channelKind);
    where.push(`c.channel_kind = $${params.length}`);
  }
  if (filter.assigneeId === null) where.push('c.assignee_id IS NULL');
  else if (filter.assigneeId) {
    params.push(filter.assigneeId);
    where.push(`c.assignee_id = $${params.length}`);
  }
  if (filter.topic) {
    params.push(filter.topic);
    where.push(`c.topic = $${params.length}`);
  }
  if (filter.teamId === null) where.push('c.team_id IS NULL');
  else if (filter.teamId) {
    params.push(filter.teamId);
    where.push(`c.team_id = $${params.length}`);
  }
  const dueKey = `COALESCE(c.next_response_due_at, '${farFuture}'::timestamptz)`;
  if (filter.after) {
    const a = filter.after;
    params.push(a.rank, a.due ?? farFuture, a.first, a.id);
    const n = params.length;
    where.push(`(c.priority_rank, ${dueKey}, c.first_message_at, c.id) > ($${n - 3}::smallint, $${n - 2}::timestamptz, $${n - 1}::timestamptz, $${n}::uuid)`);
  }
  params.push(filter.limit);
  return db.query<CaseRow>(
    `SELECT ${caseColumns} ${caseFrom} WHERE ${where.join(' AND ')}
     ORDER BY c.priority_rank, ${dueKey}, c.first_message_at, c.id LIMIT $${params.length}`,
    params,
  );
}

export function cursorOf(row: CaseRow): QueueCursor {
  return {
    rank: Number(row.priority_rank),
    due: row.next_response_due_at ? row.next_response_due_at.toISOString() : null,
    first: row.first_message_at.toISOString(),
    id: row.id,
  };
}
