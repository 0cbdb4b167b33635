import fs from 'node:fs';
import path from 'node:path';
import { Option } from 'commander';
import type { Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { z } from 'zod';
import { loadClassifier } from '../../features/classification/index.ts';
import { createEventNotifier } from '../../features/events/index.ts';
import { defaultImportWorkspaceSlug, ensureImportTarget, importTwcs, skipReasonLabels } from '../../features/import/index.ts';
import type { ImportProgress, ImportSummary } from '../../features/import/index.ts';
import { createPassThroughMatcher } from '../../features/listening/index.ts';
import { systemClock } from '../../platform/clock.ts';
import { loadSecretKey } from '../../platform/crypto.ts';
import { configFromFlags, openMigratedDatabase } from '../context.ts';

const importFormats = ['twcs'] as const;

const importFlagsSchema = z.object({
  format: z.enum(importFormats),
  workspace: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'workspace slug: lowercase letters, digits and -'),
  concurrency: z.coerce.number().int().min(1).max(64),
});

export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description('import message history from a file, e.g. the Kaggle "Customer Support on Twitter" CSV')
    .argument('<file>', 'file to import')
    .addOption(new Option('--format <format>', 'file format').choices(importFormats).makeOptionMandatory())
    .option('--workspace <slug>', 'workspace to import into (created if missing)', defaultImportWorkspaceSlug)
    .option('--concurrency <n>', 'messages ingested at once on PostgreSQL (PGlite imports one at a time)', '4')
    .action(async (file: string, raw: Record<string, string | undefined>) => {
      const parsed = importFlagsSchema.safeParse(raw);
      if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '));
      const flags = parsed.data;
      const filePath = path.resolve(file);
      if (!fs.existsSync(filePath) || !fs.statSync(filePath).isFile()) throw new Error(`no such file: ${file}`);

      const config = configFromFlags(program.opts());
      const db = await openMigratedDatabase(config);
      const bar = process.stdout.isTTY ? new SingleBar({ format: 'importing [{bar}] {percentage}% | {value}/{total} messages | eta {eta_formatted}' }, Presets.shades_classic) : null;
      try {
        const target = await ensureImportTarget(db, {
          workspaceSlug: flags.workspace,
          secretKey: () => loadSecretKey(config.secretKey, config.dataDir, config.secretKeyPrevious),
        });
        const deps = {
          db,
          classifier: loadClassifier(),
          matcher: createPassThroughMatcher(),
          clock: systemClock,
          notifier: createEventNotifier(),
          threadWindowHours: config.threadWindowHours,
        };
        const onProgress = bar
          ? ({ done, total }: ImportProgress) => {
              if (done === 0) bar.start(total, 0);
              else bar.update(done);
            }
          : undefined;
        const summary = await importTwcs(deps, target.channel, filePath, { concurrency: flags.concurrency, onProgress });
        bar?.stop();
        const where = `workspace "${target.workspace.slug}"${target.workspaceCreated ? ' (new)' : ''}, channel "${target.channel.name}"${target.channelCreated ? ' (new)' : ''}`;
        console.log(`Imported ${path.basename(filePath)} into ${where} in ${(summary.elapsedMs / 1000).toFixed(1)} s`);
        console.log(formatSummary(summary));
      } finally {
        bar?.stop();
        await db.close();
      }
    });
}

export function formatSummary(summary: ImportSummary): string {
  const rows: [string, string][] = [
    ['rows read', String(summary.rows)],
    ['messages', `${summary.messages} (${summary.inbound} inbound, ${summary.outbound} outbound)`],
    ['duplicates', String(summary.duplicates)],
    ['cases', String(summary.cases)],
    ['threads', String(summary.threads)],
    ['customers', String(summary.customers)],
    ['skipped', String(summary.skippedTotal)],
  ];
  for (const s of summary.skipped) {
    rows.push([`  ${skipReasonLabels[s.reason]}`, `${s.count} (line${s.lines.length > 1 ? 's' : ''} ${s.lines.join(', ')}${s.count > s.lines.length ? ', …' : ''})`]);
  }
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`).join('\n');
}
