import { Command } from 'commander';
import { registerServerCommands } from './commands/server.command.ts';
import { registerMigrateCommand } from './commands/migrate.command.ts';
import { registerUserCommand } from './commands/user.command.ts';

const program = new Command()
  .name('parley')
  .description('Parley: hear customers everywhere and answer them fairly from one queue.')
  .option('--port <port>', 'HTTP port (env PORT, default 3000)')
  .option('--data-dir <dir>', 'embedded database directory (env PARLEY_DATA_DIR, default ./.parley)')
  .option('--database-url <url>', 'PostgreSQL server to use instead of the embedded database (env DATABASE_URL)')
  .showHelpAfterError();

registerServerCommands(program);
registerMigrateCommand(program);
registerUserCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  console.error(`parley: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
