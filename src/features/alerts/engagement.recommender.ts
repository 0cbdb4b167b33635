import type { Intent } from '../classification/index.ts';
import type { RuleTag } from '../listening/index.ts';
import type { EngagementAction, EngagementPolicy, EngagementReason } from './alert-policy.schema.ts';
import { engagementReasons } from './alert-policy.schema.ts';

// Engage, monitor or ignore (docs/ALERTS.md, "Engagement recommendation"): signals are found in the post, each
// signal is a reason with a workspace-tunable weight, and the sum decides. Pure.

export interface RecommendationInput {
  text: string;
  /** The classifier's labels (null: none, e.g. an unclassified message). */
  labels: { complaint: boolean; intent: Intent } | null;
  /** Received on one of the brand's own accounts or inboxes. */
  ownedChannel: boolean;
  /** A reply to something the brand posted. */
  repliesToBrand: boolean;
  /** Tags of the monitoring rules the post matched; empty when it matched none (owned channel, or no rules). */
  ruleTags: readonly RuleTag[];
  /** Someone other than the author (and not the brand) has already answered it. */
  answeredByOther: boolean;
}

export interface RecommendationReason {
  code: EngagementReason;
  weight: number;
  text: string;
}

/** What is stored on the message (`message.recommendation`) and shown to agents. */
export interface EngagementRecommendation {
  action: EngagementAction;
  score: number;
  /** The reasons that counted (non-zero weight), strongest first. */
  reasons: RecommendationReason[];
  /** Every signal found, counted or not: re-deciding later (another answer arrives, a policy changes) starts here. */
  signals: EngagementReason[];
}

const reasonText: Record<EngagementReason, string> = {
  addressed_to_brand: 'addressed to the brand',
  customer_problem: 'a customer with a problem',
  question: 'asks a question or for help',
  joke: 'a joke',
  spam: 'spam',
  troll: 'trolling or abuse without a problem to solve',
  not_about_brand: 'not about the brand (only competitor or other rules matched)',
  answered_by_other: 'already answered by someone else',
};

// Humour markers; a complaint or a question that carries one is still a complaint or a question.
const jokePattern = /\b(lol|lmao|lmfao|rofl|haha(ha)*|hehe(he)*|jk|just kidding|kidding)\b|😂|🤣|😹|😜|🙃|(^|\s)\/s\b/iu;
// Abuse aimed at someone; with a real problem in the post it is an angry customer, not a troll.
const trollPattern =
  /\b(idiots?|morons?|imbeciles?|clowns?|losers?|scum|pathetic|stfu|shut up|kys|you suck|u suck|go to hell|burn in hell|f+u+c+k+\s*(you|u|off)|dumbass|retards?|garbage company|trash company)\b|🖕/iu;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function mentionsHandle(text: string, handles: readonly string[]): boolean {
  if (handles.length === 0) return false;
  const names = handles.map((h) => escapeRegExp(h.trim().replace(/^@/, ''))).filter((h) => h.length > 0);
  if (names.length === 0) return false;
  return new RegExp(`(^|[^\\p{L}\\p{N}_])@(${names.join('|')})(?![\\p{L}\\p{N}_])`, 'iu').test(text);
}

/** The signals in a post, in the order of `engagementReasons`. */
export function detectSignals(input: RecommendationInput, policy: EngagementPolicy): EngagementReason[] {
  const found = new Set<EngagementReason>();
  const labels = input.labels;
  const complaint = labels?.complaint ?? false;
  const asking = labels?.intent === 'question' || labels?.intent === 'request';
  if (input.ownedChannel || input.repliesToBrand || mentionsHandle(input.text, policy.brandHandles)) found.add('addressed_to_brand');
  if (complaint) found.add('customer_problem');
  if (asking) found.add('question');
  if (labels?.intent === 'spam') found.add('spam');
  if (!complaint && !asking && jokePattern.test(input.text)) found.add('joke');
  if (!complaint && !asking && trollPattern.test(input.text)) found.add('troll');
  if (!input.ownedChannel && input.ruleTags.length > 0 && !input.ruleTags.some((t) => t === 'brand' || t === 'product')) found.add('not_about_brand');
  if (input.answeredByOther) found.add('answered_by_other');
  return engagementReasons.filter((r) => found.has(r));
}

/** Decides from signals under a policy: the weights of the signals add up; engageAt / ignoreAt split the sum. */
export function decideEngagement(signals: readonly EngagementReason[], policy: EngagementPolicy): EngagementRecommendation {
  const reasons = [...new Set(signals)]
    .map((code) => ({ code, weight: policy.weights[code], text: reasonText[code] }))
    .filter((r) => r.weight !== 0)
    .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight));
  const score = Math.round(reasons.reduce((sum, r) => sum + r.weight, 0) * 100) / 100;
  const action: EngagementAction = score >= policy.engageAt ? 'engage' : score <= policy.ignoreAt ? 'ignore' : 'monitor';
  return { action, score, reasons, signals: engagementReasons.filter((r) => signals.includes(r)) };
}

export function recommendEngagement(input: RecommendationInput, policy: EngagementPolicy): EngagementRecommendation {
  return decideEngagement(detectSignals(input, policy), policy);
}
