import { z } from 'zod';
import { composerChannels, measureLength } from './length.rules.ts';
import type { LengthOptions, LengthReport } from './length.rules.ts';
import { findPersonalData } from './pii.detector.ts';
import type { PersonalDataFinding } from './pii.detector.ts';
import { checkTone } from './tone.guard.ts';
import type { ToneFinding } from './tone.guard.ts';

export const draftSchema = z
  .object({
    text: z.string().max(100_000),
    channel: z.enum(composerChannels),
    public: z.boolean(),
    inReplyToComplaint: z.boolean(),
  })
  .strict();

export type Draft = z.infer<typeof draftSchema>;

export interface DraftReview {
  length: Pick<LengthReport, 'count' | 'limit' | 'ok'>;
  personalDataInPublic: boolean;
  personalData: PersonalDataFinding[];
  findings: ToneFinding[];
}

/** Everything Parley checks in a draft before it may be sent: length by the platform's rule, personal data, tone. */
export function reviewDraft(draft: Draft, options: LengthOptions = {}): DraftReview {
  const { count, limit, ok } = measureLength(draft.text, draft.channel, options);
  const personalData = findPersonalData(draft.text);
  return {
    length: { count, limit, ok },
    personalDataInPublic: draft.public && personalData.length > 0,
    personalData,
    findings: checkTone(draft, options),
  };
}
