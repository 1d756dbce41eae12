import { ActionIcon, Badge, Box, Button, Group, Input, PasswordInput, Stack, Text, TextInput, VisuallyHidden } from '@mantine/core';
import type { ReactNode } from 'react';
import { IconPlus, IconTrash } from '@tabler/icons-react';

/** One name/value row. A stored value is never sent back by the hub: the row only knows that it is set. */
export interface SecretRow {
  key: string;
  name: string;
  value: string;
  /** The hub holds a value under this name. */
  stored: boolean;
  /** A stored row whose value is being replaced (value is the new one). */
  replacing: boolean;
}

let nextKey = 0;
export const newSecretRow = (): SecretRow => ({ key: `row-${++nextKey}`, name: '', value: '', stored: false, replacing: false });
export const storedSecretRows = (entries: { name: string }[]): SecretRow[] =>
  entries.map((e) => ({ key: `row-${++nextKey}`, name: e.name, value: '', stored: true, replacing: false }));

/** What the API takes: a new value, or null to keep the stored one (rows left out are removed). */
export function secretInput(rows: SecretRow[]): { name: string; value: string | null }[] {
  return rows.filter((r) => r.stored || r.name || r.value).map((r) => ({ name: r.name, value: r.stored && !r.replacing ? null : r.value }));
}

/** The same without "keep": for registering, where nothing is stored yet. */
export function newSecretInput(rows: SecretRow[]): { name: string; value: string }[] {
  return rows.filter((r) => r.name || r.value).map((r) => ({ name: r.name, value: r.value }));
}

/**
 * Environment variables or headers as name/value rows. Values are write-only: typed values are masked, stored ones
 * show "set" and can be replaced or removed. `errors` are the API's, keyed like "env.0.value".
 */
export function SecretRows({
  field,
  legend,
  noun,
  rows,
  onChange,
  errors,
  description,
}: {
  field: 'env' | 'headers';
  legend: string;
  noun: string;
  rows: SecretRow[];
  onChange(rows: SecretRow[]): void;
  errors: Record<string, string>;
  description?: ReactNode;
}) {
  const update = (key: string, patch: Partial<SecretRow>) => onChange(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const remove = (key: string) => onChange(rows.filter((r) => r.key !== key));
  const visibleIndex = (row: SecretRow) => rows.filter((r) => r.stored || r.name || r.value || r === row).indexOf(row);
  return (
    <Box component="fieldset" style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
      <Text component="legend" size="sm" fw={600} p={0}>
        {legend}
      </Text>
      {description && <Input.Description>{description}</Input.Description>}
      {errors[field] && <Input.Error mt={4}>{errors[field]}</Input.Error>}
      <Stack gap="xs" mt="xs">
        {rows.length === 0 && (
          <Text size="sm" c="dimmed">
            None.
          </Text>
        )}
        {rows.map((row, i) => {
          // The API numbers the rows it was sent (empty new rows are not sent).
          const at = visibleIndex(row);
          const nameError = errors[`${field}.${at}.name`];
          const valueError = errors[`${field}.${at}.value`];
          return (
            <Group key={row.key} align="flex-start" gap="xs" wrap="nowrap">
              <TextInput
                aria-label={`Name of ${noun} ${i + 1}`}
                placeholder="Name"
                value={row.name}
                readOnly={row.stored}
                onChange={(e) => update(row.key, { name: e.currentTarget.value })}
                error={nameError}
                style={{ flex: 1 }}
                autoComplete="off"
              />
              {row.stored && !row.replacing ? (
                <Group gap="xs" style={{ flex: 1 }} wrap="nowrap" mih={36}>
                  <Badge variant="default">
                    <VisuallyHidden>the value of {row.name} is </VisuallyHidden>set
                  </Badge>
                  <Button size="xs" variant="default" onClick={() => update(row.key, { replacing: true })} aria-label={`Replace the value of ${row.name}`}>
                    Replace
                  </Button>
                </Group>
              ) : (
                <Stack gap={4} style={{ flex: 1 }}>
                  <PasswordInput
                    aria-label={row.stored ? `New value of ${row.name}` : `Value of ${noun} ${i + 1}`}
                    placeholder={row.stored ? 'New value' : 'Value'}
                    value={row.value}
                    onChange={(e) => update(row.key, { value: e.currentTarget.value })}
                    error={valueError}
                    autoComplete="new-password"
                    visibilityToggleButtonProps={{ 'aria-label': 'Show or hide the value' }}
                  />
                  {row.stored && (
                    <Button size="compact-xs" variant="subtle" onClick={() => update(row.key, { replacing: false, value: '' })} style={{ alignSelf: 'flex-start' }}>
                      Keep the stored value
                    </Button>
                  )}
                </Stack>
              )}
              <ActionIcon variant="subtle" color="red" size="lg" onClick={() => remove(row.key)} aria-label={`Remove ${noun} ${row.name || i + 1}`}>
                <IconTrash size={16} aria-hidden />
              </ActionIcon>
            </Group>
          );
        })}
        <Button variant="default" size="xs" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => onChange([...rows, newSecretRow()])} style={{ alignSelf: 'flex-start' }}>
          Add {noun}
        </Button>
      </Stack>
    </Box>
  );
}
