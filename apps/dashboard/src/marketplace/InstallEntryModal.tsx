import { Alert, Anchor, Button, Group, Modal, NativeSelect, PasswordInput, Progress, Radio, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useClient, useMutation, useQuery } from 'urql';
import { fetchQuery } from '../graphql/fetch-query';
import { graphql, type ResultOf } from '../graphql/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import type { CatalogEntryView } from './catalog-query';

const InstallMutation = graphql(`
  mutation InstallCatalogEntry($input: InstallCatalogEntryInput!) {
    installCatalogEntry(input: $input) {
      server { id name slug }
      group { id name slug }
      installation { state progress fetched error }
      variables { kind name credentialName stored used }
    }
  }
`);

const GroupsQuery = graphql(`
  query InstallGroups { groups(first: 100) { id name slug } }
`);

const InstallationQuery = graphql(`
  query ServerInstallation($serverId: ID!) { serverInstallation(serverId: $serverId) { state progress fetched error } }
`);

const RetryMutation = graphql(`
  mutation RetryServerInstallation($serverId: ID!) { retryServerInstallation(serverId: $serverId) { state progress fetched error } }
`);

type Installed = ResultOf<typeof InstallMutation>['installCatalogEntry'];
type Installation = NonNullable<Installed['installation']>;
type Scope = 'SHARED' | 'PER_USER';

const STATE_TEXT: Record<Installation['state'], string> = {
  QUEUED: 'Waiting for the pre-fetch to start',
  RESOLVING: 'Asking the npm registry for the package',
  DOWNLOADING: 'Downloading the package and its dependencies',
  READY: 'Package downloaded: the server starts without a download',
  FAILED: 'The package could not be downloaded',
};
const POLL_MS = 500;

/** Install an entry: the values it needs (yours, stored as your credentials), whose credentials it runs with, a group. */
export function InstallEntryModal({ entry, onClose }: { entry: CatalogEntryView | null; onClose(): void }) {
  const client = useClient();
  const [state, install] = useMutation(InstallMutation);
  const [groups] = useQuery({ query: GroupsQuery, pause: !entry });
  const [values, setValues] = useState<Record<string, string>>({});
  const [scope, setScope] = useState<Scope>('SHARED');
  const [groupId, setGroupId] = useState('');
  // '' = the latest; the variables asked for are the chosen version's (a version may add or drop some).
  const [version, setVersion] = useState('');
  const chosen = entry?.versions.find((v) => v.version === version) ?? entry;
  const [installed, setInstalled] = useState<Installed | null>(null);
  const [installation, setInstallation] = useState<Installation | null>(null);

  // Polls the pre-fetch until it settles (the job runs in the background; a subscription would be one more channel).
  useEffect(() => {
    if (!installed?.installation || !installation || installation.state === 'READY' || installation.state === 'FAILED') return;
    const timer = setTimeout(() => {
      void fetchQuery(client, InstallationQuery, { serverId: installed.server.id }).then((r) => r.serverInstallation && setInstallation(r.serverInstallation));
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [client, installed, installation]);

  function close() {
    setValues({});
    setScope('SHARED');
    setGroupId('');
    setVersion('');
    setInstalled(null);
    setInstallation(null);
    onClose();
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!entry || !chosen) return;
    const asked = new Set(chosen.variables.map((v) => v.name));
    const result = await install({
      input: {
        entryId: entry.id,
        version: version || null,
        credentialScope: scope,
        groupId: groupId || null,
        values: Object.entries(values)
          .filter(([name, value]) => asked.has(name) && value.trim())
          .map(([name, value]) => ({ name, value })),
      },
    });
    if (result.data) {
      setInstalled(result.data.installCatalogEntry);
      setInstallation(result.data.installCatalogEntry.installation);
    }
  }

  return (
    <Modal opened={!!entry} onClose={close} title={entry ? `Install ${entry.title}` : ''} size="lg" centered>
      {entry && chosen && !installed && (
        <form onSubmit={submit}>
          <Stack>
            <ErrorNotice error={state.error} title="Not installed" />
            {entry.versions.length > 1 && (
              <NativeSelect
                label="Version"
                description="The latest unless you pick another"
                data={entry.versions.map((v) => ({ value: v.isLatest ? '' : v.version, label: v.isLatest ? `${v.version} (latest)` : v.version }))}
                value={version}
                onChange={(e) => setVersion(e.currentTarget.value)}
              />
            )}
            <Radio.Group
              label="Whose credentials it runs with"
              value={scope}
              onChange={(v) => setScope(v as Scope)}
            >
              <Stack gap="xs" mt={4}>
                <Radio value="SHARED" label="Shared" description="One connection for everybody who may use it, filled from your credentials (the values below)" />
                <Radio value="PER_USER" label="Per person" description="Each person's agents use their own credentials; everyone sets theirs in Settings → Credentials" />
              </Stack>
            </Radio.Group>
            {chosen.variables.length ? (
              chosen.variables.map((v, i) => {
                const Input = v.secret ? PasswordInput : TextInput;
                const description = [v.description, v.example && `e.g. ${v.example}`, v.kind === 'HEADER' ? 'Sent as an HTTP header' : 'Given to the process as an environment variable']
                  .filter(Boolean)
                  .join(' · ');
                return (
                  <Input
                    key={`${v.kind}:${v.name}`}
                    label={v.name}
                    description={description}
                    withAsterisk={v.required && scope === 'SHARED'}
                    autoComplete="off"
                    value={values[v.name] ?? ''}
                    onChange={(e) => {
                      const value = e.currentTarget.value;
                      setValues((current) => ({ ...current, [v.name]: value }));
                    }}
                    data-autofocus={i === 0 || undefined}
                  />
                );
              })
            ) : (
              <Text size="sm">Needs no variables.</Text>
            )}
            <Text size="xs" c="dimmed">
              Values are stored encrypted as your own credentials, never on the server and never shown again. Leave one blank to use a credential you already have.
            </Text>
            <NativeSelect
              label="Add to group"
              description="Optional: a group you may change"
              data={[{ value: '', label: 'No group' }, ...(groups.data?.groups ?? []).map((g) => ({ value: g.id, label: g.name }))]}
              value={groupId}
              onChange={(e) => setGroupId(e.currentTarget.value)}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={state.fetching}>
                Install
              </Button>
            </Group>
          </Stack>
        </form>
      )}
      {installed && (
        <Stack>
          <Text size="sm">
            {installed.server.name} is installed{installed.group ? ` in ${installed.group.name}` : ''}.
          </Text>
          {installed.variables.some((v) => v.stored) && (
            <Text size="sm">
              Stored as your credentials:{' '}
              {installed.variables
                .filter((v) => v.stored)
                .map((v) => v.credentialName)
                .join(', ')}
            </Text>
          )}
          {installation && <InstallationProgress serverId={installed.server.id} installation={installation} onChange={setInstallation} />}
          <Group justify="space-between">
            <Anchor component={Link} to={`/servers/${installed.server.id}`} onClick={close}>
              Open {installed.server.name}
            </Anchor>
            <Button variant="default" onClick={close}>
              Close
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

/** Where the pre-fetch stands; a failed one can be run again once its cause is fixed (polling resumes). */
function InstallationProgress({ serverId, installation, onChange }: { serverId: string; installation: Installation; onChange(next: Installation): void }) {
  const [retryState, retry] = useMutation(RetryMutation);
  const failed = installation.state === 'FAILED';

  async function runAgain() {
    const result = await retry({ serverId });
    if (result.data) onChange(result.data.retryServerInstallation);
  }

  return (
    <Stack gap={4}>
      <Text size="sm" fw={600} aria-live="polite">
        {STATE_TEXT[installation.state]}
        {installation.state === 'DOWNLOADING' || installation.state === 'READY' ? ` (${installation.fetched} files)` : ''}
      </Text>
      <Progress.Root>
        <Progress.Section
          value={installation.progress}
          color={failed ? 'red' : installation.state === 'READY' ? 'teal' : 'blue'}
          animated={!failed && installation.state !== 'READY'}
          aria-label={`Pre-fetch of the npm package: ${STATE_TEXT[installation.state]}`}
        />
      </Progress.Root>
      {failed && (
        <Alert color="red" title="Pre-fetch failed" role="alert">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{installation.error}</Text>
            <Button size="compact-sm" variant="default" loading={retryState.fetching} onClick={() => void runAgain()}>
              Retry the pre-fetch
            </Button>
          </Stack>
        </Alert>
      )}
      <ErrorNotice error={retryState.error} title="Not retried" />
    </Stack>
  );
}
