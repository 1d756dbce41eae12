import { Anchor, Badge, Card, Code, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { setCredentialLink } from '../credentials/credentials.query';
import { useSession } from '../session/session';
import type { ServerDetail } from './server-detail.query';
import { variableState, variablesAreViewers } from './variable-sources';

/**
 * The server's `${NAME}`s and where each comes from for the person looking; a missing one links to the place to
 * set it, since calls that need it are refused naming it.
 */
export function ServerVariables({ server }: { server: ServerDetail }) {
  const me = useSession().me!;
  if (!server.variables.length) return null;
  const perUser = server.credentialScope === 'PER_USER';
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb={4}>
        Variables
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {perUser
          ? 'Per-user credentials: each person calls it with their own credential, else a team’s, else the hub’s (those two only when the owner may manage them).'
          : 'Shared: one connection for everyone, filled from the owner’s credentials (theirs, a team’s, the hub’s).'}
      </Text>
      <Table aria-label="Variables" verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Variable</Table.Th>
            <Table.Th>{variablesAreViewers(server, me.id) ? 'Comes from, for you' : 'Comes from'}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {server.variables.map((variable) => {
            const state = variableState(variable.source, server, me.id);
            return (
              <Table.Tr key={variable.name}>
                <Table.Td>
                  <Code>{'${' + variable.name + '}'}</Code>
                </Table.Td>
                <Table.Td>
                  {state.kind === 'filled' ? (
                    <Badge variant="light" color="teal" tt="none">
                      {state.label}
                    </Badge>
                  ) : (
                    <Text size="sm" span>
                      <Badge variant="light" color="red" tt="none" mr="xs">
                        missing
                      </Badge>
                      {state.who === 'you' ? (
                        <Anchor component={Link} to={setCredentialLink(variable.name)} size="sm">
                          Set {variable.name} in Credentials
                        </Anchor>
                      ) : (
                        "the server's owner must set it"
                      )}
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Card>
  );
}
