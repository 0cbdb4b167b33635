import type { Command } from 'commander';
import { z } from 'zod';
import { createUser, createWorkspace, findWorkspaceBySlug, roles } from '../../features/accounts/index.ts';
import { configFromFlags, openMigratedDatabase } from '../context.ts';

const userFlagsSchema = z.object({
  workspace: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'workspace slug: lowercase letters, digits and -'),
  email: z.email(),
  name: z.string().min(1),
  role: z.enum(roles),
  password: z.string().min(10, 'password must be at least 10 characters'),
});

export function registerUserCommand(program: Command): void {
  const user = program.command('user').description('manage users');
  user
    .command('create')
    .description('create a user (and its workspace if it does not exist yet), e.g. the first admin')
    .requiredOption('--email <email>', 'email address used to sign in')
    .option('--name <name>', 'display name', 'Administrator')
    .option('--role <role>', `one of ${roles.join(', ')}`, 'admin')
    .option('--workspace <slug>', 'workspace slug', 'default')
    .option('--password <password>', 'password (default: env PARLEY_PASSWORD)')
    .action(async (raw: Record<string, string | undefined>) => {
      const parsed = userFlagsSchema.safeParse({ ...raw, password: raw.password ?? process.env.PARLEY_PASSWORD });
      if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '));
      const flags = parsed.data;
      const config = configFromFlags(program.opts());
      const db = await openMigratedDatabase(config);
      try {
        const workspace =
          (await findWorkspaceBySlug(db, flags.workspace)) ?? (await createWorkspace(db, { slug: flags.workspace, name: flags.workspace }));
        const created = await createUser(db, { workspaceId: workspace.id, email: flags.email, name: flags.name, role: flags.role, password: flags.password });
        console.log(`created ${created.role} ${created.email} in workspace ${workspace.slug}`);
      } finally {
        await db.close();
      }
    });
}
