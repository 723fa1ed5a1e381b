/** Formatting shared by the renderers. Locale-free, so output is the same on every machine. */

/** 12345.6 → "12,346". */
export function formatCount(value: number): string {
  const rounded = Math.round(value);
  const sign = rounded < 0 ? '-' : '';
  return sign + String(Math.abs(rounded)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** 0.1234 → "12.3 %". */
export function formatShare(value: number): string {
  return `${(value * 100).toFixed(1)} %`;
}

/** 27681 → "27.7 s"; 295996 → "296 s (4.9 min)"; null → "—". */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  if (ms < 100_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 1000)} s (${(ms / 60_000).toFixed(1)} min)`;
}

/** 10.5 → "10:30". */
export function formatClock(hours: number): string {
  const minutes = Math.round(hours * 60);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}
