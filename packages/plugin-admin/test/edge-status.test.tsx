import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { EdgeStatus } from '../src/components/EdgeStatus.tsx';

const HEALTH = {
  status: 'degraded',
  registry: { version: 42, storedAt: '2026-11-30T10:05:00.000Z', signedBy: 'cartae-local-dev' },
  lastSync: {
    at: '2026-11-30T10:10:00.000Z',
    result: 'failed',
    message: 'Git answered HTTP 500',
    lastSuccessAt: '2026-11-30T10:05:00.000Z',
    consecutiveFailures: 2,
    retryAt: null,
  },
  config: { version: 6 },
  problems: [],
};

describe('EdgeStatus (the CDN Worker as it reports itself)', () => {
  it('shows the registry it serves, who signed it, its last mirror from Git and the config it hands out', async () => {
    const asked: string[] = [];
    render(
      <EdgeStatus
        cloudflareUrl="https://marketplace.cartae.com/"
        configVersion={7}
        fetchHealth={async (url) => {
          asked.push(url);
          return HEALTH;
        }}
      />,
    );
    const list = await screen.findByLabelText('CDN Worker status');
    expect(asked).toEqual(['https://marketplace.cartae.com/health']);
    expect(list.textContent).toContain('v42');
    expect(list.textContent).toContain('signed by cartae-local-dev');
    expect(list.textContent).toContain('failed at');
    expect(list.textContent).toContain('Git answered HTTP 500 (2 failures in a row');
    expect(list.textContent).toContain('v6 (the control plane holds v7');
  });

  it('says plainly when the Worker cannot be read from this browser', async () => {
    render(
      <EdgeStatus
        cloudflareUrl="https://marketplace.cartae.com"
        configVersion={7}
        fetchHealth={async () => {
          throw new Error('Failed to fetch');
        }}
      />,
    );
    expect((await screen.findByRole('status')).textContent).toContain(
      "the Worker's /health could not be read from this browser: Failed to fetch",
    );
  });
});
