import { Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { ClientSnippets } from '../groups/ClientSnippets';
import type { ClientConfigFields } from '../groups/client-snippets';
import type { FragmentOf } from '../graphql/graphql';

export interface ConnectableGroup {
  id: string;
  name: string;
  slug: string;
  clientConfigs: readonly FragmentOf<typeof ClientConfigFields>[];
}

/** Pick one of the key's groups and get each client's configuration, filled with the real key. */
export function ConnectClient({ groups, secret }: { groups: readonly ConnectableGroup[]; secret: string }) {
  const [groupId, setGroupId] = useState<string | null>(groups[0]?.id ?? null);
  const group = groups.find((g) => g.id === groupId);
  if (!groups.length) {
    return (
      <Text size="sm" c="dimmed">
        You have no group to connect to yet. Create a group with servers, then use this key with its endpoint.
      </Text>
    );
  }
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
      {group && <ClientSnippets configs={group.clientConfigs} apiKey={secret} />}
    </Stack>
  );
}
