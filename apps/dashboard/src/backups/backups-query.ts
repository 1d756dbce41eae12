import { graphql, type ResultOf } from '../graphql/graphql';

export const BackupsQuery = graphql(`
  query Backups {
    backups(first: 100) {
      id fileName source scope createdAt archivedAt sizeBytes hubVersion schema totalRows
      verifiedAt verifyOk verifyMessage
      lastRestore { at strategy created changed skipped }
    }
  }
`);

export type BackupView = ResultOf<typeof BackupsQuery>['backups'][number];

export const CreateBackupMutation = graphql(`
  mutation CreateBackup($passphrase: String!, $scope: BackupScope!) { createBackup(passphrase: $passphrase, scope: $scope) { id fileName totalRows } }
`);

export const VerifyBackupMutation = graphql(`
  mutation VerifyBackup($id: ID!, $passphrase: String!) { verifyBackup(id: $id, passphrase: $passphrase) { id verifiedAt verifyOk verifyMessage } }
`);

export const RestoreBackupMutation = graphql(`
  mutation RestoreBackup($input: RestoreBackupInput!) {
    restoreBackup(input: $input) {
      dryRun strategy schemaNote created changed skipped unchanged itemsOmitted
      tables { table created changed skipped unchanged }
      items { table key action reason }
    }
  }
`);

export const DeleteBackupMutation = graphql(`
  mutation DeleteBackup($id: ID!) { deleteBackup(id: $id) }
`);

export type RestoreReportView = ResultOf<typeof RestoreBackupMutation>['restoreBackup'];
export type ConflictStrategyName = RestoreReportView['strategy'];

export const STRATEGY_LABELS: Record<ConflictStrategyName, { label: string; description: string }> = {
  OVERWRITE: { label: 'Overwrite', description: "The archive wins: rows with the same id are updated, a row holding the same email or slug is replaced. Use it to restore into a new, empty hub." },
  SKIP: { label: 'Skip', description: "Keep what the hub has; the archive's version of those rows (and rows that need them) is left out." },
  RENAME: { label: 'Rename', description: "Keep what the hub has and restore the archive's servers, groups and teams beside it with “-restored” slugs." },
};

export type BackupScopeName = BackupView['scope'];

/** A personal restore imports into the restorer's own account: the strategies read differently there. */
export const PERSONAL_STRATEGY_LABELS: Record<ConflictStrategyName, { label: string; description: string }> = {
  SKIP: { label: 'Skip', description: 'Keep what you have; the archive’s version of those servers, groups, rules and credentials is left out.' },
  OVERWRITE: { label: 'Overwrite', description: 'The archive wins for your own things: same id updated, your server or group holding the same slug replaced. Never someone else’s.' },
  RENAME: { label: 'Rename', description: 'Keep what the hub has and restore the archive’s servers and groups beside it with “-restored” slugs.' },
};

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
