export { resolveAuthor, identityValueOf } from './author.repository.ts';
export type { AuthorInput, ResolvedAuthor } from './author.repository.ts';
export { findCustomer } from './customer.repository.ts';
export type { CustomerView, CustomerListItem, CustomerRecord } from './customer.repository.ts';
export { linkEvidence } from './evidence.linker.ts';
export type { EvidenceInput, LinkOutcome } from './evidence.linker.ts';
export { extractEvidence, normalizeEmail, normalizePhone, phoneRegionOf } from './evidence.extractor.ts';
export type { ContactEvidence, ExtractedEvidence } from './evidence.extractor.ts';
export { undoMerge } from './customer-merge.service.ts';
export type { UndoResult } from './customer-merge.service.ts';
export {
  getCustomerDetail,
  findCustomers,
  addCustomerIdentity,
  mergeCustomersByHand,
  listCustomerSuggestions,
  rescanCustomerSuggestions,
  acceptSuggestion,
  dismissSuggestion,
  setCustomerVulnerable,
} from './customer.service.ts';
export type { CustomerDetail, CustomerPage, IdentityAdded, MergeOutcome, NewIdentity, SuggestionDecision } from './customer.service.ts';
export { identityKinds } from './identity.types.ts';
export type {
  IdentityKind,
  IdentityView,
  AuthorView,
  SuggestionView,
  SuggestionStatus,
  SuggestionEvidence,
  MergeView,
  CaseHistoryItem,
} from './identity.types.ts';
