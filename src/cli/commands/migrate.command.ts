import type { Command } from 'commander';
import { openDatabase } from '../../platform/db/db.ts';
import { migrate } from '../../platform/db/migrate.ts';
import { configFromFlags } from '../context.ts';

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('apply database migrations and exit')
    .action(async () => {
      const config = configFromFlags(program.opts());
      const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      try {
        const applied = await migrate(db);
        console.log(applied.length > 0 ? `applied: ${applied.join(', ')}` : 'database is up to date');
      } finally {
        await db.close();
      }
    });
}
