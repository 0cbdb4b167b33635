import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { insertArticle } from '../../src/features/replies/knowledge/knowledge.repository.ts';
import { insertMacro } from '../../src/features/replies/macros/macro.repository.ts';
import { injectedElements, screenshot, signIn, startDesk, watchErrors, xToken } from './desk.harness.ts';
import type { Desk, SeededChannel } from './desk.harness.ts';

const agentEmail = 'maya@acme.test';
const injection = '<img src=x onerror=alert(1)> <script>window.__pwned = 1</script> my bill is wrong again';
const anaPostId = '1950000000000000101';

let desk: Desk;
let x: SeededChannel;
let email: SeededChannel;
let bluesky: SeededChannel;
let anaCaseId: string;

beforeAll(async () => {
  desk = await startDesk({ slug: 'acme', name: 'Acme Telecom' });
  const maya = await desk.addUser(agentEmail, 'Maya Agent', 'agent');
  await insertArticle(desk.ctx.db, desk.workspaceId, maya, {
    title: 'Outage credits', topics: ['outage'], body: 'Customers without service for more than 24 hours get one day of credit per day offline.',
  });
  await insertMacro(desk.ctx.db, desk.workspaceId, maya, { name: 'Outage update', body: 'Hi {{customer.first_name}}, this is {{agent.first_name}} with an update on {{case.reference}}.' });
  x = await desk.addChannel('x', '@acme', { config: { baseUrl: desk.fakeX.baseUrl, accountId: desk.fakeX.accountId }, credentials: { accessToken: xToken } });
  email = await desk.addChannel('email', 'care@acme.test');
  bluesky = await desk.addChannel('bluesky', 'acme.example', {
    config: { pdsUrl: desk.fakeBluesky.baseUrl },
    credentials: { identifier: 'acme.example', appPassword: 'a-revoked-app-password' },
  });

  desk.fakeX.addTweet(anaPostId, 'ana_r');
  const ana = await desk.post(x, {
    externalId: anaPostId,
    text: 'My fibre has been down for two days and nobody answers. This is unacceptable, I work from home!',
    author: { externalId: '7100000000000000001', handle: 'ana_r', displayName: 'Ana Reyes', followerCount: 120 },
  });
  anaCaseId = ana.caseId ?? '';
  await desk.post(email, { externalId: 'mail-1', text: injection, author: { externalId: 'bob@example.net', displayName: 'Bob Injector' } });
  await desk.post(email, {
    externalId: 'mail-2',
    text: 'Thanks for the quick fix last week. Details of my plan are at https://example.com/plan?id=7 if you need them.',
    author: { externalId: 'cleo@example.net', displayName: 'Cleo Happy' },
  });
});

afterAll(async () => {
  await desk?.close();
});

async function openCase(page: Page, caseId: string): Promise<void> {
  await page.goto(`${desk.server.url}/cases/${caseId}`);
  await page.getByRole('heading', { name: /^Conversation/ }).waitFor();
}

describe('the web desk', () => {
  it('signs in, shows the live queue, a case, notes, resolve and sign out', async () => {
    const context = await desk.browser.newContext({ viewport: { width: 1366, height: 800 } });
    const page = await context.newPage();
    const watch = watchErrors(page);

    // Sign in through the form (a wrong password first: the error is shown and nothing else happens).
    await page.goto(desk.server.url);
    await page.getByLabel('Email').fill(agentEmail);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Wrong email or password');
    watch.errors.length = 0; // the 401 above is logged by the browser as a failed resource
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByLabel(/Workspace/).fill('acme');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Queue' }).waitFor();
    await page.locator('.live-live').waitFor();

    // The queue shows the seeded cases in the order the API returns.
    const rows = page.locator('table.queue tbody tr.queue-row');
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
    expect(await injectedElements(page)).toBe(0);
    expect(await page.evaluate(() => 'pwned' in window || '__pwned' in window)).toBe(false);

    // A new message posted while the page is open appears without a reload.
    await page.evaluate(() => Object.assign(window, { desktopMarker: 'still here' }));
    desk.fakeX.addTweet('1950000000000000102', 'dev_k');
    await desk.post(x, {
      externalId: '1950000000000000102',
      text: 'Is anyone there? Still no signal in my street since this morning.',
      author: { externalId: '7100000000000000002', handle: 'dev_k', displayName: 'Dev Kumar' },
    });
    await page.locator('tr.queue-row', { hasText: 'Dev Kumar' }).waitFor({ timeout: 10_000 });
    expect(await rows.count()).toBe(4);
    expect(await page.evaluate(() => (window as unknown as { desktopMarker?: string }).desktopMarker)).toBe('still here');

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
    await page.getByRole('heading', { name: /^Conversation/ }).waitFor();
    await page.keyboard.press('u');
    await page.getByRole('heading', { name: 'Queue' }).waitFor();

    // Open the hostile case: the timeline shows the text, literally, with its classification.
    await page.locator('tr.queue-row', { hasText: 'Bob Injector' }).getByRole('link').click();
    await page.getByRole('heading', { name: 'Conversation (1)' }).waitFor();
    const message = page.locator('.timeline .message').first();
    expect(await message.locator('.post-text').textContent()).toBe(injection);
    expect(await message.textContent()).toContain('Inbound');
    expect(await message.textContent()).toContain('Email');
    expect(await message.locator('.label-chips .chip').count()).toBeGreaterThan(2);
    expect(await injectedElements(page)).toBe(0);

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

    // A link in a post opens safely.
    await page.getByRole('link', { name: '← Queue' }).click();
    await page.getByRole('heading', { name: 'Queue' }).waitFor();
    await expect.poll(() => rows.count()).toBe(3); // the resolved case has left the open queue
    await page.locator('tr.queue-row', { hasText: 'Cleo Happy' }).getByRole('link').click();
    const link = page.locator('.timeline .post-text a');
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe('https://example.com/plan?id=7');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer nofollow');

    // Sign out: back to the form, and the session is gone.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Parley' }).waitFor();
    const status = await page.evaluate(async () => (await fetch('/api/v1/session', { credentials: 'same-origin' })).status);
    expect(status).toBe(401);
    expect(watch.unexpected([401])).toEqual([]);
    await context.close();
  });

  it('takes the next case, then answers an X customer: the composer reviews the draft and the reply reaches X and turns sent', async () => {
    const { context, page } = await signIn(desk, agentEmail, 'acme');
    const watch = watchErrors(page);

    // Take next assigns the head of the fair order among unassigned cases and opens it.
    const expected = await page.evaluate(async () => {
      const body = (await (await fetch('/api/v1/queue', { credentials: 'same-origin' })).json()) as { data: { id: string; assigneeId: string | null; status: string }[] };
      return body.data.find((c) => c.assigneeId === null && (c.status === 'new' || c.status === 'open'))?.id;
    });
    expect(expected).toBeTruthy();
    await page.getByRole('button', { name: 'Take next' }).click();
    await page.waitForURL(`**/cases/${expected}`);
    await expect.poll(() => page.getByTestId('case-assignee').textContent()).toBe('me');

    await openCase(page, anaCaseId);
    const composer = page.getByLabel('Reply to Ana Reyes');

    // Too long for X: the counter goes red, sending is refused, and the thread it would become is previewed.
    await composer.fill('We are sorry about the outage in your area. '.repeat(8).trim());
    await expect.poll(() => page.getByTestId('reply-counter').textContent(), { timeout: 5_000 }).toMatch(/^\d+ \/ 280/);
    await page.locator('.counter.over').waitFor();
    expect(await page.getByRole('button', { name: 'Send reply' }).isDisabled()).toBe(true);
    await expect.poll(() => page.locator('.thread-preview li').count()).toBeGreaterThan(1);
    await page.getByRole('button', { name: /Send as a thread of \d+/ }).waitFor();

    // Tone findings are marked at their spans and come with a suggestion each.
    await composer.fill('Actually, you should have read the manual. We apologise for any inconvenience.');
    const findings = page.locator('.findings');
    await expect.poll(() => findings.textContent(), { timeout: 5_000 }).toContain('argumentative');
    expect(await findings.textContent()).toContain('blaming');
    expect(await findings.textContent()).toContain('boilerplate');
    expect(await findings.textContent()).toContain('Try:');
    // Overlapping findings ("Actually, you should have") each keep a numbered mark.
    expect(await page.locator('.draft-preview mark.finding sup').allTextContents()).toEqual(['1', '2', '3']);
    expect(await page.locator('.draft-preview mark.finding').first().textContent()).toBe('Actually, ');
    await screenshot(page, 'case-composer-findings');

    // A good reply goes out through the outbox to X: queued, then sent with its link.
    const text = 'Sorry about the outage, Ana. An engineer is on it and we will update you by 5pm today.';
    await composer.fill(text);
    await expect.poll(() => page.getByTestId('reply-counter').textContent()).toMatch(new RegExp(`^${text.length} / 280`));
    expect(await page.locator('.findings').count()).toBe(0);
    await page.getByRole('button', { name: 'Send reply' }).click();
    const reply = page.locator('.reply-list .reply').last();
    await reply.waitFor();
    expect(await composer.inputValue()).toBe('');
    await expect.poll(() => reply.getByTestId('reply-status').textContent(), { timeout: 20_000 }).toBe('sent');
    const tweet = desk.fakeX.tweets.find((t) => t.text === text);
    expect(tweet?.inReplyTo).toBe(anaPostId);
    const onX = reply.getByRole('link', { name: 'View on X' });
    expect(await onX.getAttribute('href')).toBe(`https://x.com/i/web/status/${tweet?.id}`);
    expect(await onX.getAttribute('rel')).toBe('noopener noreferrer nofollow');
    await expect.poll(() => page.locator('.events').textContent(), { timeout: 5_000 }).toContain('Reply sent');
    await screenshot(page, 'case-reply-sent');

    // A Bluesky channel whose app password was revoked: the reply fails with the platform's reason, and the channel
    // shows as failing, with why, in the settings.
    const sam = await desk.post(bluesky, {
      externalId: 'at://did:plc:samcustomer000000000001/app.bsky.feed.post/3lsam2222222',
      text: 'my phone bill doubled this month and nobody explains why',
      author: { externalId: 'did:plc:samcustomer000000000001', handle: 'sam.bsky.social', displayName: 'Sam Wren' },
      raw: { uri: 'at://did:plc:samcustomer000000000001/app.bsky.feed.post/3lsam2222222', cid: 'bafyreisamcid' },
    });
    await openCase(page, sam.caseId ?? '');
    await page.getByLabel('Reply to Sam Wren').fill("Sorry Sam, that's frustrating. We're checking your bill now and will explain within the hour.");
    await page.getByRole('button', { name: 'Send reply' }).click();
    const failed = page.locator('.reply-list .reply').last();
    await expect.poll(() => failed.getByTestId('reply-status').textContent(), { timeout: 20_000 }).toBe('failed');
    expect(await failed.getByTestId('reply-failure').textContent()).toContain('Invalid identifier or password');
    await page.getByRole('link', { name: 'Settings' }).click();
    const row = page.locator(`tr[data-channel-id="${bluesky.id}"]`);
    await expect.poll(() => row.textContent(), { timeout: 5_000 }).toContain('failing');
    expect(await row.textContent()).toContain('Invalid identifier or password');

    expect(watch.unexpected()).toEqual([]);
    await context.close();
  });

  it('escalates a case from the keyboard, corrects its labels, and offers policy and macros beside the composer', async () => {
    const { context, page } = await signIn(desk, agentEmail, 'acme');
    const watch = watchErrors(page);
    await openCase(page, anaCaseId);
    const before = await page.evaluate(async (id) => {
      const body = (await (await fetch(`/api/v1/cases/${id}`, { credentials: 'same-origin' })).json()) as { data: { case: { escalationTier: number } } };
      return body.data.case.escalationTier;
    }, anaCaseId);

    await page.getByRole('heading', { level: 1 }).click();
    await page.keyboard.press('e');
    const dialog = page.getByRole('dialog', { name: 'Escalate the case' });
    await dialog.waitFor();
    await dialog.getByLabel('Reason').fill('Two days without service for a home worker; needs the network team.');
    await dialog.getByRole('button', { name: 'Escalate' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => page.getByTestId('case-tier').textContent()).toBe(`tier ${before + 1}`);
    await expect.poll(() => page.locator('.events').textContent(), { timeout: 5_000 }).toContain(`Escalated to tier ${before + 1}: Two days without service`);

    // An agent corrects what the classifier said; the correction shows over the model's label and in the history.
    const message = page.locator('.timeline .message-inbound').first();
    await message.getByRole('button', { name: 'Correct labels' }).click();
    const correct = page.getByRole('dialog', { name: 'Correct the labels' });
    await correct.getByLabel('Intent').selectOption('request');
    await correct.getByRole('button', { name: 'Save correction' }).click();
    await correct.waitFor({ state: 'hidden' });
    await expect.poll(() => message.locator('.label-chips').textContent(), { timeout: 5_000 }).toContain('request ✓ corrected');
    await expect.poll(() => page.locator('.events').textContent()).toContain('Labels corrected');
    await message.locator('details.why summary').click();
    expect(await message.locator('details.why').textContent()).toContain('Complaint (');

    // The case's topic brings its policy article; a macro is filled for this case and inserted into the draft.
    await page.locator('.knowledge', { hasText: 'Outage credits' }).waitFor();
    await page.getByLabel('Macro').selectOption({ label: 'Outage update' });
    await page.getByRole('button', { name: 'Insert', exact: true }).click();
    await expect.poll(() => page.getByLabel('Reply to Ana Reyes').inputValue()).toMatch(/^Hi Ana, this is Maya with an update on C-[0-9A-F]{8}\.$/);

    expect(watch.unexpected()).toEqual([]);
    await context.close();
  });
});
