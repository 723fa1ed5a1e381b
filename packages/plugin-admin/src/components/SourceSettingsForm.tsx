import { SOURCE_KIND_TABLE, SOURCE_KINDS, type SourceKind } from '@cartae/marketplace-core';
import { type ReactNode, useId } from 'react';
import { type ConfigDraft, urlFieldLabel } from '../model/config-draft.ts';
import type { SourceTestResult } from '../service/test-source.ts';
import { AutoSwitchSettings } from './AutoSwitchSettings.tsx';
import { CanaryRampSettings } from './CanaryRampSettings.tsx';
import { RolloutGuardSettings } from './RolloutGuardSettings.tsx';
import { SourceTestButton } from './SourceTestButton.tsx';

/**
 * The Marketplace tab's form: source URLs with Test, canary, cache, health, the automation's
 * settings and the reason; "Save settings" opens the review. What it saves is the form; the
 * source switches never read it.
 */
export function SourceSettingsForm(props: {
  draft: ConfigDraft;
  onChange: (patch: Partial<ConfigDraft>) => void;
  errors: Record<string, string>;
  saved: Record<string, unknown>;
  test: (kind: SourceKind, url: string) => Promise<SourceTestResult>;
  onTested: (kind: SourceKind, url: string, result: SourceTestResult) => void;
  reason: string;
  onReason: (reason: string) => void;
  dirty: boolean;
  onSave: () => void;
  onDiscard: () => void;
  /** The save's result, shown beside the button. */
  children?: ReactNode;
}) {
  const { draft, errors, onChange: update } = props;
  const ids = { url: useId(), canary: useId(), ttl: useId(), reason: useId() };
  const errorFor = (field: string) =>
    errors[field] ? (
      <span id={`${field}-error`} className="cartae-admin__field-error">
        {errors[field]}
      </span>
    ) : null;
  const invalidProps = (field: string) =>
    errors[field] ? { 'aria-invalid': true, 'aria-describedby': `${field}-error` } : {};

  return (
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
              test={props.test}
              onResult={(url, result) => props.onTested(kind, url, result)}
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
          step={1}
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
        errors={errors}
      />
      <RolloutGuardSettings
        value={draft.rolloutGuard}
        onChange={(rolloutGuard) => update({ rolloutGuard })}
        errors={errors}
        absent={props.saved.rolloutGuard === undefined}
      />
      <CanaryRampSettings
        value={draft.canaryRamp}
        onChange={(canaryRamp) => update({ canaryRamp })}
        errors={errors}
        hybrid={props.saved.type === 'hybrid'}
      />
      {errorFor('priority')}
      {errorFor('type')}
      {errorFor('(document)')}
      <div className="cartae-admin__field">
        <label htmlFor={ids.reason}>Reason (kept in the history)</label>
        <input
          id={ids.reason}
          type="text"
          value={props.reason}
          onChange={(e) => props.onReason(e.target.value)}
        />
      </div>
      <div className="cartae-admin__save-row">
        <button type="button" className="cartae-admin__primary" onClick={props.onSave}>
          Save settings
        </button>
        {props.dirty && (
          <>
            <span className="cartae-admin__unsaved">● Unsaved changes</span>
            <button type="button" onClick={props.onDiscard}>
              Discard changes
            </button>
          </>
        )}
      </div>
      {props.children}
    </fieldset>
  );
}
