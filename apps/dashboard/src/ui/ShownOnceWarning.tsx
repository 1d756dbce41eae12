import { Alert } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { ReactNode } from 'react';

/** Yellow titles fall below 4.5:1 on the yellow background (axe): the title keeps the text color. */
const STYLES = { title: { color: 'var(--mantine-color-text)' } };

/** Next to a secret the hub returns once (signing secret, initial password): store it now. */
export function ShownOnceWarning({ children }: { children: ReactNode }) {
  return (
    <Alert color="yellow" title="Shown only now" icon={<IconAlertTriangle aria-hidden />} styles={STYLES}>
      {children}
    </Alert>
  );
}
