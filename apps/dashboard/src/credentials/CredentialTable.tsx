import { ActionIcon, Button, Code, Group, Table, Text, VisuallyHidden } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import { formatDateTime } from '../ui/format';
import type { Credential } from './credentials.query';

/**
 * Credentials of one place. Managers see the masked value and may replace or delete; readers see names only
 * (the value is not theirs to know anything about).
 */
export function CredentialTable({
  label,
  credentials,
  manage,
  empty,
  onReplace,
  onDelete,
}: {
  label: string;
  credentials: Credential[];
  manage: boolean;
  empty: string;
  onReplace(credential: Credential): void;
  onDelete(credential: Credential): void;
}) {
  const columns = manage ? 4 : 2;
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table aria-label={label} verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            {manage && <Table.Th>Value</Table.Th>}
            <Table.Th>Updated</Table.Th>
            {manage && (
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            )}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {credentials.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={columns}>
                <Text c="dimmed" size="sm" py="xs">
                  {empty}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
          {credentials.map((credential) => (
            <Table.Tr key={credential.id}>
              <Table.Td>
                <Text size="sm" ff="monospace" fw={500}>
                  {credential.name}
                </Text>
              </Table.Td>
              {manage && (
                <Table.Td>
                  <Code data-masked-value>{credential.maskedValue}</Code>
                </Table.Td>
              )}
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(credential.updatedAt)}</Table.Td>
              {manage && (
                <Table.Td>
                  <Group gap="xs" justify="flex-end" wrap="nowrap">
                    <Button size="xs" variant="default" onClick={() => onReplace(credential)} aria-label={`Replace the value of ${credential.name}`}>
                      Replace
                    </Button>
                    <ActionIcon variant="subtle" color="red" size="lg" onClick={() => onDelete(credential)} aria-label={`Delete ${credential.name}`}>
                      <IconTrash size={16} aria-hidden />
                    </ActionIcon>
                  </Group>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
