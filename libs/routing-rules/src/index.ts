export { RoutingRule } from './routing-rule.entity.js';
export { RoutingRulesModule } from './routing-rules.module.js';
export { RoutingRulesService } from './routing-rules.service.js';
export { compileRuleSet, NO_RULE_MATCHED, type CompiledRuleSet } from './evaluation/compile-rule-set.js';
export { LINEAR_REGEX_AVAILABLE } from './evaluation/linear-regex.js';
export { explainRoute, namespaceOwner, type RouteExplanation, type MemberServer } from './explain-route.js';
export {
  ArgumentOp,
  RuleActionType,
  RULE_LIMITS,
  type ArgumentCondition,
  type JsonValue,
  type KeyCondition,
  type RuleAction,
  type RuleCall,
  type RuleConditions,
  type RuleDecision,
  type RuleDefinition,
  type ToolCondition,
} from './rule-definition.js';
export { RoutingRuleType } from './graphql/routing-rule.type.js';
export { RouteExplanationType } from './graphql/route-explanation.type.js';
