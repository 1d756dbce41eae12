import { Alert, Anchor, Button, Card, Code, Group, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { graphql, type ResultOf } from '../graphql/graphql';
import { CopyField } from '../ui/CopyField';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Loading } from '../ui/Loading';
import { PageHeader } from '../ui/PageHeader';
import { ConnectClient } from './ConnectClient';
import { EMPTY_KEY_FORM, KeyForm, type KeyFormValues } from './KeyForm';
import { fromLocalInput, quotaValue } from './key-format';
import { KeyGroupsQuery } from './keys.graphql';

const CreateApiKeyMutation = graphql(`
  mutation CreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) {
      secret
      apiKey { id name prefix groupIds }
    }
  }
`);

type Created = ResultOf<typeof CreateApiKeyMutation>['createApiKey'];

export default function NewKeyPage() {
  const [groupsResult] = useQuery({ query: KeyGroupsQuery });
  const [create, runCreate] = useMutation(CreateApiKeyMutation);
  // The secret lives only in this page's state: it is gone once the person leaves or reloads.
  const [created, setCreated] = useState<Created | null>(null);
  const [formKey, setFormKey] = useState(0);
  const groups = groupsResult.data?.groups ?? [];

  const submit = async (values: KeyFormValues) => {
    const result = await runCreate({
      input: {
        name: values.name,
        groupIds: values.groupIds,
        tags: values.tags,
        perMinute: quotaValue(values.perMinute),
        perDay: quotaValue(values.perDay),
        expiresAt: fromLocalInput(values.expiresAt),
      },
    });
    if (result.data) setCreated(result.data.createApiKey);
  };

  if (created) {
    const connectable = created.apiKey.groupIds.length ? groups.filter((g) => created.apiKey.groupIds.includes(g.id)) : groups;
    return (
      <>
        <PageHeader title="API key created" description={`${created.apiKey.name} · ${created.apiKey.prefix}`} />
        <Stack gap="lg">
          <Card withBorder>
            <Title order={2} size="h4" mb="sm">
              Your new key
            </Title>
            <Alert color="orange" variant="light" icon={<IconAlertTriangle aria-hidden />} title="Copy the key now: it is shown only this once" mb="md" styles={{ title: { color: 'var(--mantine-color-text)' } }}>
              The hub keeps only a fingerprint of the key and can never show it again. Store it where your agent reads its secrets; if it is lost,
              revoke this key and create a new one.
            </Alert>
            <Group gap="xs" wrap="nowrap" align="center">
              <Code data-testid="new-key-secret" fz="sm" style={{ wordBreak: 'break-all' }}>
                {created.secret}
              </Code>
              <CopyField value={created.secret} label="Copy the API key" />
            </Group>
          </Card>
          <Card withBorder>
            <Title order={2} size="h4" mb={4}>
              Connect a client
            </Title>
            <Text size="sm" c="dimmed" mb="sm">
              These snippets contain the key: keep them private.
            </Text>
            <ConnectClient groups={connectable} secret={created.secret} />
          </Card>
          <Group>
            <Button component={Link} to={`/keys/${created.apiKey.id}`}>
              Done, show the key’s usage
            </Button>
            <Button
              variant="default"
              onClick={() => {
                setCreated(null);
                setFormKey((k) => k + 1);
              }}
            >
              Create another key
            </Button>
          </Group>
        </Stack>
      </>
    );
  }

  return (
    <>
      <PageHeader
        title="Create an API key"
        description={
          <>
            Agents send the key as <Code>Authorization: Bearer …</Code> to a group’s endpoint. <Anchor component={Link} to="/keys">Back to your keys</Anchor>
          </>
        }
      />
      <ErrorNotice error={groupsResult.error} title="Your groups could not be loaded" />
      <Card withBorder maw={720}>
        {groupsResult.fetching && !groupsResult.data ? (
          <Loading label="Loading your groups" />
        ) : (
          <KeyForm key={formKey} initial={EMPTY_KEY_FORM} groups={groups} submitLabel="Create key" error={create.error} submitting={create.fetching} onSubmit={(v) => void submit(v)} />
        )}
      </Card>
    </>
  );
}
