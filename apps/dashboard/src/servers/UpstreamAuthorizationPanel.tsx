import { Alert, Badge, Button, Group, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconKey, IconLockOpen } from '@tabler/icons-react';
import { useMutation } from 'urql';
import { graphql } from '../graphql/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { formatDateTime } from '../ui/format';
import type { ServerDetail } from './server-detail.query';

const AuthorizeUpstreamMutation = graphql(`
  mutation AuthorizeUpstream($serverId: ID!) { authorizeUpstream(serverId: $serverId) { authorizationUrl expiresAt } }
`);
const RevokeUpstreamAuthorizationMutation = graphql(`
  mutation RevokeUpstreamAuthorization($serverId: ID!) { revokeUpstreamAuthorization(serverId: $serverId) }
`);

const STATE_LABEL = { AUTHORIZED: 'Authorized', EXPIRED: 'Expired', NOT_AUTHORIZED: 'Not authorized' } as const;
/** Light-variant titles fall below 4.5:1 on their background (axe): the title keeps the text color. */
const TITLE_STYLES = { title: { color: 'var(--mantine-color-text)' } };
// Filled, in shades that keep 4.5:1 text contrast on both themes (as HealthBadge).
const STATE_COLOR = { AUTHORIZED: 'teal.9', EXPIRED: 'yellow.4', NOT_AUTHORIZED: 'gray.7' } as const;

/**
 * For a server that requires OAuth: the viewer's own authorization (their agents' calls carry their own token),
 * Authorize (off to the server's authorization server and back) and Revoke. `outcome` is what the hub's callback
 * reported when the browser came back.
 */
export function UpstreamAuthorizationPanel({
  server,
  outcome,
  onChanged,
}: {
  server: ServerDetail;
  outcome: { ok: boolean; message: string } | null;
  onChanged: () => void;
}) {
  const [started, start] = useMutation(AuthorizeUpstreamMutation);
  const [revoked, revoke] = useMutation(RevokeUpstreamAuthorizationMutation);
  const authorization = server.upstreamAuthorization;
  if (!server.oauth || !authorization) return null;
  const authorized = authorization.state === 'AUTHORIZED';
  return (
    <Stack gap="xs" mt="md" component="section" aria-labelledby="upstream-authorization-title">
      <Group gap="sm">
        <Title order={2} size="h4" id="upstream-authorization-title">
          Your authorization
        </Title>
        <Badge color={STATE_COLOR[authorization.state]} variant="filled" autoContrast>
          {STATE_LABEL[authorization.state]}
        </Badge>
      </Group>
      {outcome && (
        <Alert color={outcome.ok ? 'teal' : 'red'} title={outcome.ok ? 'Authorization complete' : 'Authorization failed'} role="status" styles={TITLE_STYLES}>
          {outcome.message}
        </Alert>
      )}
      <Text size="sm">
        This server requires OAuth: your agents' calls to it carry your own access, never your API key.
        {authorized && authorization.expiresAt ? ` The current token expires ${formatDateTime(authorization.expiresAt)}; the hub renews it before then.` : ''}
        {authorization.scopes.length ? ` Scopes: ${authorization.scopes.join(', ')}.` : ''}
      </Text>
      <ErrorNotice error={started.error ?? revoked.error} />
      <Group>
        <Button
          leftSection={<IconKey size={16} aria-hidden />}
          loading={started.fetching}
          onClick={() =>
            void start({ serverId: server.id }).then((r) => {
              if (r.data) window.location.assign(r.data.authorizeUpstream.authorizationUrl);
            })
          }
        >
          {authorized ? 'Authorize again' : 'Authorize'}
        </Button>
        {authorization.state !== 'NOT_AUTHORIZED' && (
          <Button
            variant="outline"
            color="red"
            leftSection={<IconLockOpen size={16} aria-hidden />}
            loading={revoked.fetching}
            onClick={() =>
              void revoke({ serverId: server.id }).then((r) => {
                if (r.data === undefined) return;
                notifications.show({ color: 'teal', message: `Your authorization of ${server.name} was revoked` });
                onChanged();
              })
            }
          >
            Revoke
          </Button>
        )}
      </Group>
    </Stack>
  );
}
