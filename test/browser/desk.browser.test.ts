import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { loadConfig } from '../../src/config/config.ts';
import { openDatabase } from '../../src/platform/db/db.ts';
import { createContext, startServer } from '../../src/http/server.ts';
import type { RunningServer } from '../../src/http/server.ts';
import type { AppContext } from '../../src/http/app-context.ts';
import { createUser, createWorkspace } from '../../src/features/accounts/index.ts';
import { createChannel } from '../../src/features/channels/index.ts';
import { ensureWebBuild } from '../../src/http/web-build.ts';

const email = 'maya@acme.test';
const password = 'correct horse battery';
const injection = '<img src=x onerror=alert(1)> <script>window.__pwned = 1</script> my bill is wrong again';

interface Seeded {
  x: { id: string; token: string };
  email: { id: string; token: string };
}

let dataDir: string;
let ctx: AppContext;
let server: RunningServer;
let browser: Browser;
let seeded: Seeded;

async function post(channel: { id: string; token: string }, body: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${server.url}/api/v1/channels/${channel.id}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${channel.token}` },
    body: JSON.stringify(body),
  });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
}

beforeAll(async () => {
  await ensureWebBuild();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-browser-'));
  const config = loadConfig({ PARLEY_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', PARLEY_LOG_LEVEL: 'silent' });
  ctx = await createContext(config, { db: await openDatabase({ dataDir: 'memory://' }) });
  server = await startServer(ctx);

  const workspace = await createWorkspace(ctx.db, { slug: 'acme', name: 'Acme Telecom' });
  await createUser(ctx.db, { workspaceId: workspace.id, email, name: 'Maya Agent', role: 'agent', password });
  const x = await createChannel(ctx.db, ctx.secretKey, { workspaceId: workspace.id, kind: 'x', name: '@acme' });
  const mail = await createChannel(ctx.db, ctx.secretKey, { workspaceId: workspace.id, kind: 'email', name: 'care@acme.test' });
  seeded = { x: { id: x.channel.id, token: x.token }, email: { id: mail.channel.id, token: mail.token } };

  await post(seeded.x, {
    externalId: 'x-1',
    text: 'My fibre has been down for two days and nobody answers. This is unacceptable, I work from home!',
    author: { externalId: 'u-ana', handle: 'ana_r', displayName: 'Ana Reyes', followerCount: 120 },
  });
  await post(seeded.email, {
    externalId: 'mail-1',
    text: injection,
    author: { externalId: 'bob@example.net', displayName: 'Bob Injector' },
  });
  await post(seeded.email, {
    externalId: 'mail-2',
    text: 'Thanks for the quick fix last week. Details of my plan are at https://example.com/plan?id=7 if you need them.',
    author: { externalId: 'cleo@example.net', displayName: 'Cleo Happy' },
  });

  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await ctx?.db.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the web desk', () => {
  let page: Page;
  const dialogs: string[] = [];
  const pageErrors: string[] = [];

  it('signs in, shows the live queue, a case, notes, resolve and sign out', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 800 } });
    page = await context.newPage();
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });

    // Sign in through the form (a wrong password first: the error is shown and nothing else happens).
    await page.goto(server.url);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Wrong email or password');
    pageErrors.length = 0; // the 401 above is logged by the browser as a failed resource
    await page.getByLabel('Password').fill(password);
    await page.getByLabel(/Workspace/).fill('acme');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Queue' }).waitFor();
    await page.locator('.live-live').waitFor();

    // The queue shows the seeded cases in the order the API returns.
    const rows = page.locator('table.queue tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    const apiOrder = await page.evaluate(async () => {
      const response = await fetch('/api/v1/queue', { credentials: 'same-origin' });
      const body = (await response.json()) as { data: { id: string }[] };
      return body.data.map((c) => c.id);
    });
    const shownOrder = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-case-id')));
    expect(shownOrder).toEqual(apiOrder);
    await expect.poll(() => page.locator('table.queue').textContent()).toContain('Ana Reyes');

    // Hostile text is shown literally and creates no element.
    await expect.poll(() => page.locator('table.queue').textContent()).toContain('<img src=x onerror=alert(1)>');
    expect(await page.locator('#root img, #root script').count()).toBe(0);
    expect(await page.evaluate(() => 'pwned' in window || '__pwned' in window)).toBe(false);

    // A new message posted while the page is open appears without a reload.
    await page.evaluate(() => Object.assign(window, { desktopMarker: 'still here' }));
    await post(seeded.x, {
      externalId: 'x-live',
      text: 'Is anyone there? Still no signal in my street since this morning.',
      author: { externalId: 'u-dev', handle: 'dev_k', displayName: 'Dev Kumar' },
    });
    await page.locator('table.queue tbody tr', { hasText: 'Dev Kumar' }).waitFor({ timeout: 10_000 });
    expect(await rows.count()).toBe(4);
    expect(await page.evaluate(() => (window as unknown as { desktopMarker?: string }).desktopMarker)).toBe('still here');
    await page.screenshot({ path: '/tmp/parley-queue.png', fullPage: true });

    // Keyboard: ? opens the help, Esc closes it; j moves to the first row, Enter opens it.
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    const firstId = await rows.first().getAttribute('data-case-id');
    await page.keyboard.press('j');
    await expect.poll(() => page.locator('tr.queue-row.active').getAttribute('data-case-id')).toBe(firstId);
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/cases/${firstId}`);
    await page.keyboard.press('u');
    await page.getByRole('heading', { name: 'Queue' }).waitFor();

    // Open the hostile case: the timeline shows the text, literally, with its classification.
    await page.locator('table.queue tbody tr', { hasText: 'Bob Injector' }).getByRole('link').click();
    await page.getByRole('heading', { name: 'Conversation (1)' }).waitFor();
    const message = page.locator('.timeline .message').first();
    expect(await message.locator('.post-text').textContent()).toBe(injection);
    expect(await message.textContent()).toContain('Inbound');
    expect(await message.textContent()).toContain('Email');
    expect(await message.locator('.label-chips .chip').count()).toBeGreaterThan(2);
    expect(await page.locator('#root img, #root script').count()).toBe(0);

    // Add a note.
    await page.getByLabel('Add a note').fill('Called Bob back; <b>refund</b> promised.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.locator('.note-body', { hasText: 'Called Bob back; <b>refund</b> promised.' }).waitFor();
    expect(await page.locator('.notes b').count()).toBe(0);

    // Assign to me, then resolve: the status and history change.
    await page.getByRole('button', { name: 'Assign to me' }).click();
    await page.getByRole('button', { name: 'Unassign me' }).waitFor();
    await page.getByRole('group', { name: 'Status' }).getByRole('button', { name: 'Resolved' }).click();
    await expect.poll(() => page.getByTestId('case-status').textContent()).toBe('resolved');
    await expect.poll(() => page.locator('.events').textContent(), { timeout: 5_000 }).toContain('→ resolved');
    await page.screenshot({ path: '/tmp/parley-case.png', fullPage: true });

    // A link in a post opens safely.
    await page.getByRole('link', { name: '← Queue' }).click();
    await page.getByRole('heading', { name: 'Queue' }).waitFor();
    await expect.poll(() => rows.count()).toBe(3); // the resolved case has left the open queue
    await page.locator('table.queue tbody tr', { hasText: 'Cleo Happy' }).getByRole('link').click();
    const link = page.locator('.post-text a');
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe('https://example.com/plan?id=7');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer nofollow');

    // Sign out: back to the form, and the session is gone.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Parley' }).waitFor();
    const status = await page.evaluate(async () => (await fetch('/api/v1/session', { credentials: 'same-origin' })).status);
    expect(status).toBe(401);

    expect(dialogs).toEqual([]);
    expect(pageErrors.filter((e) => !e.includes('401'))).toEqual([]);
    await context.close();
  });
});
