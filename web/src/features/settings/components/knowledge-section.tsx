import { useState } from 'react';
import type { FormEvent } from 'react';
import { AsyncState } from '../../../components/async-state.tsx';
import { Chip } from '../../../components/chip.tsx';
import { useAction } from '../../../lib/use-action.ts';
import { useDebouncedValue } from '../../../lib/use-debounced-value.ts';
import { useResource } from '../../../lib/use-resource.ts';
import { formatDateTime } from '../../../lib/time.ts';
import type { KbArticle } from '../../../lib/wire.types.ts';
import { deleteArticle, fetchArticles, listOf, saveArticle } from '../api.ts';

function ArticleForm({ article, onSaved, onCancel }: { article: KbArticle | null; onSaved(): void; onCancel(): void }) {
  const [title, setTitle] = useState(article?.title ?? '');
  const [body, setBody] = useState(article?.body ?? '');
  const [topics, setTopics] = useState(article?.topics.join(', ') ?? '');
  const save = useAction(async () => {
    await saveArticle(article?.id ?? null, { title: title.trim(), body: body.trim(), topics: listOf(topics) });
    onSaved();
  });
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void save.run();
  }
  return (
    <form className="stack settings-form" onSubmit={submit} aria-label={article ? `Edit ${article.title}` : 'New article'}>
      <label>Title<input value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={200} autoFocus /></label>
      <label>Topics (the case topics it answers)<input value={topics} onChange={(e) => setTopics(e.target.value)} placeholder="billing, refunds" /></label>
      <label>Policy (Markdown)<textarea rows={8} value={body} onChange={(e) => setBody(e.target.value)} required maxLength={50_000} /></label>
      {save.error && <p className="form-error" role="alert">{save.error}</p>}
      <div className="dialog-buttons">
        <button type="button" onClick={onCancel}>Cancel</button>
        <button type="submit" className="primary" disabled={save.busy}>{article ? 'Save article' : 'Add article'}</button>
      </div>
    </form>
  );
}

/** Policy articles agents see beside the composer; supervisors write them. */
export function KnowledgeSection({ canEdit }: { canEdit: boolean }) {
  const [q, setQ] = useState('');
  const query = useDebouncedValue(q, 250);
  const articles = useResource(`kb:${query}`, (signal) => fetchArticles(query, signal));
  const [editing, setEditing] = useState<KbArticle | 'new' | null>(null);
  const remove = useAction(async (article: KbArticle) => {
    if (!window.confirm(`Delete "${article.title}"?`)) return;
    await deleteArticle(article.id);
    articles.reload();
  });
  return (
    <section aria-labelledby="kb-title">
      <div className="panel-head">
        <h2 id="kb-title">Knowledge base</h2>
        {canEdit && editing === null && <button type="button" onClick={() => setEditing('new')}>New article</button>}
      </div>
      <label className="inline">Search<input type="search" value={q} onChange={(e) => setQ(e.target.value)} /></label>
      {editing !== null && (
        <ArticleForm key={editing === 'new' ? 'new' : editing.id} article={editing === 'new' ? null : editing}
          onCancel={() => setEditing(null)} onSaved={() => { setEditing(null); articles.reload(); }} />
      )}
      <AsyncState loading={articles.loading && !articles.data} error={articles.error} status={articles.status} onRetry={articles.reload}>
        {(articles.data ?? []).length === 0 ? <p className="muted">No articles{query ? ' match' : ' yet'}.</p> : (
          <ul className="card-list">
            {(articles.data ?? []).map((a) => (
              <li key={a.id} className="panel">
                <details>
                  <summary><strong>{a.title}</strong> <span className="muted small">updated {formatDateTime(a.updatedAt)}</span></summary>
                  <p className="kb-body">{a.body}</p>
                </details>
                {a.topics.length > 0 && <ul className="chips">{a.topics.map((t) => <li key={t}><Chip>{t}</Chip></li>)}</ul>}
                {canEdit && (
                  <div className="row">
                    <button type="button" onClick={() => setEditing(a)}>Edit</button>
                    <button type="button" className="danger" disabled={remove.busy} onClick={() => void remove.run(a)}>Delete</button>
                  </div>
                )}
              </li>
            ))}
          </ul>
        )}
      </AsyncState>
      {remove.error && <p className="form-error" role="alert">{remove.error}</p>}
    </section>
  );
}
