import { Injectable, Module } from '@nestjs/common';
import { SealedColumnRegistry } from '#core';

/** Associated data of a flow's sealed secrets. */
export const flowContext = (stateHash: string) => `sign-in-flow:${stateHash}`;

/** Registers the flows' sealed column on its own, so the worker (which runs key rotations) knows it without sign-in. */
@Injectable()
class SignInFlowColumns {
  constructor(registry: SealedColumnRegistry) {
    registry.register({ table: 'sign_in_flows', column: 'secrets', key: ['state_hash'], shape: 'text', transient: true, context: (row) => flowContext(String(row.state_hash)) });
  }
}

@Module({ providers: [SignInFlowColumns] })
export class SignInSealedColumnsModule {}
