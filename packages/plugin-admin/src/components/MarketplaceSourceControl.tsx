import { type SourceKind, type UrlPolicy, validateMarketplaceConfig } from '@cartae/marketplace-core';
import { useCallback, useEffect, useState } from 'react';
import { type ChangeReview, reviewChange } from '../model/change-review.ts';
import {
  type ConfigDraft,
  documentFromDraft,
  draftDiffers,
  draftOf,
  rebaseDraft,
} from '../model/config-draft.ts';
import { hybridOrderSentence } from '../model/hybrid-order-words.ts';
import { presetOf, type SourcePreset, withPreset } from '../model/source-presets.ts';
import type { AdminError } from '../service/admin-error.ts';
import type {
  ControlPlaneConfig,
  HistoryEntry,
  MarketplaceConfigService,
} from '../service/marketplace-config-service.ts';
import { ActionNotice, type Notice } from './ActionNotice.tsx';
import { ConflictReview } from './ConflictReview.tsx';
import { CurrentSourceFacts } from './CurrentSourceFacts.tsx';
import { keptEdits } from './kept-edits.ts';
import { announce } from './live-region.ts';
import { ReviewDialog } from './ReviewDialog.tsx';
import { SourceSettingsForm } from './SourceSettingsForm.tsx';
import { SourceSwitches } from './SourceSwitches.tsx';
import { useLeaveGuard } from './use-leave-guard.ts';

/** Where a change came from: its result is shown beside that control. */
type Place = 'switch' | 'save';

interface Pending {
  place: Place;
  title: string;
  confirmLabel: string;
  document: Record<string, unknown>;
  base: ControlPlaneConfig;
  review: ChangeReview;
}

/**
 * Where the whole fleet fetches its marketplace: the current source, the four switches, the
 * source URLs with "Test", the hybrid canary, cache and health settings. Every change goes
 * through one review (diff against the saved config, untested or failed URLs, new hosts, the
 * effect); switches apply to the saved config, never to unsaved edits; nothing that changes
 * nothing is sent; unsaved edits are marked, kept across tabs and guarded on leaving the page.
 */
export function MarketplaceSourceControl(props: {
  service: MarketplaceConfigService;
  urlPolicy?: UrlPolicy;
  onSaved?: (config: ControlPlaneConfig) => void;
}) {
  const { service } = props;
  const kept = keptEdits(service);
  const [current, setCurrent] = useState<ControlPlaneConfig>();
  const [lastChange, setLastChange] = useState<HistoryEntry>();
  const [loadError, setLoadError] = useState<AdminError>();
  const [draft, setDraftState] = useState<ConfigDraft>();
  const [reason, setReason] = useState(kept.reason);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [pending, setPending] = useState<Pending>();
  const [saving, setSaving] = useState(false);
  const [notice, setNotice] = useState<{ place: Place } & Notice>();
  const [conflict, setConflict] = useState<{ theirs: ControlPlaneConfig; mine: Record<string, unknown> }>();

  const setDraft = useCallback(
    (next: ConfigDraft, base: Record<string, unknown>) => {
      setDraftState(next);
      kept.draft = { draft: next, base };
    },
    [kept],
  );

  const load = useCallback(async () => {
    const [config, history] = await Promise.all([service.get(), service.history({ limit: 1 })]);
    if (!config.ok) {
      setLoadError(config.error);
      return undefined;
    }
    setLoadError(undefined);
    setCurrent(config.value);
    // Edits made before leaving the tab come back, moved onto whatever is saved now.
    const before = kept.draft;
    setDraft(
      before ? rebaseDraft(before.draft, before.base, config.value.document) : draftOf(config.value.document),
      config.value.document,
    );
    setLastChange(history.ok ? history.value[0] : undefined);
    return config.value;
  }, [service, kept, setDraft]);

  useEffect(() => {
    void load();
  }, [load]);

  const dirty = current !== undefined && draft !== undefined && draftDiffers(draft, current.document);
  useLeaveGuard(dirty);

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
  const say = (place: Place, kind: Notice['kind'], text: string) => {
    setNotice({ place, kind, text });
    announce(text);
  };

  function open(
    place: Place,
    title: string,
    confirmLabel: string,
    base: ControlPlaneConfig,
    document: Record<string, unknown>,
  ) {
    const review = reviewChange(base.document, document, kept.checks);
    if (review.changes.length === 0) {
      say(
        place,
        'info',
        `Nothing to ${place === 'save' ? 'save' : 'switch'}: version ${base.version} already is this configuration.`,
      );
      return;
    }
    setPending({ place, title, confirmLabel, document, base, review });
  }

  function askSwitch(preset: SourcePreset) {
    if (!current) return;
    if (active?.id === preset.id) {
      say(
        'switch',
        'info',
        `${preset.name} is already the active source (version ${current.version}); nothing to switch.`,
      );
      return;
    }
    // The saved config with the preset's type and priority: never the form's unsaved edits.
    const document = withPreset(current.document, preset);
    const checked = validateMarketplaceConfig(document, props.urlPolicy);
    if (!checked.ok) {
      say(
        'switch',
        'error',
        `${preset.name} cannot be switched to: ${checked.error.issues?.map((i) => i.message).join('; ') ?? checked.error.message}. Save a URL for it first.`,
      );
      return;
    }
    open('switch', `Switch every app to ${preset.name}?`, `Switch to ${preset.name}`, current, document);
  }

  function askSave() {
    if (!current || !draft) return;
    const result = documentFromDraft(draft, current.document, props.urlPolicy);
    setFieldErrors(result.ok ? {} : result.errors);
    if (!result.ok) {
      say('save', 'error', 'Nothing was saved: fix the fields marked in the form.');
      return;
    }
    open('save', 'Save these settings for every app?', 'Save settings', current, result.document);
  }

  async function confirm() {
    if (!pending || !current || !draft) return;
    setSaving(true);
    const saved = await service.update(pending.document, { reason, expectedVersion: pending.base.version });
    setSaving(false);
    setPending(undefined);
    if (saved.ok) {
      setConflict(undefined);
      setCurrent(saved.value);
      setDraft(
        pending.place === 'save'
          ? draftOf(saved.value.document)
          : rebaseDraft(draft, current.document, saved.value.document),
        saved.value.document,
      );
      if (!saved.value.changed) {
        say(
          pending.place,
          'info',
          `Nothing changed: version ${saved.value.version} already is this configuration.`,
        );
      } else {
        setReason('');
        kept.reason = '';
        say(pending.place, 'ok', `Saved as version ${saved.value.version}. ${pending.review.effect}`);
      }
      props.onSaved?.(saved.value);
      const history = await service.history({ limit: 1 });
      if (history.ok) setLastChange(history.value[0]);
      return;
    }
    if (saved.error.kind === 'conflict') {
      const theirs = await service.get();
      if (theirs.ok) {
        // The page top says at once which version is saved now.
        setCurrent(theirs.value);
        setDraft(rebaseDraft(draft, current.document, theirs.value.document), theirs.value.document);
        setConflict({ theirs: theirs.value, mine: pending.document });
        say(
          pending.place,
          'error',
          `Not saved: version ${theirs.value.version} was saved by someone else meanwhile. Review it below, then save yours over it or keep theirs.`,
        );
        return;
      }
    }
    if (saved.error.kind === 'invalid' && saved.error.fields) {
      setFieldErrors(Object.fromEntries(saved.error.fields.map((f) => [f.field, f.message])));
    }
    say(pending.place, 'error', `Not saved: ${saved.error.message}`);
  }

  function retryOverTheirs() {
    if (!conflict) return;
    const place = notice?.place ?? 'save';
    open(
      place,
      `Save your change over version ${conflict.theirs.version}?`,
      'Save my change',
      conflict.theirs,
      conflict.mine,
    );
  }

  function onTested(kind: SourceKind, url: string, result: { ok: boolean; error?: string }) {
    kept.checks = {
      ...kept.checks,
      [kind]: { url, ok: result.ok, ...(result.error ? { error: result.error } : {}) },
    };
  }

  const conflictView = conflict && (
    <ConflictReview
      theirs={conflict.theirs}
      mine={conflict.mine}
      onSaveMine={retryOverTheirs}
      onDiscardMine={() => {
        setConflict(undefined);
        setNotice(undefined);
        kept.draft = undefined;
        void load();
      }}
    />
  );

  return (
    <section aria-labelledby="cartae-admin-source-heading" className="cartae-admin__section">
      <h2 id="cartae-admin-source-heading">
        Marketplace source
        {dirty && <span className="cartae-admin__unsaved-badge"> · unsaved changes</span>}
      </h2>
      <CurrentSourceFacts current={current} lastChange={lastChange} />

      <SourceSwitches activeId={active?.id} onPick={askSwitch}>
        {notice?.place === 'switch' && <ActionNotice notice={notice} />}
        {notice?.place === 'switch' && conflictView}
      </SourceSwitches>

      <SourceSettingsForm
        draft={draft}
        onChange={(patch) => setDraft({ ...draft, ...patch }, current.document)}
        errors={fieldErrors}
        saved={current.document}
        test={(kind, url) => service.testSource(kind, url)}
        onTested={onTested}
        reason={reason}
        onReason={(text) => {
          setReason(text);
          kept.reason = text;
        }}
        dirty={dirty}
        onSave={askSave}
        onDiscard={() => {
          setDraft(draftOf(current.document), current.document);
          setFieldErrors({});
        }}
      >
        {notice?.place === 'save' && <ActionNotice notice={notice} />}
        {notice?.place === 'save' && conflictView}
      </SourceSettingsForm>

      {pending && (
        <ReviewDialog
          title={pending.title}
          confirmLabel={pending.confirmLabel}
          savedLabel={`version ${pending.base.version}`}
          review={pending.review}
          busy={saving}
          onConfirm={() => void confirm()}
          onCancel={() => setPending(undefined)}
        >
          {pending.document.type === 'hybrid' && <p>{hybridOrderSentence(pending.document)}</p>}
          {pending.place === 'switch' && dirty && (
            <p>Your unsaved edits in the form are not part of this switch; they stay in the form.</p>
          )}
          {reason.trim() ? (
            <p>Reason: {reason.trim()}</p>
          ) : (
            <p>No reason given (you can add one in the form).</p>
          )}
        </ReviewDialog>
      )}
    </section>
  );
}
