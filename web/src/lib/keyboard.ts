import { useEffect, useRef } from 'react';

/** True when the key press belongs to a text field, so single-letter shortcuts must leave it alone. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  return target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}

/** Binds single-key shortcuts (no modifiers) for as long as the component is mounted. */
export function useShortcuts(bindings: Record<string, (event: KeyboardEvent) => void>): void {
  const latest = useRef(bindings);
  useEffect(() => {
    latest.current = bindings;
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
      if (isTyping(event.target)) return;
      // A modal dialog owns the keyboard (Esc closes it and must not also leave the page).
      if (document.querySelector('dialog[open]')) return;
      const handler = latest.current[event.key];
      if (handler) handler(event);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
