import { Button, Group, Stack, Switch, TagsInput, TextInput, Textarea } from '@mantine/core';
import { CredentialScopeField, type CredentialScope } from './CredentialScopeField';
import { useState, type FormEvent } from 'react';
import type { CombinedError } from 'urql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { fieldErrors } from '../ui/errors';
import { newSecretInput, secretInput, storedSecretRows } from './SecretRows';
import { TransportFields, type TransportValues } from './TransportFields';
import { argsFromText, type Transport } from './transport';

export interface ServerFormValues extends TransportValues {
  name: string;
  slug: string;
  description: string;
  tags: string[];
  enabled: boolean;
  credentialScope: CredentialScope;
}

export const emptyServerForm = (transport: Transport): ServerFormValues => ({
  name: '',
  slug: '',
  description: '',
  tags: [],
  enabled: true,
  credentialScope: 'SHARED',
  transport,
  command: '',
  args: '',
  cwd: '',
  env: [],
  url: '',
  headers: [],
});

/** The form state of a stored server: secrets only by name ("set"). */
export function serverFormFrom(server: {
  name: string;
  slug: string;
  description: string | null;
  tags: string[];
  enabled: boolean;
  credentialScope: CredentialScope;
  transport: Transport;
  command: string | null;
  args: string[];
  cwd: string | null;
  url: string | null;
  env: { name: string }[];
  headers: { name: string }[];
}): ServerFormValues {
  return {
    name: server.name,
    slug: server.slug,
    description: server.description ?? '',
    tags: server.tags,
    enabled: server.enabled,
    credentialScope: server.credentialScope,
    transport: server.transport,
    command: server.command ?? '',
    args: server.args.join('\n'),
    cwd: server.cwd ?? '',
    env: storedSecretRows(server.env),
    url: server.url ?? '',
    headers: storedSecretRows(server.headers),
  };
}

/** registerServer's input: the chosen transport's fields only. */
export function registerInput(v: ServerFormValues) {
  const common = { name: v.name, slug: v.slug.trim() || null, description: v.description || null, tags: v.tags, enabled: v.enabled, credentialScope: v.credentialScope, transport: v.transport };
  return v.transport === 'STDIO'
    ? { ...common, command: v.command, args: argsFromText(v.args), cwd: v.cwd.trim() || null, env: newSecretInput(v.env) }
    : { ...common, url: v.url, headers: newSecretInput(v.headers) };
}

/** updateServer's input: env/headers rows keep (null), replace or (left out) remove stored values. */
export function updateInput(v: ServerFormValues) {
  const common = { name: v.name, slug: v.slug.trim() || null, description: v.description, tags: v.tags, enabled: v.enabled, credentialScope: v.credentialScope, transport: v.transport };
  return v.transport === 'STDIO'
    ? { ...common, command: v.command, args: argsFromText(v.args), cwd: v.cwd.trim() || null, env: secretInput(v.env) }
    : { ...common, url: v.url, headers: secretInput(v.headers) };
}

/** Name, slug, description, tags, transport and its fields, enabled. Messages under the fields come from the API. */
export function ServerForm({
  initial,
  submitLabel,
  mayRunCommands,
  error,
  submitting,
  onSubmit,
  onCancel,
}: {
  initial: ServerFormValues;
  submitLabel: string;
  mayRunCommands: boolean;
  error: CombinedError | undefined;
  submitting: boolean;
  onSubmit(values: ServerFormValues): void;
  onCancel?: () => void;
}) {
  const [values, setValues] = useState(initial);
  const errors = fieldErrors(error);
  const set = (patch: Partial<ServerFormValues>) => setValues((v) => ({ ...v, ...patch }));
  const shownFields = ['name', 'slug', 'description', 'tags', 'transport', 'command', 'args', 'cwd', 'env', 'url', 'headers', 'credentialScope', 'enabled'];
  // An error about something the form does not show (or not named at all) goes in the banner.
  const unplaced = error && !Object.keys(errors).some((k) => shownFields.includes(k.split('.')[0]));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit(values);
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md" maw={720}>
        {unplaced && <ErrorNotice error={error} title="The hub refused the server" />}
        <TextInput label="Name" value={values.name} onChange={(e) => set({ name: e.currentTarget.value })} error={errors.name} withAsterisk autoComplete="off" />
        <TextInput
          label="Slug"
          description="Prefix of this server's tools in groups (slug__tool); derived from the name when empty"
          value={values.slug}
          onChange={(e) => set({ slug: e.currentTarget.value })}
          error={errors.slug}
          autoComplete="off"
          spellCheck={false}
        />
        <Textarea label="Description" value={values.description} onChange={(e) => set({ description: e.currentTarget.value })} error={errors.description} autosize minRows={2} />
        <TagsInput
          label="Tags"
          description="Press Enter after each tag"
          value={values.tags}
          onChange={(tags) => set({ tags })}
          error={errors.tags ?? Object.entries(errors).find(([k]) => k.startsWith('tags.'))?.[1]}
          clearable
        />
        <TransportFields values={values} onChange={set} errors={errors} mayRunCommands={mayRunCommands} />
        <CredentialScopeField value={values.credentialScope} onChange={(credentialScope) => set({ credentialScope })} error={errors.credentialScope} />
        <Switch
          label="Enabled"
          description="A disabled server is not connected to nor health-checked, and agents do not get its tools"
          checked={values.enabled}
          onChange={(e) => set({ enabled: e.currentTarget.checked })}
        />
        <Group>
          <Button type="submit" loading={submitting}>
            {submitLabel}
          </Button>
          {onCancel && (
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
          )}
        </Group>
      </Stack>
    </form>
  );
}
