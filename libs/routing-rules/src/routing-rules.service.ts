import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, QueryFailedError, type FindOptionsWhere, type Repository } from 'typeorm';
import { z } from 'zod';
import { ConfigChangeBus, PINO, badInput, notFound, validate, type Logger } from '#core';
import { GroupRevisionsService, GroupsService, TOOL_NAME_PATTERN, type Group } from '#groups';
import { KeysService } from '#keys';
import { ServerReplicasService } from '#servers';
import { Permission, authorize, type Actor } from '#auth';
import { ResourceSharesRepository, ShareableType } from '#users';
import { compileRuleSet, type CompiledRuleSet } from './evaluation/compile-rule-set.js';
import { LINEAR_REGEX_AVAILABLE } from './evaluation/linear-regex.js';
import { explainRoute, type RouteExplanation } from './explain-route.js';
import { RULE_LIMITS, type RuleAction } from './rule-definition.js';
import {
  actionServerFields,
  createRoutingRuleSchema,
  updateRoutingRuleSchema,
  type CreateRoutingRule,
  type UpdateRoutingRule,
} from './rule-input.schema.js';
import { RoutingRule } from './routing-rule.entity.js';
import { priorityTaken, replicaNotOfServer, serverNotInGroup, tooManyRules } from './routing-rules.errors.js';

const argumentsSchema = z.record(z.string(), z.unknown(), 'must be a JSON object (the tool call arguments)').nullish();

/** Rules belong to a group: its owner and admins manage them; to anyone else they do not exist. */
@Injectable()
export class RoutingRulesService implements OnModuleInit {
  constructor(
    @InjectRepository(RoutingRule) private readonly rules: Repository<RoutingRule>,
    private readonly groups: GroupsService,
    private readonly revisions: GroupRevisionsService,
    private readonly keys: KeysService,
    private readonly replicas: ServerReplicasService,
    private readonly shares: ResourceSharesRepository,
    private readonly bus: ConfigChangeBus,
    @Inject(PINO) private readonly logger: Logger,
  ) {}

  onModuleInit() {
    if (!LINEAR_REGEX_AVAILABLE) {
      this.logger.warn("this Node's V8 has no linear-time regexp engine: rule regexes run on the backtracking engine");
    }
  }

  async create(viewer: Actor, input: CreateRoutingRule): Promise<RoutingRule> {
    const data = validate(createRoutingRuleSchema, input, 'input');
    const group = await this.groups.get(viewer, data.groupId, 'input.groupId', Permission.GROUP_UPDATE);
    await this.assertServersInGroup(group, data.action);
    if ((await this.rules.countBy({ groupId: group.id })) >= RULE_LIMITS.rulesPerGroup) throw tooManyRules(group.slug, RULE_LIMITS.rulesPerGroup);
    const rule = this.rules.create({
      groupId: group.id,
      name: data.name,
      priority: data.priority,
      enabled: data.enabled ?? true,
      conditions: data.conditions ?? {},
      action: data.action,
    });
    return this.saveAndPublish(rule, group, viewer, `createRoutingRule ${rule.name}`);
  }

  /**
   * A rule of a group that is being restored with it (a user backup), checked as create() checks it against the
   * group's members, replicas and rule count as they will be after the restore; not saved. `id` is kept.
   */
  prepare(
    group: Pick<Group, 'id' | 'slug'>,
    input: CreateRoutingRule,
    members: { servers: ReadonlySet<string>; replicas: ReadonlyMap<string, string>; rules: number },
    prefix: string,
    id: string,
  ): RoutingRule {
    const data = validate(createRoutingRuleSchema, { ...input, groupId: group.id }, prefix);
    if (members.rules >= RULE_LIMITS.rulesPerGroup) throw tooManyRules(group.slug, RULE_LIMITS.rulesPerGroup);
    for (const { field, serverId } of actionServerFields(data.action)) if (!members.servers.has(serverId)) throw serverNotInGroup(`${prefix}.action.${field}`, serverId, group.slug);
    const action = data.action;
    if (action.type === 'ROUTE' && action.replicaId && action.replicaId !== action.serverId && members.replicas.get(action.replicaId) !== action.serverId) {
      throw replicaNotOfServer(`${prefix}.action.replicaId`, action.replicaId, action.serverId);
    }
    return this.rules.create({ id, groupId: group.id, name: data.name, priority: data.priority, enabled: data.enabled ?? true, conditions: data.conditions ?? {}, action });
  }

  async update(viewer: Actor, id: string, input: UpdateRoutingRule): Promise<RoutingRule> {
    const data = validate(updateRoutingRuleSchema, input, 'input');
    const { rule, group } = await this.get(viewer, id);
    if (data.action) await this.assertServersInGroup(group, data.action);
    if (data.name != null) rule.name = data.name;
    if (data.priority != null) rule.priority = data.priority;
    if (data.enabled != null) rule.enabled = data.enabled;
    if (data.conditions != null) rule.conditions = data.conditions;
    if (data.action != null) rule.action = data.action;
    return this.saveAndPublish(rule, group, viewer, `updateRoutingRule ${rule.name}`);
  }

  async remove(viewer: Actor, id: string): Promise<boolean> {
    const { rule } = await this.get(viewer, id);
    // The change and the group revision that records it commit together.
    await this.rules.manager.transaction(async (manager) => {
      await this.revisions.lock(manager, rule.groupId);
      await manager.remove(rule);
      await this.revisions.record(manager, rule.groupId, `removeRoutingRule ${rule.name}`, viewer.id);
    });
    await this.bus.publish({ kind: 'routing-rule', id: rule.groupId });
    return true;
  }

  /** In evaluation order. */
  async list(viewer: Actor, groupId: string): Promise<RoutingRule[]> {
    const group = await this.groups.get(viewer, groupId, 'groupId');
    return this.rules.find({ where: { groupId: group.id }, order: { priority: 'ASC' } });
  }

  /** Dry run: what the rules decide for this call, and what namespace routing alone would do. */
  async explain(
    viewer: Actor,
    query: { groupId: string; toolName: string; arguments?: unknown; keyId?: string | null },
  ): Promise<RouteExplanation> {
    const group = await this.groups.get(viewer, query.groupId, 'groupId');
    if (!TOOL_NAME_PATTERN.test(query.toolName)) throw badInput('toolName', 'must be a tool name as agents see it, e.g. everything__echo');
    const args = validate(argumentsSchema, query.arguments, 'arguments');
    const key = query.keyId ? await this.keys.get(viewer, query.keyId, 'keyId') : null;
    const [rules, members] = await Promise.all([
      this.rules.findBy({ groupId: group.id }),
      this.groups.serversOf([group.id]).then((servers) => servers.get(group.id) ?? []),
    ]);
    // The tool agents reach under this name, by the group's naming over the members' discovered tools.
    const tool = this.groups.tools(group, members).find((t) => t.exposed && t.name === query.toolName);
    const decision = compileRuleSet(rules).evaluate({
      toolName: query.toolName,
      toolAliases: tool ? [tool.qualifiedName, tool.toolName] : undefined,
      arguments: args ?? undefined,
      keyId: key?.id ?? '',
      keyTags: key?.tags ?? [],
    });
    const owner = tool ? (members.find((m) => m.id === tool.serverId) ?? null) : undefined;
    return explainRoute(decision, query.toolName, members, owner);
  }

  /** Every group's compiled rules, for the gateway's in-memory view. Groups without rules are absent. */
  compiledForAll(): Promise<Map<string, CompiledRuleSet>> {
    return this.compiledWhere({});
  }

  /** These groups' compiled rules (one query); groups without rules are absent. */
  compiledForGroups(groupIds: readonly string[]): Promise<Map<string, CompiledRuleSet>> {
    const valid = groupIds.filter((id) => z.uuid().safeParse(id).success);
    return valid.length ? this.compiledWhere({ groupId: In(valid) }) : Promise.resolve(new Map());
  }

  private async compiledWhere(where: FindOptionsWhere<RoutingRule>): Promise<Map<string, CompiledRuleSet>> {
    const byGroup = new Map<string, RoutingRule[]>();
    for (const rule of await this.rules.find({ where, order: { groupId: 'ASC', priority: 'ASC' } })) {
      const list = byGroup.get(rule.groupId) ?? [];
      list.push(rule);
      byGroup.set(rule.groupId, list);
    }
    return new Map([...byGroup].map(([groupId, rules]) => [groupId, compileRuleSet(rules)]));
  }

  /** One group's compiled rules (empty when it has none), for reloading after a `routing-rule` change. */
  async compiledFor(groupId: string): Promise<CompiledRuleSet> {
    if (!z.uuid().safeParse(groupId).success) return compileRuleSet([]);
    return compileRuleSet(await this.rules.findBy({ groupId }));
  }

  private async get(viewer: Actor, id: string): Promise<{ rule: RoutingRule; group: Group }> {
    if (!z.uuid().safeParse(id).success) throw badInput('id', 'must be a UUID');
    const rule = await this.rules.findOne({ where: { id }, relations: { group: true } });
    const group = await this.shares.attach(ShareableType.GROUP, rule?.group ?? null);
    authorize(viewer, Permission.GROUP_UPDATE, group, { kind: 'Routing rule', id });
    return { rule: rule!, group };
  }

  /** Unknown servers and servers of other groups get the same answer: ids are not probed. */
  private async assertServersInGroup(group: Group, action: RuleAction): Promise<void> {
    const targets = actionServerFields(action);
    if (!targets.length) return;
    const members = new Set(((await this.groups.serversOf([group.id])).get(group.id) ?? []).map((s) => s.id));
    for (const { field, serverId } of targets) if (!members.has(serverId)) throw serverNotInGroup(`input.action.${field}`, serverId, group.slug);
    if (action.type === 'ROUTE' && action.replicaId && !(await this.replicas.isReplicaOf(action.serverId, action.replicaId))) {
      throw replicaNotOfServer('input.action.replicaId', action.replicaId, action.serverId);
    }
  }

  private async saveAndPublish(rule: RoutingRule, group: Group, viewer: Actor, reason: string): Promise<RoutingRule> {
    let saved: RoutingRule;
    try {
      // The change and the group revision that records it commit together.
      saved = await this.rules.manager.transaction(async (manager) => {
        await this.revisions.lock(manager, group.id);
        const result = await manager.save(RoutingRule, rule);
        await this.revisions.record(manager, group.id, reason, viewer.id);
        return result;
      });
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505') {
        const holder = await this.rules.findOneBy({ groupId: group.id, priority: rule.priority });
        throw priorityTaken(group.slug, rule.priority, holder?.name);
      }
      throw error;
    }
    await this.bus.publish({ kind: 'routing-rule', id: group.id });
    return saved;
  }
}
