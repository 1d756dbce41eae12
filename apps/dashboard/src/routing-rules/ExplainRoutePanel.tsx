import { Alert, Autocomplete, Button, Card, Group, JsonInput, Select, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconRoute } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../graphql/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { fieldErrors } from '../ui/errors';

const KeysQuery = graphql(`
  query ExplainKeyChoices {
    apiKeys(first: 100) { nodes { id name prefix tags revokedAt } }
  }
`);

const ExplainQuery = graphql(`
  query ExplainRoute($groupId: ID!, $toolName: String!, $arguments: JSON, $keyId: ID) {
    explainRoute(groupId: $groupId, toolName: $toolName, arguments: $arguments, keyId: $keyId) {
      matched description defaultServerSlug
      rule { id name priority }
      action { type serverSlug timeoutMs message }
    }
  }
`);

interface Asked {
  groupId: string;
  toolName: string;
  arguments: unknown;
  keyId: string | null;
}

/** "Try it": which rule a tools/call would match and where it would go. Calls nothing. */
export function ExplainRoutePanel({ groupId, tools }: { groupId: string; tools: readonly { name: string }[] }) {
  const [keys] = useQuery({ query: KeysQuery });
  const [toolName, setToolName] = useState('');
  const [args, setArgs] = useState('{}');
  const [keyId, setKeyId] = useState<string | null>(null);
  const [argsError, setArgsError] = useState<string | null>(null);
  const [asked, setAsked] = useState<Asked | null>(null);
  const [result] = useQuery({ query: ExplainQuery, variables: asked ?? { groupId, toolName: '' }, pause: !asked, requestPolicy: 'network-only' });

  function submit(event: FormEvent) {
    event.preventDefault();
    let parsed: unknown;
    try {
      parsed = args.trim() ? JSON.parse(args) : null;
    } catch (error) {
      setArgsError(`Not valid JSON: ${(error as Error).message}`);
      return;
    }
    setArgsError(null);
    setAsked({ groupId, toolName: toolName.trim(), arguments: parsed, keyId });
  }

  const errors = fieldErrors(result.error, '');
  const answer = asked && result.data?.explainRoute;
  return (
    <Card withBorder component="section" aria-labelledby="try-route-title">
      <Title order={2} size="h4" id="try-route-title">
        Try it
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        See which rule a call would match and where it would go. Nothing is called.
      </Text>
      <form onSubmit={submit}>
        <Stack>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Autocomplete
              label="Tool name"
              description="As agents call it, e.g. everything__echo"
              required
              data={[...new Set(tools.map((t) => t.name))]}
              limit={20}
              value={toolName}
              onChange={setToolName}
              error={errors.toolName}
            />
            <Select
              label="Calling key"
              description="Optional: without one, key conditions never match"
              placeholder="No key"
              data={(keys.data?.apiKeys.nodes ?? []).filter((k) => !k.revokedAt).map((k) => ({ value: k.id, label: `${k.name} (${k.prefix})${k.tags.length ? ` · ${k.tags.join(', ')}` : ''}` }))}
              value={keyId}
              onChange={setKeyId}
              clearable
              searchable
              error={errors.keyId}
            />
          </SimpleGrid>
          <JsonInput label="Arguments (JSON)" autosize minRows={3} value={args} onChange={setArgs} error={argsError ?? errors.arguments} formatOnBlur />
          <Group>
            <Button type="submit" leftSection={<IconRoute size={16} aria-hidden />} loading={result.fetching}>
              Explain route
            </Button>
          </Group>
          <ErrorNotice error={result.error && !Object.keys(errors).length ? result.error : null} title="Could not explain" />
          <div aria-live="polite">
            {answer && (
              <Alert color={answer.action?.type === 'DENY' ? 'red' : answer.matched ? 'indigo' : 'gray'} title={answer.matched ? `Matches rule ${answer.rule?.name}` : 'No rule matches'} data-testid="route-explanation">
                <Text size="sm">{answer.description}</Text>
                {(answer.action?.serverSlug || (!answer.matched && answer.defaultServerSlug)) && (
                  <Text size="sm" mt="xs" fw={600}>
                    Goes to server {answer.action?.serverSlug ?? answer.defaultServerSlug}
                  </Text>
                )}
              </Alert>
            )}
          </div>
        </Stack>
      </form>
    </Card>
  );
}
