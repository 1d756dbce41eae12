import { Button, Card, Group, PasswordInput, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../graphql/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import type { ServerDetail } from './server-detail.query';

const SetServerOAuthMutation = graphql(`
  mutation SetServerOAuth($serverId: ID!, $input: ServerOAuthInput!) {
    setServerOAuth(serverId: $serverId, input: $input) { id oauth { clientId clientSecretSet scopes } }
  }
`);

/**
 * Whether the (remote) server requires OAuth, with a configured client or dynamic registration. The client secret
 * is write-only: left empty, the stored one stays.
 */
export function OAuthSettings({ server, onSaved }: { server: ServerDetail; onSaved(): void }) {
  const [enabled, setEnabled] = useState(!!server.oauth);
  const [clientId, setClientId] = useState(server.oauth?.clientId ?? '');
  const [clientSecret, setClientSecret] = useState('');
  const [scopes, setScopes] = useState(server.oauth?.scopes.join(' ') ?? '');
  const [saved, save] = useMutation(SetServerOAuthMutation);
  if (server.transport === 'STDIO') return null;
  const submit = () =>
    void save({
      serverId: server.id,
      input: { enabled, clientId: clientId.trim() || null, ...(clientSecret ? { clientSecret } : {}), scopes: scopes.split(/\s+/).filter(Boolean) },
    }).then((r) => {
      if (!r.data) return;
      setClientSecret('');
      notifications.show({ color: 'teal', message: enabled ? 'OAuth saved: each person authorizes the server for themselves' : 'OAuth turned off' });
      onSaved();
    });
  return (
    <Card withBorder mt="md" component="section" aria-labelledby="oauth-settings-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="oauth-settings-title">
          OAuth
        </Title>
        <Switch label="Requires OAuth: each person authorizes it, their calls carry their own token" checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} />
        {enabled && (
          <>
            <TextInput
              label="Client id"
              description="Leave empty to have the hub register itself with the server's authorization server (dynamic client registration)"
              value={clientId}
              onChange={(e) => setClientId(e.currentTarget.value)}
            />
            <PasswordInput
              label="Client secret"
              description={server.oauth?.clientSecretSet ? 'A secret is stored; leave empty to keep it' : 'Only for a confidential client'}
              value={clientSecret}
              onChange={(e) => setClientSecret(e.currentTarget.value)}
              disabled={!clientId.trim()}
            />
            <TextInput label="Scopes" description="Space-separated; empty: those the server asks for" value={scopes} onChange={(e) => setScopes(e.currentTarget.value)} />
          </>
        )}
        {!enabled && server.oauth && <Text size="sm">Turning OAuth off forgets everybody's authorization of this server.</Text>}
        <ErrorNotice error={saved.error} />
        <Group justify="flex-end">
          <Button onClick={submit} loading={saved.fetching}>
            Save OAuth settings
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
