import type { Db, Queryable } from '../../platform/db/db.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { Principal } from '../accounts/index.ts';
import { correctionSchema, formatCorrectionLine } from '../classification/index.ts';
import type { Intent, Sentiment } from '../classification/index.ts';
import { appendEvent } from '../events/index.ts';
import { findCorrectableMessage, listStoredCorrections } from './label-correction.repository.ts';

export interface LabelCorrectionInput {
  complaint?: boolean;
  sentiment?: Sentiment;
  intent?: Intent;
  topics?: string[];
}

export interface LabelCorrectionView extends LabelCorrectionInput {
  messageId: string;
  caseId: string | null;
  correctedBy: string;
  correctedAt: string;
}

/**
 * An agent says what a message really is. The message keeps the labels its model gave (with the model version);
 * the correction is an event on the case, which the case page shows over the model's labels and the export below
 * turns into training lines for `parley train --with-feedback`.
 */
export async function correctLabels(db: Db, principal: Principal, messageId: string, input: LabelCorrectionInput, now: Date): Promise<LabelCorrectionView> {
  const ws = principal.workspaceId;
  const message = await findCorrectableMessage(db, ws, messageId);
  if (!message) throw notFound('message');
  if (!message.labels) throw new AppError('validation_failed', 'this message was never classified', [{ path: 'id', message: 'no labels' }]);
  const previous = message.labels;
  const correction: LabelCorrectionInput = {};
  if (input.complaint !== undefined) correction.complaint = input.complaint;
  if (input.sentiment !== undefined) correction.sentiment = input.sentiment;
  if (input.intent !== undefined) correction.intent = input.intent;
  if (input.topics !== undefined) correction.topics = [...new Set(input.topics)];
  await db.transaction(async (tx) => {
    await appendEvent(tx, {
      workspaceId: ws,
      type: 'message.labels_corrected',
      caseId: message.caseId,
      actorUserId: principal.userId,
      data: {
        messageId,
        ...correction,
        previous: { complaint: previous.complaint, sentiment: previous.sentiment, intent: previous.intent, topics: previous.topics, modelVersion: previous.modelVersion },
      },
    });
  });
  return { messageId, caseId: message.caseId, ...correction, correctedBy: principal.userId, correctedAt: now.toISOString() };
}

/**
 * The workspace's corrections as a feedback file (one JSON object per line, `correctionSchema`). A stored event that
 * no longer reads as a correction is left out rather than breaking the file.
 */
export async function exportCorrections(db: Queryable, workspaceId: string, limit: number): Promise<string> {
  const lines: string[] = [];
  for (const stored of await listStoredCorrections(db, workspaceId, limit)) {
    const parsed = correctionSchema.safeParse({
      text: stored.text,
      complaint: stored.data.complaint,
      sentiment: stored.data.sentiment,
      intent: stored.data.intent,
      topics: stored.data.topics,
      messageId: stored.messageId,
      correctedBy: stored.correctedBy ?? undefined,
      correctedAt: stored.correctedAt.toISOString(),
    });
    if (parsed.success) lines.push(formatCorrectionLine(parsed.data));
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
