import type { TwcsTweet } from './twcs.schema.ts';

export interface PlannedTweet extends TwcsTweet {
  /** The tweet this one answers (it may lie outside the file), or null for a first contact. */
  replyTo: string | null;
}

export interface ImportPlan {
  /** Unique tweets in import order: by time, and every reply after the parent it links to. */
  ordered: PlannedTweet[];
  /**
   * `ordered` split into groups that share nothing the ingest pipeline threads by: no reply link and no customer
   * spans two groups, so groups may be ingested concurrently, each one in order.
   */
  groups: PlannedTweet[][];
  /** Later rows that repeat a tweet id; the first row wins. */
  duplicates: TwcsTweet[];
  /** Connected components of the reply links among the file's tweets. */
  threads: number;
  /** Distinct customer authors (inbound rows). */
  customers: number;
}

class UnionFind {
  private readonly parent: number[];

  constructor(size: number) {
    this.parent = Array.from({ length: size }, (_, i) => i);
  }

  find(i: number): number {
    let root = i;
    while (this.parent[root] !== root) root = this.parent[root];
    // Path compression keeps later finds flat.
    let node = i;
    while (this.parent[node] !== root) {
      const next = this.parent[node];
      this.parent[node] = root;
      node = next;
    }
    return root;
  }

  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[rb] = ra;
  }
}

/** Orders decimal id strings numerically without converting them (ids may exceed 2^53). */
export function compareTweetIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Reconstructs threads from the reply links. A reply's parent is `in_response_to_tweet_id`; when that is empty but
 * another tweet lists this one in its `response_tweet_id`, that tweet is the parent.
 */
export function planTwcsImport(tweets: readonly TwcsTweet[]): ImportPlan {
  const byId = new Map<string, TwcsTweet>();
  const duplicates: TwcsTweet[] = [];
  for (const tweet of tweets) {
    if (byId.has(tweet.tweetId)) duplicates.push(tweet);
    else byId.set(tweet.tweetId, tweet);
  }
  const listedBy = new Map<string, string>();
  for (const tweet of byId.values()) {
    for (const child of tweet.responseIds) {
      if (child !== tweet.tweetId && !listedBy.has(child)) listedBy.set(child, tweet.tweetId);
    }
  }
  const planned = new Map<string, PlannedTweet>();
  for (const tweet of byId.values()) {
    planned.set(tweet.tweetId, { ...tweet, replyTo: tweet.inResponseTo ?? listedBy.get(tweet.tweetId) ?? null });
  }

  const ordered = orderParentsFirst(planned);
  const index = new Map(ordered.map((t, i) => [t.tweetId, i]));
  const links = new UnionFind(ordered.length);
  ordered.forEach((tweet, i) => {
    const parent = tweet.replyTo === null ? undefined : index.get(tweet.replyTo);
    if (parent !== undefined) links.union(i, parent);
  });
  const threads = new Set(ordered.map((_, i) => links.find(i))).size;

  // Threading also joins a customer's messages across reply chains (their open case), so one customer's
  // tweets must stay in one group.
  const firstOfAuthor = new Map<string, number>();
  ordered.forEach((tweet, i) => {
    if (!tweet.inbound) return;
    const first = firstOfAuthor.get(tweet.authorId);
    if (first === undefined) firstOfAuthor.set(tweet.authorId, i);
    else links.union(first, i);
  });
  const groupsByRoot = new Map<number, PlannedTweet[]>();
  ordered.forEach((tweet, i) => {
    const root = links.find(i);
    const group = groupsByRoot.get(root);
    if (group) group.push(tweet);
    else groupsByRoot.set(root, [tweet]);
  });

  return { ordered, groups: [...groupsByRoot.values()], duplicates, threads, customers: firstOfAuthor.size };
}

function orderParentsFirst(planned: Map<string, PlannedTweet>): PlannedTweet[] {
  const byTime = [...planned.values()].sort(
    (a, b) => a.createdMs - b.createdMs || compareTweetIds(a.tweetId, b.tweetId),
  );
  const emitted = new Set<string>();
  const ordered: PlannedTweet[] = [];
  for (const tweet of byTime) {
    // A parent dated after its reply (clock skew, or a cycle of bad links) is pulled forward to go first.
    const chain: PlannedTweet[] = [];
    const onChain = new Set<string>();
    let current: PlannedTweet | undefined = tweet;
    while (current && !emitted.has(current.tweetId) && !onChain.has(current.tweetId)) {
      chain.push(current);
      onChain.add(current.tweetId);
      current = current.replyTo === null ? undefined : planned.get(current.replyTo);
    }
    for (let i = chain.length - 1; i >= 0; i -= 1) {
      emitted.add(chain[i].tweetId);
      ordered.push(chain[i]);
    }
  }
  return ordered;
}
