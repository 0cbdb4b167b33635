import type { Intent, Sentiment } from './labels.ts';
import { compileTriggers } from './trigger.matcher.ts';

// Intent is weakly supervised: the complaint model decides `complaint`; patterns decide the rest, in the order of
// what an agent must do about the message (spam is dropped, a complaint is handled, a request acted on, a question
// answered, praise and feedback acknowledged).
const spamPattern = /\b(giveaway|free followers|follow (me|back)|click (here|the link)|dm (me )?for (promo|collab)|crypto|bitcoin|forex|earn \$?\d+|promo code|limited offer|win a|onlyfans|casino|xxx)\b/i;
const requestPattern = /\b(please|pls|plz|can (you|u|someone)|could (you|u|someone)|would you|i (need|want|would like|'d like)|help me|dm me|call me|send me|let me know|how (do|can) i|i'd like to|kindly)\b/i;
const questionStart = /^(?:@\w+[\s,:]+)*(how|what|when|where|why|who|which|can|could|does|do|is|are|will|would|should|any)\b/i;
const feedbackPattern = /\b(suggest(ion)?|should (add|have|make|consider|bring)|would be (nice|great|good|better)|feature request|i wish|please add|why not|idea|feedback|improve)\b/i;
const praisePattern = /\b(thank(s| you)?|thx|love|great|awesome|amazing|excellent|brilliant|fantastic|kudos|well done|shout ?out|best)\b|❤|👍|🙌|👏/i;

// ASCII substrings of which every match of the pattern above contains at least one (see trigger.matcher.ts).
const spam = 0, request = 1, feedback = 2;
const scanTriggers = compileTriggers([
  ['giveaway', 'free followers', 'follow', 'click', 'dm', 'crypto', 'bitcoin', 'forex', 'earn', 'promo code', 'limited offer', 'win a', 'onlyfans', 'casino', 'xxx'],
  ['please', 'pls', 'plz', 'can ', 'could ', 'would you', 'i need', 'i want', 'i would like', "i'd like", 'help me', 'dm me', 'call me', 'send me', 'let me know', 'how do i', 'how can i', 'kindly'],
  ['suggest', 'should ', 'would be ', 'feature request', 'i wish', 'please add', 'why not', 'idea', 'feedback', 'improve'],
]);
/** The patterns and their triggers, for the test that keeps them in step. */
export const intentPatterns = { spam: spamPattern, request: requestPattern, feedback: feedbackPattern } as const;
export const intentTriggerGroups = { spam, request, feedback } as const;
export { scanTriggers as scanIntentTriggers };

export interface IntentInput {
  text: string;
  complaint: boolean;
  sentiment: Sentiment;
  hasUrl: boolean;
}

export function inferIntent({ text, complaint, sentiment, hasUrl }: IntentInput): Intent {
  const trimmed = text.trim();
  if (trimmed.length === 0) return 'other';
  const live = scanTriggers(trimmed);
  if ((live & (1 << spam)) !== 0 && spamPattern.test(trimmed) && (hasUrl || !complaint)) return 'spam';
  if (complaint) return 'complaint';
  if ((live & (1 << request)) !== 0 && requestPattern.test(trimmed)) return 'request';
  if (trimmed.includes('?') || questionStart.test(trimmed)) return 'question';
  if (sentiment === 'positive' && praisePattern.test(trimmed)) return 'praise';
  if ((live & (1 << feedback)) !== 0 && feedbackPattern.test(trimmed)) return 'feedback';
  if (sentiment === 'positive') return 'praise';
  return 'other';
}
