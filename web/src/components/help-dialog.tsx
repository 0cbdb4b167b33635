import { useEffect, useRef } from 'react';

const shortcuts: [string, string][] = [
  ['j / k', 'Next / previous case in the queue; next / previous message on a case'],
  ['Enter', 'Open the selected case'],
  ['n', 'Take the next case (queue)'],
  ['r', 'Reply: focus the composer (case)'],
  ['Ctrl + Enter', 'Send the reply being written'],
  ['e', 'Escalate the case (case)'],
  ['u or Esc', 'Back to the queue from a case'],
  ['g then q / l / c / s', 'Go to the queue, listening, customers or settings'],
  ['?', 'Show or hide this help'],
];

/** Keyboard help in a native modal dialog: focus trapping and Esc come with it. */
export function HelpDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} className="help" aria-labelledby="help-title" onClose={onClose}>
      <h2 id="help-title">Keyboard shortcuts</h2>
      <table>
        <tbody>
          {shortcuts.map(([keys, what]) => (
            <tr key={keys}><th scope="row"><kbd>{keys}</kbd></th><td>{what}</td></tr>
          ))}
        </tbody>
      </table>
      <form method="dialog">
        <button type="submit" autoFocus>Close</button>
      </form>
    </dialog>
  );
}
