import { Command } from 'commander';
import { registerServerCommands } from './commands/server.command.ts';
import { registerListenCommand } from './commands/listen.command.ts';
import { registerWorkCommand } from './commands/work.command.ts';
import { registerMigrateCommand } from './commands/migrate.command.ts';
import { registerUserCommand } from './commands/user.command.ts';
import { registerClassifyCommand } from './commands/classify.command.ts';
import { registerTrainCommand } from './commands/train.command.ts';
import { registerEvalCommand } from './commands/eval.command.ts';
import { registerImportCommand } from './commands/import.command.ts';
import { registerCheckReplyCommand } from './commands/check-reply.command.ts';

const program = new Command()
  .name('parley')
  .description('Parley: hear customers everywhere and answer them fairly from one queue.')
  .option('--port <port>', 'HTTP port (env PORT, default 3000)')
  .option('--data-dir <dir>', 'embedded database directory (env PARLEY_DATA_DIR, default ./.parley)')
  .option('--database-url <url>', 'PostgreSQL server to use instead of the embedded database (env DATABASE_URL)')
  .showHelpAfterError();

registerServerCommands(program);
registerListenCommand(program);
registerWorkCommand(program);
registerMigrateCommand(program);
registerUserCommand(program);
registerClassifyCommand(program);
registerTrainCommand(program);
registerEvalCommand(program);
registerImportCommand(program);
registerCheckReplyCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  console.error(`parley: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
