import { Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useQuery } from 'urql';
import { ClientSnippets } from '../groups/ClientSnippets';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Loading } from '../ui/Loading';
import { GroupClientConfigsQuery } from './keys.graphql';

export interface ConnectableGroup {
  id: string;
  name: string;
  slug: string;
}

/** Pick one of the key's groups and get each client's configuration (written by the API), filled with the real key. */
export function ConnectClient({ groups, secret }: { groups: readonly ConnectableGroup[]; secret: string }) {
  const [groupId, setGroupId] = useState<string | null>(groups[0]?.id ?? null);
  const group = groups.find((g) => g.id === groupId);
  const [result] = useQuery({ query: GroupClientConfigsQuery, variables: { slug: group?.slug ?? '' }, pause: !group });
  if (!groups.length) {
    return (
      <Text size="sm" c="dimmed">
        You have no group to connect to yet. Create a group with servers, then use this key with its endpoint.
      </Text>
    );
  }
  const configs = result.data?.group.id === group?.id ? result.data?.group.clientConfigs : undefined;
  return (
    <Stack gap="sm">
      <Select
        label="Group"
        description="The endpoint the client connects to"
        data={groups.map((g) => ({ value: g.id, label: `${g.name} (${g.slug})` }))}
        value={groupId}
        onChange={setGroupId}
        allowDeselect={false}
        maw={420}
      />
      <ErrorNotice error={result.error} title="The client configurations could not be loaded" />
      {configs ? <ClientSnippets configs={configs} apiKey={secret} /> : !result.error && <Loading label="Loading the client configurations" />}
    </Stack>
  );
}
