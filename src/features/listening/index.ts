/**
 * Listening decides whether a public post concerns the workspace (see docs/LISTENING.md once rules land).
 * Messages on owned channels — the brand's own accounts and inboxes — always pass.
 */
export interface ListeningVerdict {
  pass: boolean;
  matchedRuleIds: string[];
}

export interface PostForListening {
  workspaceId: string;
  owned: boolean;
  text: string;
  authorHandle: string | null;
  isReply: boolean;
}

export interface ListeningMatcher {
  match(post: PostForListening): ListeningVerdict;
}

/** Until a workspace has monitoring rules every post is heard; owned channels always pass. */
export function createPassThroughMatcher(): ListeningMatcher {
  return { match: () => ({ pass: true, matchedRuleIds: [] }) };
}
