import { Badge, Button, Card, Group, SimpleGrid, Stack, Table, Text, Title, Tooltip, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect } from 'react';
import { useSearchParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../graphql/graphql';
import { useSession } from '../session/session';
import { ChangePasswordForm } from '../sign-in/ChangePasswordForm';
import { ErrorNotice } from '../ui/ErrorNotice';
import { PageHeader } from '../ui/PageHeader';
import { describeUserAgent, formatDateTime, formatRelative } from '../ui/format';

const ProfileQuery = graphql(`
  query Profile {
    myIdentities { id provider email createdAt }
    mySessions(first: 50) { id method ip userAgent createdAt lastUsedAt expiresAt current }
    signInProviders { provider label }
  }
`);

const LinkProviderMutation = graphql(`
  mutation LinkProvider($provider: SignInProvider!) { linkProvider(provider: $provider) { url } }
`);
const UnlinkMutation = graphql(`
  mutation UnlinkIdentity($id: ID!) { unlinkIdentity(id: $id) }
`);
const RevokeSessionMutation = graphql(`
  mutation RevokeSession($id: ID!) { revokeSession(id: $id) }
`);
const RevokeOthersMutation = graphql(`
  mutation RevokeOtherSessions { revokeOtherSessions }
`);

export default function ProfilePage() {
  const session = useSession();
  const me = session.me!;
  const [params] = useSearchParams();
  const [profile, refetch] = useQuery({ query: ProfileQuery });
  const [link, runLink] = useMutation(LinkProviderMutation);
  const [unlink, runUnlink] = useMutation(UnlinkMutation);
  const [revoke, runRevoke] = useMutation(RevokeSessionMutation);
  const [revokeOthers, runRevokeOthers] = useMutation(RevokeOthersMutation);
  const reload = () => refetch({ requestPolicy: 'network-only' });

  useEffect(() => {
    const linked = params.get('linked');
    if (linked) notifications.show({ color: 'teal', message: `Your ${linked === 'GITHUB' ? 'GitHub' : 'Azure AD'} account is linked` });
  }, [params]);

  const identities = profile.data?.myIdentities ?? [];
  const linkable = (profile.data?.signInProviders ?? []).filter((p) => !identities.some((i) => i.provider === p.provider));
  return (
    <>
      <PageHeader title="Profile" description={`${me.email} · ${me.role}`} />
      <ErrorNotice error={profile.error ?? link.error ?? unlink.error ?? revoke.error ?? revokeOthers.error} />
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <Card withBorder>
          <Title order={2} size="h4" mb="sm">
            Password
          </Title>
          <ChangePasswordForm
            onChanged={() => {
              notifications.show({ color: 'teal', message: 'Password changed; your other sessions were signed out' });
              reload();
            }}
          />
        </Card>
        <Card withBorder>
          <Title order={2} size="h4" mb="sm">
            Linked accounts
          </Title>
          <Stack gap="xs">
            {identities.length === 0 && <Text c="dimmed" size="sm">No GitHub or Azure AD account is linked.</Text>}
            {identities.map((identity) => (
              <Group key={identity.id} justify="space-between">
                <Text size="sm">
                  <Badge variant="light" mr="xs">
                    {identity.provider === 'GITHUB' ? 'GitHub' : 'Azure AD'}
                  </Badge>
                  {identity.email ?? 'no email reported'}
                </Text>
                <Button
                  size="xs"
                  variant="subtle"
                  color="red"
                  onClick={() => void runUnlink({ id: identity.id }).then((r) => r.data && reload())}
                  aria-label={`Unlink ${identity.provider === 'GITHUB' ? 'GitHub' : 'Azure AD'} account`}
                >
                  Unlink
                </Button>
              </Group>
            ))}
            {linkable.map((p) => (
              <Button
                key={p.provider}
                variant="default"
                loading={link.fetching}
                onClick={() => void runLink({ provider: p.provider }).then((r) => r.data && location.assign(r.data.linkProvider.url))}
              >
                Link {p.label}
              </Button>
            ))}
          </Stack>
        </Card>
      </SimpleGrid>
      <Card withBorder mt="lg">
        <Group justify="space-between" mb="sm">
          <Title order={2} size="h4">
            Sessions
          </Title>
          <Button size="xs" variant="default" onClick={() => void runRevokeOthers({}).then((r) => r.data && reload())}>
            Sign out everywhere else
          </Button>
        </Group>
        <Table.ScrollContainer minWidth={600}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Method</Table.Th>
                <Table.Th>Device</Table.Th>
                <Table.Th>Address</Table.Th>
                <Table.Th>Last used</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(profile.data?.mySessions ?? []).map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td>
                    {s.method} {s.current && <Badge size="xs">this browser</Badge>}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" title={s.userAgent ?? ''}>
                      {describeUserAgent(s.userAgent)}
                    </Text>
                  </Table.Td>
                  <Table.Td>{s.ip ?? '—'}</Table.Td>
                  <Table.Td>
                    <Tooltip label={formatDateTime(s.lastUsedAt)}>
                      <span>{formatRelative(s.lastUsedAt)}</span>
                    </Tooltip>
                  </Table.Td>
                  <Table.Td>
                    {!s.current && (
                      <Button size="xs" variant="subtle" color="red" onClick={() => void runRevoke({ id: s.id }).then((r) => r.data && reload())}>
                        Sign out
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>
    </>
  );
}
