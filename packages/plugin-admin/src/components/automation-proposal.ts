/** A fleet settings change a control asks for, before its confirmation. */
export interface SettingsProposal {
  /** As typed: the tab checks it with `validateFleetSettingsChange` before anything else. */
  readonly change: Readonly<Record<string, unknown>>;
  readonly title: string;
  readonly confirmLabel: string;
  /** What it does, in a sentence the dialog shows above the table of changes. */
  readonly effect: string;
  /** The setting whose control shows a refusal (`webhookSecret`). */
  readonly field: 'automationPaused' | 'webhookUrl' | 'webhookSecret' | 'sourceAlert';
  /** Called once it is saved (a field clears itself). */
  readonly onSaved?: () => void;
}

/** How a control asks for a change: the tab validates it, confirms it, then sends it. */
export type ProposeSettings = (proposal: SettingsProposal) => void;
