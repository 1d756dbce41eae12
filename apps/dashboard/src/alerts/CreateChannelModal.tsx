import { Button, Code, Group, Modal, Stack, Text } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useMutation } from 'urql';
import { graphql } from '../graphql/graphql';
import { CopyField } from '../ui/CopyField';
import { ErrorNotice } from '../ui/ErrorNotice';
import { ShownOnceWarning } from '../ui/ShownOnceWarning';
import { fieldErrors } from '../ui/errors';
import { ChannelFields, EMPTY_DRAFT, type ChannelDraft } from './ChannelFields';

const CreateChannelMutation = graphql(`
  mutation CreateNotificationChannel($input: CreateNotificationChannelInput!) {
    createNotificationChannel(input: $input) {
      secret
      channel { id name kind format urlOrigin events enabled createdAt updatedAt }
    }
  }
`);

/** A new webhook channel; then its signing secret, which the hub shows this one time. */
export function CreateChannelModal({ opened, onClose }: { opened: boolean; onClose(): void }) {
  const navigate = useNavigate();
  const [state, create] = useMutation(CreateChannelMutation);
  const [draft, setDraft] = useState<ChannelDraft>(EMPTY_DRAFT);
  const [created, setCreated] = useState<{ id: string; name: string; secret: string } | null>(null);

  function close() {
    setDraft(EMPTY_DRAFT);
    setCreated(null);
    onClose();
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = await create({ input: { name: draft.name, url: draft.url.trim(), format: draft.format, events: draft.events, enabled: draft.enabled } });
    const made = result.data?.createNotificationChannel;
    if (made) setCreated({ id: made.channel.id, name: made.channel.name, secret: made.secret });
  }

  const errors = fieldErrors(state.error);
  if (errors['events.0']) errors.events ??= errors['events.0'];
  return (
    <Modal
      opened={opened}
      onClose={close}
      title={created ? `Channel ${created.name} created` : 'New notification channel'}
      size="lg"
      centered
      // The secret is shown once: a stray click outside must not throw it away.
      closeOnClickOutside={!created}
    >
      {created ? (
        <Stack>
          <Text size="sm">
            Each request carries an <Code>X-Hub-Signature-256</Code> header: <Code>t=&lt;unix time&gt;,v1=&lt;hex HMAC-SHA256 of &quot;t.body&quot;&gt;</Code>, keyed
            with this signing secret. Check it in your receiver (in constant time) and refuse timestamps older than 5 minutes.
          </Text>
          <Text size="sm" fw={500}>
            Signing secret
          </Text>
          <Group gap="xs" wrap="nowrap">
            <Code data-signing-secret style={{ fontSize: 'var(--mantine-font-size-sm)', wordBreak: 'break-all' }}>
              {created.secret}
            </Code>
            <CopyField value={created.secret} label="Copy the signing secret" />
          </Group>
          <ShownOnceWarning>
            The hub keeps it sealed and never shows it again. Store it now; to get a new one, create a new channel.
          </ShownOnceWarning>
          <Group justify="flex-end">
            <Button
              onClick={() => {
                const id = created.id;
                close();
                navigate(`/notifications/${id}`);
              }}
            >
              I stored it, open the channel
            </Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit}>
          <Stack>
            <ErrorNotice error={state.error && !Object.keys(errors).length ? state.error : null} title="Channel not created" />
            <ChannelFields draft={draft} onChange={setDraft} errors={errors} />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={state.fetching}>
                Create channel
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
