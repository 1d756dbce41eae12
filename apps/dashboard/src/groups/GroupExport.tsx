import { Card, Code, Group, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../graphql/graphql';
import { CopyField } from '../ui/CopyField';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Loading } from '../ui/Loading';
import { FORMAT_OPTIONS, type ClientConfigFormat } from './client-config-format';

const ExportQuery = graphql(`
  query ExportClientConfig($groupId: ID!, $format: ClientConfigFormat!) {
    exportClientConfig(groupId: $groupId, format: $format) {
      groupEndpoint { label text }
      memberServers
      omittedServers
    }
  }
`);

/**
 * The group as a client config file: the one entry for the hub's endpoint (what agents should use), and the member
 * servers' own definitions for running them without the hub, with every secret left as a reference to fill in.
 */
export function GroupExport({ groupId }: { groupId: string }) {
  const [format, setFormat] = useState<ClientConfigFormat>('MCP_SERVERS');
  const [result] = useQuery({
    query: ExportQuery,
    variables: { groupId, format },
  });
  const out = result.data?.exportClientConfig;
  return (
    <Card withBorder component="section" aria-labelledby="export-title">
      <Title order={2} size="h4" mb="sm" id="export-title">
        Export as a client config
      </Title>
      <SegmentedControl aria-label="Export format" data={FORMAT_OPTIONS} value={format} onChange={(v) => setFormat(v as ClientConfigFormat)} mb="sm" />
      <ErrorNotice error={result.error} title="The export could not be made" />
      {result.fetching && !out ? (
        <Loading label="Exporting" />
      ) : (
        out && (
          <Stack>
            <ExportBlock
              title="Through the hub (recommended)"
              note="One entry for the group's endpoint: agents get every member's tools with your API key in place of the placeholder."
              text={out.groupEndpoint.text}
              name="group-endpoint"
            />
            <ExportBlock
              title="The member servers themselves"
              note="Their own definitions, to run them without the hub. Secrets are not exported: each is a ${env:…} or ${input:…} reference to fill in."
              text={out.memberServers}
              name="member-servers"
            />
            {out.omittedServers.length > 0 && (
              <Text size="sm" c="dimmed">
                Left out (you may not read their definition): {out.omittedServers.join(', ')}
              </Text>
            )}
          </Stack>
        )
      )}
    </Card>
  );
}

function ExportBlock({ title, note, text, name }: { title: string; note: string; text: string; name: string }) {
  return (
    <Stack gap="xs">
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <div>
          <Text fw={600} size="sm">
            {title}
          </Text>
          <Text size="sm" c="dimmed">
            {note}
          </Text>
        </div>
        <CopyField value={text} label={`Copy: ${title}`} />
      </Group>
      <Code block data-export={name}>
        {text}
      </Code>
    </Stack>
  );
}
