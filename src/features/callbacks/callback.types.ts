export const callbackStatuses = ['scheduled', 'due', 'completed', 'canceled'] as const;
export type CallbackStatus = (typeof callbackStatuses)[number];

/** How a callback ended; `canceled` closes it without a call. */
export const callbackOutcomes = ['reached', 'no_answer', 'left_voicemail', 'wrong_number', 'canceled'] as const;
export type CallbackOutcome = (typeof callbackOutcomes)[number];

/** A callback as the API shows it. */
export interface CallbackView {
  id: string;
  caseId: string;
  phone: string | null;
  note: string | null;
  dueAt: string;
  status: CallbackStatus;
  outcome: CallbackOutcome | null;
  outcomeNote: string | null;
  createdBy: string;
  completedBy: string | null;
  createdAt: string;
  dueMarkedAt: string | null;
  completedAt: string | null;
}
