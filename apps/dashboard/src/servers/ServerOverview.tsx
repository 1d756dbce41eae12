import { Alert, Badge, Button, Card, Code, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconRefresh } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { formatDateTime, formatRelative } from '../ui/format';
import type { TestResult } from './ServerDetailPage';
import { HealthBadge } from './HealthBadge';
import { ServerVariables } from './ServerVariables';
import type { ReplicaStatus } from './health';
import type { ServerDetail } from './server-detail.query';
import { TRANSPORT_LABEL } from './transport';

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase">
        {label}
      </Text>
      <Text size="sm" component="div" style={{ overflowWrap: 'anywhere' }}>
        {children}
      </Text>
    </div>
  );
}

function SecretNames({ entries }: { entries: { name: string }[] }) {
  if (!entries.length) return <>none</>;
  return (
    <Group gap={4}>
      {entries.map((e) => (
        <Badge key={e.name} variant="default" tt="none" rightSection={<Text span size="xs" c="dimmed">set</Text>}>
          {e.name}
        </Badge>
      ))}
    </Group>
  );
}

export function ServerOverview({
  server,
  statuses,
  testResult,
  onRefresh,
}: {
  server: ServerDetail;
  statuses: Map<string, ReplicaStatus>;
  testResult: TestResult | null;
  onRefresh(): void;
}) {
  const stdio = server.transport === 'STDIO';
  return (
    <Stack gap="lg">
      {testResult && <TestResultNotice result={testResult} />}
      {!testResult && server.lastError && (
        <Alert color="red" variant="light" title="The last test failed" icon={<IconAlertTriangle aria-hidden />}>
          {server.lastError}
        </Alert>
      )}
      <Card withBorder>
        <Title order={2} size="h4" mb="sm">
          Details
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md">
          <Field label="Transport">{TRANSPORT_LABEL[server.transport]}</Field>
          <Field label="Credentials">{server.credentialScope === 'PER_USER' ? 'per user (each caller’s own)' : 'shared (the owner’s)'}</Field>
          {stdio ? (
            <>
              <Field label="Command">
                <Code>{[server.command, ...server.args].join(' ')}</Code>
              </Field>
              <Field label="Working directory">{server.cwd ?? "the hub's own"}</Field>
              <Field label="Environment variables">
                <SecretNames entries={server.env} />
              </Field>
            </>
          ) : (
            <>
              <Field label="URL">
                <Code>{server.url}</Code>
              </Field>
              <Field label="Headers">
                <SecretNames entries={server.headers} />
              </Field>
            </>
          )}
          <Field label="Description">{server.description || '—'}</Field>
          <Field label="Tags">{server.tags.length ? server.tags.join(', ') : '—'}</Field>
          <Field label="Registered">{formatDateTime(server.createdAt)}</Field>
          <Field label="Changed">{formatDateTime(server.updatedAt)}</Field>
          <Field label="Health checks">every {server.healthCheckIntervalSeconds} s</Field>
        </SimpleGrid>
      </Card>
      <ServerVariables server={server} />
      <Capabilities server={server} />
      <Runtime server={server} statuses={statuses} onRefresh={onRefresh} />
    </Stack>
  );
}

function TestResultNotice({ result }: { result: TestResult }) {
  if (!result.ok) {
    return (
      <Alert color="red" variant="light" title="The connection test failed" icon={<IconAlertTriangle aria-hidden />} role="alert">
        {result.error}
        {result.latencyMs !== null && ` (after ${result.latencyMs} ms)`}
      </Alert>
    );
  }
  const server = [result.serverName, result.serverVersion].filter(Boolean).join(' ');
  return (
    <Alert color="teal" variant="light" title="Connected" icon={<IconCircleCheck aria-hidden />} role="status">
      {server || 'The server'} answered in {result.latencyMs} ms (protocol {result.protocolVersion ?? 'unknown'}): {result.toolCount} tools,{' '}
      {result.resourceCount} resources, {result.resourceTemplateCount} resource templates, {result.promptCount} prompts.
    </Alert>
  );
}

function Capabilities({ server }: { server: ServerDetail }) {
  const caps = server.capabilities;
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">
        What it offers
      </Title>
      {!caps ? (
        <Text size="sm" c="dimmed">
          Not known yet: test the connection to discover its tools, resources and prompts.
        </Text>
      ) : (
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            {[caps.serverName, caps.serverVersion].filter(Boolean).join(' ') || 'Unnamed server'} · protocol {caps.protocolVersion ?? 'unknown'} · discovered{' '}
            {formatDateTime(caps.discoveredAt)}
          </Text>
          <CapabilityTable
            title={`Tools (${caps.tools.length})`}
            columns={['Name', 'Description']}
            rows={caps.tools.map((t) => [t.name, t.description ?? ''])}
          />
          <CapabilityTable
            title={`Resources (${caps.resources.length})`}
            columns={['Name', 'URI']}
            rows={caps.resources.map((r) => [r.name, r.uri])}
          />
          {caps.resourceTemplates.length > 0 && (
            <CapabilityTable
              title={`Resource templates (${caps.resourceTemplates.length})`}
              columns={['Name', 'URI template']}
              rows={caps.resourceTemplates.map((r) => [r.name, r.uriTemplate])}
            />
          )}
          <CapabilityTable
            title={`Prompts (${caps.prompts.length})`}
            columns={['Name', 'Description']}
            rows={caps.prompts.map((p) => [p.name, p.description ?? ''])}
          />
        </Stack>
      )}
    </Card>
  );
}

function CapabilityTable({ title, columns, rows }: { title: string; columns: [string, string]; rows: string[][] }) {
  return (
    <section aria-label={title}>
      <Title order={3} size="h5" mb={4}>
        {title}
      </Title>
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          None.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={500} mah={360}>
          <Table striped withTableBorder layout="fixed">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w="35%">{columns[0]}</Table.Th>
                <Table.Th>{columns[1]}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map(([first, second]) => (
                <Table.Tr key={first + second}>
                  <Table.Td ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                    {first}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" lineClamp={2} title={second}>
                      {second}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </section>
  );
}

const CIRCUIT_COLOR: Record<string, string> = { CLOSED: 'teal.9', HALF_OPEN: 'yellow.4', OPEN: 'red.9' };

function Runtime({ server, statuses, onRefresh }: { server: ServerDetail; statuses: Map<string, ReplicaStatus>; onRefresh(): void }) {
  return (
    <Card withBorder>
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4">
          Runtime on this hub
        </Title>
        <Button size="xs" variant="default" leftSection={<IconRefresh size={14} aria-hidden />} onClick={onRefresh}>
          Refresh runtime
        </Button>
      </Group>
      {server.runtime.length === 0 ? (
        <Text size="sm" c="dimmed">
          {server.enabled ? 'No replica is running in this hub process yet.' : 'The server is disabled: nothing runs.'}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={900}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Replica</Table.Th>
                <Table.Th>Health</Table.Th>
                <Table.Th>Connected</Table.Th>
                <Table.Th>Protocol</Table.Th>
                <Table.Th>In flight</Table.Th>
                <Table.Th>Circuit</Table.Th>
                <Table.Th>Restarts</Table.Th>
                <Table.Th>Next retry</Table.Th>
                <Table.Th>Last error</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {server.runtime.map((r) => (
                <Table.Tr key={r.replicaId}>
                  <Table.Td>{r.name}</Table.Td>
                  <Table.Td>
                    <HealthBadge state={statuses.get(r.replicaId)?.status ?? 'UNKNOWN'} />
                  </Table.Td>
                  <Table.Td>
                    {r.connected ? 'yes' : 'no'}
                    {r.forwarded && (
                      <Text size="xs" c="dimmed">
                        through the hub that runs it
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{r.protocolVersion ?? '—'}</Table.Td>
                  <Table.Td>{r.inFlight}</Table.Td>
                  <Table.Td>
                    <Badge variant="filled" autoContrast color={CIRCUIT_COLOR[r.circuit] ?? 'gray.7'} style={{ minWidth: 'max-content' }}>
                      {r.circuit.replace('_', ' ')}
                    </Badge>
                    {r.circuitOpenUntil && (
                      <Text size="xs" c="dimmed">
                        until {formatDateTime(r.circuitOpenUntil)}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{r.restartAttempts}</Table.Td>
                  <Table.Td>{r.nextRetryAt ? formatRelative(r.nextRetryAt) : '—'}</Table.Td>
                  <Table.Td>
                    <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                      {r.lastError ?? '—'}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}
