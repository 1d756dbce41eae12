import { Anchor, Card, Code, Group, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { Link } from 'react-router';
import { CopyField } from '../ui/CopyField';
import { ClientSnippets } from './ClientSnippets';
import { GroupExport } from './GroupExport';
import type { GroupDetail } from './GroupPage';

/** The group's endpoints and what to paste into each MCP client. */
export function GroupConnect({ group }: { group: GroupDetail }) {
  const endpoints = [
    {
      label: 'Streamable HTTP',
      url: group.endpoints.streamableHttp,
      note: 'Current MCP clients: MCP 2026-07-28 (stateless) and 2025 sessions, on the same URL',
    },
    { label: 'HTTP + SSE', url: group.endpoints.sse, note: 'Older clients that only speak the legacy SSE transport' },
  ];
  return (
    <Stack>
      <Card withBorder component="section" aria-labelledby="endpoints-title">
        <Title order={2} size="h4" mb="sm" id="endpoints-title">
          Endpoints
        </Title>
        <Table.ScrollContainer minWidth={560}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Transport</Table.Th>
                <Table.Th>URL</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Copy</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {endpoints.map((e) => (
                <Table.Tr key={e.label}>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {e.label}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {e.note}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Code>{e.url}</Code>
                  </Table.Td>
                  <Table.Td>
                    <CopyField value={e.url} label={`Copy the ${e.label} URL`} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <Text size="sm" mt="sm">
          Agents authenticate with an API key in the <Code>Authorization: Bearer …</Code> header.{' '}
          <Anchor component={Link} to="/keys">
            Create a key
          </Anchor>{' '}
          to get one; its secret is shown once, with these snippets filled in.
        </Text>
      </Card>
      <Card withBorder component="section" aria-labelledby="snippets-title">
        <Group justify="space-between" mb="sm">
          <Title order={2} size="h4" id="snippets-title">
            Client configuration
          </Title>
        </Group>
        <ClientSnippets configs={group.clientConfigs} />
      </Card>
      <GroupExport groupId={group.id} />
    </Stack>
  );
}
