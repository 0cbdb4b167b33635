import type { KbMatch } from '../../../lib/wire.types.ts';

/** Policy articles for this case (its topic first, then words of the customer's last message), as plain text. */
export function KnowledgeSuggestions({ articles }: { articles: KbMatch[] }) {
  return (
    <section className="knowledge" aria-labelledby="knowledge-title">
      <h3 id="knowledge-title">Policy for this case</h3>
      {articles.length === 0 ? (
        <p className="muted small">No policy article matches this case.</p>
      ) : (
        <ul className="kb-list">
          {articles.map((article) => (
            <li key={article.id}>
              <details>
                <summary><strong>{article.title}</strong>{article.topics.length > 0 && <span className="muted small"> · {article.topics.join(', ')}</span>}</summary>
                <p className="kb-body">{article.body}</p>
              </details>
              {article.excerpt && <p className="muted small kb-excerpt">{article.excerpt}</p>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
