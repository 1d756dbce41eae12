import { Button, Group, MultiSelect, NumberInput, SimpleGrid, Stack, TagsInput, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { CombinedError } from 'urql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { fieldErrors } from '../ui/errors';
import { toLocalInput } from './key-format';

export interface KeyFormValues {
  name: string;
  groupIds: string[];
  perMinute: number | string;
  perDay: number | string;
  tags: string[];
  /** `datetime-local` value; empty = never. */
  expiresAt: string;
}

export const EMPTY_KEY_FORM: KeyFormValues = { name: '', groupIds: [], perMinute: '', perDay: '', tags: [], expiresAt: '' };

/** The form values of an existing key. */
export function keyFormValues(key: { name: string; groupIds: string[]; perMinute: number | null; perDay: number | null; tags: string[]; expiresAt: string | null }): KeyFormValues {
  return { name: key.name, groupIds: [...key.groupIds], perMinute: key.perMinute ?? '', perDay: key.perDay ?? '', tags: [...key.tags], expiresAt: toLocalInput(key.expiresAt) };
}

/** The API's message for a field or any of its items (e.g. `tags.1`). */
function errorFor(errors: Record<string, string>, field: string): string | undefined {
  return errors[field] ?? Object.entries(errors).find(([key]) => key.startsWith(`${field}.`))?.[1];
}

const FIELDS = ['name', 'groupIds', 'perMinute', 'perDay', 'tags', 'expiresAt'];

/** Name, groups, quotas, tags and expiry of a key; the API validates, and its messages show under the fields. */
export function KeyForm({
  initial,
  groups,
  submitLabel,
  error,
  submitting,
  onSubmit,
  onCancel,
}: {
  initial: KeyFormValues;
  groups: readonly { id: string; name: string; slug: string }[];
  submitLabel: string;
  error?: CombinedError | null;
  submitting: boolean;
  onSubmit(values: KeyFormValues): void;
  onCancel?: () => void;
}) {
  const [values, setValues] = useState<KeyFormValues>(initial);
  const set = <K extends keyof KeyFormValues>(key: K, value: KeyFormValues[K]) => setValues((v) => ({ ...v, [key]: value }));
  const errors = fieldErrors(error);
  const unplaced = error && !FIELDS.some((f) => errorFor(errors, f)) ? error : null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit(values);
  };
  // Groups the key names but the list does not hold (e.g. someone else's, for an admin): kept, shown by id.
  const options = [
    ...groups.map((g) => ({ value: g.id, label: `${g.name} (${g.slug})` })),
    ...values.groupIds.filter((id) => !groups.some((g) => g.id === id)).map((id) => ({ value: id, label: id })),
  ];
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput label="Name" description="What the key is for, e.g. the agent or machine using it" required value={values.name} onChange={(e) => set('name', e.currentTarget.value)} error={errorFor(errors, 'name')} maxLength={100} />
        <MultiSelect
          label="Groups"
          description="The key works only on these groups' endpoints. Leave empty for every group you may use."
          placeholder={values.groupIds.length ? undefined : 'All groups'}
          data={options}
          value={values.groupIds}
          onChange={(groupIds) => set('groupIds', groupIds)}
          searchable
          clearable
          nothingFoundMessage="No group by that name"
          error={errorFor(errors, 'groupIds')}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <NumberInput label="Calls per minute" description="tools/call; empty = unlimited" min={1} allowDecimal={false} allowNegative={false} thousandSeparator="," value={values.perMinute} onChange={(v) => set('perMinute', v)} error={errorFor(errors, 'perMinute')} />
          <NumberInput label="Calls per day" description="tools/call; empty = unlimited" min={1} allowDecimal={false} allowNegative={false} thousandSeparator="," value={values.perDay} onChange={(v) => set('perDay', v)} error={errorFor(errors, 'perDay')} />
        </SimpleGrid>
        <TagsInput
          label="Tags"
          description="Labels routing rules can match on: a-z, 0-9, _ and -. Press Enter after each."
          value={values.tags}
          onChange={(tags) => set('tags', tags)}
          maxTags={20}
          splitChars={[',', ' ']}
          acceptValueOnBlur
          error={errorFor(errors, 'tags')}
        />
        <TextInput
          type="datetime-local"
          label="Expires"
          description="Your local time. Leave empty for a key that does not expire."
          value={values.expiresAt}
          onChange={(e) => set('expiresAt', e.currentTarget.value)}
          error={errorFor(errors, 'expiresAt')}
          maw={420}
        />
        <ErrorNotice error={unplaced} />
        <Group justify="flex-end">
          {onCancel && (
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
          )}
          <Button type="submit" loading={submitting}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
