import { Badge, Stack, Table, Text } from '@mantine/core';
import type { RestoreReportView } from './backups-query';

const ACTION_COLORS: Record<string, string> = { CREATE: 'green', RENAME: 'teal', UPDATE: 'blue', REPLACE: 'orange', SKIP: 'gray', REFUSED: 'red' };

/** What a restore did, or (dry run) would do: counts per table, then every row that is not unchanged. */
export function RestoreReportTable({ report }: { report: RestoreReportView }) {
  return (
    <Stack gap="xs">
      <Text size="sm" fw={500} aria-live="polite">
        {report.dryRun ? 'A restore would' : 'The restore did'}: create {report.created}, change {report.changed}, skip {report.skipped}, leave {report.unchanged} unchanged.
      </Text>
      {report.schemaNote && (
        <Text size="sm" c="dimmed">
          {report.schemaNote}
        </Text>
      )}
      <Table.ScrollContainer minWidth={420}>
        <Table striped>
          <caption>Rows by table</caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Table</Table.Th>
              <Table.Th>Created</Table.Th>
              <Table.Th>Changed</Table.Th>
              <Table.Th>Skipped</Table.Th>
              <Table.Th>Unchanged</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.tables.map((t) => (
              <Table.Tr key={t.table}>
                <Table.Td ff="monospace">{t.table}</Table.Td>
                <Table.Td>{t.created}</Table.Td>
                <Table.Td>{t.changed}</Table.Td>
                <Table.Td>{t.skipped}</Table.Td>
                <Table.Td>{t.unchanged}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {report.items.some((i) => i.reason) && (
        <Table.ScrollContainer minWidth={420} mah={220}>
          <Table>
            <caption>Rows replaced, renamed or skipped</caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Row</Table.Th>
                <Table.Th>Action</Table.Th>
                <Table.Th>Why</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.items
                .filter((i) => i.reason)
                .map((i) => (
                  <Table.Tr key={`${i.table}:${i.key}`}>
                    <Table.Td ff="monospace" fz="xs">
                      {i.table} {i.key}
                    </Table.Td>
                    <Table.Td>
                      <Badge color={ACTION_COLORS[i.action] ?? 'gray'} variant="light">
                        {i.action}
                      </Badge>
                    </Table.Td>
                    <Table.Td fz="sm">{i.reason}</Table.Td>
                  </Table.Tr>
                ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {report.itemsOmitted > 0 && (
        <Text size="xs" c="dimmed">
          {report.itemsOmitted} more rows not listed.
        </Text>
      )}
    </Stack>
  );
}
