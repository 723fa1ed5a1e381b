import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ComponentProps } from 'react';
import { AdminPanel } from '../../src/components/AdminPanel.tsx';
import type { signedInAs } from './admin-session.ts';

/** A signed-in admin's service, resolver and URL policy (`signedInAs`). */
export type Session = Awaited<ReturnType<typeof signedInAs>>;

/** The whole admin panel for `session`, opened on `initialTab`; the user-event handle to drive it. */
export function renderPanel(session: Session, initialTab?: ComponentProps<typeof AdminPanel>['initialTab']) {
  const user = userEvent.setup();
  render(
    <AdminPanel
      service={session.service}
      resolver={session.resolver}
      urlPolicy={session.urlPolicy}
      {...(initialTab ? { initialTab } : {})}
    />,
  );
  return user;
}
