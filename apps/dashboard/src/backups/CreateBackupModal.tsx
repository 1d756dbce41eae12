import { Alert, Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { fieldErrors } from '../ui/errors';
import { CreateBackupMutation, type BackupScopeName } from './backups-query';

const CONTEXT = { additionalTypenames: ['Backup'] };
/** Yellow and orange titles fall below 4.5:1 on their own background (axe): the title keeps the text color. */
const READABLE_TITLE = { title: { color: 'var(--mantine-color-text)' } };

const CONTENTS: Record<BackupScopeName, string> = {
  HUB: 'Accounts, teams, servers, groups, rules, revisions, catalog, notification channels and API keys (as hashes: agents keep their keys after a restore).',
  USER: 'Your own servers (with their replicas), your groups (members, tool filter, naming, rules) and your own credentials. Not your API keys, nor anything of other people.',
};

/** A backup now (the whole hub, or the person's own configuration); its secrets are sealed with the passphrase, which nothing else can recover. */
export function CreateBackupModal({ scope, onClose, onCreated }: { scope: BackupScopeName | null; onClose(): void; onCreated(fileName: string): void }) {
  const [state, create] = useMutation(CreateBackupMutation);
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const mismatch = repeat.length > 0 && repeat !== passphrase;

  function close() {
    setPassphrase('');
    setRepeat('');
    onClose();
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (mismatch) return;
    if (!scope) return;
    const result = await create({ passphrase, scope }, CONTEXT);
    if (result.data) {
      onCreated(result.data.createBackup.fileName);
      close();
    }
  }

  const errors = fieldErrors(state.error, 'passphrase');
  return (
    <Modal opened={scope !== null} onClose={close} title={scope === 'USER' ? 'Back up my configuration' : 'Create a backup of the hub'} centered>
      <form onSubmit={submit}>
        <Stack>
          <Text size="sm">{scope && CONTENTS[scope]}</Text>
          <Alert color="yellow" title="Keep the passphrase" styles={READABLE_TITLE}>
            It seals every secret in the archive. Without it the archive cannot be verified or restored, and the hub cannot tell it to you.
          </Alert>
          <ErrorNotice error={errors.passphrase ? null : state.error} title="No backup written" />
          <PasswordInput
            label="Passphrase"
            description="At least 12 characters"
            required
            autoComplete="new-password"
            value={passphrase}
            onChange={(e) => setPassphrase(e.currentTarget.value)}
            error={errors.passphrase}
            data-autofocus
          />
          <PasswordInput
            label="Passphrase again"
            required
            autoComplete="new-password"
            value={repeat}
            onChange={(e) => setRepeat(e.currentTarget.value)}
            error={mismatch ? 'The two passphrases differ' : undefined}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={state.fetching} disabled={!passphrase || passphrase !== repeat}>
              Create backup
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
