import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ConflictStrategy, RestoreAction } from '../restore/restore-report.js';
import { BackupScope, BackupSource } from '../storage/backup-record.entity.js';

registerEnumType(BackupSource, { name: 'BackupSource' });
registerEnumType(BackupScope, { name: 'BackupScope' });
registerEnumType(ConflictStrategy, {
  name: 'ConflictStrategy',
  description: 'What a restore does with a row the hub already has (same id, or same unique slug/name/email)',
  valuesMap: {
    SKIP: { description: "Keep the hub's row (rows that need the archive's are skipped too)" },
    OVERWRITE: { description: "The archive wins: same id updated, a row holding the same unique value replaced (use for a disaster restore into a new hub)" },
    RENAME: { description: "Keep the hub's row; restore the archive's beside it with a suffixed slug" },
  },
});
registerEnumType(RestoreAction, { name: 'RestoreAction' });

@ObjectType('BackupSection')
export class BackupSectionType {
  @Field(() => String, { description: 'The table' }) name!: string;
  @Field(() => Int) rows!: number;
  @Field(() => String, { description: 'SHA-256 of the section, checked at verify and restore' }) sha256!: string;
}

@ObjectType('BackupRestoreSummary')
export class BackupRestoreSummaryType {
  @Field(() => Date) at!: Date;
  @Field(() => ConflictStrategy) strategy!: ConflictStrategy;
  @Field(() => Int) created!: number;
  @Field(() => Int) changed!: number;
  @Field(() => Int) skipped!: number;
  @Field(() => Int) unchanged!: number;
}

@ObjectType('Backup')
export class BackupType {
  @Field(() => ID) id!: string;
  @Field(() => String) fileName!: string;
  @Field(() => BackupSource) source!: BackupSource;
  @Field(() => BackupScope) scope!: BackupScope;
  @Field(() => Date, { description: 'When it was added to this hub' }) createdAt!: Date;
  @Field(() => Date, { description: 'When the archive was written' }) archivedAt!: Date;
  @Field(() => Float) sizeBytes!: number;
  @Field(() => String, { description: 'SHA-256 of the file' }) sha256!: string;
  @Field(() => String) hubVersion!: string;
  @Field(() => String, { description: 'The last migration of the hub that wrote it' }) schema!: string;
  @Field(() => [BackupSectionType]) sections!: BackupSectionType[];
  @Field(() => Int) totalRows!: number;
  @Field(() => Date, { nullable: true }) verifiedAt!: Date | null;
  @Field(() => Boolean, { nullable: true, description: 'Outcome of the last verification; null: never verified' }) verifyOk!: boolean | null;
  @Field(() => String, { nullable: true }) verifyMessage!: string | null;
  @Field(() => BackupRestoreSummaryType, { nullable: true }) lastRestore!: BackupRestoreSummaryType | null;
}

@ObjectType('RestoreItem')
export class RestoreItemType {
  @Field(() => String) table!: string;
  @Field(() => String, { description: 'Primary key values, joined with /' }) key!: string;
  @Field(() => RestoreAction) action!: RestoreAction;
  @Field(() => String, { nullable: true }) reason!: string | null;
}

@ObjectType('RestoreTableCounts')
export class RestoreTableCountsType {
  @Field(() => String) table!: string;
  @Field(() => Int) created!: number;
  @Field(() => Int) changed!: number;
  @Field(() => Int) skipped!: number;
  @Field(() => Int) unchanged!: number;
}

@ObjectType('RestoreReport')
export class RestoreReportType {
  @Field(() => Boolean, { description: 'True: nothing was changed, this is what a restore would do' }) dryRun!: boolean;
  @Field(() => ConflictStrategy) strategy!: ConflictStrategy;
  @Field(() => String, { nullable: true }) schemaNote!: string | null;
  @Field(() => [RestoreTableCountsType]) tables!: RestoreTableCountsType[];
  @Field(() => Int) created!: number;
  @Field(() => Int) changed!: number;
  @Field(() => Int) skipped!: number;
  @Field(() => Int) unchanged!: number;
  @Field(() => [RestoreItemType], { description: 'Every row not unchanged (at most 500)' }) items!: RestoreItemType[];
  @Field(() => Int) itemsOmitted!: number;
}

@InputType('RestoreBackupInput')
export class RestoreBackupInput {
  @Field(() => ID) backupId!: string;
  @Field(() => String, { description: 'The passphrase the archive was sealed with' }) passphrase!: string;
  @Field(() => ConflictStrategy, { defaultValue: ConflictStrategy.SKIP }) strategy!: ConflictStrategy;
  @Field(() => Boolean, { defaultValue: true, description: 'Report what would happen and change nothing (the default)' }) dryRun!: boolean;
}
