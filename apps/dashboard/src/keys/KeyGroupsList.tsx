import { Badge, Group, Text } from '@mantine/core';

/** A key's groups by name; none means every group its owner may use. */
export function KeyGroupsList({ groupIds, groups }: { groupIds: readonly string[]; groups: ReadonlyMap<string, { name: string }> }) {
  if (!groupIds.length) {
    return (
      <Text size="sm" c="dimmed">
        All groups
      </Text>
    );
  }
  return (
    <Group gap={4}>
      {groupIds.map((id) => (
        <Badge key={id} variant="outline" color="gray" tt="none" title={groups.has(id) ? undefined : id}>
          {groups.get(id)?.name ?? 'Group not visible to you'}
        </Badge>
      ))}
    </Group>
  );
}
