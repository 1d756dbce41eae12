import { Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useMutation } from 'urql';
import { graphql } from '../../graphql/graphql';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { fieldErrors } from '../../ui/errors';

const CreateTeamMutation = graphql(`
  mutation CreateTeam($input: CreateTeamInput!) { createTeam(input: $input) { id name slug createdAt myRole } }
`);
const UpdateTeamMutation = graphql(`
  mutation UpdateTeam($id: ID!, $input: UpdateTeamInput!) { updateTeam(id: $id, input: $input) { id name slug } }
`);

/** New team (the creator becomes its OWNER and lands on its page), or a new name and slug for one. */
export function TeamFormModal({ opened, team, onClose }: { opened: boolean; team?: { id: string; name: string; slug: string }; onClose(): void }) {
  const navigate = useNavigate();
  const [creating, create] = useMutation(CreateTeamMutation);
  const [updating, update] = useMutation(UpdateTeamMutation);
  const state = team ? updating : creating;
  const [name, setName] = useState(team?.name ?? '');
  const [slug, setSlug] = useState(team?.slug ?? '');

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (team) {
      const result = await update({ id: team.id, input: { name, slug: slug.trim() || null } });
      if (result.data) onClose();
      return;
    }
    const result = await create({ input: { name, slug: slug.trim() || null } });
    if (result.data) navigate(`/teams/${result.data.createTeam.id}`);
  }

  const errors = fieldErrors(state.error);
  return (
    <Modal opened={opened} onClose={onClose} title={team ? `Rename ${team.name}` : 'New team'} centered>
      <form onSubmit={submit}>
        <Stack>
          <ErrorNotice error={state.error && !Object.keys(errors).length ? state.error : null} title={team ? 'Team not changed' : 'Team not created'} />
          <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} error={errors.name} data-autofocus />
          <TextInput
            label="Slug"
            description={team ? 'Names the team in AZURE_AD_TEAM_MAPPING' : 'Optional: derived from the name. Names the team in AZURE_AD_TEAM_MAPPING.'}
            required={!!team}
            value={slug}
            onChange={(e) => setSlug(e.currentTarget.value)}
            error={errors.slug}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={state.fetching}>
              {team ? 'Save' : 'Create team'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
