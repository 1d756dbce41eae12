import { ActionIcon, Badge, Button, FileButton, Group, Menu, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDatabaseExport, IconDots, IconDownload, IconRestore, IconShieldCheck, IconTrash, IconUpload } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { ConfirmModal } from '../ui/ConfirmModal';
import { downloadExport } from '../ui/download';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Loading } from '../ui/Loading';
import { PageHeader } from '../ui/PageHeader';
import { formatDateTime } from '../ui/format';
import { useSession } from '../session/session';
import { BackupsQuery, DeleteBackupMutation, formatBytes, type BackupScopeName, type BackupView } from './backups-query';
import { CreateBackupModal } from './CreateBackupModal';
import { RestoreBackupModal } from './RestoreBackupModal';
import { uploadArchive } from './upload-archive';
import { VerifyBackupModal } from './VerifyBackupModal';

/** Mantine's notification close button has no name of its own (axe): every notification here gets one. */
const DISMISS = { 'aria-label': 'Dismiss' };

const SOURCE_LABELS: Record<string, string> = { MANUAL: 'Manual', SCHEDULED: 'Scheduled', UPLOADED: 'Uploaded', FOUND: 'Found in backup directory' };

const SCOPE_LABELS: Record<BackupScopeName, string> = { HUB: 'Whole hub', USER: 'Personal' };

/**
 * Admins: whole-hub backups and their own; everyone else: backups of their own configuration. Create (with a
 * passphrase), download, upload, verify, and restore after a dry run.
 */
export default function BackupsPage() {
  const admin = useSession().me?.role === 'ADMIN';
  const context = useMemo(() => ({ additionalTypenames: ['Backup'] }), []);
  const [result, refresh] = useQuery({ query: BackupsQuery, context });
  const [creating, setCreating] = useState<BackupScopeName | null>(null);
  const [verifying, setVerifying] = useState<BackupView | null>(null);
  const [restoring, setRestoring] = useState<BackupView | null>(null);
  const [deleting, setDeleting] = useState<BackupView | null>(null);
  const [deleteState, remove] = useMutation(DeleteBackupMutation);
  const [failure, setFailure] = useState<Error | null>(null);
  const [uploading, setUploading] = useState(false);
  const backups = result.data?.backups;
  const reload = () => refresh({ requestPolicy: 'network-only' });

  async function upload(file: File | null) {
    if (!file) return;
    setFailure(null);
    setUploading(true);
    try {
      const { fileName } = await uploadArchive(file);
      notifications.show({ message: `Archive uploaded as ${fileName}`, closeButtonProps: DISMISS });
      reload();
    } catch (error) {
      setFailure(error as Error);
    } finally {
      setUploading(false);
    }
  }

  async function download(backup: BackupView) {
    setFailure(null);
    await downloadExport(`/backups/${backup.id}/download`, new URLSearchParams(), backup.fileName).catch(setFailure);
  }

  async function confirmDelete() {
    if (!deleting) return;
    const res = await remove({ id: deleting.id }, context);
    if (res.error) return;
    notifications.show({ message: `${deleting.fileName} deleted`, closeButtonProps: DISMISS });
    setDeleting(null);
  }

  return (
    <>
      <PageHeader
        title="Backups"
        description={
          admin
            ? 'Archives of the whole hub, or of your own configuration, secrets sealed with a passphrase. Restore one into this hub, or into a new one after a disaster.'
            : 'Archives of your own configuration (servers, groups, rules, credentials), secrets sealed with a passphrase. Restore one into your account, here or on another hub.'
        }
        actions={
          <>
            <FileButton onChange={(file) => void upload(file)} accept=".mcphub-backup,application/octet-stream">
              {(props) => (
                <Button variant="default" leftSection={<IconUpload size={16} aria-hidden />} loading={uploading} {...props}>
                  Upload archive
                </Button>
              )}
            </FileButton>
            {admin && (
              <Button leftSection={<IconDatabaseExport size={16} aria-hidden />} onClick={() => setCreating('HUB')}>
                Back up the hub
              </Button>
            )}
            <Button variant={admin ? 'default' : 'filled'} leftSection={<IconDatabaseExport size={16} aria-hidden />} onClick={() => setCreating('USER')}>
              Back up my configuration
            </Button>
          </>
        }
      />
      <ErrorNotice error={result.error} title="Backups could not be loaded" />
      <ErrorNotice error={failure} title="Not done" />
      {!backups && !result.error && <Loading label="Loading backups" />}
      {backups && (
        <Table.ScrollContainer minWidth={860}>
          <Table striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Archive</Table.Th>
                <Table.Th>Scope</Table.Th>
                <Table.Th>Written</Table.Th>
                <Table.Th>Source</Table.Th>
                <Table.Th>Contents</Table.Th>
                <Table.Th>Verified</Table.Th>
                <Table.Th>Last restore</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {backups.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={8}>
                    <Text c="dimmed" size="sm" py="md" ta="center">
                      No backup yet. Create one, or upload an archive to restore it here.
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {backups.map((b) => (
                <Table.Tr key={b.id}>
                  <Table.Td ff="monospace" fz="xs" style={{ overflowWrap: 'anywhere' }}>
                    {b.fileName}
                  </Table.Td>
                  <Table.Td>{SCOPE_LABELS[b.scope]}</Table.Td>
                  <Table.Td>{formatDateTime(b.archivedAt)}</Table.Td>
                  <Table.Td>{SOURCE_LABELS[b.source] ?? b.source}</Table.Td>
                  <Table.Td>
                    {b.totalRows} rows, {formatBytes(b.sizeBytes)}
                  </Table.Td>
                  <Table.Td>
                    {b.verifyOk === null ? (
                      <Text size="sm" c="dimmed">
                        Not yet
                      </Text>
                    ) : (
                      <Tooltip label={b.verifyMessage ?? ''} multiline w={280}>
                        <Badge color={b.verifyOk ? 'teal' : 'red'} variant="dot" tabIndex={0} style={{ whiteSpace: 'nowrap', minWidth: 'max-content' }}>
                          {b.verifyOk ? 'OK' : 'Failed'} · {formatDateTime(b.verifiedAt)}
                        </Badge>
                      </Tooltip>
                    )}
                  </Table.Td>
                  <Table.Td fz="sm">{b.lastRestore ? `${formatDateTime(b.lastRestore.at)} (${b.lastRestore.strategy.toLowerCase()})` : '—'}</Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap" justify="flex-end">
                      <Button size="compact-sm" variant="light" leftSection={<IconRestore size={14} aria-hidden />} onClick={() => setRestoring(b)} aria-label={`Restore ${b.fileName}`}>
                        Restore
                      </Button>
                      <Menu position="bottom-end">
                        <Menu.Target>
                          <ActionIcon variant="subtle" color="gray" aria-label={`More actions for ${b.fileName}`}>
                            <IconDots size={16} aria-hidden />
                          </ActionIcon>
                        </Menu.Target>
                        <Menu.Dropdown>
                          <Menu.Item leftSection={<IconDownload size={14} aria-hidden />} onClick={() => void download(b)}>
                            Download
                          </Menu.Item>
                          <Menu.Item leftSection={<IconShieldCheck size={14} aria-hidden />} onClick={() => setVerifying(b)}>
                            Verify
                          </Menu.Item>
                          <Menu.Item color="red" leftSection={<IconTrash size={14} aria-hidden />} onClick={() => setDeleting(b)}>
                            Delete
                          </Menu.Item>
                        </Menu.Dropdown>
                      </Menu>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <CreateBackupModal scope={creating} onClose={() => setCreating(null)} onCreated={(name) => notifications.show({ message: `Backup written: ${name}`, closeButtonProps: DISMISS })} />
      <VerifyBackupModal
        backup={verifying}
        onClose={() => setVerifying(null)}
        onVerified={(ok, message) => notifications.show({ color: ok ? 'green' : 'red', title: ok ? 'Archive verified' : 'Verification failed', message, autoClose: ok, closeButtonProps: DISMISS })}
      />
      <RestoreBackupModal
        backup={restoring}
        onClose={() => setRestoring(null)}
        onRestored={(report) => notifications.show({ title: 'Backup restored', message: `${report.created} created, ${report.changed} changed, ${report.skipped} skipped`, autoClose: false, closeButtonProps: DISMISS })}
      />
      <ConfirmModal
        opened={deleting !== null}
        title="Delete this backup?"
        confirmLabel="Delete"
        loading={deleteState.fetching}
        error={deleteState.error}
        onConfirm={() => void confirmDelete()}
        onClose={() => setDeleting(null)}
      >
        The archive file {deleting?.fileName} is removed from the hub. Keep a downloaded copy if you may need it.
      </ConfirmModal>
    </>
  );
}
