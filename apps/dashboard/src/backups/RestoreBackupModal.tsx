import { Alert, Button, Group, Modal, PasswordInput, Radio, Stack, Text } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { PERSONAL_STRATEGY_LABELS, RestoreBackupMutation, STRATEGY_LABELS, type BackupView, type ConflictStrategyName, type RestoreReportView } from './backups-query';
import { RestoreReportTable } from './RestoreReportTable';

const CONTEXT = { additionalTypenames: ['Backup'] };
/** Yellow and orange titles fall below 4.5:1 on their own background (axe): the title keeps the text color. */
const READABLE_TITLE = { title: { color: 'var(--mantine-color-text)' } };

/** Dry run first (what would be created, changed, skipped), then the restore itself, in one transaction. */
export function RestoreBackupModal({ backup, onClose, onRestored }: { backup: BackupView | null; onClose(): void; onRestored(report: RestoreReportView): void }) {
  const [state, restore] = useMutation(RestoreBackupMutation);
  const [passphrase, setPassphrase] = useState('');
  const [strategy, setStrategy] = useState<ConflictStrategyName>('OVERWRITE');
  const [preview, setPreview] = useState<RestoreReportView | null>(null);
  // A preview stands for what was previewed: a change of passphrase or strategy asks for a new one.
  const [previewed, setPreviewed] = useState('');
  const current = `${strategy}\n${passphrase}`;
  const ready = preview !== null && previewed === current;
  const personal = backup?.scope === 'USER';
  const labels = personal ? PERSONAL_STRATEGY_LABELS : STRATEGY_LABELS;

  function close() {
    setPassphrase('');
    setPreview(null);
    setPreviewed('');
    onClose();
  }

  async function run(dryRun: boolean) {
    if (!backup) return;
    const result = await restore({ input: { backupId: backup.id, passphrase, strategy, dryRun } }, CONTEXT);
    if (!result.data) return;
    if (dryRun) {
      setPreview(result.data.restoreBackup);
      setPreviewed(current);
    } else {
      onRestored(result.data.restoreBackup);
      close();
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(!ready);
  }

  return (
    <Modal opened={backup !== null} onClose={close} title="Restore a backup" size="xl" centered>
      <form onSubmit={submit}>
        <Stack>
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            {backup?.fileName}
          </Text>
          <PasswordInput label="Passphrase" required autoComplete="off" value={passphrase} onChange={(e) => setPassphrase(e.currentTarget.value)} data-autofocus />
          {personal && (
            <Text size="sm" c="dimmed">
              A personal backup is restored into your own account, checked as if you made each thing by hand: what you may not create (a STDIO server for a member, an address outside the egress policy, someone else’s server in a group) is refused and left out.
            </Text>
          )}
          <Radio.Group label={personal ? 'When you already have it' : 'When the hub already has a row'} value={strategy} onChange={(v) => setStrategy(v as ConflictStrategyName)}>
            <Stack gap="xs" mt="xs">
              {(Object.keys(labels) as ConflictStrategyName[]).map((s) => (
                <Radio key={s} value={s} label={labels[s].label} description={labels[s].description} />
              ))}
            </Stack>
          </Radio.Group>
          <ErrorNotice error={state.error} title="Nothing was changed" />
          {preview && <RestoreReportTable report={preview} />}
          {ready && (
            <Alert color="orange" title={personal ? 'Restoring changes your configuration at once' : 'Restoring changes the hub at once'} styles={READABLE_TITLE}>
              {personal
                ? 'Everything above happens in one transaction: all of it, or nothing.'
                : 'Everything above happens in one transaction. If your own account is replaced by the archived one, sign in again with its password.'}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" color={ready ? 'red.9' : undefined} loading={state.fetching} disabled={!passphrase}>
              {ready ? 'Restore' : 'Preview (dry run)'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
