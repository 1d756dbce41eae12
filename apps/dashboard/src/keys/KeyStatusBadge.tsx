import { Badge } from '@mantine/core';
import { STATUS_LABEL, keyStatus } from './key-format';

const COLOR = { active: 'teal', expired: 'orange', revoked: 'red' } as const;

export function KeyStatusBadge({ apiKey }: { apiKey: { revokedAt: string | null; expiresAt: string | null } }) {
  const status = keyStatus(apiKey);
  return (
    <Badge color={COLOR[status]} variant="light">
      {STATUS_LABEL[status]}
    </Badge>
  );
}
