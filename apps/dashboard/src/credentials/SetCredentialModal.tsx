import { Button, Code, Group, Modal, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { fieldErrors } from '../ui/errors';
import { placeLabel } from './credential-places';
import { SetCredentialMutation, type CredentialPlace } from './credentials.query';

export interface SetCredentialRequest {
  place: CredentialPlace;
  /** Replacing the value of this name (the name stays), or a new credential with this name filled in. */
  name: string;
  replacing: boolean;
}

function title(request: SetCredentialRequest): string {
  if (request.replacing) return `Replace the value of ${request.name}`;
  if (request.place.scope === 'TEAM') return `New credential of ${request.place.teamName}`;
  return request.place.scope === 'HUB' ? 'New hub credential' : 'New credential';
}

/**
 * Name and value of a credential. The value goes to the hub once and is never shown again: the typed text is
 * dropped as soon as the hub has it (the list shows only its masked form).
 */
export function SetCredentialModal({ request, onClose }: { request: SetCredentialRequest | null; onClose(): void }) {
  return (
    <Modal opened={request !== null} onClose={onClose} title={request ? title(request) : ''} centered>
      {/* Mounted per request: nothing typed survives closing the dialog. */}
      {request && <SetCredentialForm key={`${request.place.scope}:${request.name}:${request.replacing}`} request={request} onClose={onClose} />}
    </Modal>
  );
}

function SetCredentialForm({ request, onClose }: { request: SetCredentialRequest; onClose(): void }) {
  const [state, setCredential] = useMutation(SetCredentialMutation);
  const [name, setName] = useState(request.name);
  const [value, setValue] = useState('');
  const errors = fieldErrors(state.error);
  const unplaced = state.error && !errors.name && !errors.value;
  const { place } = request;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const input = { name: name.trim(), value, scope: place.scope, teamId: place.scope === 'TEAM' ? place.teamId : null };
    const result = await setCredential({ input }, { additionalTypenames: ['Credential'] });
    if (!result.data) return;
    setValue('');
    notifications.show({ color: 'teal', message: `${result.data.setCredential.name} saved. Its value is stored encrypted and never shown again.` });
    onClose();
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text size="sm">
          Servers refer to it as <Code>{'${' + (name.trim() || 'NAME') + '}'}</Code>; this is {placeLabel(place)}.
        </Text>
        <ErrorNotice error={unplaced ? state.error : null} title="Not saved" />
        <TextInput
          label="Name"
          description="Letters, digits and _, as servers write it (e.g. GITHUB_TOKEN)"
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={errors.name}
          readOnly={request.replacing}
          withAsterisk
          autoComplete="off"
          spellCheck={false}
          data-autofocus={request.replacing || request.name ? undefined : true}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        />
        <PasswordInput
          label={request.replacing ? 'New value' : 'Value'}
          description="Stored encrypted; never shown again, not even to you"
          value={value}
          onChange={(e) => setValue(e.currentTarget.value)}
          error={errors.value}
          withAsterisk
          autoComplete="new-password"
          data-autofocus={request.replacing || request.name ? true : undefined}
          visibilityToggleButtonProps={{ 'aria-label': 'Show or hide the value' }}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={state.fetching}>
            {request.replacing ? 'Replace value' : 'Save credential'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
