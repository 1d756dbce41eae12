import { Alert, Radio, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { SecretRows, type SecretRow } from './SecretRows';
import { VariableHint } from './VariableHint';
import { STDIO_ADMINS_ONLY, TRANSPORT_LABEL, type Transport } from './transport';

export interface TransportValues {
  transport: Transport;
  command: string;
  /** One argument per line. */
  args: string;
  cwd: string;
  env: SecretRow[];
  url: string;
  headers: SecretRow[];
}

/** The transport choice and the fields of the chosen transport only. `errors` are the API's (see ui/errors.ts). */
export function TransportFields({
  values,
  onChange,
  errors,
  mayRunCommands,
  transportLocked,
}: {
  values: TransportValues;
  onChange(patch: Partial<TransportValues>): void;
  errors: Record<string, string>;
  mayRunCommands: boolean;
  /** Replicas keep their transport (remove and add one to change it). */
  transportLocked?: boolean;
}) {
  const stdio = values.transport === 'STDIO';
  return (
    <Stack gap="md">
      <Radio.Group label="Transport" value={values.transport} onChange={(v) => onChange({ transport: v as Transport })} error={errors.transport} withAsterisk>
        <Stack gap="xs" mt="xs">
          <Radio
            value="STDIO"
            label={TRANSPORT_LABEL.STDIO}
            description={mayRunCommands ? "Runs a program on the hub's machine and talks to it over stdin/stdout" : 'Admins only: runs a program on the hub’s machine'}
            disabled={transportLocked || (!mayRunCommands && !stdio)}
          />
          <Radio value="STREAMABLE_HTTP" label={TRANSPORT_LABEL.STREAMABLE_HTTP} description="An MCP server at an http(s) URL (current protocol)" disabled={transportLocked} />
          <Radio value="SSE" label={TRANSPORT_LABEL.SSE} description="An MCP server speaking the legacy HTTP+SSE transport" disabled={transportLocked} />
        </Stack>
      </Radio.Group>
      {!mayRunCommands && (
        <Alert color="blue" variant="light" icon={<IconInfoCircle aria-hidden />}>
          <Text size="sm">{STDIO_ADMINS_ONLY}</Text>
        </Alert>
      )}
      {stdio ? (
        <>
          <TextInput
            label="Command"
            description="The program to run, e.g. an absolute path to node or python"
            value={values.command}
            onChange={(e) => onChange({ command: e.currentTarget.value })}
            error={errors.command}
            withAsterisk
            autoComplete="off"
            spellCheck={false}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          />
          <Textarea
            label="Arguments"
            description={<>One argument per line; <VariableHint where="an argument" /></>}
            value={values.args}
            onChange={(e) => onChange({ args: e.currentTarget.value })}
            error={errors.args ?? Object.entries(errors).find(([k]) => k.startsWith('args.'))?.[1]}
            autosize
            minRows={2}
            spellCheck={false}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          />
          <TextInput
            label="Working directory"
            description="Absolute path; empty: the hub's own"
            value={values.cwd}
            onChange={(e) => onChange({ cwd: e.currentTarget.value })}
            error={errors.cwd}
            autoComplete="off"
            spellCheck={false}
          />
          <SecretRows
            field="env"
            legend="Environment variables"
            noun="variable"
            description={<>Stored encrypted; values are never shown again. <VariableHint /></>}
            rows={values.env}
            onChange={(env) => onChange({ env })}
            errors={errors}
          />
        </>
      ) : (
        <>
          <TextInput
            label="URL"
            description={
              <>
                {values.transport === 'SSE' ? 'The SSE endpoint, e.g. https://example.com/sse' : 'The MCP endpoint, e.g. https://example.com/mcp'}; <VariableHint where="the URL" />
              </>
            }
            value={values.url}
            onChange={(e) => onChange({ url: e.currentTarget.value })}
            error={errors.url}
            withAsterisk
            autoComplete="off"
            spellCheck={false}
            inputMode="url"
          />
          <SecretRows
            field="headers"
            legend="Headers"
            noun="header"
            description={<>Sent with every request, e.g. Authorization; stored encrypted, never shown again. <VariableHint /></>}
            rows={values.headers}
            onChange={(headers) => onChange({ headers })}
            errors={errors}
          />
        </>
      )}
    </Stack>
  );
}
