/** The panel's icons: drawn as inline SVG, so they render without an emoji font. */
export type IconName =
  | 'ok'
  | 'error'
  | 'warning'
  | 'paused'
  | 'info'
  | 'automatic'
  | 'current'
  | 'none'
  | 'edit'
  | 'cloud'
  | 'package'
  | 'hybrid';

/** What each icon says when it stands alone; a caller with better words passes `label`. */
export const ICON_LABELS: Readonly<Record<IconName, string>> = {
  ok: 'OK',
  error: 'Error',
  warning: 'Warning',
  paused: 'Paused',
  info: 'Information',
  automatic: 'Automatic',
  current: 'Current',
  none: 'None',
  edit: 'Changed',
  cloud: 'Cloudflare CDN',
  package: 'Git',
  hybrid: 'Hybrid',
};

// 24 × 24, stroked in the text colour: each status has its own shape, never only its own colour.
const RING = 'M12 3a9 9 0 1 1 0 18a9 9 0 1 1 0-18z';
const PATHS: Readonly<Record<IconName, string>> = {
  ok: `${RING}M8 12.5l2.5 2.5L16 9.5`,
  error: `${RING}M9 9l6 6M15 9l-6 6`,
  warning: 'M12 3.5L21.5 20h-19zM12 10v4.5M12 17.25v.5',
  paused: `${RING}M10 9v6M14 9v6`,
  info: `${RING}M12 11v5.5M12 7.75v.5`,
  automatic: 'M13 3L5 13.5h6L10 21l8-10.5h-6z',
  current: `${RING}M12 8.5a3.5 3.5 0 1 1 0 7a3.5 3.5 0 1 1 0-7z`,
  none: `${RING}M8 12h8`,
  edit: 'M4 20h4L19 9l-4-4L4 16zM13 7l4 4',
  cloud: 'M7 18.5h10a4 4 0 0 0 .6-7.95A6 6 0 0 0 6.2 10.9A3.8 3.8 0 0 0 7 18.5z',
  package: 'M12 3l8 4.5v9L12 21l-8-4.5v-9zM4 7.5l8 4.5l8-4.5M12 12v9',
  hybrid: 'M4 8h14m-3-3l3 3l-3 3M20 16H6m3-3l-3 3l3 3',
};

/**
 * A small status or source icon. It has an accessible name (`label`, else the icon's own word),
 * unless `decorative` says the text beside it already names the same thing.
 *
 * @example
 * <Icon name="error" label="Unhealthy" />
 * <Icon name="ok" decorative /> healthy
 */
export function Icon(props: { name: IconName; label?: string; decorative?: boolean }) {
  const shape = {
    className: 'cartae-admin__icon',
    'data-icon': props.name,
    viewBox: '0 0 24 24',
    width: '1em',
    height: '1em',
    fill: 'none',
    stroke: 'currentColor',
    strokeWidth: 2,
    strokeLinecap: 'round',
    strokeLinejoin: 'round',
    focusable: 'false',
  } as const;
  if (props.decorative) {
    return (
      <svg {...shape} aria-hidden="true">
        <path d={PATHS[props.name]} />
      </svg>
    );
  }
  const label = props.label ?? ICON_LABELS[props.name];
  return (
    <svg {...shape} role="img" aria-label={label}>
      <title>{label}</title>
      <path d={PATHS[props.name]} />
    </svg>
  );
}
