import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** True when web/dist is missing or older than the web app's sources. */
export function webBuildIsStale(): boolean {
  const builtIndex = path.join(webDir, 'dist', 'index.html');
  if (!fs.existsSync(builtIndex)) return true;
  const sources = Math.max(newestMtime(path.join(webDir, 'src')), fs.statSync(path.join(webDir, 'index.html')).mtimeMs);
  return fs.statSync(builtIndex).mtimeMs < sources;
}

/** Builds the web app when needed, so `npm ci && npm start` (and the browser tests) never serve yesterday's app. */
export async function ensureWebBuild(onBuild?: () => void): Promise<void> {
  if (!webBuildIsStale()) return;
  onBuild?.();
  const { build } = await import('vite');
  await build({ configFile: path.join(webDir, 'vite.config.ts'), logLevel: 'warn' });
}
