import { type ReactNode, useEffect, useId, useRef } from 'react';

/**
 * A modal confirmation that states the effect before anything happens. Focus starts on
 * "Cancel", so a stray Enter never confirms; Enter on the confirm button does nothing either
 * (click it, or press Space). Escape or "Cancel" closes it, Tab stays inside.
 */
export function ConfirmDialog(props: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  busy?: boolean;
}) {
  const titleId = useId();
  const bodyId = useId();
  const cancelRef = useRef<HTMLButtonElement>(null);
  const dialogRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    cancelRef.current?.focus();
    return () => previous?.focus?.();
  }, []);

  function onKeyDown(event: React.KeyboardEvent) {
    // Changing the whole fleet takes a deliberate click or Space, never a reflex Enter.
    if (event.key === 'Enter' && (event.target as HTMLElement).dataset.confirm !== undefined) {
      event.preventDefault();
    }
    if (event.key === 'Escape') {
      event.stopPropagation();
      props.onCancel();
    }
    if (event.key === 'Tab') {
      const focusable = dialogRef.current?.querySelectorAll<HTMLElement>(
        'button:not([disabled]), input, textarea',
      );
      if (!focusable || focusable.length === 0) return;
      const first = focusable[0] as HTMLElement;
      const last = focusable[focusable.length - 1] as HTMLElement;
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    }
  }

  return (
    <div className="cartae-admin__backdrop">
      <div
        ref={dialogRef}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={bodyId}
        className="cartae-admin__dialog"
        onKeyDown={onKeyDown}
      >
        <h2 id={titleId}>{props.title}</h2>
        <div id={bodyId}>{props.children}</div>
        <div className="cartae-admin__actions">
          <button ref={cancelRef} type="button" onClick={props.onCancel} disabled={props.busy}>
            Cancel
          </button>
          <button
            data-confirm=""
            type="button"
            className="cartae-admin__primary"
            onClick={props.onConfirm}
            disabled={props.busy}
          >
            {props.busy ? 'Saving…' : props.confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
