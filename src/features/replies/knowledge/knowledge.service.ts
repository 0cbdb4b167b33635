import type { Queryable } from '../../../platform/db/db.ts';
import { suggestArticles } from './knowledge.repository.ts';
import type { KbMatch } from './knowledge.repository.ts';

const maxTerms = 24;
const stopWords = new Set(
  'a an and are as at be been but by can could did do does for from had has have he her his how i if in into is it its me my no not of on or our please she so than that the their them then there they this to too up us was we were what when where which who why will with would you your just still again yet any all get got im ive dont cant wont'.split(' '),
);

/** The words of a customer's message worth searching for: lowercase letters and digits only, no stop words. */
export function searchTermsOf(text: string): string[] {
  const words = text.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '').match(/[a-z0-9]{3,30}/g) ?? [];
  const terms: string[] = [];
  for (const word of words) {
    if (stopWords.has(word) || terms.includes(word)) continue;
    terms.push(word);
    if (terms.length >= maxTerms) break;
  }
  return terms;
}

/** Policy articles an agent should read before answering this case: by its topic and the customer's words. */
export function suggestForCase(db: Queryable, workspaceId: string, input: { topic: string | null; text: string }, limit = 3): Promise<KbMatch[]> {
  return suggestArticles(db, workspaceId, searchTermsOf(input.text), input.topic, limit);
}
