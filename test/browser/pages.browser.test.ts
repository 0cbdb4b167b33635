import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createUser, createWorkspace } from '../../src/features/accounts/index.ts';
import { createChannel } from '../../src/features/channels/index.ts';
import { injectedElements, password, screenshot, signIn, startDesk, unlabelledControls, watchErrors } from './desk.harness.ts';
import type { Desk, SeededChannel } from './desk.harness.ts';

const agentEmail = 'lee@northwind.test';
const adminEmail = 'alex@northwind.test';
const hostile = '<img src=x onerror=alert(2)> brightwave ate my data allowance <script>window.__pwned2 = 1</script>';
const spam = 'Brightwave giveaway! win a free phone, click here https://promo.example/win';

let desk: Desk;
let listening: SeededChannel;

beforeAll(async () => {
  desk = await startDesk({ slug: 'northwind', name: 'Northwind Mobile' });
  await desk.addUser(agentEmail, 'Lee Agent', 'agent');
  await desk.addUser(adminEmail, 'Alex Admin', 'admin');
  const x = await desk.addChannel('x', '@NorthwindCares');
  const email = await desk.addChannel('email', 'care@northwind.example');
  listening = await desk.addChannel('x', 'Listening: Brightwave', { owned: false });
  await desk.addRule('Rival watch', 'brightwave');
  await desk.post(x, {
    externalId: '1960000000000000001',
    text: '@NorthwindCares no signal at all since yesterday morning, is there an outage?',
    author: { externalId: '7200000000000000001', handle: 'ana_r', displayName: 'Ana Reyes' },
  });
  await desk.post(email, {
    externalId: 'ana-mail-1',
    text: 'Hello, my bill shows a roaming charge I never made. Please call me back.',
    author: { externalId: 'ana.reyes@example.org', displayName: 'Ana Reyes' },
  });
});

afterAll(async () => {
  await desk?.close();
});

function postCard(page: Page, text: string) {
  return page.locator('.post-card', { hasText: text });
}

describe('listening, customers and settings', () => {
  it('streams matched posts live, converts one into a case, keeps hostile text as text, and tests rules as you type', async () => {
    const { context, page } = await signIn(desk, agentEmail, 'northwind');
    const watch = watchErrors(page);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Listening' }).click();
    await page.getByRole('heading', { name: 'Listening', level: 1 }).waitFor();
    await page.locator('.rule-list', { hasText: 'Rival watch' }).waitFor();
    await page.getByText('Nothing heard yet').waitFor();

    // Posts arrive while the page is open; only those a rule matches are heard.
    await page.evaluate(() => Object.assign(window, { listeningMarker: 'still here' }));
    await desk.post(listening, { externalId: '1960000000000000101', text: spam, author: { externalId: '7200000000000000101', handle: 'promo_bot' } });
    await desk.post(listening, { externalId: '1960000000000000102', text: hostile, author: { externalId: '7200000000000000102', handle: 'gus_on_trains', displayName: 'Gus' } });
    await desk.post(listening, { externalId: '1960000000000000103', text: 'lovely weather for the match today', author: { externalId: '7200000000000000103', handle: 'walker' } });
    await expect.poll(() => page.locator('.post-card').count(), { timeout: 10_000 }).toBe(2);
    expect(await page.evaluate(() => (window as unknown as { listeningMarker?: string }).listeningMarker)).toBe('still here');

    // Hostile text is text.
    expect(await postCard(page, 'ate my data').locator('.post-text').textContent()).toBe(hostile);
    expect(await injectedElements(page)).toBe(0);
    expect(await page.evaluate(() => '__pwned2' in window)).toBe(false);

    // Each post shows its rule and classification, and the recommendation wherever the API gives one.
    for (const card of await page.locator('.post-card').all()) {
      expect(await card.locator('ul[aria-label="Matched rules"]').textContent()).toContain('Rival watch');
      expect(await card.locator('.label-chips .chip').count()).toBeGreaterThan(2);
    }
    const recommended = await page.evaluate(async () => {
      const body = (await (await fetch('/api/v1/listening/posts', { credentials: 'same-origin' })).json()) as { data: { recommendation: unknown }[] };
      return body.data.filter((p) => typeof p.recommendation === 'object' && p.recommendation !== null && 'action' in p.recommendation).length;
    });
    expect(await page.getByTestId('recommendation').count()).toBe(recommended);

    // The spam post took no case; one action makes it one.
    const spamCard = postCard(page, 'giveaway');
    await spamCard.getByRole('button', { name: 'Convert to case' }).click();
    const open = spamCard.getByRole('link', { name: /^Open case/ });
    await open.waitFor();
    await open.click();
    await page.getByRole('heading', { name: 'Conversation (1)' }).waitFor();
    expect(await page.locator('.timeline .post-text').first().textContent()).toBe(spam);
    await expect.poll(() => page.locator('.events').textContent(), { timeout: 5_000 }).toContain('Opened from a listening post');

    // The rule editor tries a query against recent posts while typing, and points at the parser's error.
    await page.goBack();
    await page.getByRole('heading', { name: 'Listening', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Try a query' }).click();
    const query = page.getByLabel('Query');
    const broken = 'brightwave (giveaway OR';
    await query.fill(broken);
    const problem = page.locator('.query-problem');
    await expect.poll(() => problem.textContent(), { timeout: 5_000 }).toMatch(/at column \d+/);
    expect(await query.getAttribute('aria-invalid')).toBe('true');
    const column = Number(/at column (\d+)/.exec((await problem.locator('.form-error').textContent()) ?? '')?.[1]);
    expect(await problem.locator('.caret').textContent()).toBe(`${' '.repeat(column - 1)}^`);
    await problem.getByRole('button', { name: `Put the cursor at column ${column}` }).click();
    expect(await query.evaluate((el: HTMLTextAreaElement) => el.selectionStart)).toBe(column - 1);
    await query.fill('brightwave giveaway');
    await expect.poll(() => page.getByTestId('rule-match-count').textContent(), { timeout: 5_000 }).toBe('1');
    expect(await query.getAttribute('aria-invalid')).toBe('false');
    expect(await unlabelledControls(page)).toEqual([]);

    expect(watch.unexpected([422])).toEqual([]);
    await context.close();
  });

  it('finds a customer, merges them with another and un-merges them', async () => {
    const { context, page } = await signIn(desk, adminEmail, 'northwind');
    const watch = watchErrors(page);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Customers' }).click();
    await page.getByLabel('Search').fill('Ana');
    const results = page.locator('.customer-list li');
    await expect.poll(() => results.count(), { timeout: 5_000 }).toBe(2);
    await results.first().getByRole('link').click();
    await page.getByRole('heading', { name: 'Ana Reyes', level: 1 }).waitFor();
    const accounts = page.locator('section[aria-labelledby="identities-title"] ul.identities').last();
    await expect.poll(() => accounts.locator('li').count()).toBe(1);

    await page.getByLabel('Find the other customer').fill('Ana');
    await page.locator('.candidate input[type="radio"]').first().check();
    await page.getByLabel('Reason').fill('Same person: she confirmed her X handle on the phone');
    await page.getByRole('button', { name: 'Merge', exact: true }).click();
    await page.getByRole('button', { name: 'Un-merge' }).waitFor({ timeout: 10_000 });
    await expect.poll(() => page.locator('section[aria-labelledby="identities-title"] ul.identities').last().locator('li').count()).toBe(2);
    expect(await page.locator('.merges').textContent()).toContain('Same person: she confirmed her X handle on the phone');
    await expect.poll(() => page.locator('section[aria-labelledby="history-title"] tbody tr').count()).toBe(2);
    await screenshot(page, 'customer-merged');

    await page.getByRole('button', { name: 'Un-merge' }).click();
    await expect.poll(() => page.locator('.merges').textContent(), { timeout: 10_000 }).toContain('Undone');
    await expect.poll(() => page.locator('section[aria-labelledby="history-title"] tbody tr').count()).toBe(1);
    expect(watch.unexpected()).toEqual([]);
    await context.close();
  });

  it('visits every page (labelled controls, keyboard navigation) and saves a screenshot of each', async () => {
    const { context, page } = await signIn(desk, adminEmail, 'northwind');
    const watch = watchErrors(page);
    const visit = async (name: string) => {
      expect(await unlabelledControls(page), name).toEqual([]);
      await screenshot(page, name);
    };

    await page.locator('tr.queue-row').first().waitFor();
    await page.getByLabel('Team').waitFor(); // admins may list teams, so the team filter is offered
    await visit('queue');

    await page.locator('tr.queue-row').first().getByRole('link').click();
    await page.getByRole('heading', { name: /^Conversation/ }).waitFor();
    await page.locator('.knowledge').waitFor();
    await visit('case');

    // "g" then a letter goes to a page.
    await page.getByRole('heading', { level: 1 }).click();
    await page.keyboard.press('g');
    await page.keyboard.press('l');
    await page.getByRole('heading', { name: 'Listening', level: 1 }).waitFor();
    await page.locator('.post-card').first().waitFor();
    await visit('listening');

    await page.keyboard.press('g');
    await page.keyboard.press('c');
    await page.getByRole('heading', { name: 'Customers', level: 1 }).waitFor();
    await page.locator('.customer-list li').first().waitFor();
    await visit('customers');
    await page.locator('.customer-list li').first().getByRole('link').click();
    await page.getByRole('heading', { name: 'Cases on every channel' }).waitFor();
    await visit('customer');

    await page.keyboard.press('g');
    await page.keyboard.press('s');
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    const sections = page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link');
    const names = await sections.allTextContents();
    expect(names).toEqual(['Channels', 'Users and roles', 'Teams and skills', 'SLA and business hours', 'Escalation tiers', 'Priority and approvals', 'Knowledge base', 'Macros', 'Classifier feedback']);
    const headings: Record<string, string> = { 'Users and roles': 'Users and roles', 'SLA and business hours': 'SLA policy and business hours' };
    for (const name of names) {
      await sections.filter({ hasText: name }).click();
      await page.getByRole('heading', { name: headings[name] ?? name, level: 2 }).waitFor();
      await page.locator('.settings-content [aria-busy="true"]').waitFor({ state: 'detached' });
      await visit(`settings-${name.toLowerCase().replace(/[^a-z]+/g, '-')}`);
    }

    // An admin writes settings: a new team shows up at once.
    await sections.filter({ hasText: 'Teams and skills' }).click();
    await page.getByRole('button', { name: 'New team' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Billing');
    await page.getByLabel('Topics it takes (empty: any)').fill('billing, refunds');
    await page.getByRole('button', { name: 'Create team' }).click();
    await page.locator('.card-list', { hasText: 'Billing' }).waitFor();
    expect(await page.locator('.card-list').textContent()).toContain('topics: billing, refunds');

    expect(watch.unexpected()).toEqual([]);
    await context.close();
  });

  it('keeps a long queue virtual: few rows in the page, more loaded while scrolling, j/k still move', async () => {
    const bulk = await createWorkspace(desk.ctx.db, { slug: 'bulk', name: 'Bulk' });
    await createUser(desk.ctx.db, { workspaceId: bulk.id, email: 'bo@bulk.test', name: 'Bo Bulk', role: 'agent', password });
    const created = await createChannel(desk.ctx.db, desk.ctx.secretKey, { workspaceId: bulk.id, kind: 'email', name: 'bulk inbox' });
    const total = 150;
    const messages = Array.from({ length: total }, (_, i) => ({
      externalId: `bulk-${i}`,
      text: i % 3 === 0 ? `My internet is down again, ticket ${i}` : i % 3 === 1 ? `Question ${i}: how do I change my plan?` : `I was charged twice, case ${i}`,
      author: { externalId: `customer-${i}@bulk.example`, displayName: `Customer ${String(i).padStart(3, '0')}` },
    }));
    const response = await fetch(`${desk.server.url}/api/v1/channels/${created.channel.id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${created.token}` },
      body: JSON.stringify({ messages }),
    });
    expect(response.status).toBe(200);

    const { context, page } = await signIn(desk, 'bo@bulk.test', 'bulk');
    const watch = watchErrors(page);
    const table = page.locator('table.queue');
    const rendered = page.locator('tr.queue-row');
    await rendered.first().waitFor();
    await expect.poll(async () => Number(await table.getAttribute('aria-rowcount'))).toBeGreaterThan(50);
    expect(await rendered.count()).toBeLessThan(40);

    // Scrolling to the end loads the rest, page by page; the DOM stays small.
    const scroller = page.locator('.queue-scroll');
    await expect.poll(async () => {
      await scroller.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
      return Number(await table.getAttribute('aria-rowcount'));
    }, { timeout: 15_000 }).toBe(total + 1);
    await scroller.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await page.getByText(`End of the queue · ${total} cases`).waitFor();
    await page.locator(`tr.queue-row[aria-rowindex="${total + 1}"]`).waitFor();
    expect(await rendered.count()).toBeLessThan(40);

    // j from the top: the row is scrolled into view and its link focused.
    await scroller.evaluate((el) => el.scrollTo({ top: 0 }));
    await page.getByRole('heading', { name: 'Queue' }).click();
    for (let i = 0; i < 3; i += 1) await page.keyboard.press('j');
    await expect.poll(() => page.locator('tr.queue-row.active').getAttribute('data-index')).toBe('2');
    expect(await page.evaluate(() => document.activeElement?.closest('tr')?.getAttribute('data-index'))).toBe('2');
    await page.keyboard.press('k');
    await expect.poll(() => page.locator('tr.queue-row.active').getAttribute('data-index')).toBe('1');
    await screenshot(page, 'queue-long');

    expect(watch.unexpected()).toEqual([]);
    await context.close();
  });
});
