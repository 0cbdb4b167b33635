import { Command } from 'commander';

type Register = (program: Command) => void;

/**
 * Each subcommand's module is loaded only when it runs (all of them for `--help`), so `parley classify` or
 * `parley check-reply` start without loading the HTTP server, and one unfinished feature cannot break the others.
 */
const commands: Record<string, () => Promise<Register>> = {
  start: async () => (await import('./commands/server.command.ts')).registerServerCommands,
  serve: async () => (await import('./commands/server.command.ts')).registerServerCommands,
  listen: async () => (await import('./commands/listen.command.ts')).registerListenCommand,
  work: async () => (await import('./commands/work.command.ts')).registerWorkCommand,
  migrate: async () => (await import('./commands/migrate.command.ts')).registerMigrateCommand,
  user: async () => (await import('./commands/user.command.ts')).registerUserCommand,
  classify: async () => (await import('./commands/classify.command.ts')).registerClassifyCommand,
  train: async () => (await import('./commands/train.command.ts')).registerTrainCommand,
  eval: async () => (await import('./commands/eval.command.ts')).registerEvalCommand,
  import: async () => (await import('./commands/import.command.ts')).registerImportCommand,
  'check-reply': async () => (await import('./commands/check-reply.command.ts')).registerCheckReplyCommand,
  secrets: async () => (await import('./commands/secrets.command.ts')).registerSecretsCommand,
};

const program = new Command()
  .name('parley')
  .description('Parley: hear customers everywhere and answer them fairly from one queue.')
  .option('--port <port>', 'HTTP port (env PORT, default 3000)')
  .option('--data-dir <dir>', 'embedded database directory (env PARLEY_DATA_DIR, default ./.parley)')
  .option('--database-url <url>', 'PostgreSQL server to use instead of the embedded database (env DATABASE_URL)')
  .showHelpAfterError();

/** The subcommand named on the command line, skipping global options and their values. */
function requestedCommand(argv: string[]): string | undefined {
  const withValue = new Set(['--port', '--data-dir', '--database-url']);
  for (let i = 2; i < argv.length; i += 1) {
    const arg = argv[i];
    if (withValue.has(arg)) i += 1;
    else if (!arg.startsWith('-')) return arg;
  }
  return undefined;
}

try {
  const name = requestedCommand(process.argv);
  const loaders = name && commands[name] ? [commands[name]] : Object.values(commands);
  const registered = new Set<Register>();
  for (const load of loaders) {
    const register = await load();
    if (registered.has(register)) continue;
    registered.add(register);
    register(program);
  }
  await program.parseAsync(process.argv);
} catch (error) {
  console.error(`parley: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
