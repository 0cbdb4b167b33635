import type { HoldReason } from './reply.types.ts';

/**
 * The rules that hold a reply for a supervisor before it can leave Parley. Pure: the service gathers the facts
 * (the author's reach, the words on both sides, the monitoring rules the customer's message matched) and this
 * decides.
 */

export const defaultFollowerThreshold = 100_000;

/** Words that mean a conversation may have legal or financial consequences. Matched as whole words. */
export const defaultLegalTerms = [
  'lawyer',
  'lawyers',
  'attorney',
  'attorneys',
  'solicitor',
  'solicitors',
  'sue',
  'suing',
  'sued',
  'lawsuit',
  'legal action',
  'court',
  'courts',
  'small claims',
  'tribunal',
  'ombudsman',
  'compensation',
  'compensate',
  'litigation',
  'class action',
  'regulator',
  'liable',
  'liability',
] as const;

export interface ApprovalSettings {
  /** Authors with at least this many followers are high reach. */
  followerThreshold: number;
  /** Terms added by the workspace to the default list. */
  extraLegalTerms: string[];
}

export const defaultApprovalSettings: ApprovalSettings = { followerThreshold: defaultFollowerThreshold, extraLegalTerms: [] };

export interface ApprovalFacts {
  replyText: string;
  /** The customer's message being answered, when there is one. */
  customerText: string | null;
  authorFollowers: number | null;
  authorHandle: string | null;
  /** Monitoring rules tagged `competitor` that the customer's message matched. */
  competitorRules: { id: string; name: string }[];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The legal terms found in `text`, lower-cased, in order of first appearance. */
export function findLegalTerms(text: string, extraTerms: readonly string[] = []): string[] {
  const terms = [...defaultLegalTerms, ...extraTerms.map((t) => t.trim().toLowerCase()).filter((t) => t.length > 0)];
  const found: { term: string; at: number }[] = [];
  for (const term of new Set(terms)) {
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(term).replace(/\s+/g, '\\s+')}(?![\\p{L}\\p{N}])`, 'iu');
    const match = pattern.exec(text);
    if (match) found.push({ term, at: match.index });
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.term);
}

/** Every reason to hold this reply; empty when it may go straight out. */
export function evaluateHold(facts: ApprovalFacts, settings: ApprovalSettings): HoldReason[] {
  const reasons: HoldReason[] = [];
  if (facts.authorFollowers !== null && facts.authorFollowers >= settings.followerThreshold) {
    const who = facts.authorHandle ? `@${facts.authorHandle.replace(/^@/, '')}` : 'the author';
    reasons.push({
      rule: 'high_reach',
      message: `${who} has ${facts.authorFollowers.toLocaleString('en-US')} followers (threshold ${settings.followerThreshold.toLocaleString('en-US')})`,
    });
  }
  const inReply = findLegalTerms(facts.replyText, settings.extraLegalTerms);
  const inMessage = facts.customerText ? findLegalTerms(facts.customerText, settings.extraLegalTerms) : [];
  if (inReply.length > 0 || inMessage.length > 0) {
    const parts: string[] = [];
    if (inMessage.length > 0) parts.push(`the customer wrote ${inMessage.map((t) => `"${t}"`).join(', ')}`);
    if (inReply.length > 0) parts.push(`the reply says ${inReply.map((t) => `"${t}"`).join(', ')}`);
    reasons.push({ rule: 'legal_terms', message: `legal terms: ${parts.join('; ')}` });
  }
  if (facts.competitorRules.length > 0) {
    reasons.push({
      rule: 'competitor_customer',
      message: `the customer's message matched competitor rule ${facts.competitorRules.map((r) => `"${r.name}"`).join(', ')}: an offer to a competitor's customer needs approval`,
    });
  }
  return reasons;
}
