// The API's JSON shapes, shared with the server by type-only imports (erased from the bundle).
// When a presenter changes on the server, the web app stops type-checking instead of drifting silently.
export type { CaseSummary, CaseStatus, CaseDetail, TimelineMessage, NoteView, Priority } from '../../../src/features/cases/index.ts';
export type { CaseLockView, TeamView, TeamMemberView, AssignmentMode, SlaPolicy, EscalationPolicy, PriorityPolicy } from '../../../src/features/cases/index.ts';
export type { LabelCorrectionView, PostConversion } from '../../../src/features/cases/index.ts';
export type { Labels, Intent, Sentiment, FeatureContribution } from '../../../src/features/classification/index.ts';
export type { ChannelKind, ChannelView, ChannelHealth } from '../../../src/features/channels/index.ts';
export type {
  CustomerView, CustomerListItem, CustomerDetail, IdentityView, AuthorView, SuggestionView, MergeView, CaseHistoryItem,
  IdentityAdded, MergeOutcome, SuggestionDecision, UndoResult, IdentityKind,
} from '../../../src/features/identity/index.ts';
export type { StoredEvent, EventType } from '../../../src/features/events/index.ts';
export type { Role } from '../../../src/features/accounts/index.ts';
export type { ReplyView, ReplyStatus, ReplyThreadView, HoldReason, ApprovalSettings, PrivateMoveView, PrivateRoute } from '../../../src/features/replies/index.ts';
export type { ComposerChannel, DraftReview, ToneFinding, PersonalDataFinding } from '../../../src/features/replies/composer/index.ts';
export type { KbArticle, KbMatch } from '../../../src/features/replies/knowledge/knowledge.repository.ts';
export type { Macro } from '../../../src/features/replies/macros/macro.repository.ts';
export type { MonitoringRule, RuleTag, RuleTestResult, RecentPost, MatchedPost } from '../../../src/features/listening/index.ts';

import type { Role } from '../../../src/features/accounts/index.ts';
import type { ComposerChannel, DraftReview } from '../../../src/features/replies/composer/index.ts';
import type { KbMatch } from '../../../src/features/replies/knowledge/knowledge.repository.ts';

/** A user as `/api/v1/users` and `/api/v1/session` present them. */
export interface UserView {
  id: string;
  email: string;
  name: string;
  role: Role;
}

export interface SessionView {
  user: UserView;
  workspace: { id: string; slug: string; name: string };
  csrfToken: string | null;
}

/** `POST /api/v1/cases/:id/replies/check` (src/http/routes/composer): the review of a draft for a case. */
export interface DraftCheck extends DraftReview {
  channel: ComposerChannel;
  public: boolean;
  /** The draft as it would be sent (Mastodon adds the customer's handle); finding spans index into it. */
  text: string;
  blocked: string | null;
  thread: string[] | null;
  knowledge: KbMatch[];
}

/** Every endpoint wraps its answer in `data`; the queue adds a cursor. */
export interface DataEnvelope<T> {
  data: T;
}

export interface PageEnvelope<T> extends DataEnvelope<T[]> {
  nextCursor: string | null;
}
