/** The verdict on one post: whether the workspace hears it, and which of its rules it matched. */
export interface ListeningVerdict {
  pass: boolean;
  matchedRuleIds: string[];
}

/** A post offered to listening. Optional fields are filled by connectors that know them (docs/LISTENING.md). */
export interface PostForListening {
  workspaceId: string;
  owned: boolean;
  text: string;
  authorHandle: string | null;
  isReply: boolean;
  /** A repost (retweet, boost) rather than original text: `-is:repost` drops these. */
  isRepost?: boolean;
  /** The platform's language tag (`en`, `pt-BR`), for `lang:`. */
  lang?: string | null;
  /** Expanded link URLs (links written in the text are found as well), for `url:`. */
  urls?: readonly string[];
  /** Hashtags and mentions the platform marked up (Mastodon's `user@instance`), in addition to those in the text. */
  hashtags?: readonly string[];
  mentions?: readonly string[];
}

export interface ListeningMatcher {
  match(post: PostForListening): ListeningVerdict;
  /** Reloads the rules now (after a rule change in this process); matchers without rules need not have it. */
  reload?(): Promise<void>;
  /** Stops background work (rule polling). */
  close?(): void;
}
