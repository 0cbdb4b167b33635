import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../../platform/db/db.ts';
import { createUser, createWorkspace, findWorkspaceBySlug } from '../accounts/index.ts';
import { createChannel, listChannels, rotateChannelToken } from '../channels/index.ts';
import { createRule } from '../listening/index.ts';
import { demoChannels } from './scenario.ts';
import type { DemoChannelKey } from './scenario.ts';

export const demoWorkspaceSlug = 'demo';

const demoRules = [
  { name: 'Northwind brand', tag: 'brand', query: 'northwind OR @NorthwindCares OR #northwind' },
  { name: 'Brightwave (competitor)', tag: 'competitor', query: 'brightwave OR @Brightwave -from:Brightwave' },
] as const;
export const demoAdminEmail = 'admin@northwind.example';

export interface DemoWorkspace {
  workspaceId: string;
  login: { email: string; password: string; workspace: string };
  channels: Record<DemoChannelKey, { id: string; token: string }>;
}

/**
 * Creates the demo workspace on first start (its admin password is random and kept in the data directory), and
 * issues fresh ingest tokens for its channels on every start, so the simulator talks to the API like any client.
 */
export async function ensureDemoWorkspace(db: Db, secretKey: Buffer, dataDir: string): Promise<DemoWorkspace> {
  const loginFile = path.join(dataDir, 'demo-login.json');
  let workspace = await findWorkspaceBySlug(db, demoWorkspaceSlug);
  let password: string;
  if (!workspace) {
    workspace = await createWorkspace(db, { slug: demoWorkspaceSlug, name: 'Northwind Mobile (demo)' });
    password = crypto.randomBytes(9).toString('base64url');
    await createUser(db, { workspaceId: workspace.id, email: demoAdminEmail, name: 'Alex Admin', role: 'admin', password });
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(loginFile, JSON.stringify({ email: demoAdminEmail, password }), { mode: 0o600 });
    // What the listening channel hears: the brand, its products, and its rival.
    for (const rule of demoRules) await createRule(db, { ...rule, workspaceId: workspace.id, createdBy: null, enabled: true });
  } else {
    const saved: unknown = fs.existsSync(loginFile) ? JSON.parse(fs.readFileSync(loginFile, 'utf8')) : null;
    password = typeof saved === 'object' && saved !== null && 'password' in saved && typeof saved.password === 'string'
      ? saved.password
      : '(set when the demo was first created; see demo-login.json in that data directory)';
  }

  const existing = await listChannels(db, workspace.id);
  const channels = {} as Record<DemoChannelKey, { id: string; token: string }>;
  for (const [key, spec] of Object.entries(demoChannels) as [DemoChannelKey, (typeof demoChannels)[DemoChannelKey]][]) {
    const found = existing.find((c) => c.name === spec.name);
    if (found) {
      const token = await rotateChannelToken(db, workspace.id, found.id);
      if (!token) throw new Error(`demo channel ${spec.name} vanished`);
      channels[key] = { id: found.id, token };
    } else {
      // The simulator feeds these channels through the ingest API; no listener should dial the real platforms.
      const created = await createChannel(db, secretKey, {
        workspaceId: workspace.id, kind: spec.kind, name: spec.name, owned: spec.owned, config: { mode: 'api' },
      });
      channels[key] = { id: created.channel.id, token: created.token };
    }
  }
  return { workspaceId: workspace.id, login: { email: demoAdminEmail, password, workspace: demoWorkspaceSlug }, channels };
}
