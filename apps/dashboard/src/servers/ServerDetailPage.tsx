import { Anchor, Button, Group, Modal, Stack, Tabs, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlugConnected, IconRefresh, IconTrash } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { graphql, type ResultOf } from '../graphql/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Loading } from '../ui/Loading';
import { PageHeader } from '../ui/PageHeader';
import { HealthBadge } from './HealthBadge';
import { HealthHistory } from './HealthHistory';
import { ReplicasPanel } from './ReplicasPanel';
import { ServerOverview } from './ServerOverview';
import { OAuthSettings } from './OAuthSettings';
import { ServerSettings } from './ServerSettings';
import { SharingPanel } from './SharingPanel';
import { ToolChanges } from './ToolChanges';
import { UpstreamAuthorizationPanel } from './UpstreamAuthorizationPanel';
import { currentStatuses, overallHealth, useLiveHealth } from './health';
import { ServerDetailQuery } from './server-detail.query';
import { TRANSPORT_LABEL } from './transport';

const TestServerMutation = graphql(`
  mutation TestServer($id: ID!) {
    testServer(id: $id) { ok error toolCount resourceCount resourceTemplateCount promptCount serverName serverVersion protocolVersion latencyMs }
  }
`);
const RestartServerMutation = graphql(`
  mutation RestartServer($id: ID!) { restartServer(id: $id) { id } }
`);
const RemoveServerMutation = graphql(`
  mutation RemoveServer($id: ID!) { removeServer(id: $id) }
`);

export type TestResult = ResultOf<typeof TestServerMutation>['testServer'];

const TABS = ['overview', 'settings', 'replicas', 'health', 'sharing'] as const;
type Tab = (typeof TABS)[number];

export default function ServerDetailPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  // The hub's OAuth callback sends the browser back here saying how the authorization went.
  const authorizationOutcome = params.get('upstreamAuthorization') ? { ok: params.get('upstreamAuthorization') === 'ok', message: params.get('message') ?? '' } : null;
  const tab: Tab = (TABS as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as Tab) : 'overview';
  const [detail, refetch] = useQuery({ query: ServerDetailQuery, variables: { id } });
  const [tested, test] = useMutation(TestServerMutation);
  const [restarted, restart] = useMutation(RestartServerMutation);
  const [removed, remove] = useMutation(RemoveServerMutation);
  const [testResult, setTestResult] = useState<TestResult | null>(null);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const live = useLiveHealth(id);
  const reload = () => refetch({ requestPolicy: 'network-only' });
  // A transition changes the runtime too (connection, circuit, last error): read it again.
  const liveKey = Object.values(live)
    .map((s) => `${s.replicaId}:${s.at}`)
    .join();
  useEffect(() => {
    if (liveKey) reload();
  }, [liveKey]);

  const server = detail.data?.server;
  if (!server) {
    if (detail.error) {
      return (
        <>
          <PageHeader title="Server" />
          <ErrorNotice error={detail.error} title="This server cannot be shown" />
          <Anchor component={Link} to="/servers">
            Back to servers
          </Anchor>
        </>
      );
    }
    return <Loading label="Loading the server" />;
  }

  const replicaIds = [server.id, ...server.replicas.filter((r) => r.enabled).map((r) => r.id)];
  const statuses = currentStatuses(replicaIds, server.health, live);
  // E.g. "asks each person to authorize it": shown while no newer transition has replaced that check.
  const primaryCheck = server.health.find((h) => h.replicaId === server.id);
  const healthNote = primaryCheck?.note && statuses.get(server.id)?.at === primaryCheck.checkedAt ? primaryCheck.note : null;
  const runTest = () =>
    void test({ id }).then((result) => {
      if (!result.data) return;
      setTestResult(result.data.testServer);
      reload();
    });

  return (
    <>
      <PageHeader
        title={server.name}
        description={
          <Group gap="xs" component="span">
            <Text span ff="monospace" size="sm">
              {server.slug}
            </Text>
            <Text span size="sm">
              · {TRANSPORT_LABEL[server.transport]} · {server.enabled ? 'enabled' : 'disabled'} · health
            </Text>
            <HealthBadge state={overallHealth(replicaIds, statuses)} live />
            {healthNote && (
              <Text span size="sm">
                · {healthNote}
              </Text>
            )}
          </Group>
        }
        actions={
          <>
            <Button leftSection={<IconPlugConnected size={16} aria-hidden />} onClick={runTest} loading={tested.fetching}>
              Test connection
            </Button>
            <Button
              variant="default"
              leftSection={<IconRefresh size={16} aria-hidden />}
              loading={restarted.fetching}
              onClick={() =>
                void restart({ id }).then((r) => {
                  if (!r.data) return;
                  notifications.show({ color: 'teal', message: `${server.name} restarted on this hub` });
                  reload();
                })
              }
            >
              Restart
            </Button>
            <Button variant="outline" color="red" leftSection={<IconTrash size={16} aria-hidden />} onClick={() => setConfirmRemove(true)}>
              Remove
            </Button>
          </>
        }
      />
      <Anchor component={Link} to="/servers" size="sm">
        Back to servers
      </Anchor>
      <ErrorNotice error={tested.error ?? restarted.error ?? detail.error} />
      <ToolChanges serverId={server.id} />
      <UpstreamAuthorizationPanel server={server} outcome={authorizationOutcome} onChanged={reload} />
      <Tabs value={tab} onChange={(value) => setParams(value && value !== 'overview' ? { tab: value } : {}, { replace: true })} mt="md" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="overview">Overview</Tabs.Tab>
          <Tabs.Tab value="settings">Settings</Tabs.Tab>
          <Tabs.Tab value="replicas">Replicas and balancing</Tabs.Tab>
          <Tabs.Tab value="health">Health history</Tabs.Tab>
          <Tabs.Tab value="sharing">Sharing</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="overview" pt="md">
          <ServerOverview server={server} statuses={statuses} testResult={testResult} onRefresh={reload} />
        </Tabs.Panel>
        <Tabs.Panel value="settings" pt="md">
          <ServerSettings server={server} onSaved={reload} />
          <OAuthSettings key={JSON.stringify(server.oauth)} server={server} onSaved={reload} />
        </Tabs.Panel>
        <Tabs.Panel value="replicas" pt="md">
          <ReplicasPanel server={server} statuses={statuses} onChanged={reload} />
        </Tabs.Panel>
        <Tabs.Panel value="health" pt="md">
          <HealthHistory server={server} live={live} />
        </Tabs.Panel>
        <Tabs.Panel value="sharing" pt="md">
          <SharingPanel server={server} onChanged={reload} />
        </Tabs.Panel>
      </Tabs>
      <Modal opened={confirmRemove} onClose={() => setConfirmRemove(false)} title={`Remove ${server.name}?`}>
        <Stack>
          <Text size="sm">
            Agents lose its tools in every group at once, its replicas and sharing go with it, and its health history stops. This cannot be undone.
          </Text>
          <ErrorNotice error={removed.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirmRemove(false)}>
              Cancel
            </Button>
            <Button
              color="red"
              loading={removed.fetching}
              onClick={() =>
                void remove({ id }).then((r) => {
                  if (!r.data) return;
                  notifications.show({ color: 'teal', message: `${server.name} was removed` });
                  navigate('/servers');
                })
              }
            >
              Remove server
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
