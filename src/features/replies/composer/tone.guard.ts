import { measureLength } from './length.rules.ts';
import type { ComposerChannel, LengthOptions } from './length.rules.ts';

export const toneKinds = ['argumentative', 'defensive', 'blaming', 'sarcasm', 'boilerplate', 'no-acknowledgement', 'too-long'] as const;
export type ToneKind = (typeof toneKinds)[number];

export interface ToneFinding {
  kind: ToneKind;
  start: number;
  end: number;
  message: string;
  suggestion: string;
}

export interface ToneInput {
  text: string;
  channel: ComposerChannel;
  public: boolean;
  inReplyToComplaint: boolean;
}

interface ToneRule {
  kind: Exclude<ToneKind, 'no-acknowledgement' | 'too-long'>;
  pattern: RegExp;
  message: string;
  suggestion: string;
}

// Phrase families care teams are trained to avoid. Each pattern is anchored on words, bounded, and case-insensitive;
// the labelled drafts in test/fixtures/tone-drafts.jsonl measure how well they generalise (docs/REPLIES.md).
const rules: ToneRule[] = [
  {
    kind: 'argumentative',
    pattern: /\b(?:that(?:'s| is) (?:simply |just )?(?:not true|incorrect|false|wrong)|you(?:'re| are) (?:wrong|mistaken|incorrect)|actually,? (?:you|that|we|it)|as (?:i|we) (?:already|previously) (?:said|explained|told you|mentioned)|with all due respect|let me be clear|you need to understand|contrary to what you)\b/i,
    message: 'This contradicts or argues with the customer.',
    suggestion: 'Acknowledge their view, then give the facts: "I can see why it looks that way — here is what happened…"',
  },
  {
    kind: 'defensive',
    pattern: /\b(?:(?:it|this) (?:is|was)(?:n't| not) (?:our|my) fault|not our (?:fault|problem|responsibility)|we (?:are|were)(?:n't| not) (?:responsible|to blame|liable)|we did (?:nothing|not do anything) wrong|(?:our|the) (?:policy|terms) (?:clearly|explicitly) (?:state|says?)|there(?:'s| is) nothing (?:we|i) can do|we (?:cannot|can't|can not) be held|(?:our|the) system (?:is|was) working (?:fine|correctly|as (?:intended|designed)))/i,
    message: 'This sounds defensive: it protects the company instead of helping the customer.',
    suggestion: 'Own the next step: "I\'m sorry this happened. Here is what I can do right now…"',
  },
  {
    kind: 'blaming',
    pattern: /\b(?:you should(?:'ve| have)|you (?:failed|forgot|neglected) to|(?:it(?:'s| is)|that(?:'s| is)) your (?:fault|own fault|responsibility)|if you had (?:read|checked|followed|paid)|you (?:did(?:n't| not)|never) (?:read|check|follow|pay|update|tell|contact)|user error|you must have (?:entered|typed|done|clicked|deleted|missed)|because you (?:didn't|did not|never))/i,
    message: 'This blames the customer.',
    suggestion: 'Describe the fix, not the mistake: "Let\'s get this sorted — the quickest way is…"',
  },
  {
    kind: 'sarcasm',
    pattern: /(?:\b(?:oh,? (?:great|wonderful|brilliant|sure)|good luck with that|nice try|thanks for nothing|congratulations(?: on)?|well done(?: you)?|as if|yeah,? right|sure,? because|how shocking|what a surprise|shocking, i know)\b|\b(?:obviously|clearly)\b(?=[^.!?]{0,40}\b(?:you|your)\b)|\/s\b|🙄|😏)/iu,
    message: 'This reads as sarcastic; in public it will be screenshotted.',
    suggestion: 'Say it plainly and kindly, without irony.',
  },
  {
    kind: 'boilerplate',
    pattern: /\b(?:we(?:'re| are) (?:committed|dedicated) to (?:improving|providing|delivering)|(?:your|this) call is important to us|(?:we )?apologi[sz]e for any inconvenience(?: (?:this|that) may have caused| caused)?|we value (?:your|all) (?:feedback|customers|business)|we take (?:this|these|your \w+|all \w+) (?:matters? )?(?:very |extremely )?seriously|we strive to|please be assured that|(?:rest|be) assured|we are always looking to improve|thank you for (?:your patience|bringing this to our attention) and understanding|for quality and training purposes|customer (?:experience|satisfaction) is (?:our|a) (?:top |number one |#1 )?priority)\b/i,
    message: 'Boilerplate: it says nothing this customer can use.',
    suggestion: 'Replace it with something specific: what you will do, and when.',
  },
];

const acknowledgement = /\b(?:sorry|apologi[sz]e|apologies|(?:i|we) (?:completely |totally |really )?understand|that(?:'s| is| sounds) (?:frustrating|annoying|not (?:ok|okay|good enough|right|acceptable)|awful|really (?:frustrating|annoying|disappointing))|must (?:be|have been) (?:frustrating|annoying|stressful)|thanks? (?:you )?for (?:letting us know|flagging|telling us|raising|reporting|your patience)|not the experience|(?:you(?:'re| are)|you were) right|(?:i|we) hear you|that shouldn't have happened|my apologies|our apologies)\b/i;

/** Reviews a draft before it is sent: findings with spans and a suggested rewrite for each. */
export function checkTone(input: ToneInput, options: LengthOptions = {}): ToneFinding[] {
  const findings: ToneFinding[] = [];
  for (const rule of rules) {
    const global = new RegExp(rule.pattern.source, `${rule.pattern.flags.replace('g', '')}g`);
    for (const match of input.text.matchAll(global)) {
      if (match.index === undefined) continue;
      findings.push({ kind: rule.kind, start: match.index, end: match.index + match[0].length, message: rule.message, suggestion: rule.suggestion });
    }
  }
  if (input.inReplyToComplaint && !acknowledgement.test(input.text)) {
    findings.push({
      kind: 'no-acknowledgement',
      start: 0,
      end: 0,
      message: 'The customer complained, and the reply neither apologises nor acknowledges the problem.',
      suggestion: 'Open with an acknowledgement: "Sorry about the trouble with … — that\'s frustrating."',
    });
  }
  const length = measureLength(input.text, input.channel, options);
  if (!length.ok) {
    findings.push({
      kind: 'too-long',
      start: 0,
      end: input.text.length,
      message: `The draft is ${length.count} ${length.unit}; the limit is ${length.limit}.`,
      suggestion: input.public ? 'Shorten it, split it into a numbered thread, or move the details to a private channel.' : 'Shorten it.',
    });
  }
  return findings.sort((a, b) => a.start - b.start);
}
