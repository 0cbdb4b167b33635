import type { Command } from 'commander';
import { z } from 'zod';
import { rotateChannelSecrets } from '../../features/channels/index.ts';
import type { SecretRotationSummary } from '../../features/channels/index.ts';
import { loadSecretKey, secretKeyId } from '../../platform/crypto.ts';
import { configFromFlags, openMigratedDatabase } from '../context.ts';

const rotateFlagsSchema = z.object({
  batchSize: z.coerce.number().int().min(1).max(10_000),
  dryRun: z.boolean().default(false),
});

/** The summary as printed: counts, then every secret no key opens, by workspace and channel id. */
export function formatRotationSummary(summary: SecretRotationSummary, dryRun: boolean): string {
  const lines = [
    `${dryRun ? 'would re-encrypt' : 're-encrypted'}: ${summary.reEncrypted}`,
    `already current: ${summary.alreadyCurrent}`,
    `unreadable: ${summary.unreadable.length}`,
  ];
  for (const u of summary.unreadable) lines.push(`  workspace ${u.workspaceId} channel ${u.channelId}: ${u.reason}`);
  return lines.join('\n');
}

export function registerSecretsCommand(program: Command): void {
  const secrets = program.command('secrets').description('manage the key that seals channel credentials');
  secrets
    .command('rotate')
    .description(
      're-encrypt every stored channel credential under PARLEY_SECRET_KEY, reading old ones with PARLEY_SECRET_KEY_PREVIOUS; ' +
        'batched, safe to interrupt and re-run; exits 1 if any could not be read (they are left untouched)',
    )
    .option('--batch-size <n>', 'channels per transaction', '200')
    .option('--dry-run', 'count what would change, write nothing')
    .action(async (raw: Record<string, unknown>) => {
      const parsed = rotateFlagsSchema.safeParse(raw);
      if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '));
      const flags = parsed.data;
      const config = configFromFlags(program.opts());
      const key = loadSecretKey(config.secretKey, config.dataDir, config.secretKeyPrevious);
      const db = await openMigratedDatabase(config);
      try {
        const previous = (key.previousKeys ?? []).map(secretKeyId);
        console.log(`current key ${secretKeyId(key)}${previous.length > 0 ? `; previous ${previous.join(', ')}` : '; no previous keys'}`);
        const summary = await rotateChannelSecrets(db, key, { batchSize: flags.batchSize, dryRun: flags.dryRun });
        console.log(formatRotationSummary(summary, flags.dryRun));
        if (summary.unreadable.length > 0) {
          console.error(`parley: ${summary.unreadable.length} channel credential(s) could not be read with the configured keys; they were left untouched`);
          process.exitCode = 1;
        }
      } finally {
        await db.close();
      }
    });
}
