import { Alert, Anchor, Badge, Button, Card, Code, DataList, Group, Modal, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconPencil } from '@tabler/icons-react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../graphql/graphql';
import { useSession } from '../session/session';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Loading } from '../ui/Loading';
import { PageHeader } from '../ui/PageHeader';
import { formatDateTime, formatRelative } from '../ui/format';
import { KeyForm, keyFormValues, type KeyFormValues } from './KeyForm';
import { KeyGroupsList } from './KeyGroupsList';
import { KeyStatusBadge } from './KeyStatusBadge';
import { KeyUsage } from './KeyUsage';
import { RevokeKeyButton } from './RevokeKeyButton';
import { fromLocalInput, quotaText, quotaValue } from './key-format';
import { KeyGroupsQuery } from './keys.graphql';

const KeyQuery = graphql(`
  query ApiKeyDetail($id: ID!) {
    apiKey(id: $id) {
      id name prefix groupIds tags perMinute perDay expiresAt revokedAt lastUsedAt createdAt
      owner { id email displayName }
    }
  }
`);

const UpdateApiKeyMutation = graphql(`
  mutation UpdateApiKey($id: ID!, $input: UpdateApiKeyInput!) {
    updateApiKey(id: $id, input: $input) { id name groupIds tags perMinute perDay expiresAt revokedAt }
  }
`);

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((v, i) => v === b[i]);

export default function KeyPage() {
  const { id = '' } = useParams();
  const me = useSession().me!;
  const [result, refetch] = useQuery({ query: KeyQuery, variables: { id } });
  const [groupsResult] = useQuery({ query: KeyGroupsQuery });
  const [update, runUpdate] = useMutation(UpdateApiKeyMutation);
  const [editing, edit] = useDisclosure(false);
  const groups = groupsResult.data?.groups ?? [];
  const key = result.data?.apiKey;

  if (!key) {
    return (
      <>
        <PageHeader title="API key" />
        {result.fetching ? <Loading label="Loading the key" /> : <ErrorNotice error={result.error} title="This key could not be loaded" />}
        <Anchor component={Link} to="/keys">
          Back to the keys
        </Anchor>
      </>
    );
  }

  const mayChange = me.role !== 'AUDITOR' && !key.revokedAt;
  const save = async (values: KeyFormValues) => {
    // Only what changed: an unchanged expiry that has passed would otherwise be refused as "in the past".
    const before = keyFormValues(key);
    const input: Record<string, unknown> = {};
    if (values.name !== before.name) input.name = values.name;
    if (!sameList(values.groupIds, before.groupIds)) input.groupIds = values.groupIds;
    if (!sameList(values.tags, before.tags)) input.tags = values.tags;
    if (quotaValue(values.perMinute) !== key.perMinute) input.perMinute = quotaValue(values.perMinute);
    if (quotaValue(values.perDay) !== key.perDay) input.perDay = quotaValue(values.perDay);
    if (values.expiresAt !== before.expiresAt) input.expiresAt = fromLocalInput(values.expiresAt);
    const saved = await runUpdate({ id: key.id, input });
    if (!saved.data) return;
    edit.close();
    notifications.show({ color: 'teal', message: `Key “${saved.data.updateApiKey.name}” saved; agents using it see the change at once` });
  };
  const groupNames = new Map(groups.map((g) => [g.id, g]));

  return (
    <>
      <PageHeader
        title={key.name}
        description={
          <>
            <Anchor component={Link} to="/keys">
              API keys
            </Anchor>{' '}
            / <Code>{key.prefix}</Code>
          </>
        }
        actions={
          mayChange && (
            <>
              <Button variant="default" leftSection={<IconPencil size={16} aria-hidden />} onClick={edit.open}>
                Edit key
              </Button>
              <RevokeKeyButton apiKey={key} onRevoked={() => refetch({ requestPolicy: 'network-only' })} />
            </>
          )
        }
      />
      <Stack gap="lg">
        {key.revokedAt && (
          <Alert color="red" variant="light" title="This key is revoked" styles={{ title: { color: 'var(--mantine-color-text)' } }}>
            Since {formatDateTime(key.revokedAt)} every call with it is refused. Its usage history stays below.
          </Alert>
        )}
        <Card withBorder>
          <Title order={2} size="h4" mb="sm">
            Details
          </Title>
          <DataList labelWidth={140} withDivider>
            <DataList.Item>
              <DataList.ItemLabel>Status</DataList.ItemLabel>
              <DataList.ItemValue>
                <KeyStatusBadge apiKey={key} />
              </DataList.ItemValue>
            </DataList.Item>
            <DataList.Item>
              <DataList.ItemLabel>Owner</DataList.ItemLabel>
              <DataList.ItemValue>{key.owner.displayName ? `${key.owner.displayName} (${key.owner.email})` : key.owner.email}</DataList.ItemValue>
            </DataList.Item>
            <DataList.Item>
              <DataList.ItemLabel>Groups</DataList.ItemLabel>
              <DataList.ItemValue>
                <KeyGroupsList groupIds={key.groupIds} groups={groupNames} />
              </DataList.ItemValue>
            </DataList.Item>
            <DataList.Item>
              <DataList.ItemLabel>Quotas</DataList.ItemLabel>
              <DataList.ItemValue>{quotaText(key)}</DataList.ItemValue>
            </DataList.Item>
            <DataList.Item>
              <DataList.ItemLabel>Tags</DataList.ItemLabel>
              <DataList.ItemValue>
                {key.tags.length ? (
                  <Group gap={4}>
                    {key.tags.map((t) => (
                      <Badge key={t} variant="light" color="gray" tt="none">
                        {t}
                      </Badge>
                    ))}
                  </Group>
                ) : (
                  'None'
                )}
              </DataList.ItemValue>
            </DataList.Item>
            <DataList.Item>
              <DataList.ItemLabel>Expires</DataList.ItemLabel>
              <DataList.ItemValue>{key.expiresAt ? formatDateTime(key.expiresAt) : 'Never'}</DataList.ItemValue>
            </DataList.Item>
            <DataList.Item>
              <DataList.ItemLabel>Last used</DataList.ItemLabel>
              <DataList.ItemValue>{key.lastUsedAt ? `${formatRelative(key.lastUsedAt)} (${formatDateTime(key.lastUsedAt)})` : 'Never'}</DataList.ItemValue>
            </DataList.Item>
            <DataList.Item>
              <DataList.ItemLabel>Created</DataList.ItemLabel>
              <DataList.ItemValue>{formatDateTime(key.createdAt)}</DataList.ItemValue>
            </DataList.Item>
          </DataList>
          <Text size="xs" c="dimmed" mt="sm">
            The key’s secret was shown once, when it was created; the hub cannot show it again.
          </Text>
        </Card>
        <KeyUsage keyId={key.id} />
      </Stack>
      <Modal opened={editing} onClose={edit.close} title={`Edit key “${key.name}”`} size="lg">
        <KeyForm initial={keyFormValues(key)} groups={groups} submitLabel="Save changes" error={update.error} submitting={update.fetching} onSubmit={(v) => void save(v)} onCancel={edit.close} />
      </Modal>
    </>
  );
}
