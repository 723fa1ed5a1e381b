import { useEffect } from 'react';

/**
 * While `dirty`, leaving or reloading the page asks first (the browser's own "Leave site?"
 * prompt, through `beforeunload`). Switching tabs inside the panel keeps the edits instead
 * (see `keptEdits`).
 */
export function useLeaveGuard(dirty: boolean): void {
  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older browsers show the prompt only when returnValue is set.
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [dirty]);
}
