import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImapFlow } from 'imapflow';
import { createTestApp, createWorkspaceWithUsers } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { hasDovecot, startDovecot } from '../fakes/dovecot.harness.ts';
import type { DovecotServer } from '../fakes/dovecot.harness.ts';
import { startSmtpFake } from '../fakes/smtp.fake.ts';
import type { SmtpFake } from '../fakes/smtp.fake.ts';
import { createChannel, sendEmailReply } from '../../src/features/channels/index.ts';
import type { ChannelView } from '../../src/features/channels/index.ts';
import { createListenerSupervisor } from '../../src/features/channels/listener.supervisor.ts';
import type { ListenerSupervisor } from '../../src/features/channels/listener.supervisor.ts';
import { createReceiveConnector } from '../../src/features/channels/drivers/index.ts';
import type { ImapCounters } from '../../src/features/channels/drivers/email/imap.client.ts';
import { ConnectorError } from '../../src/features/channels/connector.ts';
import { ingestMessage } from '../../src/features/ingest/index.ts';
import { ingestDepsOf } from '../../src/http/app-context.ts';

const fixtures = path.resolve('test/fixtures/email');
const fixture = (name: string) => fs.readFileSync(path.join(fixtures, name));
const customerMail = ['multipart-alternative.eml', 'html-only.eml', 'quoted-printable.eml', 'reply.eml', 'references-only.eml', 'attachment.eml'];
const automatedMail = ['bounce.eml', 'auto-reply.eml', 'bulk.eml'];

let t: TestApp;
let imap: DovecotServer;
let smtp: SmtpFake;

beforeAll(async () => {
  if (!hasDovecot) return;
  [t, imap, smtp] = await Promise.all([createTestApp(), startDovecot(), startSmtpFake()]);
});
afterAll(async () => {
  await Promise.all([t?.close(), imap?.stop(), smtp?.close()]);
});

async function mailbox<T>(work: (client: ImapFlow) => Promise<T>, name = 'INBOX'): Promise<T> {
  const client = new ImapFlow({ host: imap.host, port: imap.port, secure: false, auth: { user: imap.user, pass: imap.password }, logger: false });
  await client.connect();
  try {
    await client.mailboxOpen(name);
    return await work(client);
  } finally {
    await client.logout();
  }
}

async function deliver(name: string, files: (string | Buffer)[]): Promise<void> {
  await mailbox(async (client) => {
    for (const file of files) await client.append(name, typeof file === 'string' ? fixture(file) : file);
  }, name);
}

async function emailChannel(workspaceId: string, imapSettings: Record<string, unknown>, password = imap.password): Promise<ChannelView> {
  const { channel } = await createChannel(t.ctx.db, t.ctx.secretKey, {
    workspaceId, kind: 'email', name: 'Support inbox',
    config: {
      address: 'support@brand.example', fromName: 'Brand Support',
      imap: { host: imap.host, port: imap.port, secure: false, ...imapSettings },
      smtp: { host: smtp.host, port: smtp.port, secure: false },
    },
    credentials: { imapUser: imap.user, imapPassword: password, smtpUser: smtp.user, smtpPassword: smtp.password },
  });
  return channel;
}

interface Listening {
  supervisor: ListenerSupervisor;
  counters: Map<string, ImapCounters>;
}

async function listen(): Promise<Listening> {
  const counters = new Map<string, ImapCounters>();
  const supervisor = createListenerSupervisor({
    db: t.ctx.db, secretKey: t.ctx.secretKey, ingest: ingestDepsOf(t.ctx), logger: t.ctx.logger, scanIntervalMs: 60_000,
    createConnector: (ctx) => {
      const connector = createReceiveConnector(ctx);
      if (connector && 'counters' in connector) counters.set(ctx.channel.id, connector.counters as ImapCounters);
      return connector;
    },
  });
  await supervisor.start();
  return { supervisor, counters };
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function messages(channelId: string) {
  return t.ctx.db.query<{ external_id: string; reply_to_external_id: string | null; case_id: string | null; text: string }>(
    'SELECT external_id, reply_to_external_id, case_id, text FROM message WHERE channel_id = $1 ORDER BY sent_at, external_id', [channelId],
  );
}

async function channelRow(channelId: string) {
  const rows = await t.ctx.db.query<{ sync_cursor: string | null; health: string; health_reason: string | null; sync_stage: string }>(
    'SELECT sync_cursor, health, health_reason, sync_stage FROM channel WHERE id = $1', [channelId],
  );
  return rows[0];
}

describe.skipIf(!hasDovecot)('email over a real IMAP server (dovecot)', () => {
  it('reads each customer email once, skips automated mail, threads replies, and survives restarts without re-reading', async () => {
    const { workspace } = await createWorkspaceWithUsers(t.ctx, ['agent']);
    await mailbox((client) => client.mailboxCreate('Care'), 'INBOX');
    await deliver('Care', [...customerMail, ...automatedMail]);
    // IDLE with an hour between polls: anything that arrives quickly arrived through IDLE.
    const channel = await emailChannel(workspace.id, { mailbox: 'Care', idle: true, pollSeconds: 3_600 });

    const first = await listen();
    const stored = await until('the six customer emails', async () => {
      const rows = await messages(channel.id);
      return rows.length >= customerMail.length && rows;
    });
    expect(stored.map((m) => m.external_id).sort()).toEqual([
      '<attachment-0006@example.com>', '<first-contact-0001@example.org>', '<html-only-0002@example.net>', '<qp-0003@example.de>',
      '<references-only-0005@example.org>', '<reply-0004@example.org>',
    ]);
    const maria = stored.filter((m) => m.external_id.includes('@example.org'));
    expect(new Set(maria.map((m) => m.case_id)).size).toBe(1);
    expect(stored.find((m) => m.external_id === '<references-only-0005@example.org>')?.reply_to_external_id).toBe('<reply-0004@example.org>');
    const counters = first.counters.get(channel.id);
    await until('the automated mail to be passed over', async () => (counters?.skipped ?? 0) >= automatedMail.length);
    expect(counters).toMatchObject({ ingested: 6, duplicates: 0, skipped: 3 });
    const cursor = JSON.parse((await channelRow(channel.id)).sync_cursor ?? '{}');
    expect(cursor).toMatchObject({ v: 1, lastUid: 9, uidValidity: expect.stringMatching(/^\d+$/) });
    await until('connected health', async () => (await channelRow(channel.id)).health === 'connected');

    // New mail while connected arrives by IDLE.
    await deliver('Care', [Buffer.from(
      'From: Lee <lee@example.com>\r\nTo: support@brand.example\r\nSubject: Order 1234\r\nMessage-ID: <idle-0010@example.com>\r\n\r\nWhere is my order?\r\n',
    )]);
    await until('the email delivered while idling', async () => (await messages(channel.id)).some((m) => m.external_id === '<idle-0010@example.com>'));
    await first.supervisor.stop();

    // Mail that arrives while nobody listens is read on restart, and only that mail.
    await deliver('Care', [
      Buffer.from('From: Kim <kim@example.com>\r\nSubject: Hello\r\nMessage-ID: <offline-0011@example.com>\r\n\r\nAre you open on Sunday?\r\n'),
      Buffer.from('From: Kim <kim@example.com>\r\nSubject: Hello again\r\nMessage-ID: <offline-0012@example.com>\r\n\r\nAnd on Monday?\r\n'),
    ]);
    const second = await listen();
    await until('the two emails delivered while stopped', async () => (await messages(channel.id)).length === 9);
    expect(second.counters.get(channel.id)).toMatchObject({ ingested: 2, duplicates: 0 });
    await second.supervisor.stop();

    // The mailbox was rebuilt (new UIDVALIDITY): every message is looked at again, and ingest finds them all stored.
    await t.ctx.db.query('UPDATE channel SET sync_cursor = $2 WHERE id = $1', [channel.id, JSON.stringify({ ...cursor, uidValidity: '1', lastUid: 9 })]);
    const third = await listen();
    const rebuilt = third.counters.get(channel.id);
    await until('the mailbox to be read again', async () => (rebuilt ? rebuilt.duplicates + rebuilt.skipped >= 12 : false));
    expect(rebuilt).toMatchObject({ ingested: 0, duplicates: 9, skipped: 3 });
    expect(await messages(channel.id)).toHaveLength(9);
    await third.supervisor.stop();
  });

  it('polls when IDLE is off', async () => {
    const { workspace } = await createWorkspaceWithUsers(t.ctx, ['agent']);
    await mailbox((client) => client.mailboxCreate('Polled'), 'INBOX');
    const channel = await emailChannel(workspace.id, { mailbox: 'Polled', idle: false, pollSeconds: 1 });
    const running = await listen();
    await until('connected health', async () => (await channelRow(channel.id)).health === 'connected');
    await deliver('Polled', ['multipart-alternative.eml']);
    await until('the polled email', async () => (await messages(channel.id)).length === 1);
    expect((await channelRow(channel.id)).sync_stage).toBe('polling');
    await running.supervisor.stop();
  });

  it('reports a wrong password as an auth failure on the channel', async () => {
    const { workspace } = await createWorkspaceWithUsers(t.ctx, ['agent']);
    const channel = await emailChannel(workspace.id, { mailbox: 'INBOX' }, 'wrong-password');
    const running = await listen();
    const row = await until('failing health', async () => {
      const current = await channelRow(channel.id);
      return current.health === 'failing' && current;
    });
    expect(row.health_reason).toMatch(/^auth: the IMAP server rejected the user name or password/);
    expect(row.health_reason).not.toContain('wrong-password');
    await running.supervisor.stop();
  });

  it('sends a threaded reply over SMTP, and the customer answer to it joins the case', async () => {
    const { workspace } = await createWorkspaceWithUsers(t.ctx, ['agent']);
    await mailbox((client) => client.mailboxCreate('Threads'), 'INBOX');
    const channel = await emailChannel(workspace.id, { mailbox: 'Threads', pollSeconds: 1 });
    const credentials = { imapUser: imap.user, imapPassword: imap.password, smtpUser: smtp.user, smtpPassword: smtp.password };
    const sent = await sendEmailReply({ config: channel.config, credentials }, {
      to: 'maria.gonzalez@example.org', subject: 'Internet down since Monday', text: 'Sorry, Maria. A technician comes tomorrow.',
      inReplyTo: '<first-contact-0001@example.org>',
    });
    expect(sent.messageId).toMatch(/^<[0-9a-f-]{36}@brand\.example>$/);
    const recorded = smtp.messages.at(-1);
    expect(recorded?.to).toEqual(['maria.gonzalez@example.org']);
    expect(recorded?.parsed.subject).toBe('Re: Internet down since Monday');
    expect(recorded?.parsed.inReplyTo).toBe('<first-contact-0001@example.org>');
    expect(recorded?.parsed.references).toBe('<first-contact-0001@example.org>');
    expect(recorded?.parsed.messageId).toBe(sent.messageId);
    expect(recorded?.parsed.from?.value[0]).toEqual({ address: 'support@brand.example', name: 'Brand Support' });
    expect(recorded?.parsed.text?.trim()).toBe('Sorry, Maria. A technician comes tomorrow.');

    // The customer's first mail arrives, the brand's reply is recorded with the Message-ID it was sent with (the
    // outbox's part), and the customer's answer to that reply threads onto the same case.
    await deliver('Threads', ['multipart-alternative.eml']);
    const running = await listen();
    const [firstMail] = await until('the first email', async () => {
      const rows = await messages(channel.id);
      return rows.length === 1 && rows;
    });
    const target = { workspaceId: workspace.id, id: channel.id, kind: 'email', owned: true };
    await ingestMessage(ingestDepsOf(t.ctx), target, {
      externalId: sent.messageId, direction: 'outbound', text: 'Sorry, Maria.', author: { externalId: 'support@brand.example' },
      replyToExternalId: '<first-contact-0001@example.org>', isPublic: false,
    });
    const answer = fs.readFileSync(path.join(fixtures, 'reply.eml'), 'utf8').replaceAll('<brand-answer-0001@brand.example>', sent.messageId)
      .replace('<reply-0004@example.org>', '<reply-to-sent@example.org>');
    await deliver('Threads', [Buffer.from(answer)]);
    const rows = await until('the answer', async () => {
      const all = await messages(channel.id);
      return all.some((m) => m.external_id === '<reply-to-sent@example.org>') && all;
    });
    expect(rows.find((m) => m.external_id === '<reply-to-sent@example.org>')).toMatchObject({ reply_to_external_id: sent.messageId, case_id: firstMail.case_id });
    await running.supervisor.stop();
  });

  it('SMTP failures come back as connector errors: wrong password, no SMTP settings', async () => {
    const { workspace } = await createWorkspaceWithUsers(t.ctx, ['agent']);
    const channel = await emailChannel(workspace.id, {});
    const reply = { to: 'a@example.com', subject: 'x', text: 'y' };
    const wrong = await sendEmailReply({ config: channel.config, credentials: { imapUser: 'u', imapPassword: 'p', smtpUser: smtp.user, smtpPassword: 'nope' } }, reply)
      .catch((error: unknown) => error);
    expect(wrong).toBeInstanceOf(ConnectorError);
    expect(wrong instanceof ConnectorError && wrong.reason).toBe('auth');
    const { smtp: _omit, ...withoutSmtp } = channel.config;
    const missing = await sendEmailReply({ config: withoutSmtp, credentials: {} }, reply).catch((error: unknown) => error);
    expect(missing instanceof ConnectorError && missing.reason).toBe('config');
  });
});
