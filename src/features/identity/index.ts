export { resolveAuthor } from './author.repository.ts';
export type { AuthorInput, ResolvedAuthor } from './author.repository.ts';
export { findCustomer } from './customer.repository.ts';
export type { CustomerView } from './customer.repository.ts';
