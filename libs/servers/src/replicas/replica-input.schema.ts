import { z } from 'zod';
import { ConnectionPlacement, LoadBalancing } from '../mcp-server.entity.js';

export const weightSchema = z.number().int('must be a whole number').min(1, 'must be between 1 and 1000').max(1000, 'must be between 1 and 1000');
export const prioritySchema = z.number().int('must be a whole number').min(0, 'must be between 0 and 100').max(100, 'must be between 0 and 100');

/** Placement of a replica; its transport fields are checked with the server schema (same rules per transport). */
export const replicaPlacementSchema = z.strictObject({
  weight: weightSchema.nullish(),
  priority: prioritySchema.nullish(),
  enabled: z.boolean().nullish(),
});

export const balancingSchema = z.strictObject({
  loadBalancing: z.enum(LoadBalancing, 'must be ROUND_ROBIN, WEIGHTED or LEAST_IN_FLIGHT').nullish(),
  retryCalls: z.boolean().nullish(),
  weight: weightSchema.nullish(),
  priority: prioritySchema.nullish(),
  healthCheckIntervalSeconds: z.number().int().min(5, 'must be between 5 and 86400').max(86_400, 'must be between 5 and 86400').nullish(),
  connectionPlacement: z.enum(ConnectionPlacement, 'must be EVERY_HUB or ONE_HUB').nullish(),
});
