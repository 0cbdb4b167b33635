export const identityKinds = ['handle', 'email', 'phone'] as const;
export type IdentityKind = (typeof identityKinds)[number];

export type SuggestionKind = 'merge' | 'identity';
export type SuggestionStatus = 'open' | 'accepted' | 'dismissed';

/** Why Parley thinks two records are one person, weakest reasons included; an agent decides. */
export type SuggestionEvidence =
  | 'contact_in_message' // an address given in a message, but only claims on both sides (or a merge raced it)
  | 'contact_in_transcript' // an address heard in a call or voicemail transcript
  | 'obfuscated_contact' // "jane [at] example [dot] com"
  | 'name_in_transcript' // "this is Jane Doe" in a transcript, matching a customer's name
  | 'same_display_name' // the same display name on another platform
  | 'similar_handle' // the same handle stem on another platform
  | 'merge_undone'; // exact evidence for a pair a supervisor already separated

export type MergeSource = 'evidence' | 'agent';

export interface IdentityView {
  id: string;
  kind: IdentityKind;
  platform: string;
  value: string;
  verified: boolean;
  createdAt: string;
}

export interface AuthorView {
  id: string;
  platform: string;
  externalId: string;
  handle: string | null;
  displayName: string | null;
  followerCount: number | null;
}

export interface SuggestionView {
  id: string;
  customerId: string;
  kind: SuggestionKind;
  otherCustomer: { id: string; displayName: string } | null;
  identity: { kind: IdentityKind; platform: string; value: string } | null;
  evidence: SuggestionEvidence;
  detail: string;
  messageId: string | null;
  status: SuggestionStatus;
  createdAt: string;
  decidedAt: string | null;
}

export interface MergeMoved {
  authorIds: string[];
  identityIds: string[];
  caseIds: string[];
  /** The survivor's flag before the merge: a vulnerable absorbed customer makes the survivor vulnerable. */
  survivorWasVulnerable: boolean;
}

export interface MergeView {
  id: string;
  survivorId: string;
  absorbedId: string;
  source: MergeSource;
  reason: string;
  moved: { authors: number; identities: number; cases: number };
  mergedBy: string | null;
  mergedAt: string;
  undoneAt: string | null;
  undoneBy: string | null;
}

export interface CaseHistoryItem {
  id: string;
  status: string;
  priority: string;
  severity: string;
  channel: { id: string; kind: string; name: string };
  subject: string;
  firstMessageAt: string;
  lastMessageAt: string;
  firstRespondedAt: string | null;
  resolvedAt: string | null;
}
