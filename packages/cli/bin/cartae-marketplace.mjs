#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so the CLI needs no build step. The workspace
// packages it imports are resolved to their sources too (`@cartae/source`, source-condition-hook.mjs):
// registered after tsx, the hook runs first and hands tsx the condition.
import { register } from 'tsx/esm/api';
import { registerSourceCondition } from './source-condition-hook.mjs';

register();
registerSourceCondition();
await import('../src/main.ts');
