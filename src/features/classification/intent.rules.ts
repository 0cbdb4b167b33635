import type { Intent, Sentiment } from './labels.ts';

// Intent is weakly supervised: the complaint model decides `complaint`; patterns decide the rest, in the order of
// what an agent must do about the message (spam is dropped, a complaint is handled, a request acted on, a question
// answered, praise and feedback acknowledged).
const spamPattern = /\b(giveaway|free followers|follow (me|back)|click (here|the link)|dm (me )?for (promo|collab)|crypto|bitcoin|forex|earn \$?\d+|promo code|limited offer|win a|onlyfans|casino|xxx)\b/i;
const requestPattern = /\b(please|pls|plz|can (you|u|someone)|could (you|u|someone)|would you|i (need|want|would like|'d like)|help me|dm me|call me|send me|let me know|how (do|can) i|i'd like to|kindly)\b/i;
const questionStart = /^(?:@\w+[\s,:]+)*(how|what|when|where|why|who|which|can|could|does|do|is|are|will|would|should|any)\b/i;
const feedbackPattern = /\b(suggest(ion)?|should (add|have|make|consider|bring)|would be (nice|great|good|better)|feature request|i wish|please add|why not|idea|feedback|improve)\b/i;
const praisePattern = /\b(thank(s| you)?|thx|love|great|awesome|amazing|excellent|brilliant|fantastic|kudos|well done|shout ?out|best)\b|❤|👍|🙌|👏/i;

export interface IntentInput {
  text: string;
  complaint: boolean;
  sentiment: Sentiment;
  hasUrl: boolean;
}

export function inferIntent({ text, complaint, sentiment, hasUrl }: IntentInput): Intent {
  const trimmed = text.trim();
  if (trimmed.length === 0) return 'other';
  if (spamPattern.test(trimmed) && (hasUrl || !complaint)) return 'spam';
  if (complaint) return 'complaint';
  if (requestPattern.test(trimmed)) return 'request';
  if (trimmed.includes('?') || questionStart.test(trimmed)) return 'question';
  if (sentiment === 'positive' && praisePattern.test(trimmed)) return 'praise';
  if (feedbackPattern.test(trimmed)) return 'feedback';
  if (sentiment === 'positive') return 'praise';
  return 'other';
}
