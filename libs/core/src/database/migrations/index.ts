import type { MigrationInterface } from 'typeorm';
import { Foundation1795260594055 } from './1795260594055-Foundation.js';
import { ServersAndGroups1795261056798 } from './1795261056798-ServersAndGroups.js';
import { Usage1795262252470 } from './1795262252470-Usage.js';
import { GroupRevisions1795263128657 } from './1795263128657-GroupRevisions.js';

/** Applied in timestamp order. Generated with `npm run migration:generate`; never edit one that has landed. */
export const MIGRATIONS: (new () => MigrationInterface)[] = [Foundation1795260594055, ServersAndGroups1795261056798, Usage1795262252470, GroupRevisions1795263128657];
