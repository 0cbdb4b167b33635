import { ChannelBadge } from '../../../components/channel-badge.tsx';
import { Chip } from '../../../components/chip.tsx';
import type { ChipTone } from '../../../components/chip.tsx';
import { Link } from '../../../components/link.tsx';
import { PostText } from '../../../components/post-text.tsx';
import { useAction } from '../../../lib/use-action.ts';
import { formatDateTime } from '../../../lib/time.ts';
import type { MatchedPost } from '../../../lib/wire.types.ts';
import { LabelChips } from '../../cases/components/label-chips.tsx';
import { convertPost } from '../api.ts';
import { readRecommendation } from '../recommendation.ts';

const recommendationTone: Record<string, ChipTone> = { engage: 'bad', monitor: 'warn', ignore: 'neutral' };
const tagTone: Record<string, ChipTone> = { brand: 'info', product: 'info', competitor: 'warn', other: 'neutral' };

interface PostCardProps {
  post: MatchedPost;
  fresh: boolean;
  onConverted(messageId: string, caseId: string): void;
}

/** One heard post: who said it where, the rules it matched, what the classifier made of it, and its case. */
export function PostCard({ post, fresh, onConverted }: PostCardProps) {
  const recommendation = readRecommendation(post.recommendation);
  const convert = useAction(async () => {
    const outcome = await convertPost(post.messageId);
    onConverted(post.messageId, outcome.caseId);
  });
  const author = post.author;
  const who = author ? (author.displayName && author.handle ? `${author.displayName} (@${author.handle})` : (author.displayName ?? (author.handle ? `@${author.handle}` : 'Unknown'))) : 'Unknown';
  return (
    <article className={`post-card${fresh ? ' fresh' : ''}`} data-message-id={post.messageId} aria-label={`Post by ${who}`}>
      <header className="message-head">
        <ChannelBadge kind={post.channel.kind} name={post.channel.name} />
        <strong className="author">{who}</strong>
        {author?.followerCount !== null && author?.followerCount !== undefined && (
          <span className="muted small">{author.followerCount.toLocaleString()} followers</span>
        )}
        {post.isReply && <Chip>reply</Chip>}
        <time dateTime={post.sentAt}>{formatDateTime(post.sentAt)}</time>
      </header>
      {post.rules.length > 0 && (
        <ul className="chips" aria-label="Matched rules">
          {post.rules.map((rule) => <li key={rule.id}><Chip tone={tagTone[rule.tag] ?? 'neutral'} title={`${rule.tag} rule`}>{rule.name}</Chip></li>)}
        </ul>
      )}
      <PostText text={post.text} />
      {post.labels && <LabelChips labels={post.labels} />}
      {recommendation && (
        <div className={`recommendation recommendation-${recommendation.action}`}>
          <Chip tone={recommendationTone[recommendation.action]}>
            <span data-testid="recommendation">recommended: {recommendation.action}</span>{recommendation.score !== null ? ` · score ${Math.round(recommendation.score)}` : ''}
          </Chip>
          {recommendation.reasons.length > 0 && <ul className="small">{recommendation.reasons.map((r) => <li key={r}>{r}</li>)}</ul>}
        </div>
      )}
      <footer className="post-actions">
        {post.caseId ? (
          <Link to={`/cases/${encodeURIComponent(post.caseId)}`}>Open case{post.caseStatus ? ` (${post.caseStatus})` : ''}</Link>
        ) : (
          <button type="button" className="primary" disabled={convert.busy} onClick={() => void convert.run()}>
            {convert.busy ? 'Converting…' : 'Convert to case'}
          </button>
        )}
        {convert.error && <span className="form-error" role="alert">{convert.error}</span>}
      </footer>
    </article>
  );
}
