import { Anchor, Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconSend, IconTrash } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { graphql, type ResultOf } from '../graphql/graphql';
import { ConfirmModal } from '../ui/ConfirmModal';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Loading } from '../ui/Loading';
import { PageHeader } from '../ui/PageHeader';
import { fieldErrors } from '../ui/errors';
import { formatDateTime } from '../ui/format';
import { ChannelFields, type ChannelDraft } from './ChannelFields';
import { formatLabel, type EventName, type FormatName } from './channel-options';
import { DeliveryLog } from './DeliveryLog';

const ChannelQuery = graphql(`
  query NotificationChannel($id: ID!) {
    notificationChannel(id: $id) { id name kind format urlOrigin events enabled createdAt updatedAt }
  }
`);
const UpdateChannelMutation = graphql(`
  mutation UpdateNotificationChannel($id: ID!, $input: UpdateNotificationChannelInput!) {
    updateNotificationChannel(id: $id, input: $input) { id name kind format urlOrigin events enabled createdAt updatedAt }
  }
`);
const TestChannelMutation = graphql(`
  mutation TestNotificationChannel($id: ID!) { testNotificationChannel(id: $id) { id channelId status } }
`);
const DeleteChannelMutation = graphql(`
  mutation DeleteNotificationChannel($id: ID!) { deleteNotificationChannel(id: $id) }
`);

type Channel = ResultOf<typeof ChannelQuery>['notificationChannel'];

/** One channel: its settings, a test notification, its delivery log. */
export default function ChannelPage() {
  const { id } = useParams<{ id: string }>();
  const [result] = useQuery({ query: ChannelQuery, variables: { id: id! } });
  const channel = result.data?.notificationChannel;
  if (!channel) {
    return result.error ? (
      <>
        <PageHeader title="Notification channel" />
        <ErrorNotice error={result.error} title="This channel cannot be shown" />
        <Anchor component={Link} to="/notifications">
          Back to notifications
        </Anchor>
      </>
    ) : (
      <Loading label="Loading the channel" />
    );
  }
  return <ChannelView key={channel.id} channel={channel} />;
}

function ChannelView({ channel }: { channel: Channel }) {
  const navigate = useNavigate();
  const [deleting, setDeleting] = useState(false);
  const [testState, test] = useMutation(TestChannelMutation);
  const [deleteState, remove] = useMutation(DeleteChannelMutation);

  async function confirmDelete() {
    const res = await remove({ id: channel.id }, { additionalTypenames: ['NotificationChannel'] });
    if (res.error) return;
    notifications.show({ color: 'teal', message: `Channel ${channel.name} deleted` });
    navigate('/notifications');
  }

  return (
    <>
      <PageHeader
        title={channel.name}
        description={
          <>
            {formatLabel(channel.format)} webhook to <Text span ff="monospace">{channel.urlOrigin}</Text> · created {formatDateTime(channel.createdAt)}{' '}
            <Badge variant="dot" color={channel.enabled ? 'teal' : 'gray'} ml={4}>
              {channel.enabled ? 'Enabled' : 'Disabled'}
            </Badge>
          </>
        }
        actions={
          <>
            <Button
              variant="default"
              leftSection={<IconSend size={16} aria-hidden />}
              loading={testState.fetching}
              onClick={() =>
                void test({ id: channel.id }).then((r) => r.data && notifications.show({ color: 'teal', message: 'Test notification queued; see the delivery log' }))
              }
            >
              Send a test notification
            </Button>
            <Button color="red" variant="light" leftSection={<IconTrash size={16} aria-hidden />} onClick={() => setDeleting(true)}>
              Delete channel
            </Button>
          </>
        }
      />
      <Anchor component={Link} to="/notifications" size="sm">
        All channels
      </Anchor>
      <ErrorNotice error={testState.error} title="Test not sent" />
      <Stack mt="lg" gap="lg">
        <Card withBorder>
          <Title order={2} size="h4" mb="sm">
            Delivery log
          </Title>
          <DeliveryLog channelId={channel.id} />
        </Card>
        <SettingsCard channel={channel} />
      </Stack>
      <ConfirmModal
        opened={deleting}
        title={`Delete channel ${channel.name}`}
        confirmLabel="Delete channel"
        loading={deleteState.fetching}
        error={deleteState.error}
        onClose={() => setDeleting(false)}
        onConfirm={() => void confirmDelete()}
      >
        The hub stops sending to it at once, and its delivery log goes with it.
      </ConfirmModal>
    </>
  );
}

function SettingsCard({ channel }: { channel: Channel }) {
  const [state, update] = useMutation(UpdateChannelMutation);
  const saved: ChannelDraft = { name: channel.name, url: '', format: channel.format as FormatName, events: channel.events as EventName[], enabled: channel.enabled };
  const [draft, setDraft] = useState<ChannelDraft>(saved);
  const changed = JSON.stringify(draft) !== JSON.stringify(saved);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const input = {
      name: draft.name,
      format: draft.format,
      events: draft.events,
      enabled: draft.enabled,
      ...(draft.url.trim() ? { url: draft.url.trim() } : {}),
    };
    const result = await update({ id: channel.id, input });
    if (result.data) {
      const next = result.data.updateNotificationChannel;
      setDraft({ name: next.name, url: '', format: next.format as FormatName, events: next.events as EventName[], enabled: next.enabled });
      notifications.show({ color: 'teal', message: 'Channel saved' });
    }
  }

  const errors = fieldErrors(state.error);
  if (errors['events.0']) errors.events ??= errors['events.0'];
  return (
    <Card withBorder component="section" aria-labelledby="channel-settings-title">
      <Title order={2} size="h4" mb="sm" id="channel-settings-title">
        Settings
      </Title>
      <form onSubmit={submit}>
        <Stack maw={640}>
          <ErrorNotice error={state.error && !Object.keys(errors).length ? state.error : null} title="Channel not saved" />
          <ChannelFields draft={draft} onChange={setDraft} errors={errors} urlOrigin={channel.urlOrigin} />
          <Group>
            <Button type="submit" loading={state.fetching} disabled={!changed}>
              Save changes
            </Button>
            {changed && (
              <Button variant="subtle" onClick={() => setDraft(saved)}>
                Discard changes
              </Button>
            )}
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
