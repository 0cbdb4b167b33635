import { z } from 'zod';
import type { StreamRule } from '../../connector.ts';
import { readBodyLimited } from '../shared/body.reader.ts';
import { asConnectorError, connectorErrorOfStatus } from '../shared/http.errors.ts';

/**
 * Keeps the filtered stream's rules equal to Parley's: rules Parley added carry the tag `parley:<rule id>:<tag>`;
 * those no longer wanted are deleted, missing ones added. Rules added to the app by anything else are left alone.
 */

export const parleyTagPrefix = 'parley:';

export function xRuleTag(rule: StreamRule): string {
  return `${parleyTagPrefix}${rule.id}:${rule.tag}`.slice(0, 128);
}

const remoteRuleSchema = z.object({ id: z.string().max(32), value: z.string().max(4096), tag: z.string().max(256).optional() });
const listSchema = z.object({
  data: z.array(remoteRuleSchema).max(5_000).optional(),
  meta: z.object({ next_token: z.string().max(256).optional() }).optional(),
});
const writeSchema = z.object({
  data: z.array(remoteRuleSchema).optional(),
  errors: z.array(z.object({ value: z.string().max(4096).optional(), title: z.string().max(300).optional(), details: z.array(z.string().max(500)).max(10).optional() })).max(1_000).optional(),
});

export interface RulesClientOptions {
  baseUrl: string;
  bearerToken: string;
  now(): Date;
  signal: AbortSignal;
  timeoutMs?: number;
}

export interface RuleSyncResult {
  added: number;
  deleted: number;
  kept: number;
  /** Rules X refused, with X's reason (a value Parley could not translate, a duplicate, over the plan's limits). */
  rejected: Array<{ value: string; reason: string }>;
}

const rulesPath = '/2/tweets/search/stream/rules';

async function call(options: RulesClientOptions, method: 'GET' | 'POST', query: string, body?: unknown): Promise<unknown> {
  const url = new URL(rulesPath + query, options.baseUrl);
  try {
    const response = await fetch(url, {
      method,
      headers: { authorization: `Bearer ${options.bearerToken}`, 'content-type': 'application/json', 'user-agent': 'Parley listener' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs ?? 15_000)]),
    });
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw connectorErrorOfStatus('X', response.status, response.headers, options.now());
    }
    return JSON.parse((await readBodyLimited(response, 5_000_000)).toString('utf8'));
  } catch (error) {
    throw asConnectorError(error);
  }
}

export async function listStreamRules(options: RulesClientOptions): Promise<Array<z.infer<typeof remoteRuleSchema>>> {
  const rules: Array<z.infer<typeof remoteRuleSchema>> = [];
  let token: string | undefined;
  for (let page = 0; page < 50; page += 1) {
    const parsed = listSchema.safeParse(await call(options, 'GET', token ? `?pagination_token=${encodeURIComponent(token)}` : ''));
    if (!parsed.success) throw asConnectorError(new Error('X returned an unreadable rule list'));
    rules.push(...(parsed.data.data ?? []));
    token = parsed.data.meta?.next_token;
    if (!token) break;
  }
  return rules;
}

export async function syncStreamRules(options: RulesClientOptions, wanted: StreamRule[]): Promise<RuleSyncResult> {
  const remote = (await listStreamRules(options)).filter((r) => r.tag?.startsWith(parleyTagPrefix));
  const wantedByKey = new Map(wanted.map((r) => [`${xRuleTag(r)}\u0000${r.value}`, r]));
  const remoteKeys = new Set(remote.map((r) => `${r.tag ?? ''}\u0000${r.value}`));
  const stale = remote.filter((r) => !wantedByKey.has(`${r.tag ?? ''}\u0000${r.value}`));
  const missing = [...wantedByKey].filter(([key]) => !remoteKeys.has(key)).map(([, rule]) => rule);
  const result: RuleSyncResult = { added: 0, deleted: 0, kept: remote.length - stale.length, rejected: [] };

  // Delete first: X caps the number of rules, and a changed rule is a delete plus an add.
  for (let i = 0; i < stale.length; i += 500) {
    await call(options, 'POST', '', { delete: { ids: stale.slice(i, i + 500).map((r) => r.id) } });
    result.deleted += Math.min(500, stale.length - i);
  }
  for (let i = 0; i < missing.length; i += 100) {
    const batch = missing.slice(i, i + 100);
    const parsed = writeSchema.safeParse(await call(options, 'POST', '', { add: batch.map((r) => ({ value: r.value, tag: xRuleTag(r) })) }));
    if (!parsed.success) continue;
    result.added += parsed.data.data?.length ?? 0;
    for (const error of parsed.data.errors ?? []) {
      result.rejected.push({ value: error.value ?? '', reason: [error.title, ...(error.details ?? [])].filter(Boolean).join(': ').slice(0, 300) });
    }
  }
  return result;
}
