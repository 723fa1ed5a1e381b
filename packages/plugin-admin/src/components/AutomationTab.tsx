import {
  type FleetSettingsChange,
  type UrlPolicy,
  validateFleetSettingsChange,
} from '@cartae/marketplace-core';
import { useId, useState } from 'react';
import { type SettingChangeLine, settingsChangeLines } from '../model/settings-change.ts';
import type { MarketplaceConfigService } from '../service/marketplace-config-service.ts';
import { AutomationPauseControl } from './AutomationPauseControl.tsx';
import type { SettingsProposal } from './automation-proposal.ts';
import { SettingsChangeDialog } from './SettingsChangeDialog.tsx';
import { SourceAlertRuleSettings } from './SourceAlertRuleSettings.tsx';
import { SourceHostsSettings } from './SourceHostsSettings.tsx';
import { useFleetSettings } from './use-fleet-settings.ts';
import { WebhookSecretSettings } from './WebhookSecretSettings.tsx';
import { WebhookUrlSettings } from './WebhookUrlSettings.tsx';

type Pending = SettingsProposal & { valid: FleetSettingsChange; lines: SettingChangeLine[] };

/**
 * Automation: the fleet settings kept outside the config (no config version, no app sees them) —
 * the kill switch, the alert webhook and its secret, the source health rule. Each change is
 * checked as the database checks it, confirmed with exactly what changes, and not sent when it
 * changes nothing.
 */
export function AutomationTab(props: { service: MarketplaceConfigService; urlPolicy?: UrlPolicy }) {
  const { service } = props;
  const [hosts] = useState(() => service.sourceHosts());
  const { settings, error, load, setSettings } = useFleetSettings(service);
  const [pending, setPending] = useState<Pending>();
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Partial<Record<SettingsProposal['field'], string>>>({});
  const [notice, setNotice] = useState<{ kind: 'saved' | 'error'; text: string }>();
  const headingId = useId();

  if (error && !settings) {
    return (
      <div role="alert" className="cartae-admin__bad">
        The automation settings could not be loaded: {error.message}{' '}
        <button type="button" onClick={() => void load()}>
          Retry
        </button>
      </div>
    );
  }
  if (!settings) return <p aria-busy="true">Loading the automation settings…</p>;

  function propose(proposal: SettingsProposal) {
    if (!settings) return;
    const checked = validateFleetSettingsChange(proposal.change, props.urlPolicy);
    setNotice(undefined);
    if (!checked.ok) {
      setErrors({ [proposal.field]: checked.error });
      return;
    }
    setErrors({});
    const lines = settingsChangeLines(settings, checked.value);
    if (lines.length === 0) {
      setNotice({ kind: 'saved', text: 'Nothing to change: the settings already say so.' });
      return;
    }
    setPending({ ...proposal, valid: checked.value, lines });
  }

  const edited = () => setErrors({});

  async function confirm() {
    if (!pending) return;
    setBusy(true);
    const saved = await service.updateFleetSettings(pending.valid);
    setBusy(false);
    setPending(undefined);
    if (saved.ok) {
      setSettings(saved.value);
      setNotice({ kind: 'saved', text: `Saved: ${pending.lines.map((l) => l.setting).join(', ')}.` });
      pending.onSaved?.();
      return;
    }
    if (saved.error.kind === 'invalid') setErrors({ [pending.field]: saved.error.message });
    setNotice({ kind: 'error', text: saved.error.message });
  }

  return (
    <section aria-labelledby={headingId} className="cartae-admin__section cartae-admin__settings">
      <h2 id={headingId}>Automation</h2>
      <p className="cartae-admin__hint">
        Fleet-wide settings of the control plane, outside the config: changing them makes no config version
        and reaches no app. Each change is written to the alert feed.
        {settings.updatedAt
          ? ` Last changed ${new Date(settings.updatedAt).toLocaleString()}${settings.updatedByEmail ? ` by ${settings.updatedByEmail}` : ''}.`
          : ''}
      </p>
      {notice && (
        <p
          role={notice.kind === 'error' ? 'alert' : 'status'}
          className={notice.kind === 'error' ? 'cartae-admin__bad' : 'cartae-admin__ok'}
        >
          {notice.text}
        </p>
      )}
      <AutomationPauseControl settings={settings} propose={propose} />
      <WebhookUrlSettings
        current={settings.webhookUrl}
        error={errors.webhookUrl}
        propose={propose}
        onEdit={edited}
      />
      <WebhookSecretSettings
        isSet={settings.webhookSecretSet}
        error={errors.webhookSecret}
        propose={propose}
        onEdit={edited}
      />
      <SourceAlertRuleSettings
        rule={settings.sourceAlert}
        error={errors.sourceAlert}
        propose={propose}
        onEdit={edited}
      />
      <SourceHostsSettings hosts={hosts} />
      {pending && (
        <SettingsChangeDialog
          title={pending.title}
          confirmLabel={pending.confirmLabel}
          effect={pending.effect}
          lines={pending.lines}
          busy={busy}
          onConfirm={() => void confirm()}
          onCancel={() => setPending(undefined)}
        />
      )}
    </section>
  );
}
