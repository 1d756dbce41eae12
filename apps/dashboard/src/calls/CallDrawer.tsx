import { Alert, Code, Drawer, Group, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { CopyField } from '../ui/CopyField';
import { formatDateTimeSeconds } from '../ui/format-seconds';
import type { CallEntry } from './call-log-query';
import { OutcomeBadge } from './OutcomeBadge';

/** Captured JSON, indented when it parses (a truncated capture does not: shown as recorded). */
function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** Everything the call log holds about one call. */
export function CallDrawer({ entry, onClose }: { entry: CallEntry | null; onClose(): void }) {
  return (
    <Drawer opened={entry !== null} onClose={onClose} position="right" size="lg" title={<Title order={2} size="h4">Call details</Title>} closeButtonProps={{ 'aria-label': 'Close call details' }}>
      {entry && <Details entry={entry} />}
    </Drawer>
  );
}

function Details({ entry }: { entry: CallEntry }) {
  const rows: [string, ReactNode][] = [
    ['Outcome', <OutcomeBadge key="o" outcome={entry.outcome} />],
    ['When', formatDateTimeSeconds(entry.at)],
    ['Method', entry.method],
    ['Name', entry.name ?? '—'],
    ['Latency', `${entry.latencyMs.toFixed(1)} ms`],
    [
      'Request id',
      entry.correlationId ? (
        <Group gap={4} wrap="nowrap" key="r">
          <Code>{entry.correlationId}</Code>
          <CopyField value={entry.correlationId} label="Copy request id" />
        </Group>
      ) : (
        '—'
      ),
    ],
    ['Key', entry.keyName ?? `deleted key (${entry.keyId})`],
    ['Group', entry.groupSlug ?? entry.groupId ?? '—'],
    ['Server', entry.serverSlug ?? entry.serverId ?? 'answered by the hub'],
  ];
  return (
    <Stack gap="md">
      <Table variant="vertical" layout="fixed" withTableBorder>
        <Table.Tbody>
          {rows.map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Th w={130}>{label}</Table.Th>
              <Table.Td style={{ overflowWrap: 'anywhere' }}>{value}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {entry.error && (
        <div>
          <Title order={3} size="h5" mb={4}>
            Error
          </Title>
          <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
            {entry.error}
          </Code>
        </div>
      )}
      {entry.arguments === null && entry.result === null ? (
        <Alert variant="light" color="gray" title="Arguments and result were not recorded">
          The hub keeps a call's arguments and result only while a DEBUG capture is on for its key or group.
        </Alert>
      ) : (
        <>
          <Capture title="Arguments" text={entry.arguments} />
          <Capture title="Result" text={entry.result} />
        </>
      )}
    </Stack>
  );
}

function Capture({ title, text }: { title: string; text: string | null }) {
  return (
    <div>
      <Title order={3} size="h5" mb={4}>
        {title}
      </Title>
      {text === null ? (
        <Text size="sm" c="dimmed">
          Not recorded
        </Text>
      ) : (
        <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', maxHeight: 320, overflow: 'auto' }} tabIndex={0} role="region" aria-label={`${title} (JSON)`}>
          {pretty(text)}
        </Code>
      )}
    </div>
  );
}
