export { composerChannels, composerChannelFor, measureLength, countGraphemes, countSmsSegments, platformLimits } from './length.rules.ts';
export type { ComposerChannel, LengthOptions, LengthReport, SmsSegments } from './length.rules.ts';
export { splitIntoThread, withRequiredMentions } from './thread.splitter.ts';
export { findPersonalData } from './pii.detector.ts';
export type { PersonalDataFinding, PersonalDataKind } from './pii.detector.ts';
export { checkTone, toneKinds } from './tone.guard.ts';
export type { ToneFinding, ToneKind, ToneInput } from './tone.guard.ts';
export { reviewDraft, draftSchema } from './check-reply.ts';
export type { Draft, DraftReview } from './check-reply.ts';
