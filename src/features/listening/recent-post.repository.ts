import type { Queryable } from '../../platform/db/db.ts';

/** A stored inbound message, shaped for trying a rule against it. */
export interface RecentPost {
  messageId: string;
  channelId: string;
  channelKind: string;
  text: string;
  authorHandle: string | null;
  isReply: boolean;
  lang: string | null;
  sentAt: string;
}

/** The workspace's latest inbound messages, newest first. */
export async function listRecentPosts(db: Queryable, workspaceId: string, limit: number): Promise<RecentPost[]> {
  const rows = await db.query<{
    id: string;
    channel_id: string;
    channel_kind: string;
    text: string;
    handle: string | null;
    reply_to_external_id: string | null;
    lang: string | null;
    sent_at: Date | string;
  }>(
    `SELECT m.id, m.channel_id, c.kind AS channel_kind, m.text, a.handle, m.reply_to_external_id,
            m.labels->>'lang' AS lang, m.sent_at
     FROM message m
     JOIN channel c ON c.workspace_id = m.workspace_id AND c.id = m.channel_id
     LEFT JOIN author a ON a.workspace_id = m.workspace_id AND a.id = m.author_id
     WHERE m.workspace_id = $1 AND m.direction = 'inbound'
     ORDER BY m.sent_at DESC, m.id DESC
     LIMIT $2`,
    [workspaceId, limit],
  );
  return rows.map((r) => ({
    messageId: r.id,
    channelId: r.channel_id,
    channelKind: r.channel_kind,
    text: r.text,
    authorHandle: r.handle,
    isReply: r.reply_to_external_id !== null,
    lang: r.lang,
    sentAt: (r.sent_at instanceof Date ? r.sent_at : new Date(r.sent_at)).toISOString(),
  }));
}
