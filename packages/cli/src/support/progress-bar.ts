/**
 * A one-line progress bar on stderr: redrawn in place on a terminal, one line per 10% otherwise
 * (logs, CI), silent when `enabled` is false (`--json`).
 */
export function createProgressBar(
  enabled: boolean,
  width = 30,
): { update(fraction: number, label: string): void; done(): void } {
  const tty = process.stderr.isTTY === true;
  let lastDecile = -1;
  let lastDrawn = 0;
  return {
    update(fraction, label) {
      if (!enabled) return;
      const f = Math.min(1, Math.max(0, fraction));
      const line = `[${'█'.repeat(Math.round(f * width)).padEnd(width, '·')}] ${String(Math.floor(f * 100)).padStart(3)}%  ${label}`;
      if (tty) {
        const now = Date.now();
        if (now - lastDrawn < 50 && f < 1) return;
        lastDrawn = now;
        process.stderr.write(`\r${line}\x1b[K`);
      } else if (Math.floor(f * 10) > lastDecile) {
        lastDecile = Math.floor(f * 10);
        process.stderr.write(`${line}\n`);
      }
    },
    done() {
      if (enabled && tty) process.stderr.write('\n');
    },
  };
}
