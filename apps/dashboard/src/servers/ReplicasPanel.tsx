import { Button, Card, Code, Group, Modal, NumberInput, Select, Stack, Switch, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlus } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../graphql/graphql';
import { useSession } from '../session/session';
import { ErrorNotice } from '../ui/ErrorNotice';
import { fieldErrors } from '../ui/errors';
import { HealthBadge } from './HealthBadge';
import { newSecretInput } from './SecretRows';
import { TransportFields, type TransportValues } from './TransportFields';
import type { ReplicaStatus } from './health';
import type { ServerDetail } from './server-detail.query';
import { TRANSPORT_LABEL, argsFromText } from './transport';

const UpdateBalancingMutation = graphql(`
  mutation UpdateServerBalancing($serverId: ID!, $input: ServerBalancingInput!) { updateServerBalancing(serverId: $serverId, input: $input) { id } }
`);
const AddReplicaMutation = graphql(`
  mutation AddServerReplica($serverId: ID!, $input: AddServerReplicaInput!) { addServerReplica(serverId: $serverId, input: $input) { id } }
`);
const UpdateReplicaMutation = graphql(`
  mutation UpdateServerReplica($id: ID!, $input: UpdateServerReplicaInput!) { updateServerReplica(id: $id, input: $input) { id } }
`);
const RemoveReplicaMutation = graphql(`
  mutation RemoveServerReplica($id: ID!) { removeServerReplica(id: $id) }
`);

type LoadBalancing = ServerDetail['loadBalancing'];
const BALANCING: { value: LoadBalancing; label: string }[] = [
  { value: 'ROUND_ROBIN', label: 'Round robin' },
  { value: 'WEIGHTED', label: 'Weighted (by each replica’s weight)' },
  { value: 'LEAST_IN_FLIGHT', label: 'Least calls in flight' },
];

type ConnectionPlacement = ServerDetail['connectionPlacement'];
const PLACEMENT: { value: ConnectionPlacement; label: string }[] = [
  { value: 'EVERY_HUB', label: 'Every hub runs its own (stateless servers)' },
  { value: 'ONE_HUB', label: 'One hub, others forward (server keeps state)' },
];

/** A number input's value as the API takes it: a number, or null when left empty (the API says what it needs). */
const toNumber = (value: string | number): number | null => (value === '' ? null : Number(value));

export function ReplicasPanel({ server, statuses, onChanged }: { server: ServerDetail; statuses: Map<string, ReplicaStatus>; onChanged(): void }) {
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<ServerDetail['replicas'][number] | null>(null);
  const [removing, setRemoving] = useState<ServerDetail['replicas'][number] | null>(null);
  const [removed, remove] = useMutation(RemoveReplicaMutation);
  const endpoint = (r: { transport: string; command: string | null; args: string[]; url: string | null }) =>
    r.transport === 'STDIO' ? [r.command, ...r.args].join(' ') : (r.url ?? '');
  return (
    <Stack gap="lg">
      <Balancing key={server.updatedAt} server={server} onSaved={onChanged} />
      <Card withBorder>
        <Group justify="space-between" mb="xs">
          <Title order={2} size="h4">
            Replicas
          </Title>
          <Button size="xs" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => setAdding(true)}>
            Add replica
          </Button>
        </Group>
        <Text size="sm" c="dimmed" mb="sm">
          Instances of the same server. Calls are spread over the replicas of the lowest priority tier that has one up, and fail over to the others.
        </Text>
        <Table.ScrollContainer minWidth={800}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Endpoint</Table.Th>
                <Table.Th>Weight</Table.Th>
                <Table.Th>Priority</Table.Th>
                <Table.Th>Enabled</Table.Th>
                <Table.Th>Health</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              <Table.Tr>
                <Table.Td>
                  primary
                  <Text size="xs" c="dimmed">
                    the server’s own transport
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Code style={{ overflowWrap: 'anywhere' }}>{endpoint(server)}</Code>
                </Table.Td>
                <Table.Td>{server.weight}</Table.Td>
                <Table.Td>{server.priority}</Table.Td>
                <Table.Td>{server.enabled ? 'yes' : 'no'}</Table.Td>
                <Table.Td>
                  <HealthBadge state={statuses.get(server.id)?.status ?? 'UNKNOWN'} />
                </Table.Td>
                <Table.Td>
                  <Text size="xs" c="dimmed">
                    weight and priority above
                  </Text>
                </Table.Td>
              </Table.Tr>
              {server.replicas.map((replica) => (
                <Table.Tr key={replica.id}>
                  <Table.Td>{replica.name}</Table.Td>
                  <Table.Td>
                    <Text size="xs" c="dimmed">
                      {TRANSPORT_LABEL[replica.transport]}
                    </Text>
                    <Code style={{ overflowWrap: 'anywhere' }}>{endpoint(replica)}</Code>
                  </Table.Td>
                  <Table.Td>{replica.weight}</Table.Td>
                  <Table.Td>{replica.priority}</Table.Td>
                  <Table.Td>{replica.enabled ? 'yes' : 'no'}</Table.Td>
                  <Table.Td>
                    <HealthBadge state={replica.enabled ? (statuses.get(replica.id)?.status ?? 'UNKNOWN') : 'UNKNOWN'} />
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Button size="xs" variant="default" onClick={() => setEditing(replica)} aria-label={`Edit replica ${replica.name}`}>
                        Edit
                      </Button>
                      <Button size="xs" variant="subtle" color="red" onClick={() => setRemoving(replica)} aria-label={`Remove replica ${replica.name}`}>
                        Remove
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>
      <Modal opened={adding} onClose={() => setAdding(false)} title="Add a replica" size="lg">
        <AddReplicaForm
          server={server}
          onDone={() => {
            setAdding(false);
            onChanged();
          }}
        />
      </Modal>
      <Modal opened={!!editing} onClose={() => setEditing(null)} title={`Replica ${editing?.name ?? ''}`}>
        {editing && (
          <EditReplicaForm
            replica={editing}
            onDone={() => {
              setEditing(null);
              onChanged();
            }}
          />
        )}
      </Modal>
      <Modal opened={!!removing} onClose={() => setRemoving(null)} title={`Remove replica ${removing?.name ?? ''}?`}>
        <Stack>
          <Text size="sm">Calls stop going to it at once; the other replicas keep serving.</Text>
          <ErrorNotice error={removed.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setRemoving(null)}>
              Cancel
            </Button>
            <Button
              color="red"
              loading={removed.fetching}
              onClick={() =>
                void remove({ id: removing!.id }).then((r) => {
                  if (!r.data) return;
                  notifications.show({ color: 'teal', message: `Replica ${removing!.name} removed` });
                  setRemoving(null);
                  onChanged();
                })
              }
            >
              Remove replica
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

function Balancing({ server, onSaved }: { server: ServerDetail; onSaved(): void }) {
  const [saved, save] = useMutation(UpdateBalancingMutation);
  const [loadBalancing, setLoadBalancing] = useState<LoadBalancing>(server.loadBalancing);
  const [retryCalls, setRetryCalls] = useState(server.retryCalls);
  const [connectionPlacement, setConnectionPlacement] = useState<ConnectionPlacement>(server.connectionPlacement);
  const [weight, setWeight] = useState<string | number>(server.weight);
  const [priority, setPriority] = useState<string | number>(server.priority);
  const [interval, setCheckInterval] = useState<string | number>(server.healthCheckIntervalSeconds);
  const errors = fieldErrors(saved.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save({
      serverId: server.id,
      input: { loadBalancing, retryCalls, connectionPlacement, weight: toNumber(weight), priority: toNumber(priority), healthCheckIntervalSeconds: toNumber(interval) },
    }).then((r) => {
      if (!r.data) return;
      notifications.show({ color: 'teal', message: 'Balancing saved' });
      onSaved();
    });
  };
  const placed = ['loadBalancing', 'retryCalls', 'connectionPlacement', 'weight', 'priority', 'healthCheckIntervalSeconds'];
  return (
    <Card withBorder component="form" onSubmit={submit} noValidate>
      <Title order={2} size="h4" mb="sm">
        Load balancing
      </Title>
      {saved.error && !Object.keys(errors).some((k) => placed.includes(k)) && <ErrorNotice error={saved.error} />}
      <Stack gap="md" maw={720}>
        <Select
          label="Mode"
          data={BALANCING}
          value={loadBalancing}
          onChange={(v) => v && setLoadBalancing(v as LoadBalancing)}
          error={errors.loadBalancing}
          allowDeselect={false}
        />
        <Switch
          label="Retry any call on another replica"
          description="Off: only calls to tools marked idempotent or read-only are retried when a replica fails"
          checked={retryCalls}
          onChange={(e) => setRetryCalls(e.currentTarget.checked)}
        />
        <Select
          label="Connection placement"
          description="With several hubs: whether each hub runs its own connection, or one hub holds it and the others forward their calls"
          data={PLACEMENT}
          value={connectionPlacement}
          onChange={(v) => v && setConnectionPlacement(v as ConnectionPlacement)}
          error={errors.connectionPlacement}
          allowDeselect={false}
        />
        <Group grow align="flex-start">
          <NumberInput label="Primary weight" description="1 to 1000" value={weight} onChange={setWeight} error={errors.weight} allowDecimal={false} />
          <NumberInput label="Primary priority" description="Tier 0 to 100; lower tiers are used first" value={priority} onChange={setPriority} error={errors.priority} allowDecimal={false} />
          <NumberInput
            label="Health check every (seconds)"
            description="5 to 86400"
            value={interval}
            onChange={setCheckInterval}
            error={errors.healthCheckIntervalSeconds}
            allowDecimal={false}
          />
        </Group>
        <Group>
          <Button type="submit" loading={saved.fetching}>
            Save balancing
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

function AddReplicaForm({ server, onDone }: { server: ServerDetail; onDone(): void }) {
  const me = useSession().me!;
  const [added, add] = useMutation(AddReplicaMutation);
  const [name, setName] = useState('');
  const [weight, setWeight] = useState<string | number>(1);
  const [priority, setPriority] = useState<string | number>(0);
  const [transport, setTransport] = useState<TransportValues>({
    transport: server.transport === 'STDIO' && me.role !== 'ADMIN' ? 'STREAMABLE_HTTP' : server.transport,
    command: '',
    args: '',
    cwd: '',
    env: [],
    url: '',
    headers: [],
  });
  const errors = fieldErrors(added.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const endpoint =
      transport.transport === 'STDIO'
        ? { command: transport.command, args: argsFromText(transport.args), cwd: transport.cwd.trim() || null, env: newSecretInput(transport.env) }
        : { url: transport.url, headers: newSecretInput(transport.headers) };
    void add({ serverId: server.id, input: { name, transport: transport.transport, ...endpoint, weight: toNumber(weight), priority: toNumber(priority) } }).then((r) => {
      if (!r.data) return;
      notifications.show({ color: 'teal', message: `Replica ${name} added` });
      onDone();
    });
  };
  const placed = ['name', 'weight', 'priority', 'transport', 'command', 'args', 'cwd', 'env', 'url', 'headers'];
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        {added.error && !Object.keys(errors).some((k) => placed.includes(k.split('.')[0])) && <ErrorNotice error={added.error} />}
        <TextInput label="Name" description="Unique among this server's replicas, e.g. eu-west" value={name} onChange={(e) => setName(e.currentTarget.value)} error={errors.name} withAsterisk data-autofocus />
        <TransportFields values={transport} onChange={(patch) => setTransport((t) => ({ ...t, ...patch }))} errors={errors} mayRunCommands={me.role === 'ADMIN'} />
        <Group grow align="flex-start">
          <NumberInput label="Weight" description="1 to 1000" value={weight} onChange={setWeight} error={errors.weight} allowDecimal={false} />
          <NumberInput label="Priority" description="Tier 0 to 100; higher tiers are fallbacks" value={priority} onChange={setPriority} error={errors.priority} allowDecimal={false} />
        </Group>
        <Group justify="flex-end">
          <Button type="submit" loading={added.fetching}>
            Add replica
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function EditReplicaForm({ replica, onDone }: { replica: ServerDetail['replicas'][number]; onDone(): void }) {
  const [updated, update] = useMutation(UpdateReplicaMutation);
  const [weight, setWeight] = useState<string | number>(replica.weight);
  const [priority, setPriority] = useState<string | number>(replica.priority);
  const [enabled, setEnabled] = useState(replica.enabled);
  const errors = fieldErrors(updated.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void update({ id: replica.id, input: { weight: toNumber(weight), priority: toNumber(priority), enabled } }).then((r) => r.data && onDone());
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        {updated.error && !errors.weight && !errors.priority && <ErrorNotice error={updated.error} />}
        <Text size="sm" c="dimmed">
          To change where it points, remove it and add another.
        </Text>
        <NumberInput label="Weight" description="1 to 1000" value={weight} onChange={setWeight} error={errors.weight} allowDecimal={false} data-autofocus />
        <NumberInput label="Priority" description="Tier 0 to 100; higher tiers are fallbacks" value={priority} onChange={setPriority} error={errors.priority} allowDecimal={false} />
        <Switch label="Enabled" checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} />
        <Group justify="flex-end">
          <Button type="submit" loading={updated.fetching}>
            Save replica
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
