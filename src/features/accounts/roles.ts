export const roles = ['agent', 'supervisor', 'admin'] as const;
export type Role = (typeof roles)[number];

const rank: Record<Role, number> = { agent: 1, supervisor: 2, admin: 3 };

/** True when `role` is at least `required`: admins can do what supervisors can, supervisors what agents can. */
export function hasRole(role: Role, required: Role): boolean {
  return rank[role] >= rank[required];
}

/** Who is calling: resolved from a session cookie or an API token, always inside one workspace. */
export interface Principal {
  workspaceId: string;
  userId: string;
  role: Role;
  via: 'session' | 'token';
  sessionId?: string;
  csrfToken?: string;
}
