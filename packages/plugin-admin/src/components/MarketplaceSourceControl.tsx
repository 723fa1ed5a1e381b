import { SOURCE_KIND_TABLE, SOURCE_KINDS, type UrlPolicy } from '@cartae/marketplace-core';
import { useCallback, useEffect, useId, useState } from 'react';
import { diffConfig, formatValue } from '../model/config-diff.ts';
import { type ConfigDraft, documentFromDraft, draftOf, urlFieldLabel } from '../model/config-draft.ts';
import {
  presetOf,
  propagationDelay,
  SOURCE_PRESETS,
  type SourcePreset,
  withPreset,
} from '../model/source-presets.ts';
import type { AdminError } from '../service/admin-error.ts';
import type {
  ControlPlaneConfig,
  HistoryEntry,
  MarketplaceConfigService,
} from '../service/marketplace-config-service.ts';
import { AutoSwitchSettings } from './AutoSwitchSettings.tsx';
import { CanaryRampSettings } from './CanaryRampSettings.tsx';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import { ConflictReview } from './ConflictReview.tsx';
import { CurrentSourceFacts } from './CurrentSourceFacts.tsx';
import { RolloutGuardSettings } from './RolloutGuardSettings.tsx';
import { SourceTestButton } from './SourceTestButton.tsx';

interface Pending {
  title: string;
  confirmLabel: string;
  effect: string;
  document: Record<string, unknown>;
  expectedVersion: number;
}

/**
 * Where the whole fleet fetches its marketplace: the current source, the four switches, the
 * source URLs with "Test", the hybrid canary, cache and health settings — each change confirmed
 * with its effect, validated as the database validates it, and safe against concurrent edits.
 */
export function MarketplaceSourceControl(props: {
  service: MarketplaceConfigService;
  urlPolicy?: UrlPolicy;
  onSaved?: (config: ControlPlaneConfig) => void;
}) {
  const { service } = props;
  const [current, setCurrent] = useState<ControlPlaneConfig>();
  const [lastChange, setLastChange] = useState<HistoryEntry>();
  const [loadError, setLoadError] = useState<AdminError>();
  const [draft, setDraft] = useState<ConfigDraft>();
  const [reason, setReason] = useState('');
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [pending, setPending] = useState<Pending>();
  const [saving, setSaving] = useState(false);
  const [notice, setNotice] = useState<{ kind: 'saved' | 'error'; text: string }>();
  const [conflict, setConflict] = useState<{ theirs: ControlPlaneConfig; mine: Record<string, unknown> }>();
  const ids = { url: useId(), canary: useId(), ttl: useId(), reason: useId() };

  const load = useCallback(async () => {
    const [config, history] = await Promise.all([service.get(), service.history({ limit: 1 })]);
    if (!config.ok) {
      setLoadError(config.error);
      return undefined;
    }
    setLoadError(undefined);
    setCurrent(config.value);
    setDraft(draftOf(config.value.document));
    setLastChange(history.ok ? history.value[0] : undefined);
    return config.value;
  }, [service]);

  useEffect(() => {
    void load();
  }, [load]);

  if (loadError && !current) {
    return (
      <div role="alert" className="cartae-admin__bad">
        The configuration could not be loaded: {loadError.message}{' '}
        <button type="button" onClick={() => void load()}>
          Retry
        </button>
      </div>
    );
  }
  if (!current || !draft) return <p aria-busy="true">Loading the current configuration…</p>;

  const active = presetOf(current.document);
  const update = (patch: Partial<ConfigDraft>) => setDraft({ ...draft, ...patch });

  /** The document the draft describes on `base`; shows the field errors when there are some. */
  function checkedDocument(base: Record<string, unknown>): Record<string, unknown> | undefined {
    if (!draft) return undefined;
    const result = documentFromDraft(draft, base, props.urlPolicy);
    setFieldErrors(result.ok ? {} : result.errors);
    return result.ok ? result.document : undefined;
  }

  function askSwitch(preset: SourcePreset) {
    if (!current) return;
    const document = checkedDocument(withPreset(current.document, preset));
    if (!document) return;
    const canary = Number(document.canaryPercent ?? 100);
    const [first, second] = preset.priority.map((k) => (k === 'git' ? 'Git' : 'the CDN'));
    setPending({
      title: `Switch every app to ${preset.name}?`,
      confirmLabel: `Switch to ${preset.name}`,
      effect:
        `Every installed Cartae app switches to ${preset.name} ${propagationDelay(document)} (the cache TTL).` +
        (preset.type === 'hybrid'
          ? ` ${canary}% of installs try ${first} first, the others ${second} first; each falls back to the other.`
          : ''),
      document,
      expectedVersion: current.version,
    });
  }

  function askSave() {
    if (!current) return;
    const document = checkedDocument(current.document);
    if (!document) return;
    const changes = diffConfig(current.document, document);
    if (changes.length === 0) {
      setNotice({ kind: 'saved', text: 'Nothing to save: the settings are unchanged.' });
      return;
    }
    setPending({
      title: 'Save these settings for every app?',
      confirmLabel: 'Save settings',
      effect: `Every installed Cartae app picks them up ${propagationDelay(document)}. Changes: ${changes
        .map((c) => `${c.path} ${formatValue(c.before)} → ${formatValue(c.after)}`)
        .join('; ')}.`,
      document,
      expectedVersion: current.version,
    });
  }

  async function confirm() {
    if (!pending) return;
    setSaving(true);
    const saved = await service.update(pending.document, {
      reason,
      expectedVersion: pending.expectedVersion,
    });
    setSaving(false);
    setPending(undefined);
    if (saved.ok) {
      setConflict(undefined);
      setReason('');
      setNotice({
        kind: 'saved',
        text: `Saved as version ${saved.value.version}. Every installed app follows ${propagationDelay(pending.document)}.`,
      });
      await load();
      props.onSaved?.(saved.value);
      return;
    }
    if (saved.error.kind === 'conflict') {
      const theirs = await service.get();
      if (theirs.ok) setConflict({ theirs: theirs.value, mine: pending.document });
    }
    if (saved.error.kind === 'invalid' && saved.error.fields) {
      setFieldErrors(Object.fromEntries(saved.error.fields.map((f) => [f.field, f.message])));
    }
    setNotice({ kind: 'error', text: saved.error.message });
  }

  function retryOverTheirs() {
    if (!conflict) return;
    setPending({
      title: `Save your change over version ${conflict.theirs.version}?`,
      confirmLabel: 'Save my change',
      effect: `Your version replaces version ${conflict.theirs.version}; every installed app follows ${propagationDelay(conflict.mine)}.`,
      document: conflict.mine,
      expectedVersion: conflict.theirs.version,
    });
  }

  const errorFor = (field: string) =>
    fieldErrors[field] ? (
      <span id={`${field}-error`} className="cartae-admin__field-error">
        {fieldErrors[field]}
      </span>
    ) : null;
  const invalidProps = (field: string) =>
    fieldErrors[field] ? { 'aria-invalid': true, 'aria-describedby': `${field}-error` } : {};

  return (
    <section aria-labelledby="cartae-admin-source-heading" className="cartae-admin__section">
      <h2 id="cartae-admin-source-heading">Marketplace source</h2>
      <CurrentSourceFacts current={current} lastChange={lastChange} />

      <fieldset className="cartae-admin__switches">
        <legend>Switch the whole fleet to</legend>
        {SOURCE_PRESETS.map((preset) => (
          <button
            key={preset.id}
            type="button"
            aria-pressed={active?.id === preset.id}
            onClick={() => askSwitch(preset)}
          >
            {preset.label}
          </button>
        ))}
      </fieldset>

      <fieldset>
        <legend>Sources and settings</legend>
        {SOURCE_KINDS.map((kind) => {
          const field = SOURCE_KIND_TABLE[kind].urlField;
          return (
            <div key={kind} className="cartae-admin__field">
              <label htmlFor={`${ids.url}-${kind}`}>{urlFieldLabel(kind)}</label>
              <input
                id={`${ids.url}-${kind}`}
                type="url"
                value={draft[field]}
                onChange={(e) => update({ [field]: e.target.value })}
                {...invalidProps(field)}
              />
              {errorFor(field)}
              <SourceTestButton
                kind={kind}
                label={urlFieldLabel(kind)}
                url={draft[field]}
                test={(k, u) => service.testSource(k, u)}
              />
            </div>
          );
        })}
        <div className="cartae-admin__field">
          <label htmlFor={ids.canary}>Canary percentage (hybrid)</label>
          <input
            id={ids.canary}
            type="number"
            inputMode="numeric"
            min={0}
            max={100}
            value={draft.canaryPercent}
            onChange={(e) => update({ canaryPercent: e.target.value })}
            {...invalidProps('canaryPercent')}
          />
          {errorFor('canaryPercent')}
        </div>
        <div className="cartae-admin__field">
          <label htmlFor={ids.ttl}>Cache TTL (seconds)</label>
          <input
            id={ids.ttl}
            type="number"
            inputMode="numeric"
            min={5}
            value={draft.cacheTtlSeconds}
            onChange={(e) => update({ cacheTtlSeconds: e.target.value })}
            {...invalidProps('cacheTtlSeconds')}
          />
          {errorFor('cacheTtlSeconds')}
        </div>
        <label className="cartae-admin__check">
          <input
            type="checkbox"
            checked={draft.healthCheckEnabled}
            onChange={(e) => update({ healthCheckEnabled: e.target.checked })}
          />
          Health checks
        </label>
        <label className="cartae-admin__check">
          <input
            type="checkbox"
            checked={draft.fallbackOnError}
            onChange={(e) => update({ fallbackOnError: e.target.checked })}
          />
          Fall back to the other source on error
        </label>
        <AutoSwitchSettings
          value={draft.autoSwitch}
          onChange={(autoSwitch) => update({ autoSwitch })}
          errors={fieldErrors}
        />
        <RolloutGuardSettings
          value={draft.rolloutGuard}
          onChange={(rolloutGuard) => update({ rolloutGuard })}
          errors={fieldErrors}
          absent={current.document.rolloutGuard === undefined}
        />
        <CanaryRampSettings
          value={draft.canaryRamp}
          onChange={(canaryRamp) => update({ canaryRamp })}
          errors={fieldErrors}
          hybrid={current.document.type === 'hybrid'}
        />
        {errorFor('priority')}
        {errorFor('type')}
        {errorFor('(document)')}
        <div className="cartae-admin__field">
          <label htmlFor={ids.reason}>Reason (kept in the history)</label>
          <input id={ids.reason} type="text" value={reason} onChange={(e) => setReason(e.target.value)} />
        </div>
        <button type="button" className="cartae-admin__primary" onClick={askSave}>
          Save settings
        </button>
      </fieldset>

      {notice && (
        <p
          role={notice.kind === 'error' ? 'alert' : 'status'}
          className={notice.kind === 'error' ? 'cartae-admin__bad' : 'cartae-admin__ok'}
        >
          {notice.text}
        </p>
      )}

      {conflict && (
        <ConflictReview
          theirs={conflict.theirs}
          mine={conflict.mine}
          onSaveMine={retryOverTheirs}
          onDiscardMine={() => {
            setConflict(undefined);
            setNotice(undefined);
            void load();
          }}
        />
      )}

      {pending && (
        <ConfirmDialog
          title={pending.title}
          confirmLabel={pending.confirmLabel}
          onConfirm={() => void confirm()}
          onCancel={() => setPending(undefined)}
          busy={saving}
        >
          <p>{pending.effect}</p>
          {reason.trim() ? (
            <p>Reason: {reason.trim()}</p>
          ) : (
            <p>No reason given (you can add one in the form).</p>
          )}
        </ConfirmDialog>
      )}
    </section>
  );
}
