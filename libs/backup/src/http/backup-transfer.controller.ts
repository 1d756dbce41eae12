import { Controller, Get, HttpCode, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Authorize, CurrentActor, Permission, type Actor } from '#auth';
import { DomainError, DomainHttpExceptionFilter, ErrorCode } from '#core';
import { BackupsService } from '../backups.service.js';
import { toBackupType } from '../graphql/to-backup-type.js';

/** Largest archive accepted by upload. */
export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

/** Archives as files (bearer token as for GraphQL; whole-hub archives admins only, personal ones their owner's). */
@Controller('backups')
@UseFilters(DomainHttpExceptionFilter)
export class BackupTransferController {
  constructor(private readonly backups: BackupsService) {}

  @Authorize(Permission.BACKUP_OWN)
  @Get(':id/download')
  async download(@Param('id') id: string, @Res() res: Response, @CurrentActor() actor: Actor): Promise<void> {
    const { record, data } = await this.backups.download(actor, id);
    res.status(200).set({
      'content-type': 'application/octet-stream',
      'content-disposition': `attachment; filename="${record.fileName}"`,
      'content-length': String(data.length),
      'cache-control': 'no-store',
    });
    res.end(data);
  }

  /** The body is the archive file itself (application/octet-stream). */
  @Authorize(Permission.BACKUP_OWN)
  @Post('upload')
  @HttpCode(201)
  async upload(@Req() req: Request, @CurrentActor() actor: Actor) {
    const record = await this.backups.upload(await readBody(req), actor);
    return toBackupType(record);
  }
}

async function readBody(req: Request): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_UPLOAD_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_UPLOAD_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  if (!size) throw new DomainError(ErrorCode.BAD_INPUT, 'archive: the request body is empty: send the archive file as the body', { field: 'archive' });
  return Buffer.concat(chunks);
}

const tooLarge = () => new DomainError(ErrorCode.BAD_INPUT, `archive: larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MiB`, { field: 'archive' });
