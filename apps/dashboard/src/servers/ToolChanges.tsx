import { Alert, Badge, Box, Button, Group, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconCheck } from '@tabler/icons-react';
import { diffLines } from 'diff';
import { useEffect } from 'react';
import { useMutation, useQuery, useSubscription } from 'urql';
import { graphql } from '../graphql/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { formatDateTime } from '../ui/format';

const ToolDriftsQuery = graphql(`
  query ServerToolDrifts($id: ID!) {
    server(id: $id) { id toolDrifts { tool approvedDefinition currentDefinition approvedAt detectedAt } }
  }
`);

const ToolDriftSubscription = graphql(`
  subscription ServerToolDriftDetected($serverId: ID) { toolDriftDetected(serverId: $serverId) { serverId tool detectedAt } }
`);

const ApproveToolChangeMutation = graphql(`
  mutation ApproveToolChange($serverId: ID!, $tool: String!) {
    approveToolChange(serverId: $serverId, tool: $tool) { id toolDrifts { tool } }
  }
`);

/** Orange titles fall below 4.5:1 on the orange background (axe): the title keeps the text color. */
const TITLE_STYLES = { title: { color: 'var(--mantine-color-text)' } };

/**
 * Tool definitions of this server that changed since they were approved (tool pinning): each with the change as a
 * line diff and an Approve button. Updated live when the hub detects another change.
 */
export function ToolChanges({ serverId }: { serverId: string }) {
  const [result, refetch] = useQuery({ query: ToolDriftsQuery, variables: { id: serverId } });
  const [live] = useSubscription({ query: ToolDriftSubscription, variables: { serverId } });
  const [approved, approve] = useMutation(ApproveToolChangeMutation);
  const liveKey = live.data ? `${live.data.toolDriftDetected.tool}@${live.data.toolDriftDetected.detectedAt}` : '';
  useEffect(() => {
    if (liveKey) refetch({ requestPolicy: 'network-only' });
  }, [liveKey]);

  const drifts = result.data?.server.toolDrifts ?? [];
  if (!drifts.length) return <ErrorNotice error={result.error} title="Pending tool changes cannot be shown" />;
  return (
    <Alert color="orange" variant="light" icon={<IconAlertTriangle aria-hidden />} title={`${drifts.length} tool definition${drifts.length === 1 ? '' : 's'} changed since approved`} mt="md" styles={TITLE_STYLES}>
      <Stack>
        <Text size="sm">
          Groups with tool pinning set to Enforce hide these tools from agents until you approve the change; groups set to Warn still serve them. Read what changed before you approve.
        </Text>
        <ErrorNotice error={approved.error} title="Not approved" />
        {drifts.map((drift) => (
          <Box key={drift.tool} component="section" aria-label={`Change of tool ${drift.tool}`}>
            <Group justify="space-between" mb={4}>
              <Group gap="xs">
                <Title order={3} size="h5" ff="monospace">
                  {drift.tool}
                </Title>
                <Badge variant="default">
                  detected {formatDateTime(drift.detectedAt)}
                </Badge>
              </Group>
              <Button
                size="xs"
                leftSection={<IconCheck size={14} aria-hidden />}
                loading={approved.fetching}
                aria-label={`Approve the change of tool ${drift.tool}`}
                onClick={() =>
                  void approve({ serverId, tool: drift.tool }).then((r) => {
                    if (!r.data) return;
                    notifications.show({ color: 'teal', message: `The new definition of ${drift.tool} is approved` });
                    refetch({ requestPolicy: 'network-only' });
                  })
                }
              >
                Approve
              </Button>
            </Group>
            <DefinitionDiff before={drift.approvedDefinition} after={drift.currentDefinition} />
          </Box>
        ))}
      </Stack>
    </Alert>
  );
}

/** Approved (−) versus now (+), line by line; signs as well as colors, so the change does not depend on color. */
function DefinitionDiff({ before, after }: { before: string; after: string }) {
  return (
    <Box
      component="pre"
      m={0}
      p="xs"
      fz="sm"
      ff="monospace"
      bg="var(--mantine-color-body)"
      style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', border: '1px solid var(--mantine-color-default-border)', borderRadius: 'var(--mantine-radius-sm)' }}
      aria-label="Approved definition against the current one: removed lines start with a minus sign, added lines with a plus sign"
    >
      {diffLines(before, after).flatMap((part, i) =>
        part.value
          .replace(/\n$/, '')
          .split('\n')
          .map((line, j) => {
            const Tag = part.added ? 'ins' : part.removed ? 'del' : 'span';
            const background = part.added ? 'var(--mantine-color-green-light)' : part.removed ? 'var(--mantine-color-red-light)' : undefined;
            return (
              <Tag key={`${i}-${j}`} data-diff={part.added ? 'added' : part.removed ? 'removed' : 'same'} style={{ display: 'block', textDecoration: 'none', background }}>
                {part.added ? '+' : part.removed ? '−' : ' '} {line}
              </Tag>
            );
          }),
      )}
    </Box>
  );
}
