import readline from 'node:readline';
import type { Command } from 'commander';
import { draftSchema, reviewDraft } from '../../features/replies/composer/index.ts';

/** Reviews one JSONL line; an unreadable line yields an error object and never stops the stream. */
export function reviewLine(line: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { error: { code: 'invalid_json', message: 'the line is not valid JSON' } };
  }
  const parsed = draftSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { error: { code: 'validation_failed', message: `${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid draft'}` } };
  }
  const review = reviewDraft(parsed.data);
  return { length: review.length, personalDataInPublic: review.personalDataInPublic, findings: review.findings };
}

export function registerCheckReplyCommand(program: Command): void {
  program
    .command('check-reply')
    .description('review reply drafts: JSONL {text, channel, public, inReplyToComplaint} on stdin, one JSON review per line on stdout')
    .action(async () => {
      const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
      for await (const line of lines) {
        if (!process.stdout.write(`${JSON.stringify(reviewLine(line))}\n`)) {
          await new Promise((resolve) => process.stdout.once('drain', resolve));
        }
      }
    });
}
