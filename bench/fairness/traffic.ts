/**
 * The traffic of bench:fairness: a working day of contacts (arrival time, severity, text, whether the customer writes
 * again, handling time, follower counts), and the matched copies of each contact that the simulation serves.
 */
import type { Severity } from '../../src/features/cases/index.ts';

export const dayStart = Date.parse('2026-03-24T08:00:00Z');
export const minute = 60_000;
export const channelKinds = ['phone', 'email', 'x', 'bluesky', 'facebook'] as const;
export type Kind = (typeof channelKinds)[number];
export const reachBuckets = ['no profile', '<1k', '1k-10k', '10k-100k', '100k-2M'] as const;
export type ReachBucket = (typeof reachBuckets)[number];
const reachRanges: Record<Exclude<ReachBucket, 'no profile'>, [number, number]> = {
  '<1k': [0, 999], '1k-10k': [1_000, 9_999], '10k-100k': [10_000, 99_999], '100k-2M': [100_000, 2_000_000],
};
const handlingBase: Record<Severity, number> = { low: 3, medium: 5, high: 7, critical: 9 };
export const severityOrder = ['critical', 'high', 'medium', 'low'] as const satisfies readonly Severity[];
const severityMix: Record<Severity, number> = { low: 0.3, medium: 0.4, high: 0.22, critical: 0.08 };
/**
 * Contacts per hour over the day (08:00–20:00) for a team of 8: a morning ramp and a midday peak a little above what
 * 8 agents handle (about 55 contacts an hour at 2 + 3–12 minutes each), so a backlog builds at lunchtime and clears
 * by evening.
 */
export const hourlyArrivals = [25, 35, 45, 55, 60, 58, 52, 46, 40, 34, 28, 22];
/** The team the hourly arrivals are written for; head to head, five copies of every contact meet five times it. */
export const referenceAgents = 8;
/** Minutes from picking a case up to sending the first answer. */
export const composeMinutes = 2;
/** One customer in five writes again if nobody has answered within this long. */
export const followUpAfterMinutes = 40;

// Texts of each severity, as a contact centre hears them. The classifier decides each one's severity at start-up;
// texts are then drawn per severity so the mix is the intended one whatever the model version.
export const texts = [
  'thanks, all good now', 'how do I change my plan?', 'what time does the store open on sunday', 'can I add a second line to my account',
  'love the new app update', 'is there a student discount', 'how do I update my billing address', 'where can I find my invoice',
  'I was charged twice on my bill', 'where is my refund', 'the app keeps crashing when I log in', 'my order arrived damaged',
  'your hold music is terrible and nobody answers', 'the technician never showed up', 'my bill is higher than last month for no reason',
  'My internet has been down since Monday, still no fix!', 'no service for three days and still waiting for an engineer',
  'I have called four times about this overcharge and nobody got back to me', 'cancelling my contract if this outage is not fixed today',
  'no internet for a week, I work from home and I am losing money', 'there is a gas leak smell near your meter, please send someone',
  'my elderly father has no phone line and needs it for medical alerts', 'the charger caught fire, this is dangerous',
  'sparks and smoke coming from the router, is it safe', 'no heating for five days with a newborn at home, this is an emergency',
];
export const followUpText = 'still waiting for an answer on this, please help';

export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function isSeverity(value: string): value is Severity {
  return value === 'low' || value === 'medium' || value === 'high' || value === 'critical';
}

/** One customer's problem: everything about a contact except the channel it came through and the author's reach. */
export interface Contact {
  at: number;
  severity: Severity;
  text: string;
  followsUp: boolean;
  /**
   * Minutes of work after the first answer before the agent is free (3 to 12, more for worse problems), five draws.
   * The replayed days use the first for every replay, so each replay is given exactly the same work. Head to head,
   * copy k uses draw k: how long an agent takes varies from case to case even for the same problem, and with one
   * handling time per contact the five agents who take a contact's five copies would finish together and take the
   * next contact's copies together, for ever after — five replicas of one day, blind to the order of the copies.
   */
  handlingMinutes: number[];
  /** Latin-square offsets: in replay u the contact comes through channel (channel + u) mod 5 … */
  channel: number;
  /** … from reach bucket (reach + u) mod 5. */
  reach: number;
  /** The author's follower count should the contact come from each reach bucket (null: no profile). */
  followers: Record<ReachBucket, number | null>;
}

/** One contact as it reaches Parley through one channel from an author in one reach bucket. */
export interface Copy {
  contact: number;
  kind: Kind;
  bucket: ReachBucket;
  followers: number | null;
  handlingMinutes: number;
}

/**
 * One day of contacts for the reference team. Arrivals are a non-homogeneous Poisson process per severity. Within
 * each severity's stream the (channel, reach) offsets cycle through all 25 pairs, so in every replay each channel,
 * each reach bucket and each combination of the two has the same share of every severity and of every hour.
 */
export function generateContacts(seed: number, bySeverity: Record<Severity, string[]>): Contact[] {
  const random = mulberry32(seed);
  const contacts: Contact[] = [];
  const width = channelKinds.length;
  for (const severity of severityOrder) {
    let counter = 0;
    for (const [hour, perHour] of hourlyArrivals.entries()) {
      const rate = (perHour * severityMix[severity]) / 60;
      let t = hour * 60 - Math.log(1 - random()) / rate;
      while (t < (hour + 1) * 60) {
        const pool = bySeverity[severity];
        const followers: Record<ReachBucket, number | null> = { 'no profile': null, '<1k': 0, '1k-10k': 0, '10k-100k': 0, '100k-2M': 0 };
        for (const bucket of reachBuckets) {
          if (bucket === 'no profile') continue;
          const [lo, hi] = reachRanges[bucket];
          followers[bucket] = Math.round(Math.exp(Math.log(lo + 1) + random() * (Math.log(hi + 1) - Math.log(lo + 1))) - 1);
        }
        contacts.push({
          at: dayStart + Math.round(t * minute),
          severity,
          text: pool[Math.floor(random() * pool.length)],
          followsUp: random() < 0.2,
          handlingMinutes: channelKinds.map(() => handlingBase[severity] + random() * 3),
          channel: counter % width,
          reach: Math.floor(counter / width) % width,
          followers,
        });
        counter += 1;
        t += -Math.log(1 - random()) / rate;
      }
    }
  }
  return contacts.sort((a, b) => a.at - b.at);
}

/** Levels of a factor: five channels, five reach buckets. */
export const levelCount = channelKinds.length;

function copyOf(contact: Contact, index: number, channel: number, reach: number, handling: number): Copy {
  const bucket = reachBuckets[reach % levelCount];
  return { contact: index, kind: channelKinds[channel % levelCount], bucket, followers: contact.followers[bucket], handlingMinutes: contact.handlingMinutes[handling] };
}

/**
 * Replay u of a day (u = 0…4): the same contacts at the same times with the same work, each through channel
 * (channel + u) mod 5 from reach bucket (reach + u) mod 5. Over the five replays every contact comes once through
 * every channel and once from every reach bucket, and every replay is an ordinary mixed day for the reference team.
 */
export function replayCopies(contacts: Contact[], u: number): Copy[] {
  return contacts.map((contact, index) => copyOf(contact, index, contact.channel + u, contact.reach + u, 0));
}

/**
 * Head to head: every contact offered five times at the same instant in one queue, copy k through channel k from
 * reach bucket (k + reach) mod 5, to a team five times the reference team (the same load per agent). Between
 * copies that are identical but for channel and reach, only Parley's tie-breaking decides who is answered first.
 */
export function headToHeadCopies(contacts: Contact[]): Copy[] {
  return contacts.flatMap((contact, index) => channelKinds.map((_, k) => copyOf(contact, index, k, k + contact.reach, k)));
}
