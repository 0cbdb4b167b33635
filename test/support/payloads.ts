import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The shared real payload samples (../shared/data/payloads, beside the repository); read in place, never copied. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const payloadsDir = path.resolve(repoRoot, '../shared/data/payloads');

export function hasPayloads(platform: string): boolean {
  return fs.existsSync(path.join(payloadsDir, platform));
}

export function payloadPath(platform: string, file: string): string {
  return path.join(payloadsDir, platform, file);
}

export function readPayload(platform: string, file: string): Buffer {
  return fs.readFileSync(payloadPath(platform, file));
}

export function listPayloads(platform: string): string[] {
  return hasPayloads(platform) ? fs.readdirSync(path.join(payloadsDir, platform)).sort() : [];
}

export const fixturesDir = path.join(repoRoot, 'test/fixtures');

export function readFixture(platform: string, file: string): Buffer {
  return fs.readFileSync(path.join(fixturesDir, platform, file));
}
