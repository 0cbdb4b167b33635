import type { Intent, Labels, Sentiment, StoredEvent } from '../../lib/wire.types.ts';
import { intents, sentiments } from '../../lib/wire.values.ts';

/** What agents said a message really is: the latest value of each label they corrected. */
export interface AppliedCorrection {
  complaint?: boolean;
  sentiment?: Sentiment;
  intent?: Intent;
  topics?: string[];
  correctedBy: string | null;
  correctedAt: string;
}

const isSentiment = (value: unknown): value is Sentiment => sentiments.some((s) => s === value);
const isIntent = (value: unknown): value is Intent => intents.some((i) => i === value);

/** Folds the case's `message.labels_corrected` events (oldest first) into one correction per message. */
export function correctionsByMessage(events: readonly StoredEvent[]): Map<string, AppliedCorrection> {
  const out = new Map<string, AppliedCorrection>();
  for (const event of events) {
    if (event.type !== 'message.labels_corrected') continue;
    const data = event.data;
    if (typeof data.messageId !== 'string') continue;
    const previous = out.get(data.messageId);
    const next: AppliedCorrection = { ...previous, correctedBy: event.actorUserId, correctedAt: event.createdAt };
    if (typeof data.complaint === 'boolean') next.complaint = data.complaint;
    if (isSentiment(data.sentiment)) next.sentiment = data.sentiment;
    if (isIntent(data.intent)) next.intent = data.intent;
    if (Array.isArray(data.topics)) next.topics = data.topics.filter((t): t is string => typeof t === 'string');
    out.set(data.messageId, next);
  }
  return out;
}

export interface EffectiveLabels {
  complaint: boolean;
  sentiment: Sentiment;
  intent: Intent;
  topics: string[];
}

/** The labels to show: an agent's correction wins over the model's. */
export function effectiveLabels(labels: Labels, correction: AppliedCorrection | undefined): EffectiveLabels {
  return {
    complaint: correction?.complaint ?? labels.complaint,
    sentiment: correction?.sentiment ?? labels.sentiment,
    intent: correction?.intent ?? labels.intent,
    topics: correction?.topics ?? labels.topics,
  };
}
