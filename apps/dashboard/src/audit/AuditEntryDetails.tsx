import { Badge, Code, Group, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import type { AuditEntry } from './audit-query';

type Change = AuditEntry['changes'][number];
type Field = Change['fields'][number];

/** A stored value as text: strings as they are, everything else as JSON. */
function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

const OPERATIONS: Record<string, string> = { INSERT: 'Created', UPDATE: 'Changed', DELETE: 'Deleted' };

/** Who, from where, and every row the operation changed; secrets only ever by name (the API sends no values). */
export function AuditEntryDetails({ entry }: { entry: AuditEntry }) {
  const facts: [string, string | null][] = [
    ['Actor id', entry.actorId],
    ['Signed in with', entry.authMethod],
    ['IP address', entry.ip],
    ['Browser or client', entry.userAgent],
    ['Request id', entry.correlationId],
    ['Error code', entry.errorCode],
    ['Error', entry.errorMessage],
  ];
  return (
    <Stack gap="md" py="xs">
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xs" component="dl" m={0}>
        {facts
          .filter(([, value]) => value)
          .map(([label, value]) => (
            <div key={label}>
              <Text component="dt" size="xs" c="dimmed">
                {label}
              </Text>
              <Text component="dd" m={0} size="sm" style={{ wordBreak: 'break-word' }}>
                {value}
              </Text>
            </div>
          ))}
      </SimpleGrid>
      {entry.changes.length === 0 ? (
        <Text size="sm" c="dimmed">
          No stored rows changed.
        </Text>
      ) : (
        entry.changes.map((change, i) => <ChangeTable key={`${change.entity}-${change.entityId}-${i}`} change={change} />)
      )}
    </Stack>
  );
}

function ChangeTable({ change }: { change: Change }) {
  return (
    <div>
      <Text size="sm" fw={600} mb={4}>
        {OPERATIONS[change.operation] ?? change.operation} {change.entity} {change.entityId && <Code>{change.entityId}</Code>}
      </Text>
      <Table withTableBorder layout="fixed">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w="25%">Field</Table.Th>
            <Table.Th>Before</Table.Th>
            <Table.Th>After</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {change.fields.map((field) => (
            <Table.Tr key={field.name}>
              <Table.Td style={{ overflowWrap: 'anywhere' }}>{field.name}</Table.Td>
              {field.secret ? (
                <Table.Td colSpan={2}>
                  <SecretChange field={field} />
                </Table.Td>
              ) : (
                <>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>{change.operation === 'INSERT' ? '—' : show(field.oldValue)}</Table.Td>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>{change.operation === 'DELETE' ? '—' : show(field.newValue)}</Table.Td>
                </>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}

function SecretChange({ field }: { field: Field }) {
  return (
    <Group gap="xs">
      <Badge variant="light" color="grape">
        secret changed
      </Badge>
      {field.entries?.length ? <Text size="sm">Entries that changed: {field.entries.join(', ')}</Text> : <Text size="sm">value not shown</Text>}
    </Group>
  );
}
