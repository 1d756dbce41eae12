import { describe, expect, it } from '@jest/globals';
import { readdirSync } from 'node:fs';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import { Secret } from 'kubernetes-models/v1/Secret';
import type { IService } from 'kubernetes-models/v1/Service';
import { Service } from 'kubernetes-models/v1/Service';
import { ConfigError, HUB_ENV_VARIABLES, parseConfig } from '../../libs/core/src/config/hub-config.js';
import { K8S_DIR, findK8s, loadK8sManifests, readText, readYaml, validateCompose, validateK8s } from '../support/deploy-files.js';

/** Variables that hold secrets (or credentials inside a URL): Secret only, never a ConfigMap. */
const SECRET_VARIABLE = /(^DATABASE_URL|^REDIS_URL|KEYS?|SECRET|PASSWORD|PASSPHRASE|TOKEN|HEADERS)$/;

interface ComposeService {
  image?: string;
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}
interface ComposeFile {
  services: Record<string, ComposeService>;
}

describe('Kubernetes manifests (docker/k8s)', () => {
  const { files, objects, problems } = loadK8sManifests();
  const hub = findK8s<IDeployment>(objects, Deployment, 'mcp-hub');
  const worker = findK8s<IDeployment>(objects, Deployment, 'mcp-hub-worker');
  const config = findK8s<IConfigMap>(objects, ConfigMap, 'mcp-hub-config');
  const secret = findK8s<ISecret>(objects, Secret, 'mcp-hub-secrets');

  it('should list every manifest of the folder in kustomization.yaml, and each validates against its Kubernetes schema', () => {
    const onDisk = readdirSync(K8S_DIR).filter((f) => /\.ya?ml$/.test(f) && f !== 'kustomization.yaml');
    expect([...files].sort()).toEqual(onDisk.sort());
    expect(problems).toEqual([]);
    expect(objects.map((o) => o.kind).sort()).toEqual(
      ['ConfigMap', 'Deployment', 'Deployment', 'HorizontalPodAutoscaler', 'Ingress', 'PersistentVolumeClaim', 'PodDisruptionBudget', 'Secret', 'Service'],
    );
  });

  it('should refuse a manifest missing a required field, naming it', () => {
    const broken = JSON.parse(JSON.stringify(hub)) as IDeployment;
    delete (broken.spec as Partial<NonNullable<IDeployment['spec']>>).selector;
    expect(validateK8s(broken, 'hub-deployment.yaml').problems).toEqual([expect.stringContaining('data/spec must have required property selector')]);
  });

  it('should probe the hub on /health/ready and /health/live, limit its resources and run it as non-root from the ConfigMap and Secret', () => {
    const pod = hub.spec!.template.spec!;
    const [container] = pod.containers;
    expect(container.readinessProbe?.httpGet?.path).toBe('/health/ready');
    expect(container.livenessProbe?.httpGet?.path).toBe('/health/live');
    for (const d of [hub, worker]) {
      const spec = d.spec!.template.spec!;
      expect(spec.securityContext?.runAsNonRoot).toBe(true);
      for (const c of spec.containers) {
        expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
        expect(c.resources?.requests).toEqual(expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }));
        expect(c.resources?.limits).toEqual(expect.objectContaining({ memory: expect.any(String) }));
        expect(c.envFrom).toEqual([{ configMapRef: { name: config.metadata!.name } }, { secretRef: { name: secret.metadata!.name } }]);
      }
    }
  });

  it('should point the HPA, PDB, Service and Ingress at the hub pods, without session affinity', () => {
    const hubLabels = hub.spec!.template.metadata!.labels!;
    const hpa = findK8s<IHorizontalPodAutoscaler>(objects, HorizontalPodAutoscaler, 'mcp-hub');
    expect(hpa.spec!.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: hub.metadata!.name });
    const pdb = findK8s<IPodDisruptionBudget>(objects, PodDisruptionBudget, 'mcp-hub');
    expect(hubLabels).toMatchObject(pdb.spec!.selector!.matchLabels!);
    const service = findK8s<IService>(objects, Service, 'mcp-hub');
    expect(hubLabels).toMatchObject(service.spec!.selector!);
    // The worker's pods must not be selected by the hub's Service.
    expect(worker.spec!.template.metadata!.labels!).not.toMatchObject(service.spec!.selector!);
    expect(service.spec!.sessionAffinity ?? 'None').toBe('None');
    const ingress = findK8s<IIngress>(objects, Ingress, 'mcp-hub');
    const backends = ingress.spec!.rules!.flatMap((r) => r.http!.paths.map((p) => p.backend.service));
    expect(backends).toEqual([{ name: service.metadata!.name, port: { name: service.spec!.ports![0].name } }]);
    const affinity = Object.keys(ingress.metadata!.annotations ?? {}).filter((k) => /affinity|session-cookie|upstream-hash-by|sticky/.test(k));
    expect(affinity).toEqual([]);
  });

  it('should configure only variables the hub knows, keep secrets out of the ConfigMap and commit placeholders only', () => {
    const configKeys = Object.keys(config.data!);
    const secretValues = { ...secret.stringData };
    expect([...configKeys, ...Object.keys(secretValues)].filter((k) => !HUB_ENV_VARIABLES.includes(k))).toEqual([]);
    expect(configKeys.filter((k) => SECRET_VARIABLE.test(k))).toEqual([]);
    expect(secret.data).toBeUndefined();
    expect(Object.entries(secretValues).filter(([, v]) => !v.startsWith('REPLACE_ME'))).toEqual([]);
    // Forgotten placeholders stop the hub at boot, naming the variable.
    expect(() => parseConfig({ ...config.data, ...secretValues })).toThrow(ConfigError);
    // With real-looking secrets, the ConfigMap's values pass the hub's own validation.
    const filled = {
      DATABASE_URL: 'postgres://mcphub:pw@postgres:5432/mcphub',
      REDIS_URL: 'redis://redis:6379',
      HUB_ENCRYPTION_KEY: 'ab'.repeat(32),
      JWT_SECRET: 'j'.repeat(48),
      METRICS_TOKEN: 'm'.repeat(24),
    };
    expect(Object.keys(filled).sort()).toEqual(Object.keys(secretValues).sort());
    expect(parseConfig({ ...config.data, ...filled })).toMatchObject({ databaseUrl: filled.DATABASE_URL, backup: { dir: config.data!.BACKUP_DIR } });
  });
});

describe('compose files (docker/compose.yml, docker/compose.scale.yml)', () => {
  const single = readYaml('docker', 'compose.yml') as ComposeFile;
  const scale = readYaml('docker', 'compose.scale.yml') as ComposeFile;

  it('should validate against the compose-spec schema', () => {
    expect(validateCompose(single)).toEqual([]);
    expect(validateCompose(scale)).toEqual([]);
    const broken = structuredClone(scale);
    (broken.services['hub-b'].depends_on as Record<string, { condition: string }>)['hub-a'].condition = 'when_ready';
    expect(validateCompose(broken)).toEqual(expect.arrayContaining([expect.stringContaining('/services/hub-b/depends_on/hub-a/condition must be equal to one of the allowed values')]));
  });

  it('should put both hubs behind a plain round-robin balancer, healthy before it starts', () => {
    const hubs = Object.keys(scale.services).filter((name) => scale.services[name].image === 'mcp-hub:hub');
    expect(hubs).toEqual(['hub-a', 'hub-b']);
    for (const name of hubs) expect(scale.services[name].healthcheck?.test.join(' ')).toContain('/health/live');
    expect(scale.services.lb.depends_on).toEqual(Object.fromEntries(hubs.map((h) => [h, { condition: 'service_healthy' }])));
    const nginx = readText('docker', 'lb', 'nginx.conf').replace(/#.*$/gm, '');
    const upstream = /upstream\s+mcp_hubs\s*{([^}]*)}/.exec(nginx)?.[1] ?? '';
    expect([...upstream.matchAll(/^\s*server\s+([\w-]+):3000\b/gm)].map((m) => m[1])).toEqual(hubs);
    expect(upstream).not.toMatch(/\b(ip_hash|hash|sticky|least_conn|random)\b/);
    expect(nginx).toMatch(/proxy_pass\s+http:\/\/mcp_hubs;/);
    expect(nginx).toMatch(/proxy_buffering\s+off;/);
  });

  it('should give every hub and the worker the same database, Redis, backups and npm cache, with known variables', () => {
    for (const file of [single, scale]) {
      const processes = Object.values(file.services).filter((s) => /^mcp-hub:(hub|worker)$/.test(s.image ?? ''));
      expect(processes.length).toBeGreaterThanOrEqual(2);
      const shared = (s: ComposeService) => ({
        db: s.environment?.DATABASE_URL,
        redis: s.environment?.REDIS_URL,
        volumes: [...(s.volumes ?? [])].sort(),
      });
      expect(new Set(processes.map((s) => JSON.stringify(shared(s)))).size).toBe(1);
      expect(shared(processes[0]).volumes).toEqual(['backups:/backups', 'npm-cache:/home/node/.npm']);
      const unknown = processes.flatMap((s) => Object.keys(s.environment ?? {})).filter((k) => !HUB_ENV_VARIABLES.includes(k));
      expect([...new Set(unknown)]).toEqual([]);
    }
  });
});

describe('CI definitions (azure-pipelines.yml, .github/workflows/ci.yml)', () => {
  interface AzureStep { script?: string; env?: Record<string, string> }
  interface GithubStep { run?: string; env?: Record<string, string> }
  const azure = readYaml('azure-pipelines.yml') as { steps: AzureStep[]; resources: { containers: { image: string }[] } };
  const github = readYaml('.github', 'workflows', 'ci.yml') as { jobs: { test: { steps: GithubStep[]; services: Record<string, { image: string }> } } };
  const buildId = (command: string) => command.replace(/\$\(Build\.BuildId\)|\$\{\{\s*github\.run_id\s*\}\}/g, '<build-id>');

  it('should run the same commands, with the same test environment and services', () => {
    const azureSteps = azure.steps.filter((s) => s.script).map((s) => ({ command: buildId(s.script!), env: s.env }));
    const githubSteps = github.jobs.test.steps.filter((s) => s.run).map((s) => ({ command: buildId(s.run!), env: s.env }));
    expect(githubSteps).toEqual(azureSteps);
    expect(azureSteps.map((s) => s.command)).toEqual(expect.arrayContaining(['bash .ci/npm-install-locked', 'npm test']));
    expect(readText('.ci', 'run')).toContain('bash .ci/npm-install-locked');
    expect(Object.values(github.jobs.test.services).map((s) => s.image)).toEqual(azure.resources.containers.map((c) => c.image));
  });
});

describe('the hub command (docker/Dockerfile, package.json)', () => {
  it('should start the hub with the same node flags in the image as npm start and the benches', async () => {
    const { HUB_NODE_FLAGS } = await import('../../bench/hub-command.js');
    const cmd = readText('docker', 'Dockerfile')
      .split('\n')
      .filter((line) => line.startsWith('CMD ['))
      .map((line) => JSON.parse(line.slice(4)) as string[])
      .find((words) => words.at(-1) === 'dist/apps/hub/src/main.js');
    expect(HUB_NODE_FLAGS).toEqual(['--max-semi-space-size=8', '--heap-growing-percent=30']);
    expect(cmd).toEqual(['node', ...HUB_NODE_FLAGS, 'dist/apps/hub/src/main.js']);
  });
});
