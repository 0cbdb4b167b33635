import { z } from 'zod';
import { intents, sentiments } from './labels.ts';

/**
 * One agent correction, one JSON object per line of a feedback file:
 * `{"text": "...", "complaint": true, "sentiment": "negative", "messageId": "...", "correctedBy": "...", "correctedAt": "..."}`.
 * Only `text` and at least one label are required. Complaint and sentiment corrections retrain the models; intent and
 * topic corrections are kept for review of the rules (those heads are not trained).
 */
export const correctionSchema = z
  .object({
    text: z.string().min(1).max(10_000),
    complaint: z.boolean().optional(),
    sentiment: z.enum(sentiments).optional(),
    intent: z.enum(intents).optional(),
    topics: z.array(z.string().min(1)).optional(),
    messageId: z.string().optional(),
    workspaceId: z.string().optional(),
    correctedBy: z.string().optional(),
    correctedAt: z.string().optional(),
  })
  .refine((c) => c.complaint !== undefined || c.sentiment !== undefined || c.intent !== undefined || c.topics !== undefined, {
    message: 'a correction needs at least one label (complaint, sentiment, intent or topics)',
  });
export type Correction = z.infer<typeof correctionSchema>;

export interface FeedbackParseResult {
  corrections: Correction[];
  errors: { line: number; message: string }[];
}

/** Parses a feedback JSONL file; bad lines are reported, not fatal. */
export function parseFeedbackJsonl(content: string): FeedbackParseResult {
  const corrections: Correction[] = [];
  const errors: FeedbackParseResult['errors'] = [];
  content.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      errors.push({ line: i + 1, message: 'not valid JSON' });
      return;
    }
    const parsed = correctionSchema.safeParse(json);
    if (parsed.success) corrections.push(parsed.data);
    else errors.push({ line: i + 1, message: parsed.error.issues.map((issue) => issue.message).join('; ') });
  });
  return { corrections, errors };
}

/** The JSONL line for a correction: what the API appends when an agent fixes a label. */
export function formatCorrectionLine(correction: Correction): string {
  return JSON.stringify(correctionSchema.parse(correction));
}
