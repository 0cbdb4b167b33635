// The API's JSON shapes, shared with the server by type-only imports (erased from the bundle).
// When a presenter changes on the server, the web app stops type-checking instead of drifting silently.
export type { CaseSummary, CaseStatus, CaseDetail, TimelineMessage, NoteView, Priority } from '../../../src/features/cases/index.ts';
export type { Labels } from '../../../src/features/classification/index.ts';
export type { ChannelKind, ChannelView } from '../../../src/features/channels/index.ts';
export type { CustomerView } from '../../../src/features/identity/index.ts';
export type { StoredEvent, EventType } from '../../../src/features/events/index.ts';
export type { Role } from '../../../src/features/accounts/index.ts';

import type { Role } from '../../../src/features/accounts/index.ts';

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

/** Every endpoint wraps its answer in `data`; the queue adds a cursor. */
export interface DataEnvelope<T> {
  data: T;
}

export interface PageEnvelope<T> extends DataEnvelope<T[]> {
  nextCursor: string | null;
}
