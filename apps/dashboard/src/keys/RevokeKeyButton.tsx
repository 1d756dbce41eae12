import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation } from 'urql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { RevokeApiKeyMutation } from './keys.graphql';

/** Revoking asks first: agents using the key are refused at once and it cannot be undone. */
export function RevokeKeyButton({ apiKey, onRevoked, size = 'sm' }: { apiKey: { id: string; name: string }; onRevoked?: (revokedAt: string) => void; size?: 'xs' | 'sm' }) {
  const [opened, { open, close }] = useDisclosure(false);
  const [revoke, runRevoke] = useMutation(RevokeApiKeyMutation);
  const confirm = async () => {
    const result = await runRevoke({ id: apiKey.id });
    if (!result.data) return;
    close();
    notifications.show({ color: 'teal', message: `Key “${apiKey.name}” is revoked` });
    onRevoked?.(result.data.revokeApiKey.revokedAt ?? new Date().toISOString());
  };
  return (
    <>
      <Button color="red" variant="light" size={size} onClick={open} aria-label={`Revoke key ${apiKey.name}`}>
        Revoke
      </Button>
      <Modal opened={opened} onClose={close} title={`Revoke key “${apiKey.name}”?`} centered>
        <Stack>
          <Text size="sm">Agents using this key are refused from now on, on every endpoint. This cannot be undone: to connect again, create a new key.</Text>
          <ErrorNotice error={revoke.error} title="The key was not revoked" />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button color="red" loading={revoke.fetching} onClick={() => void confirm()}>
              Revoke key
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
