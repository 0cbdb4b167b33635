import type { ReactNode } from 'react';
import type { DraftCheck } from '../../../lib/wire.types.ts';

interface Span {
  start: number;
  end: number;
  /** 1-based number of the finding in the list below the preview. */
  number: number;
  kind: string;
  title: string;
}

/**
 * The draft as text nodes, with every finding's span marked: the text is cut at each span's edges, each piece is
 * marked when any finding covers it, and a finding's number follows the end of its span, so overlapping findings
 * ("Actually, you should have…") each keep a visible, numbered mark.
 */
function markedText(text: string, spans: Span[]): ReactNode[] {
  const marked = spans.filter((s) => s.end > s.start && s.start < text.length);
  const edges = [...new Set([0, text.length, ...marked.flatMap((s) => [s.start, Math.min(s.end, text.length)])])].sort((a, b) => a - b);
  const out: ReactNode[] = [];
  for (let i = 0; i < edges.length - 1; i += 1) {
    const from = edges[i];
    const to = edges[i + 1];
    const covering = marked.filter((s) => s.start <= from && s.end >= to);
    const piece = text.slice(from, to);
    if (covering.length === 0) {
      out.push(piece);
      continue;
    }
    const ending = covering.filter((s) => Math.min(s.end, text.length) === to);
    out.push(
      <mark key={from} className={`finding finding-${covering[0].kind}`} title={covering.map((s) => s.title).join(' · ')}>
        {piece}
        {ending.map((s) => <sup key={s.number} aria-label={`finding ${s.number}`}>{s.number}</sup>)}
      </mark>,
    );
  }
  return out;
}

const personalDataText: Record<string, string> = {
  email: 'an email address',
  phone: 'a phone number',
  'account-number': 'an account or reference number',
  'card-number': 'a card number',
  address: 'a street address',
};

/**
 * What Parley found in the draft: length against the channel's rule, a preview of the thread it would become,
 * personal data in public, and tone findings shown at their spans with a suggested rewrite each.
 */
export function DraftReviewView({ review, stale }: { review: DraftCheck; stale: boolean }) {
  // Whole-draft findings (too long, no acknowledgement) are listed but not marked: there is no span to point at.
  const findings = review.findings.map((f, i) => ({ ...f, number: i + 1 }));
  const spans: Span[] = [
    ...findings
      .filter((f) => f.kind !== 'too-long' && f.end > f.start)
      .map((f) => ({ start: f.start, end: f.end, number: f.number, kind: f.kind, title: f.message })),
    ...review.personalData.map((p, i) => ({
      start: p.start, end: p.end, number: findings.length + i + 1, kind: 'personal-data', title: `Personal data: ${personalDataText[p.kind] ?? p.kind}`,
    })),
  ];
  const hasMarks = spans.some((s) => s.end > s.start);
  return (
    <div className={`draft-review${stale ? ' stale' : ''}`} aria-busy={stale}>
      {review.blocked && <p className="error-banner" role="alert">{review.blocked}</p>}
      {hasMarks && (
        <div className="draft-preview" aria-label="Draft with findings marked">
          <p className="post-text">{markedText(review.text, spans)}</p>
        </div>
      )}
      {(findings.length > 0 || review.personalData.length > 0) && (
        <ol className="findings" aria-label="Findings">
          {findings.map((f) => (
            <li key={`${f.kind}-${f.start}-${f.number}`} className={`finding-item finding-${f.kind}`}>
              <strong>{f.kind.replace(/-/g, ' ')}</strong>
              {f.end > f.start && f.kind !== 'too-long' && <> — “{review.text.slice(f.start, f.end)}”</>}: {f.message}
              <div className="suggestion">Try: {f.suggestion}</div>
            </li>
          ))}
          {review.personalData.map((p, i) => (
            <li key={`pd-${p.start}-${i}`} className="finding-item finding-personal-data">
              <strong>personal data</strong> — “{review.text.slice(p.start, p.end)}”: {personalDataText[p.kind] ?? p.kind}
              {review.public ? ' must not be posted in public.' : ' (fine in a private reply).'}
            </li>
          ))}
        </ol>
      )}
      {review.thread && review.thread.length > 1 && (
        <div className="thread-preview">
          <h4>Too long for one post: as a thread of {review.thread.length}</h4>
          <ol>
            {review.thread.map((part, i) => <li key={i} className="post-text">{part}</li>)}
          </ol>
        </div>
      )}
    </div>
  );
}
