import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { loadConfig } from '../../src/config/config.ts';
import type { Config } from '../../src/config/config.ts';
import type { Clock } from '../../src/platform/clock.ts';
import { createContext } from '../../src/http/server.ts';
import { buildApp } from '../../src/http/app.ts';
import type { AppContext } from '../../src/http/app-context.ts';
import { createApiToken, createUser, createWorkspace } from '../../src/features/accounts/index.ts';
import type { Role, User, Workspace } from '../../src/features/accounts/index.ts';
import { createChannel } from '../../src/features/channels/index.ts';
import type { ChannelKind, ChannelView } from '../../src/features/channels/index.ts';
import type { InboundMessageInput } from '../../src/features/ingest/index.ts';
import { createTestDatabase } from './database.ts';
import type { TestDatabase } from './database.ts';

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  database: TestDatabase;
  close(): Promise<void>;
}

/** The real HTTP app in process, on a real database (PGlite, or PostgreSQL in CI), with quiet logs. */
export async function createTestApp(options: { clock?: Clock; env?: Record<string, string> } = {}): Promise<TestApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-test-'));
  const config: Config = loadConfig({ PARLEY_DATA_DIR: dataDir, PARLEY_LOG_LEVEL: 'silent', ...options.env });
  const database = await createTestDatabase();
  const ctx = await createContext(config, { db: database.db, clock: options.clock });
  const app = await buildApp(ctx);
  await app.ready();
  return {
    app,
    ctx,
    database,
    async close() {
      await app.close();
      await database.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface TestUser {
  user: User;
  token: string;
  password: string;
}

let counter = 0;

/** A workspace with one user of each role given; each user gets an API token. */
export async function createWorkspaceWithUsers(
  ctx: AppContext,
  roles: Role[] = ['admin'],
): Promise<{ workspace: Workspace; users: TestUser[] }> {
  counter += 1;
  const slug = `ws-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
  const workspace = await createWorkspace(ctx.db, { slug, name: `Workspace ${counter}` });
  const users: TestUser[] = [];
  for (const [i, role] of roles.entries()) {
    const password = `password-${role}-${i}-long`;
    const user = await createUser(ctx.db, { workspaceId: workspace.id, email: `${role}${i}@${slug}.example`, name: `${role} ${i}`, role, password });
    const { token } = await createApiToken(ctx.db, workspace.id, user.id, 'test');
    users.push({ user, token, password });
  }
  return { workspace, users };
}

export async function createTestChannel(
  ctx: AppContext,
  workspaceId: string,
  kind: ChannelKind = 'api',
  owned = true,
): Promise<{ channel: ChannelView; token: string }> {
  return createChannel(ctx.db, ctx.secretKey, { workspaceId, kind, name: `${kind} channel ${Math.random().toString(36).slice(2, 6)}`, owned });
}

export function messageOf(overrides: Partial<InboundMessageInput> & { externalId: string }): InboundMessageInput {
  return {
    text: 'My internet has been down since Monday, still no fix!',
    author: { externalId: 'customer-1', handle: 'customer_one', displayName: 'Customer One' },
    ...overrides,
  };
}

export function postMessages(app: FastifyInstance, channel: { channel: ChannelView; token: string }, body: unknown): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: `/api/v1/channels/${channel.channel.id}/messages`,
    headers: { authorization: `Bearer ${channel.token}`, 'content-type': 'application/json' },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}
