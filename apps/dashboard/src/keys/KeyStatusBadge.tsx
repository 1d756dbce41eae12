import { Badge } from '@mantine/core';
import { STATUS_LABEL, keyStatus } from './key-format';

const COLOR = { active: 'teal', expired: 'orange', revoked: 'red' } as const;

export function KeyStatusBadge({ apiKey }: { apiKey: { revokedAt: string | null; expiresAt: string | null } }) {
  const status = keyStatus(apiKey);
  return (
    // A dot in the status colour; the text stays in the body colour (coloured badge text is below 4.5:1).
    <Badge color={COLOR[status]} variant="dot" tt="none">
      {STATUS_LABEL[status]}
    </Badge>
  );
}
