import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { z } from 'zod';
import { Permission, authorize, readScope, type Actor } from '#auth';
import { Clock, ConfigChangeBus, validate } from '#core';
import { GroupsService } from '#groups';
import { ApiKey } from '../../api-key.entity.js';
import { CallCapture, CaptureTarget } from './call-capture.entity.js';
import { CallCaptureRegistry } from './call-capture.registry.js';

/** The longest a capture may run: arguments and results are sensitive, so it always ends by itself. */
export const MAX_CAPTURE_MINUTES = 60;

const targetSchema = z.strictObject({ target: z.enum(CaptureTarget), id: z.uuid('must be a UUID') });
const enableSchema = targetSchema.extend({
  minutes: z
    .number()
    .int('must be a whole number')
    .min(1, `must be between 1 and ${MAX_CAPTURE_MINUTES}`)
    .max(MAX_CAPTURE_MINUTES, `must be between 1 and ${MAX_CAPTURE_MINUTES}`),
});

/** Turns DEBUG captures on and off. Only the owner of the key or group (or an admin) may: the access policy decides. */
@Injectable()
export class CallCaptureService {
  constructor(
    @InjectRepository(CallCapture) private readonly captures: Repository<CallCapture>,
    @InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>,
    private readonly groups: GroupsService,
    private readonly registry: CallCaptureRegistry,
    private readonly bus: ConfigChangeBus,
    private readonly clock: Clock,
  ) {}

  /** Starts (or extends, or shortens) a capture: it ends `minutes` from now. */
  async enable(actor: Actor, input: { target: CaptureTarget; id: string; minutes: number }): Promise<CallCapture> {
    const { target, id, minutes } = validate(enableSchema, input);
    await this.authorize(actor, target, id);
    const expiresAt = new Date(this.clock.now() + minutes * 60_000);
    // Writes in a transaction: the audit entry of the switch commits with it.
    await this.captures.manager.transaction((m) =>
      m.getRepository(CallCapture).upsert({ targetKind: target, targetId: id, enabledBy: actor.id, expiresAt }, ['targetKind', 'targetId']),
    );
    await this.changed(id);
    return this.captures.findOneByOrFail({ targetKind: target, targetId: id });
  }

  /** Ends a capture now. False when none was on. */
  async disable(actor: Actor, input: { target: CaptureTarget; id: string }): Promise<boolean> {
    const { target, id } = validate(targetSchema, input);
    await this.authorize(actor, target, id);
    const { affected } = await this.captures.manager.transaction((m) => m.getRepository(CallCapture).delete({ targetKind: target, targetId: id }));
    await this.changed(id);
    return !!affected;
  }

  /** Captures still running: all of them for admins and auditors, else those on the actor's own keys and groups. */
  async active(actor: Actor): Promise<CallCapture[]> {
    const scope = readScope(actor);
    const query = this.captures.createQueryBuilder('c').where('c.expires_at > :now', { now: new Date(this.clock.now()) });
    if (!scope.all) {
      query.andWhere(
        `((c.target_kind = 'KEY' AND c.target_id IN (SELECT k.id FROM api_keys k WHERE k.user_id = :owner))
          OR (c.target_kind = 'GROUP' AND c.target_id IN (SELECT g.id FROM groups g WHERE g.owner_id = :owner)))`,
        { owner: scope.ownerId },
      );
    }
    return query.orderBy('c.expires_at', 'ASC').getMany();
  }

  private async authorize(actor: Actor, target: CaptureTarget, id: string): Promise<void> {
    if (target === CaptureTarget.GROUP) {
      await this.groups.get(actor, id, 'id', Permission.CALL_CAPTURE_MANAGE);
      return;
    }
    const key = await this.keys.findOneBy({ id });
    authorize(actor, Permission.CALL_CAPTURE_MANAGE, key && { ownerId: key.userId }, { kind: 'API key', id });
  }

  /** This hub applies the change before answering; the others hear it on the config bus. */
  private async changed(id: string): Promise<void> {
    await this.registry.reloadTarget(id);
    await this.bus.publish({ kind: 'call-capture', id });
  }
}
