import type { Queryable } from '../../platform/db/db.ts';
import { defaultEscalationPolicy, defaultSlaPolicy, escalationPolicySchema, neutralPriorityPolicy, priorityPolicySchema, slaPolicySchema } from './case-policy.schema.ts';
import type { CasePolicies, EscalationPolicy, PolicyKind, PriorityPolicy, SlaPolicy } from './case-policy.schema.ts';

interface PolicyRow extends Record<string, unknown> {
  kind: PolicyKind;
  document: unknown;
}

/** A workspace's case policies; a kind it never set is the default. Stored documents are validated again here. */
export async function loadCasePolicies(db: Queryable, workspaceId: string): Promise<CasePolicies> {
  const rows = await db.query<PolicyRow>(`SELECT kind, document FROM case_policy WHERE workspace_id = $1`, [workspaceId]);
  const policies: CasePolicies = { sla: defaultSlaPolicy, priority: neutralPriorityPolicy, escalation: defaultEscalationPolicy };
  for (const row of rows) {
    switch (row.kind) {
      case 'sla':
        policies.sla = slaPolicySchema.parse(row.document);
        break;
      case 'priority':
        policies.priority = priorityPolicySchema.parse(row.document);
        break;
      case 'escalation':
        policies.escalation = escalationPolicySchema.parse(row.document);
        break;
      default: {
        const unknownKind: never = row.kind;
        throw new Error(`unknown case policy kind ${String(unknownKind)}`);
      }
    }
  }
  return policies;
}

export async function saveCasePolicy(
  tx: Queryable,
  workspaceId: string,
  kind: PolicyKind,
  document: SlaPolicy | PriorityPolicy | EscalationPolicy,
  userId: string | null,
): Promise<void> {
  await tx.query(
    `INSERT INTO case_policy (workspace_id, kind, document, updated_by, updated_at) VALUES ($1, $2, $3, $4, now())
     ON CONFLICT (workspace_id, kind) DO UPDATE SET document = EXCLUDED.document, updated_by = EXCLUDED.updated_by,
       updated_at = now()`,
    [workspaceId, kind, JSON.stringify(document), userId],
  );
}
