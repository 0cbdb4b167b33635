import type { Db } from '../../platform/db/db.ts';
import { createWorkspace, findWorkspaceBySlug } from '../accounts/index.ts';
import type { Workspace } from '../accounts/index.ts';
import { createChannel, listChannels } from '../channels/index.ts';
import type { IngestChannel } from '../ingest/index.ts';

export const defaultImportWorkspaceSlug = 'twcs';
export const importedXChannelName = 'X (imported)';

export interface ImportTarget {
  workspace: Workspace;
  channel: IngestChannel & { name: string };
  workspaceCreated: boolean;
  channelCreated: boolean;
}

export interface ImportTargetInput {
  workspaceSlug: string;
  channelName?: string;
  /** Asked for only when the channel has to be created (channel credentials are sealed with it). */
  secretKey: () => Buffer;
}

/**
 * The workspace and the owned X channel an import writes into, created on first use and reused afterwards, so a
 * second import of the same file lands on the same (channel, external id) keys and stores nothing twice.
 */
export async function ensureImportTarget(db: Db, input: ImportTargetInput): Promise<ImportTarget> {
  const channelName = input.channelName ?? importedXChannelName;
  const found = await findWorkspaceBySlug(db, input.workspaceSlug);
  const workspace = found ?? (await createWorkspace(db, { slug: input.workspaceSlug, name: input.workspaceSlug }));
  const existing = (await listChannels(db, workspace.id)).find((c) => c.kind === 'x' && c.name === channelName);
  if (existing) {
    return {
      workspace,
      channel: { workspaceId: workspace.id, id: existing.id, kind: existing.kind, owned: existing.owned, name: existing.name },
      workspaceCreated: found === null,
      channelCreated: false,
    };
  }
  const { channel } = await createChannel(db, input.secretKey(), {
    workspaceId: workspace.id,
    kind: 'x',
    name: channelName,
    owned: true,
    config: { importedFrom: 'twcs' },
  });
  return {
    workspace,
    channel: { workspaceId: workspace.id, id: channel.id, kind: channel.kind, owned: channel.owned, name: channel.name },
    workspaceCreated: found === null,
    channelCreated: true,
  };
}
