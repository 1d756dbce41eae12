import { Code } from '@mantine/core';

/** Says, inside a field's description, that `${NAME}` there is filled from a credential when connecting. */
export function VariableHint({ where = 'a value' }: { where?: string }) {
  return (
    <>
      <Code fz="inherit">{'${NAME}'}</Code> in {where} is filled from a credential (Settings → Credentials)
    </>
  );
}
