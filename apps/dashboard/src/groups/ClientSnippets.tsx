import { Anchor, Code, Group, Stack, Tabs, Text } from '@mantine/core';
import { readFragment, type FragmentOf } from '../graphql/graphql';
import { CopyField } from '../ui/CopyField';
import { ClientConfigFields, snippetText } from './client-snippets';

/**
 * One tab per client (the group's clientConfigs), each with its own copy button. Pass `apiKey` right after creating
 * a key (shown once) to fill it in.
 */
export function ClientSnippets({ configs, apiKey }: { configs: readonly FragmentOf<typeof ClientConfigFields>[]; apiKey?: string }) {
  const snippets = readFragment(ClientConfigFields, configs);
  if (!snippets.length) return null;
  return (
    <Tabs defaultValue={snippets[0].client} keepMounted={false}>
      <Tabs.List aria-label="MCP clients">
        {snippets.map((s) => (
          <Tabs.Tab key={s.client} value={s.client}>
            {s.label}
          </Tabs.Tab>
        ))}
      </Tabs.List>
      {snippets.map((s) => (
        <Tabs.Panel key={s.client} value={s.client} pt="sm">
          <Stack gap="xs">
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <Text size="sm" c="dimmed">
                {s.language === 'SHELL' ? 'Run this in' : 'Put this in'} {s.location}.{' '}
                {!s.keyPlaceholder && apiKey && `${s.label} asks for the key when it first connects. `}
                <Anchor href={s.docsUrl} target="_blank" rel="noreferrer" size="sm">
                  {s.label} documentation
                </Anchor>
              </Text>
              <CopyField value={snippetText(s, apiKey)} label={`Copy the ${s.label} snippet`} />
            </Group>
            <Code block data-snippet={s.client}>
              {snippetText(s, apiKey)}
            </Code>
          </Stack>
        </Tabs.Panel>
      ))}
    </Tabs>
  );
}
