import type { Db } from '../../platform/db/db.ts';

/**
 * Refreshes the planner statistics of the tables ingest reads while it writes. PGlite runs no autovacuum, so without
 * this the planner keeps the plans it chose for empty tables, and every lookup of a message by external id scans
 * the channel's messages: a bulk import then slows down with every row it adds.
 */
export async function refreshIngestStatistics(db: Db): Promise<void> {
  await db.exec('ANALYZE message, cases, author, customer, customer_identity, event');
}
