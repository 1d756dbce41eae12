import { Anchor, Badge, Card, Code, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { setCredentialLink } from '../credentials/credentials.query';
import { useSession } from '../session/session';
import type { ServerDetail } from './server-detail.query';

type Source = 'USER' | 'TEAM' | 'HUB';

/** Whose credential fills a variable, said from where the viewer stands (a SHARED server uses its owner's). */
function sourceLabel(source: Source, viewerIsOwner: boolean): string {
  if (source === 'HUB') return "the hub's";
  if (viewerIsOwner) return source === 'USER' ? 'yours' : "a team's";
  return source === 'USER' ? "the owner's" : "a team's of the owner";
}

/**
 * The server's `${NAME}`s and where each comes from for the person looking; a missing one links to the place to
 * set it, since calls that need it are refused naming it.
 */
export function ServerVariables({ server }: { server: ServerDetail }) {
  const me = useSession().me!;
  if (!server.variables.length) return null;
  const perUser = server.credentialScope === 'PER_USER';
  // PER_USER: filled from each caller's credentials; SHARED: from the owner's, for everyone.
  const viewerIsOwner = perUser || server.ownerId === me.id;
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb={4}>
        Variables
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {perUser
          ? 'Per-user credentials: each person calls it with their own credential, else a team’s, else the hub’s.'
          : 'Shared: one connection for everyone, filled from the owner’s credentials (theirs, a team’s, the hub’s).'}
      </Text>
      <Table aria-label="Variables" verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Variable</Table.Th>
            <Table.Th>{viewerIsOwner ? 'Comes from, for you' : 'Comes from'}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {server.variables.map((variable) => (
            <Table.Tr key={variable.name}>
              <Table.Td>
                <Code>{'${' + variable.name + '}'}</Code>
              </Table.Td>
              <Table.Td>
                {variable.source ? (
                  <Badge variant="light" color="teal" tt="none">
                    {sourceLabel(variable.source, viewerIsOwner)}
                  </Badge>
                ) : viewerIsOwner ? (
                  <Text size="sm" span>
                    <Badge variant="light" color="red" tt="none" mr="xs">
                      missing
                    </Badge>
                    <Anchor component={Link} to={setCredentialLink(variable.name)} size="sm">
                      Set {variable.name} in Credentials
                    </Anchor>
                  </Text>
                ) : (
                  <Text size="sm" span>
                    <Badge variant="light" color="red" tt="none" mr="xs">
                      missing
                    </Badge>
                    the server's owner must set it
                  </Text>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}
