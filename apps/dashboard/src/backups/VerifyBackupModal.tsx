import { Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { VerifyBackupMutation, type BackupView } from './backups-query';

const CONTEXT = { additionalTypenames: ['Backup'] };

/** Checks the archive's checksums and that the passphrase opens it; the outcome is kept on the backup. */
export function VerifyBackupModal({ backup, onClose, onVerified }: { backup: BackupView | null; onClose(): void; onVerified(ok: boolean, message: string): void }) {
  const [state, verify] = useMutation(VerifyBackupMutation);
  const [passphrase, setPassphrase] = useState('');

  function close() {
    setPassphrase('');
    onClose();
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!backup) return;
    const result = await verify({ id: backup.id, passphrase }, CONTEXT);
    if (result.data) {
      onVerified(result.data.verifyBackup.verifyOk === true, result.data.verifyBackup.verifyMessage ?? '');
      close();
    }
  }

  return (
    <Modal opened={backup !== null} onClose={close} title="Verify a backup" centered>
      <form onSubmit={submit}>
        <Stack>
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            {backup?.fileName}
          </Text>
          <ErrorNotice error={state.error} title="Not verified" />
          <PasswordInput label="Passphrase" required autoComplete="off" value={passphrase} onChange={(e) => setPassphrase(e.currentTarget.value)} data-autofocus />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={state.fetching} disabled={!passphrase}>
              Verify
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
