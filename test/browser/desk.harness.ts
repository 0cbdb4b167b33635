import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { loadConfig } from '../../src/config/config.ts';
import { openDatabase } from '../../src/platform/db/db.ts';
import { createContext, startServer } from '../../src/http/server.ts';
import type { RunningServer } from '../../src/http/server.ts';
import type { AppContext } from '../../src/http/app-context.ts';
import { createUser, createWorkspace } from '../../src/features/accounts/index.ts';
import type { Role } from '../../src/features/accounts/index.ts';
import { createChannel } from '../../src/features/channels/index.ts';
import type { ChannelKind } from '../../src/features/channels/index.ts';
import { createRule } from '../../src/features/listening/index.ts';
import { createOutboxWorker } from '../../src/features/replies/index.ts';
import type { OutboxWorker } from '../../src/features/replies/index.ts';
import { ensureWebBuild } from '../../src/http/web-build.ts';
import { startFakeXApi } from '../fakes/x-api.fake.ts';
import type { FakeXApi } from '../fakes/x-api.fake.ts';
import { startFakeBluesky } from '../fakes/bluesky-api.fake.ts';
import type { FakeBluesky } from '../fakes/bluesky-api.fake.ts';

/**
 * One real Parley server (in process, embedded database) with an outbox worker delivering to fake platforms that
 * speak X's and Bluesky's protocols, and a Chromium to drive it. Each browser test file starts its own.
 */

export const password = 'correct horse battery';
export const screenshotDir = path.resolve('test-results');
export const xToken = 'x-user-token-for-tests';

export interface SeededChannel {
  id: string;
  token: string;
}

export interface Desk {
  ctx: AppContext;
  server: RunningServer;
  browser: Browser;
  fakeX: FakeXApi;
  fakeBluesky: FakeBluesky;
  workspaceId: string;
  post(channel: SeededChannel, body: Record<string, unknown>): Promise<{ messageId: string | null; caseId: string | null }>;
  /** Resolves with the new user's id. */
  addUser(email: string, name: string, role: Role): Promise<string>;
  addChannel(kind: ChannelKind, name: string, options?: { owned?: boolean; config?: Record<string, unknown>; credentials?: Record<string, string> }): Promise<SeededChannel>;
  addRule(name: string, query: string): Promise<void>;
  close(): Promise<void>;
}

export async function startDesk(workspace: { slug: string; name: string }): Promise<Desk> {
  await ensureWebBuild();
  fs.mkdirSync(screenshotDir, { recursive: true });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-browser-'));
  const config = loadConfig({ PARLEY_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', PARLEY_LOG_LEVEL: 'silent' });
  const ctx = await createContext(config, { db: await openDatabase({ dataDir: 'memory://' }) });
  const server = await startServer(ctx);
  const fakeX = await startFakeXApi({ token: xToken, username: 'acme' });
  // The channel below signs in with another password: every Bluesky reply fails on the channel's credentials.
  const fakeBluesky = await startFakeBluesky({ identifier: 'acme.example', password: 'the-right-app-password' });
  const worker: OutboxWorker = createOutboxWorker({
    db: ctx.db, secretKey: ctx.secretKey, logger: ctx.logger, notifier: ctx.notifier, pollIntervalMs: 200,
  });
  worker.start();
  const ws = await createWorkspace(ctx.db, workspace);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });

  return {
    ctx,
    server,
    browser,
    fakeX,
    fakeBluesky,
    workspaceId: ws.id,
    async post(channel, body) {
      const response = await fetch(`${server.url}/api/v1/channels/${channel.id}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${channel.token}` },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      expect(response.status, text).toBeLessThan(300);
      const parsed = JSON.parse(text) as { data: { messageId: string | null; caseId: string | null } };
      return parsed.data;
    },
    async addUser(email, name, role) {
      return (await createUser(ctx.db, { workspaceId: ws.id, email, name, role, password })).id;
    },
    async addChannel(kind, name, options = {}) {
      const created = await createChannel(ctx.db, ctx.secretKey, {
        workspaceId: ws.id, kind, name, owned: options.owned ?? true, config: options.config ?? {}, credentials: options.credentials,
      });
      return { id: created.channel.id, token: created.token };
    },
    async addRule(name, query) {
      await createRule(ctx.db, { workspaceId: ws.id, createdBy: null, name, tag: 'competitor', query, enabled: true });
      await ctx.matcher.reload?.();
    },
    async close() {
      await browser.close();
      await worker.stop();
      await server.close();
      await fakeX.close();
      await fakeBluesky.close();
      await ctx.db.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Page errors and console errors, minus the failed-resource lines of answers a test provokes on purpose. */
export function watchErrors(page: Page): { errors: string[]; unexpected(allowedStatuses?: number[]): string[] } {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('dialog', (dialog) => {
    errors.push(`unexpected dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return {
    errors,
    unexpected(allowedStatuses = []) {
      return errors.filter((e) => !allowedStatuses.some((status) => e.includes(`status of ${status}`)));
    },
  };
}

export async function signIn(desk: Desk, email: string, workspace: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await desk.browser.newContext({ viewport: { width: 1366, height: 800 } });
  const page = await context.newPage();
  await page.goto(desk.server.url);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByLabel(/Workspace/).fill(workspace);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Queue' }).waitFor();
  await page.locator('.live-live').waitFor();
  return { context, page };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

/** Form controls on the page that have no accessible name (a label, aria-label or aria-labelledby). */
export async function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const controls = [...document.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>('#root input, #root select, #root textarea')];
    return controls
      .filter((el) => el.type !== 'hidden' && el.getClientRects().length > 0)
      .filter((el) => (el.labels?.length ?? 0) === 0 && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
      .map((el) => el.outerHTML.slice(0, 120));
  });
}

/** No element created from text a customer wrote: hostile markup must stay text. */
export async function injectedElements(page: Page): Promise<number> {
  return page.locator('#root img, #root script, #root iframe').count();
}
