import type { MatchablePost } from './rule.types.ts';

/** The verdict on one post: whether the workspace hears it, and which of its rules it matched. */
export interface ListeningVerdict {
  pass: boolean;
  matchedRuleIds: string[];
}

/** A post offered to listening: what the matcher reads, plus whose it is. Connectors fill the optional fields. */
export interface PostForListening extends MatchablePost {
  workspaceId: string;
  owned: boolean;
}

export interface ListeningMatcher {
  match(post: PostForListening): ListeningVerdict;
  /** Reloads the rules now (after a rule change in this process); matchers without rules need not have it. */
  reload?(): Promise<void>;
  /** Stops background work (rule polling). */
  close?(): void;
}
