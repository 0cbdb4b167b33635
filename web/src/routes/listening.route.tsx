import { useEffect } from 'react';
import { navigate, useLocation } from '../lib/router.ts';
import { useResource } from '../lib/use-resource.ts';
import { hasRole } from '../lib/wire.values.ts';
import { fetchRules } from '../features/listening/api.ts';
import { PostCard } from '../features/listening/components/post-card.tsx';
import { RulesPanel } from '../features/listening/components/rules-panel.tsx';
import { useMatchedPosts } from '../features/listening/hooks/use-matched-posts.ts';
import { useSession } from '../features/session/hooks/use-session.ts';

/** What listening hears on the open web, live, and the rules that decide it. */
export function ListeningRoute() {
  const { session } = useSession();
  const { search } = useLocation();
  const ruleId = search.get('rule') ?? '';
  const unconverted = search.get('unconverted') === 'true';
  const rules = useResource('rules', fetchRules);
  const posts = useMatchedPosts({ ruleId, unconverted });

  useEffect(() => {
    document.title = 'Listening · Parley';
  }, []);

  function setFilter(next: { rule?: string; unconverted?: boolean }) {
    const params = new URLSearchParams();
    const rule = next.rule ?? ruleId;
    const only = next.unconverted ?? unconverted;
    if (rule) params.set('rule', rule);
    if (only) params.set('unconverted', 'true');
    const query = params.toString();
    navigate(`/listening${query ? `?${query}` : ''}`, { replace: true });
  }

  return (
    <section className="page listening-page" aria-labelledby="listening-title">
      <div className="page-head">
        <h1 id="listening-title">Listening</h1>
        <form className="filters" role="search" aria-label="Listening filters" onSubmit={(e) => e.preventDefault()}>
          <label>
            Rule
            <select value={ruleId} onChange={(e) => setFilter({ rule: e.target.value })}>
              <option value="">Every rule</option>
              {(rules.data ?? []).map((r) => <option key={r.id} value={r.id}>{r.name}</option>)}
            </select>
          </label>
          <label className="inline checkbox-filter">
            <input type="checkbox" checked={unconverted} onChange={(e) => setFilter({ unconverted: e.target.checked })} /> Only posts without a case
          </label>
        </form>
      </div>
      <p className="hint">Posts heard on channels you do not own, newest first, as they arrive. A post no case took (spam, or left to watch) can become one in one click.</p>
      <div className="listening-body">
        <section className="stream" aria-labelledby="stream-title">
          <h2 id="stream-title" className="visually-hidden">Matched posts</h2>
          {posts.error && <p className="error-banner" role="alert">Could not load posts: {posts.error} <button type="button" onClick={posts.refresh}>Retry</button></p>}
          <div aria-live="polite" className="visually-hidden">{posts.loading ? 'Loading posts' : `${posts.posts.length} posts shown`}</div>
          {posts.loading && posts.posts.length === 0 ? (
            <p className="empty">Loading…</p>
          ) : posts.posts.length === 0 ? (
            <p className="empty">Nothing heard yet. Posts that match a rule appear here as they arrive.</p>
          ) : (
            <ol className="post-stream">
              {posts.posts.map((post) => (
                <li key={post.messageId}>
                  <PostCard post={post} fresh={posts.freshIds.has(post.messageId)} onConverted={posts.markConverted} />
                </li>
              ))}
            </ol>
          )}
          {posts.nextCursor && <div className="load-more"><button type="button" onClick={posts.loadMore}>Load older posts</button></div>}
        </section>
        <RulesPanel rules={rules} canEdit={hasRole(session.user.role, 'supervisor')} />
      </div>
    </section>
  );
}
