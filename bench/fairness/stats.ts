/**
 * The statistics of bench:fairness. In the matched design every contact has exactly one copy at each level of a
 * factor (one per channel; one per reach bucket), so a factor's results are a contacts × levels matrix of
 * first-response minutes, and groups are always compared on the same contacts.
 *
 * - The gap: the largest max/min − 1 of the nearest-rank median or p90 between levels at equal severity.
 * - A bootstrap over contacts (a contact's copies always drawn together) gives a 95% interval for it.
 * - Shuffling the level labels among each contact's copies gives the gap that noise alone produces: the "noise
 *   floor", the 95th percentile of the gap when the labels carry no information at all.
 */
import type { Severity } from '../../src/features/cases/index.ts';
import { mulberry32, severityOrder } from './traffic.ts';

/** Minimum cases in a group for its median and p90 to enter a gap. */
export const minGroup = 20;
/** Waits below this many minutes count as this much in a ratio (no division by a near-zero wait). */
const ratioFloor = 0.5;
const stats = [
  { name: 'median', q: 0.5 },
  { name: 'p90', q: 0.9 },
] as const;

export interface Matrix {
  levels: readonly string[];
  /** Severity of each contact. */
  severity: Severity[];
  /** minutes[contact × levels.length + level]. */
  minutes: Float64Array;
}

/** One severity's contacts with the minutes of each level sorted: the groups a gap compares. */
interface Group {
  level: number;
  contacts: Int32Array;
  minutes: Float64Array;
}

/**
 * The groups of each severity. `source` maps (contact, level) to the level whose copy is read — the identity for the
 * data as measured, a shuffle for the noise floor.
 */
function groupsOf(matrix: Matrix, source?: Uint8Array): Map<Severity, Group[]> {
  const width = matrix.levels.length;
  const out = new Map<Severity, Group[]>();
  for (const severity of severityOrder) {
    const contacts: number[] = [];
    matrix.severity.forEach((s, c) => {
      if (s === severity) contacts.push(c);
    });
    const groups: Group[] = [];
    for (let level = 0; level < width; level += 1) {
      const pairs = contacts.map((c) => ({ c, m: matrix.minutes[c * width + (source ? source[c * width + level] : level)] }));
      pairs.sort((a, b) => a.m - b.m);
      groups.push({ level, contacts: Int32Array.from(pairs, (p) => p.c), minutes: Float64Array.from(pairs, (p) => p.m) });
    }
    out.set(severity, groups);
  }
  return out;
}

/**
 * Nearest-rank quantile of a group in which contact c counts weights[c] times (1 as measured, a multiplicity in a
 * bootstrap replicate). Null when the group has fewer than `minGroup` cases.
 */
function quantileOf(group: Group, weights: Uint16Array, q: number): number | null {
  let n = 0;
  for (let i = 0; i < group.contacts.length; i += 1) n += weights[group.contacts[i]];
  if (n < minGroup) return null;
  const rank = Math.max(1, Math.ceil(q * n));
  let seen = 0;
  for (let i = 0; i < group.contacts.length; i += 1) {
    seen += weights[group.contacts[i]];
    if (seen >= rank) return group.minutes[i];
  }
  return group.minutes[group.minutes.length - 1];
}

export interface Gap {
  gap: number;
  where: string;
}

function maxGapOf(matrix: Matrix, groups: Map<Severity, Group[]>, weights: Uint16Array): Gap {
  let worst: Gap = { gap: 0, where: 'none' };
  for (const severity of severityOrder) {
    for (const stat of stats) {
      let low: { level: number; value: number } | null = null;
      let high: { level: number; value: number } | null = null;
      for (const group of groups.get(severity) ?? []) {
        const value = quantileOf(group, weights, stat.q);
        if (value === null) continue;
        if (!low || value < low.value) low = { level: group.level, value };
        if (!high || value > high.value) high = { level: group.level, value };
      }
      if (!low || !high || low.level === high.level) continue;
      const gap = high.value / Math.max(low.value, ratioFloor) - 1;
      if (gap > worst.gap) {
        const name = (x: { level: number; value: number }) => `${matrix.levels[x.level]} ${x.value.toFixed(2)} min`;
        worst = { gap, where: `${severity} ${stat.name}: ${name(high)} vs ${name(low)}` };
      }
    }
  }
  return worst;
}

export interface GapAnalysis {
  point: Gap;
  /** The gap of each stratum set on its own (one day each). */
  parts: number[];
  /** 95% bootstrap percentile interval. */
  ci: [number, number];
  /** 95th percentile of the gap with each contact's level labels shuffled. */
  noiseFloor: number;
}

/**
 * The gap of a factor, its bootstrap interval and its noise floor. `days` lists each day's contacts; bootstrap
 * replicates draw contacts with replacement within each day and severity, so every replicate keeps the design's
 * counts.
 */
export function analyseGap(matrix: Matrix, days: number[][], replicates: number, seed: number): GapAnalysis {
  const contactCount = matrix.severity.length;
  const width = matrix.levels.length;
  const groups = groupsOf(matrix);
  const all = new Uint16Array(contactCount).fill(1);
  const point = maxGapOf(matrix, groups, all);
  const parts = days.map((contacts) => {
    const weights = new Uint16Array(contactCount);
    for (const c of contacts) weights[c] = 1;
    return maxGapOf(matrix, groups, weights).gap;
  });

  const random = mulberry32(seed);
  const strata = days.flatMap((contacts) => severityOrder.map((s) => contacts.filter((c) => matrix.severity[c] === s))).filter((s) => s.length > 0);
  const weights = new Uint16Array(contactCount);
  const boot: number[] = [];
  for (let r = 0; r < replicates; r += 1) {
    weights.fill(0);
    for (const stratum of strata) {
      for (let i = 0; i < stratum.length; i += 1) weights[stratum[Math.floor(random() * stratum.length)]] += 1;
    }
    boot.push(maxGapOf(matrix, groups, weights).gap);
  }

  const source = new Uint8Array(contactCount * width);
  const shuffled: number[] = [];
  for (let r = 0; r < Math.ceil(replicates / 4); r += 1) {
    for (let c = 0; c < contactCount; c += 1) {
      const row = source.subarray(c * width, (c + 1) * width);
      row.forEach((_, i) => (row[i] = i));
      for (let i = width - 1; i > 0; i -= 1) {
        const j = Math.floor(random() * (i + 1));
        [row[i], row[j]] = [row[j], row[i]];
      }
    }
    shuffled.push(maxGapOf(matrix, groupsOf(matrix, source), all).gap);
  }
  return { point, parts, ci: [percentile(boot, 0.025), percentile(boot, 0.975)], noiseFloor: percentile(shuffled, 0.95) };
}

export function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** Median and p90 of each level, over all contacts and at each severity. */
export function describe(matrix: Matrix): { level: string; n: number; all: [number, number]; bySeverity: Map<Severity, [number, number] | null> }[] {
  const width = matrix.levels.length;
  const column = (level: number, severity: Severity | null) => {
    const values: number[] = [];
    matrix.severity.forEach((s, c) => {
      if (severity === null || s === severity) values.push(matrix.minutes[c * width + level]);
    });
    return values;
  };
  return matrix.levels.map((level, l) => {
    const all = column(l, null);
    return {
      level,
      n: all.length,
      all: [percentile(all, 0.5), percentile(all, 0.9)],
      bySeverity: new Map(severityOrder.map((s) => {
        const values = column(l, s);
        return [s, values.length > 0 ? [percentile(values, 0.5), percentile(values, 0.9)] : null];
      })),
    };
  });
}

/**
 * Which level's copy is answered first, among contacts with one copy answered before all the others: the direct view
 * of how Parley breaks ties between otherwise identical copies. A fair tie-break gives each level 1/levels.
 */
export function firstAnswered(matrix: Matrix): { contacts: number; share: number[] } {
  const width = matrix.levels.length;
  const counts = new Array<number>(width).fill(0);
  let contacts = 0;
  for (let c = 0; c < matrix.severity.length; c += 1) {
    const row = matrix.minutes.subarray(c * width, (c + 1) * width);
    const min = Math.min(...row);
    const first = row.findIndex((m) => m === min);
    if (row.filter((m) => m === min).length > 1) continue;
    counts[first] += 1;
    contacts += 1;
  }
  return { contacts, share: counts.map((n) => (contacts > 0 ? n / contacts : 0)) };
}

/** How many contacts had the same first-response time at every level, and the largest spread of any contact. */
export function sameAcrossLevels(matrix: Matrix): { same: number; largestSpread: number } {
  const width = matrix.levels.length;
  let same = 0;
  let largestSpread = 0;
  for (let c = 0; c < matrix.severity.length; c += 1) {
    const row = matrix.minutes.subarray(c * width, (c + 1) * width);
    const spread = Math.max(...row) - Math.min(...row);
    if (spread === 0) same += 1;
    largestSpread = Math.max(largestSpread, spread);
  }
  return { same, largestSpread };
}
