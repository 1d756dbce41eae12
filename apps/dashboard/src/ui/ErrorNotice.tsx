import { Alert } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { CombinedError } from 'urql';
import { errorMessage } from './errors';

/** A failed query or mutation, announced to screen readers. Renders nothing without an error. */
export function ErrorNotice({ error, title = 'Something went wrong', message }: { error?: CombinedError | Error | null; title?: string; message?: string }) {
  const text = message ?? errorMessage(error);
  if (!text) return null;
  return (
    <Alert color="red" title={title} icon={<IconAlertTriangle aria-hidden />} role="alert" my="sm">
      {text}
    </Alert>
  );
}
