const two = (n: number) => String(n).padStart(2, '0');

/**
 * `2026-11-30 18:42:07` in the machine's time zone (`TZ`), for people reading a feed; an
 * unreadable timestamp is shown as it came.
 */
export function localTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}
