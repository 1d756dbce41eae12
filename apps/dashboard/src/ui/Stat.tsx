import { Card, Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** One figure with its label (a description list, so the label is read with the value). */
export function Stat({ label, value, detail, alert = false }: { label: string; value: ReactNode; detail?: ReactNode; alert?: boolean }) {
  return (
    <Card withBorder component="dl" m={0}>
      <Text component="dt" size="sm" c="dimmed">
        {label}
      </Text>
      <Text component="dd" m={0} fz={28} fw={700} c={alert ? 'var(--mantine-color-error)' : undefined}>
        {value}
      </Text>
      {detail && (
        <Text component="dd" m={0} size="sm" c="dimmed">
          {detail}
        </Text>
      )}
    </Card>
  );
}
