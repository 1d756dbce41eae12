import { Anchor, Badge, Code, Group, Stack, Table, Text } from '@mantine/core';
import type { CatalogEntryView } from './catalog-query';

/** How an entry runs and what it needs: the command or URL, then each variable. */
export function CatalogEntryDetails({ entry }: { entry: CatalogEntryView }) {
  return (
    <Stack gap="sm">
      <div>
        <Text size="sm" fw={600}>
          {entry.transport === 'STDIO' ? 'Runs as' : 'Connects to'}
        </Text>
        <Code block style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }}>
          {entry.transport === 'STDIO' ? entry.command.join(' ') : entry.url}
        </Code>
      </div>
      {entry.variables.length ? (
        <Table.ScrollContainer minWidth={560}>
          <Table>
            <Table.Caption>Variables of {entry.title}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Kind</Table.Th>
                <Table.Th>Description</Table.Th>
                <Table.Th>Example</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {entry.variables.map((v) => (
                <Table.Tr key={`${v.kind}:${v.name}`}>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {v.name}
                    </Text>
                    <Group gap={4} mt={2}>
                      <Badge size="xs" variant="light" color={v.required ? 'blue' : 'gray'}>
                        {v.required ? 'Required' : 'Optional'}
                      </Badge>
                      {v.secret && (
                        <Badge size="xs" variant="light" color="grape">
                          Secret
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>{v.kind === 'ENV' ? 'Environment' : 'HTTP header'}</Table.Td>
                  <Table.Td>{v.description || '—'}</Table.Td>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>{v.example ? <Code>{v.example}</Code> : '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : (
        <Text size="sm">Needs no variables.</Text>
      )}
      <Group gap="md">
        {entry.repositoryUrl && (
          <Anchor href={entry.repositoryUrl} target="_blank" rel="noreferrer" size="sm">
            Source of {entry.title}
          </Anchor>
        )}
        {entry.docsUrl && (
          <Anchor href={entry.docsUrl} target="_blank" rel="noreferrer" size="sm">
            Documentation of {entry.title}
          </Anchor>
        )}
      </Group>
    </Stack>
  );
}
