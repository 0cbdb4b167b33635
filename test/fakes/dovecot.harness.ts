import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A real IMAP server for tests: Debian's dovecot-imapd, started as an unprivileged throw-away instance with its
 * own configuration in a temporary directory (127.0.0.1 on a random high port, plaintext passwords from a
 * passwd-file, maildir storage, no TLS, logs to a file). Install: `apt-get install -y dovecot-imapd`.
 */

export const dovecotBinary = ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot'].find((p) => fs.existsSync(p)) ?? null;
export const hasDovecot = dovecotBinary !== null;

export interface DovecotServer {
  host: string;
  port: number;
  user: string;
  password: string;
  dir: string;
  logFile: string;
  /** Removes every message of the user's mailboxes by deleting the maildir (the server recreates it). */
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForBanner(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.setTimeout(1_000);
      socket.once('data', (data) => {
        socket.destroy();
        resolve(data.toString('utf8').startsWith('* OK'));
      });
      socket.once('error', () => resolve(false));
      socket.once('timeout', () => {
        socket.destroy();
        resolve(false);
      });
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`dovecot did not answer on port ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Who the server runs as: this user, or `nobody` when the tests run as root (dovecot will not serve mail as root). */
function runAs(): { name: string; uid: number; gid: number; group: string } {
  const me = os.userInfo();
  if (me.uid !== 0) {
    const group = spawnSync('id', ['-gn']).stdout.toString('utf8').trim() || String(me.gid);
    return { name: me.username, uid: me.uid, gid: me.gid, group };
  }
  const uid = Number(spawnSync('id', ['-u', 'nobody']).stdout.toString('utf8').trim());
  const gid = Number(spawnSync('id', ['-g', 'nobody']).stdout.toString('utf8').trim());
  const group = spawnSync('id', ['-gn', 'nobody']).stdout.toString('utf8').trim();
  return { name: 'nobody', uid, gid, group };
}

function chownTree(dir: string, uid: number, gid: number): void {
  fs.chownSync(dir, uid, gid);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) chownTree(full, uid, gid);
    else fs.chownSync(full, uid, gid);
  }
}

export async function startDovecot(options: { user?: string; password?: string } = {}): Promise<DovecotServer> {
  if (!dovecotBinary) throw new Error('dovecot is not installed (apt-get install -y dovecot-imapd)');
  const user = options.user ?? 'support@brand.example';
  const password = options.password ?? `pw-${Math.random().toString(36).slice(2)}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-dovecot-'));
  fs.chmodSync(dir, 0o755);
  const owner = runAs();
  const port = await freePort();
  const logFile = path.join(dir, 'dovecot.log');
  for (const sub of ['run', 'state', 'mail', 'home']) fs.mkdirSync(path.join(dir, sub));
  fs.writeFileSync(path.join(dir, 'passwd'), `${user}:{PLAIN}${password}:${owner.uid}:${owner.gid}::${path.join(dir, 'home', user)}::\n`);
  fs.writeFileSync(logFile, '');
  const config = `
protocols = imap
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${logFile}
info_log_path = ${logFile}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = ${owner.name}
default_internal_group = ${owner.group}
default_login_user = ${owner.name}
first_valid_uid = ${owner.uid}
first_valid_gid = ${owner.gid}
mail_location = maildir:${dir}/mail/%u
mail_uid = ${owner.uid}
mail_gid = ${owner.gid}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = passwd-file
  args = username_format=%u ${dir}/passwd
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
service stats {
  chroot =
}
service imap {
  process_limit = 50
}
service pop3-login {
  inet_listener pop3 {
    port = 0
  }
}
`;
  const configFile = path.join(dir, 'dovecot.conf');
  fs.writeFileSync(configFile, config);
  chownTree(dir, owner.uid, owner.gid);
  const me = os.userInfo();
  const child: ChildProcess = spawn(dovecotBinary, ['-F', '-c', configFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(me.uid === 0 ? { uid: owner.uid, gid: owner.gid } : {}),
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString('utf8')));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await Promise.race([
      waitForBanner(port, 15_000),
      exited.then(() => {
        throw new Error(`dovecot exited: ${output}${fs.readFileSync(logFile, 'utf8')}`);
      }),
    ]);
  } catch (error) {
    child.kill('SIGTERM');
    throw error;
  }
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    dir,
    logFile,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
