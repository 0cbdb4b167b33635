import { z } from 'zod';

/**
 * The brand's own accounts on a platform (channel.config.ownAccountIds / ownHandles). Their posts are the brand
 * talking, never a mention to answer, so listeners skip them.
 */
export interface OwnAccounts {
  ids: ReadonlySet<string>;
  handles: ReadonlySet<string>;
}

const ownAccountsSchema = z.object({
  ownAccountIds: z.array(z.string().max(256)).max(1000).optional(),
  ownHandles: z.array(z.string().max(256)).max(1000).optional(),
});

function normalizeHandle(handle: string): string {
  return handle.trim().replace(/^@/, '').toLowerCase();
}

export function ownAccountsOf(config: Record<string, unknown>): OwnAccounts {
  const parsed = ownAccountsSchema.safeParse(config);
  const data = parsed.success ? parsed.data : {};
  return {
    ids: new Set(data.ownAccountIds ?? []),
    handles: new Set((data.ownHandles ?? []).map(normalizeHandle)),
  };
}

export function isOwnAccount(own: OwnAccounts, author: { id?: string | null; handle?: string | null }): boolean {
  if (author.id && own.ids.has(author.id)) return true;
  return Boolean(author.handle && own.handles.has(normalizeHandle(author.handle)));
}
