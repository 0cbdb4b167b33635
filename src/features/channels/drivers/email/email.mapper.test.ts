import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseEmail } from './email.parser.ts';
import { mapEmail, stripTrailingQuote } from './email.mapper.ts';
import type { EmailMapping } from './email.mapper.ts';

const fixtures = path.resolve('test/fixtures/email');
const payloads = path.resolve('../shared/data/payloads/email');
const now = new Date('2026-03-05T00:00:00.000Z');
const options = { ownAddresses: new Set(['support@brand.example']), now };

async function mapFile(file: string): Promise<EmailMapping> {
  const source = fs.readFileSync(file);
  return mapEmail(await parseEmail(source), { ...options, source });
}

async function messageOf(file: string) {
  const mapping = await mapFile(path.join(fixtures, file));
  if (mapping.kind !== 'message') throw new Error(`${file}: skipped (${mapping.reason})`);
  return mapping.message;
}

describe('email fixtures → messages', () => {
  it('multipart/alternative: the text part, the subject first, the Message-ID as external id, the From as author', async () => {
    const m = await messageOf('multipart-alternative.eml');
    expect(m.externalId).toBe('<first-contact-0001@example.org>');
    expect(m.replyToExternalId).toBeUndefined();
    expect(m.author).toEqual({ platform: 'email', externalId: 'maria.gonzalez@example.org', handle: 'maria.gonzalez@example.org', displayName: 'Maria Gonzalez' });
    expect(m.text).toBe('Internet down since Monday\n\nHello,\n\nMy internet has been down since Monday and I work from home.\nPlease send a technician.\n\nMaria');
    expect(m.isPublic).toBe(false);
    expect(m.sentAt).toBe('2026-03-02T08:15:00.000Z');
    expect(m.raw).toMatchObject({ htmlOnly: false, attachments: [] });
  });

  it('HTML only: plain text with no markup, no script or style, entities decoded once', async () => {
    const m = await messageOf('html-only.eml');
    expect(m.text).toBe('Billing question\n\nWhy was I charged £30 & a late fee?\n\nI paid on time. Literal <b> stays text.');
    expect(m.text).not.toMatch(/alert|color|steal|pixel|hidden comment/);
    expect(m.raw).toMatchObject({ htmlOnly: true });
  });

  it('quoted-printable body and RFC 2047 subject and name (UTF-8 and ISO-8859-1 words)', async () => {
    const m = await messageOf('quoted-printable.eml');
    expect(m.text).toBe(
      'Rückerstattung für die Rechnung (März)\n\nGuten Tag, ich habe 49,99 € zu viel bezahlt und möchte eine Rückerstattung. ' +
        'Dies ist eine sehr lange Zeile, die mit einem weichen Zeilenumbruch fortgesetzt wird.\n\nGrüße',
    );
    expect(m.author.displayName).toBe('Renée Müller');
    expect(m.sentAt).toBe('2026-03-03T06:30:00.000Z');
  });

  it('a reply answers its In-Reply-To, and its quoted tail is cut', async () => {
    const m = await messageOf('reply.eml');
    expect(m.replyToExternalId).toBe('<brand-answer-0001@brand.example>');
    expect(m.text).toBe('Re: Internet down since Monday\n\nStill down today. Nobody came.');
    expect(m.raw).toMatchObject({ references: ['<first-contact-0001@example.org>', '<brand-answer-0001@brand.example>'] });
  });

  it('without In-Reply-To, the last References entry (folded header) is the parent', async () => {
    const m = await messageOf('references-only.eml');
    expect(m.replyToExternalId).toBe('<reply-0004@example.org>');
  });

  it('attachments are metadata only: name, type and size, never the bytes', async () => {
    const m = await messageOf('attachment.eml');
    expect(m.raw).toMatchObject({
      attachments: [
        { filename: 'receipt.pdf', contentType: 'application/pdf', size: expect.any(Number) },
        { filename: 'parcel.jpg', contentType: 'image/jpeg', size: expect.any(Number) },
      ],
    });
    expect(JSON.stringify(m.raw)).not.toContain('JVBERi0');
  });

  it.each([
    ['bounce.eml', /report/],
    ['auto-reply.eml', /Auto-Submitted: auto-replied/],
    ['bulk.eml', /Precedence: bulk/],
  ])('automated mail is not a customer message: %s', async (file, reason) => {
    const mapping = await mapFile(path.join(fixtures, file));
    expect(mapping.kind).toBe('skip');
    expect(mapping.kind === 'skip' && mapping.reason).toMatch(reason);
  });

  it("the brand's own mail (a Sent copy) is skipped", async () => {
    const source = fs.readFileSync(path.join(fixtures, 'multipart-alternative.eml'), 'utf8').replace(/^From: .*$/m, 'From: Support <Support@Brand.example>');
    const mapping = mapEmail(await parseEmail(source), { ...options, source });
    expect(mapping).toEqual({ kind: 'skip', reason: 'sent by the brand' });
  });
});

/** What Parley extracts from each real message in ../shared/data/payloads/email (mailparser's own test fixtures). */
const expected: Record<string, (m: EmailMapping) => void> = {
  'email-base64-root.eml': (m) => {
    if (m.kind !== 'message') throw new Error('expected a message');
    expect(m.message.author.externalId).toBe('test@example.com');
    // No Message-ID: the id is a hash of the raw bytes, so a re-read is still a duplicate.
    expect(m.message.externalId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(m.message.text).toBe('(attachments only: screenshot.png)');
    expect(m.message.raw).toMatchObject({ attachments: [{ filename: 'screenshot.png', contentType: 'image/png' }] });
  },
  'email-bounce-delivery-status.eml': (m) => {
    expect(m).toEqual({ kind: 'skip', reason: 'delivery or disposition report' });
  },
  'email-full-headers-unicode-subject.eml': (m) => {
    if (m.kind !== 'message') throw new Error('expected a message');
    expect(m.message.externalId).toBe('<012d606e-3550-2d94-b566-6cd996de88e3@kreata.ee>');
    expect(m.message.author).toMatchObject({ externalId: 'andris@kreata.ee', displayName: 'Andris Kreata' });
    expect(m.message.text.startsWith('Nodemailer is unicode friendly ✔ (1476358788189)')).toBe(true);
    expect(m.message.sentAt).toBe('2016-10-13T11:39:48.000Z');
    expect(m.message.raw).toMatchObject({ to: ['andris+123@kreata.ee', 'andris.reinman@gmail.com'] });
    const attachments = (m.message.raw as { attachments: unknown[] }).attachments;
    expect(attachments.length).toBeGreaterThan(0);
  },
  'email-multipart-mixed.eml': (m) => {
    expect(m).toEqual({ kind: 'skip', reason: 'no sender address' });
  },
  'email-multipart-nested.eml': (m) => {
    if (m.kind !== 'message') throw new Error('expected a message');
    expect(m.message.author.externalId).toBe('u@example.com');
    expect(m.message.text).toContain('Dear Sir,');
    expect(m.message.text).toContain('Good evening.');
    expect(m.message.text).toContain('The footer');
    expect(m.message.text).not.toMatch(/<p>/);
  },
};

describe.skipIf(!fs.existsSync(payloads))('conformance: every real email payload', () => {
  const files = fs.existsSync(payloads) ? fs.readdirSync(payloads).filter((f) => f.endsWith('.eml')).sort() : [];

  it('has an expectation for every file', () => {
    expect(files).toEqual(Object.keys(expected).sort());
  });

  it.each(files)('%s', async (file) => {
    const check = expected[file];
    if (!check) throw new Error(`no expectation for ${file}`);
    check(await mapFile(path.join(payloads, file)));
  });
});

describe('stripTrailingQuote', () => {
  it('never returns an empty text for any input (property)', () => {
    fc.assert(fc.property(fc.string(), (text) => (text.trim() === '' ? true : stripTrailingQuote(text).trim().length > 0)));
  });

  it('keeps a message that is all quote', () => {
    expect(stripTrailingQuote('> only quoted')).toBe('> only quoted');
  });
});
