import { useState } from 'react';
import type { FormEvent } from 'react';
import { ModalDialog } from '../../../components/modal-dialog.tsx';
import { useAction } from '../../../lib/use-action.ts';
import type { Intent, Labels, Sentiment } from '../../../lib/wire.types.ts';
import { defaultTopics, intents, sentiments } from '../../../lib/wire.values.ts';
import { correctLabels } from '../api.ts';
import type { LabelCorrection } from '../api.ts';
import { effectiveLabels } from '../label-corrections.ts';
import type { AppliedCorrection } from '../label-corrections.ts';

interface CorrectLabelsDialogProps {
  messageId: string;
  labels: Labels;
  correction?: AppliedCorrection;
  onClose(): void;
  onSaved(): void;
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** An agent says what the message really is; the corrections train the next models (docs/EVALUATION.md). */
export function CorrectLabelsDialog({ messageId, labels, correction, onClose, onSaved }: CorrectLabelsDialogProps) {
  const current = effectiveLabels(labels, correction);
  const [complaint, setComplaint] = useState(current.complaint);
  const [sentiment, setSentiment] = useState<Sentiment>(current.sentiment);
  const [intent, setIntent] = useState<Intent>(current.intent);
  const [topics, setTopics] = useState<string[]>(current.topics);
  const [unchanged, setUnchanged] = useState(false);
  const topicChoices = [...new Set([...defaultTopics.map((t) => t.id), ...labels.topics, ...current.topics])];
  const save = useAction(async (body: LabelCorrection) => {
    await correctLabels(messageId, body);
    onSaved();
  });

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const body: LabelCorrection = {};
    if (complaint !== current.complaint) body.complaint = complaint;
    if (sentiment !== current.sentiment) body.sentiment = sentiment;
    if (intent !== current.intent) body.intent = intent;
    if (!sameSet(topics, current.topics)) body.topics = topics;
    if (Object.keys(body).length === 0) {
      setUnchanged(true);
      return;
    }
    await save.run(body);
  }

  return (
    <ModalDialog open title="Correct the labels" onClose={onClose}>
      <form className="stack" onSubmit={(e) => void submit(e)}>
        <fieldset>
          <legend>Is it a complaint?</legend>
          <label className="inline"><input type="radio" name="complaint" checked={complaint} onChange={() => setComplaint(true)} autoFocus={complaint} /> Complaint</label>
          <label className="inline"><input type="radio" name="complaint" checked={!complaint} onChange={() => setComplaint(false)} autoFocus={!complaint} /> Not a complaint</label>
        </fieldset>
        <label>
          Sentiment
          <select value={sentiment} onChange={(e) => setSentiment(sentiments.find((s) => s === e.target.value) ?? sentiment)}>
            {sentiments.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
        <label>
          Intent
          <select value={intent} onChange={(e) => setIntent(intents.find((i) => i === e.target.value) ?? intent)}>
            {intents.map((i) => <option key={i} value={i}>{i}</option>)}
          </select>
        </label>
        <fieldset>
          <legend>Topics</legend>
          <div className="checkbox-grid">
            {topicChoices.map((topic) => (
              <label key={topic} className="inline">
                <input type="checkbox" checked={topics.includes(topic)}
                  onChange={(e) => setTopics(e.target.checked ? [...topics, topic] : topics.filter((t) => t !== topic))} /> {topic}
              </label>
            ))}
          </div>
        </fieldset>
        <p className="hint">The model's own labels stay on the message; your correction is shown instead and trains the next model.</p>
        {unchanged && <p className="form-error" role="alert">Change at least one label, or cancel.</p>}
        {save.error && <p className="form-error" role="alert">{save.error}</p>}
        <div className="dialog-buttons">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="primary" disabled={save.busy}>{save.busy ? 'Saving…' : 'Save correction'}</button>
        </div>
      </form>
    </ModalDialog>
  );
}
