import { Badge, Button, Group, Progress, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { IconRotateClockwise } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql, type ResultOf } from '../graphql/graphql';
import { useSession } from '../session/session';
import { ConfirmModal } from '../ui/ConfirmModal';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Loading } from '../ui/Loading';
import { PageHeader } from '../ui/PageHeader';
import { formatDateTime } from '../ui/format';

const EncryptionKeysQuery = graphql(`
  query EncryptionKeys {
    encryptionKeys { id kind state sealsNewValues createdAt activatedAt retiredAt ciphertexts ciphertextsByColumn { column count } }
  }
`);

// Polled on its own while a rotation runs: counting every key's ciphertexts scans each sealed column.
const KeyRotationQuery = graphql(`
  query KeyRotation {
    keyRotation { id keyId state total done errors lastError startedAt finishedAt }
  }
`);

const RotateMutation = graphql(`
  mutation RotateEncryptionKey {
    rotateEncryptionKey { id keyId state total done errors }
  }
`);

const RetireMutation = graphql(`
  mutation RetireEncryptionKey($id: ID!) {
    retireEncryptionKey(id: $id) { id state ciphertexts }
  }
`);

type Key = ResultOf<typeof EncryptionKeysQuery>['encryptionKeys'][number];
type Rotation = NonNullable<ResultOf<typeof KeyRotationQuery>['keyRotation']>;

/** How often the page asks for progress while a rotation runs. */
const PROGRESS_POLL_MS = 1000;

/** The dot carries the colour, the text the meaning (dark on light in both themes, as OutcomeBadge). */
const STATE_COLORS: Record<string, string> = { CURRENT: 'teal', PENDING: 'blue', PREVIOUS: 'gray', RETIRED: 'dark' };

/** Settings › Encryption: which keys seal the stored secrets, rotation with its progress, retiring old keys. */
export default function EncryptionPage() {
  const canManage = useSession().me!.role === 'ADMIN';
  const [result, refetchKeys] = useQuery({ query: EncryptionKeysQuery, requestPolicy: 'network-only' });
  const [rotationResult, refetchRotation] = useQuery({ query: KeyRotationQuery, requestPolicy: 'network-only' });
  const [confirmRotate, setConfirmRotate] = useState(false);
  const [retiring, setRetiring] = useState<Key | null>(null);
  const [rotateState, rotate] = useMutation(RotateMutation);
  const [retireState, retire] = useMutation(RetireMutation);
  const keyRotation = rotationResult.data?.keyRotation ?? null;
  const running = keyRotation?.state === 'RUNNING';
  const refetch = () => {
    refetchKeys({ requestPolicy: 'network-only' });
    refetchRotation({ requestPolicy: 'network-only' });
  };

  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => refetchRotation({ requestPolicy: 'network-only' }), PROGRESS_POLL_MS);
    // The counts change once the rotation is over.
    return () => {
      clearInterval(timer);
      refetchKeys({ requestPolicy: 'network-only' });
    };
  }, [running, refetchRotation, refetchKeys]);

  if (!result.data) return result.error ? <ErrorNotice error={result.error} /> : <Loading />;
  const { encryptionKeys } = result.data;

  return (
    <>
      <PageHeader
        title="Encryption"
        description="Stored secrets (server env and headers, webhook URLs, …) are sealed with a data key, itself wrapped by the master key HUB_ENCRYPTION_KEY. Key material is never shown."
        actions={
          canManage && (
            <Button leftSection={<IconRotateClockwise size={16} aria-hidden />} disabled={running} onClick={() => setConfirmRotate(true)}>
              Rotate key
            </Button>
          )
        }
      />
      {keyRotation && <RotationProgress rotation={keyRotation} />}
      <Title order={2} size="h4" mb="sm">
        Keys
      </Title>
      <Table.ScrollContainer minWidth={720}>
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Key id</Table.Th>
              <Table.Th>Kind</Table.Th>
              <Table.Th>State</Table.Th>
              <Table.Th>Created</Table.Th>
              <Table.Th>Ciphertexts</Table.Th>
              {canManage && (
                <Table.Th>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              )}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {encryptionKeys.map((key) => (
              <Table.Tr key={key.id}>
                <Table.Td>
                  <Text ff="monospace" size="sm">
                    {key.id}
                  </Text>
                </Table.Td>
                <Table.Td>{key.kind === 'MASTER' ? 'Master key' : key.kind === 'DATA' ? 'Data key' : 'Unknown'}</Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {key.state && (
                      <Badge variant="dot" color={STATE_COLORS[key.state]}>
                        {key.state.toLowerCase()}
                      </Badge>
                    )}
                    {key.sealsNewValues && (
                      <Badge variant="dot" color="teal">
                        seals new values
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>{key.createdAt ? formatDateTime(key.createdAt) : key.kind === 'MASTER' ? 'from the environment' : '—'}</Table.Td>
                <Table.Td title={key.ciphertextsByColumn.map((c) => `${c.column}: ${c.count}`).join(', ')}>{key.ciphertexts}</Table.Td>
                {canManage && (
                  <Table.Td>
                    {key.kind === 'DATA' && key.state === 'PREVIOUS' && (
                      <Button size="xs" variant="light" color="red" onClick={() => setRetiring(key)} aria-label={`Retire key ${key.id}`}>
                        Retire
                      </Button>
                    )}
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <ConfirmModal
        opened={confirmRotate}
        title="Rotate the encryption key"
        confirmLabel="Rotate"
        color="blue"
        loading={rotateState.fetching}
        error={rotateState.error}
        onClose={() => setConfirmRotate(false)}
        onConfirm={async () => {
          const res = await rotate({});
          if (!res.error) {
            setConfirmRotate(false);
            refetch();
          }
        }}
      >
        A new data key is made and every stored secret is re-sealed with it in the background. Agents keep working meanwhile.
      </ConfirmModal>
      <ConfirmModal
        opened={!!retiring}
        title={`Retire key ${retiring?.id ?? ''}`}
        confirmLabel="Retire for good"
        loading={retireState.fetching}
        error={retireState.error}
        onClose={() => setRetiring(null)}
        onConfirm={async () => {
          const res = await retire({ id: retiring!.id });
          if (!res.error) {
            setRetiring(null);
            refetch();
          }
        }}
      >
        The key is deleted and cannot be brought back. The hub refuses while any stored secret still uses it.
      </ConfirmModal>
    </>
  );
}

function RotationProgress({ rotation }: { rotation: Rotation }) {
  const percent = rotation.total ? Math.round((100 * rotation.done) / rotation.total) : 100;
  const label = rotation.state === 'RUNNING' ? 'Rotation in progress' : rotation.state === 'DONE' ? 'Last rotation finished' : 'Last rotation finished with errors';
  return (
    <Stack gap={6} mb="lg" aria-live="polite">
      <Group justify="space-between">
        <Text fw={500}>{label}</Text>
        <Text size="sm" c="dimmed">
          to key <span style={{ fontFamily: 'monospace' }}>{rotation.keyId}</span> · started {formatDateTime(rotation.startedAt)}
          {rotation.finishedAt && ` · finished ${formatDateTime(rotation.finishedAt)}`}
        </Text>
      </Group>
      <Progress value={percent} aria-label="Rotation progress" />
      <Text size="sm">
        {rotation.done} of {rotation.total} secrets re-sealed ({percent} %){rotation.errors > 0 && ` · ${rotation.errors} could not be opened`}
      </Text>
      {rotation.lastError && <ErrorNotice title="Not re-sealed" message={rotation.lastError} />}
    </Stack>
  );
}
