import { Code, Group, Stack, Tabs, Text } from '@mantine/core';
import { CopyField } from '../ui/CopyField';
import { clientSnippets } from './client-snippets';

/** One tab per client, each with its own copy button. Pass `apiKey` right after creating a key (shown once). */
export function ClientSnippets({ name, url, apiKey }: { name: string; url: string; apiKey?: string }) {
  const snippets = clientSnippets(name, url, apiKey);
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
            <Group justify="space-between">
              <Text size="sm" c="dimmed">
                Put this in {s.where}
              </Text>
              <CopyField value={s.text} label={`Copy the ${s.label} snippet`} />
            </Group>
            <Code block data-snippet={s.client}>
              {s.text}
            </Code>
          </Stack>
        </Tabs.Panel>
      ))}
    </Tabs>
  );
}
