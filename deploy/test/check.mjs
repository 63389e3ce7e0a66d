// Offline checks of deploy/: every kustomize overlay renders (embedded mode, and with the redis-scale-out
// component), the rendered objects pass the Kubernetes schemas (npm kubernetes-models) and the rules this
// service needs; the env keys are ones the service reads (derived from its sources); the CI workflow,
// Dockerfiles, Prometheus rules and Grafana dashboard are well-formed and name only metrics that exist.
// Prints one line per check and closes with "N passed, N failed"; exits 1 when any check failed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseAllDocuments, parseDocument } from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Service } from 'kubernetes-models/v1/Service';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import {
  ROOT, domains, envName, realtimeConfigKeys, domainProperties, serviceDependencies, realtimeMetricNames,
  tagValues, read, list,
} from './source.mjs';

// ---------------------------------------------------------------------------------------------------------
// What may be set in the environment, and why.

/** Keys of Quarkus extensions the service ships that it reads without naming them in a properties file. */
const EXTENSION_KEYS = {
  // smallrye-jwt: the public key is deployment configuration (microprofile-config.properties says so).
  'mp.jwt.verify.publickey.location': 'quarkus-smallrye-jwt',
};

/** Metrics that exist outside this service's code, each with where it comes from. */
const EXTERNAL_METRICS = {
  up: 'Prometheus itself, per scrape target',
  nginx_ingress_controller_requests: 'ingress-nginx controller (the Ingress example), counter by status',
  kube_deployment_status_replicas_available: 'kube-state-metrics',
  kube_deployment_spec_replicas: 'kube-state-metrics',
  // Quarkus' JVM and system binders (on by default), names as scraped from /q/metrics of finance-realtime.
  jvm_memory_used_bytes: 'Quarkus micrometer JVM binder',
  jvm_memory_max_bytes: 'Quarkus micrometer JVM binder',
  jvm_gc_pause_seconds_count: 'Quarkus micrometer JVM binder',
  jvm_gc_pause_seconds_sum: 'Quarkus micrometer JVM binder',
  jvm_threads_live_threads: 'Quarkus micrometer JVM binder',
  process_cpu_usage: 'Quarkus micrometer system binder',
  process_uptime_seconds: 'Quarkus micrometer system binder',
};

// ---------------------------------------------------------------------------------------------------------
// A tiny runner: one line per check, a closing count.

const results = [];
function check(name, fn) {
  try {
    const note = fn();
    results.push({ name, ok: true });
    console.log(`ok   ${name}${note ? ` (${note})` : ''}`);
  } catch (error) {
    results.push({ name, ok: false });
    console.log(`FAIL ${name}\n       ${String(error.message).split('\n').join('\n       ')}`);
  }
}
function assert(condition, message) {
  if (!condition) throw new Error(message);
}
const eq = (actual, expected, what) =>
  assert(actual === expected, `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);

/** Returns seconds for a SmallRye duration: `25s`, `1200ms`, `1h`, a bare number of seconds, or ISO-8601. */
function seconds(value) {
  const text = String(value).trim();
  const simple = text.match(/^(\d+)(ms|s|m|h|d)?$/);
  if (simple) {
    const factor = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, undefined: 1 }[simple[2]];
    return Number(simple[1]) * factor;
  }
  const iso = text.match(/^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$/i);
  if (iso && text.length > 2) return (Number(iso[1] ?? 0) * 3600) + (Number(iso[2] ?? 0) * 60) + Number(iso[3] ?? 0);
  throw new Error(`not a duration: ${text}`);
}

// ---------------------------------------------------------------------------------------------------------
// Sources.

const DOMAINS = domains();
const CONFIG_KEYS = realtimeConfigKeys();
const DEPENDENCIES = serviceDependencies();
const METRICS = realtimeMetricNames();
const TAGS = tagValues();

check('sources: five domains, RealtimeConfig keys and metric names found', () => {
  eq(DOMAINS.join(','), 'finance,tasks,staff,analytics,users', 'domains in the root POM');
  assert(CONFIG_KEYS.includes('realtime.buffer.capacity') && CONFIG_KEYS.includes('realtime.poll.max-wait'),
    `RealtimeConfig parsed badly: ${CONFIG_KEYS.join(', ')}`);
  for (const name of ['realtime_waiters', 'realtime_poll_outcome_total', 'realtime_http_server_errors_total',
    'realtime_redis_connected']) {
    assert(METRICS.has(name), `meters parsed badly (no ${name}): ${[...METRICS].join(', ')}`);
  }
  return `${CONFIG_KEYS.length} config keys, ${METRICS.size} metric names`;
});

/** Returns env name -> config key (or reason) for everything a domain's service reads. */
function readableEnv(domain) {
  const props = domainProperties(domain);
  const env = new Map();
  for (const key of CONFIG_KEYS) env.set(envName(key), key);
  for (const key of props.keys.keys()) {
    if (!key.includes('"')) env.set(envName(key), key);
  }
  for (const name of props.envRefs) env.set(name, `\${${name}} in a properties file`);
  for (const [key, extension] of Object.entries(EXTENSION_KEYS)) {
    if (DEPENDENCIES.has(extension)) env.set(envName(key), key);
  }
  return env;
}

check('sources: what deploy/README.md says about start-up and readiness still holds', () => {
  const java = (path) => read(`shared-service/src/main/java/dev/realtime/service/${path}`)
    .replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  // Bad buffer settings and a missing/unreadable key fail the boot; realtime_* series exist from the start.
  for (const [file, cls] of [['config/DomainBuffers.java', 'DomainBuffers'], ['metrics/RealtimeMetrics.java',
    'RealtimeMetrics'], ['auth/VerificationKeyCheck.java', 'VerificationKeyCheck']]) {
    assert(new RegExp(`@Startup[\\s\\S]*class ${cls}\\b`).test(java(file)), `${cls} is no longer @Startup`);
  }
  const key = java('auth/VerificationKeyCheck.java');
  assert(key.includes('no token verification key') && key.includes('token verification key unreadable'),
    'VerificationKeyCheck messages changed (quoted in the troubleshooting table)');
  // Redis mode: ready once synced; the outage shows in the check's data and realtime_redis_connected.
  const readiness = java('redis/RedisReadiness.java');
  assert(/\.status\(log\.isSynced\(\)\)/.test(readiness), 'realtime-redis readiness is no longer isSynced()');
  assert(/withData\("redis"/.test(readiness), 'realtime-redis no longer reports "redis" in its data');
});

// ---------------------------------------------------------------------------------------------------------
// Rendering.

function kustomize(dir) {
  return execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function parseObjects(text, what) {
  const objects = [];
  for (const doc of parseAllDocuments(text, { uniqueKeys: true })) {
    if (doc.errors.length) throw new Error(`${what}: ${doc.errors[0].message}`);
    const value = doc.toJS();
    if (value) objects.push(value);
  }
  return objects;
}

/** Renders an overlay with the redis-scale-out component through a temporary wrapping kustomization. */
function renderWithComponent(domain) {
  const dir = mkdtempSync(join(tmpdir(), 'realtime-kustomize-'));
  try {
    const overlay = relative(dir, join(ROOT, 'deploy/k8s/overlays', domain));
    const component = relative(dir, join(ROOT, 'deploy/k8s/components/redis-scale-out'));
    writeFileSync(join(dir, 'kustomization.yaml'), [
      'apiVersion: kustomize.config.k8s.io/v1beta1', 'kind: Kustomization',
      'resources:', `  - ${overlay}`, 'components:', `  - ${component}`, '',
    ].join('\n'));
    return kustomize(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const MODELS = {
  'apps/v1/Deployment': Deployment,
  'v1/Service': Service,
  'v1/ConfigMap': ConfigMap,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/Ingress': Ingress,
};
const EXPECTED_KINDS = ['ConfigMap', 'Deployment', 'HorizontalPodAutoscaler', 'Ingress', 'PodDisruptionBudget',
  'Service'];

const one = (objects, kind) => {
  const found = objects.filter((o) => o.kind === kind);
  eq(found.length, 1, `number of ${kind} objects`);
  return found[0];
};
const matches = (selector, labels) =>
  Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v) && Object.keys(selector ?? {}).length > 0;

/** Returns the effective environment of the container: its ConfigMaps' data, then its own env. */
function containerEnv(container, objects) {
  const env = new Map();
  for (const source of container.envFrom ?? []) {
    assert(source.configMapRef, 'envFrom other than configMapRef');
    const map = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === source.configMapRef.name);
    assert(map, `envFrom names ConfigMap ${source.configMapRef.name}, which is not rendered`);
    for (const [k, v] of Object.entries(map.data ?? {})) env.set(k, { value: v, from: `ConfigMap ${map.metadata.name}` });
  }
  for (const item of container.env ?? []) env.set(item.name, item.valueFrom ? { valueFrom: item.valueFrom } : { value: item.value });
  return env;
}

/** Returns a setting's effective value: the environment, else the domain's properties, else the fallback. */
function effective(env, props, key, fallback) {
  const fromEnv = env.get(envName(key));
  if (fromEnv && 'value' in fromEnv) return fromEnv.value;
  return props.keys.get(key) ?? fallback;
}

function checkRendered(domain, objects, mode) {
  const prefix = `${mode} ${domain}`;
  const props = domainProperties(domain);

  check(`${prefix}: kinds are ${EXPECTED_KINDS.join(', ')}`, () => {
    eq([...new Set(objects.map((o) => o.kind))].sort().join(','), EXPECTED_KINDS.join(','), 'kinds');
    for (const o of objects) {
      assert(o.metadata?.name?.startsWith(`${domain}-realtime`), `${o.kind} ${o.metadata?.name} is not named ${domain}-realtime*`);
      eq(o.metadata.namespace, 'realtime', `${o.kind} namespace`);
      eq(o.metadata.labels?.['realtime.dev/domain'], domain, `${o.kind} label realtime.dev/domain`);
    }
  });

  check(`${prefix}: every object passes its Kubernetes schema (kubernetes-models)`, () => {
    for (const o of objects) {
      const Model = MODELS[`${o.apiVersion}/${o.kind}`];
      assert(Model, `no model for ${o.apiVersion} ${o.kind}`);
      try {
        new Model(o).validate();
      } catch (error) {
        throw new Error(`${o.kind} ${o.metadata.name}: ${error.message}`);
      }
    }
    return `${objects.length} objects`;
  });

  const deployment = one(objects, 'Deployment');
  const pod = deployment.spec.template;
  const container = pod.spec.containers[0];
  const env = containerEnv(container, objects);
  const port = (name) => container.ports?.find((p) => p.name === name)?.containerPort;
  const managementPort = Number(effective(env, props, 'quarkus.management.port', 9000));
  const httpPort = Number(effective(env, props, 'quarkus.http.port', 8080));

  check(`${prefix}: Deployment required fields, one container, image realtime-${domain}`, () => {
    eq(pod.spec.containers.length, 1, 'containers');
    assert(container.image?.includes(`/realtime-${domain}:`), `image ${container.image} is not realtime-${domain}`);
    assert(matches(deployment.spec.selector.matchLabels, pod.metadata.labels), 'selector does not match the pod labels');
    assert(deployment.spec.replicas === undefined, 'spec.replicas is set: the HorizontalPodAutoscaler owns it');
  });

  check(`${prefix}: ports match the effective QUARKUS_HTTP_PORT / QUARKUS_MANAGEMENT_PORT`, () => {
    eq(port('http'), httpPort, 'containerPort "http"');
    eq(port('management'), managementPort, 'containerPort "management"');
    eq(pod.metadata.annotations?.['prometheus.io/port'], String(managementPort), 'prometheus.io/port');
    eq(pod.metadata.annotations?.['prometheus.io/path'], props.keys.get('quarkus.micrometer.export.prometheus.path') ?? '/q/metrics', 'prometheus.io/path');
    return `http ${httpPort}, management ${managementPort}`;
  });

  check(`${prefix}: liveness, readiness and startup probes on the management port`, () => {
    const expected = { livenessProbe: '/q/health/live', readinessProbe: '/q/health/ready', startupProbe: '/q/health/started' };
    for (const [probe, path] of Object.entries(expected)) {
      const get = container[probe]?.httpGet;
      assert(get, `${probe} missing or not httpGet`);
      const resolved = typeof get.port === 'number' ? get.port : port(get.port);
      eq(resolved, managementPort, `${probe} port (${get.port})`);
      eq(get.path, path, `${probe} path`);
    }
  });

  check(`${prefix}: env keys are configuration the service reads`, () => {
    const readable = readableEnv(domain);
    const unknown = [...env.keys()].filter((name) => !readable.has(name));
    assert(!unknown.length, `not read by the service: ${unknown.join(', ')} (it reads the keys of RealtimeConfig, `
      + 'of its properties files, their ${ENV} references and EXTENSION_KEYS)');
    for (const name of ['MP_JWT_VERIFY_PUBLICKEY_LOCATION', 'QUARKUS_MANAGEMENT_PORT', 'REALTIME_BUFFER_CAPACITY']) {
      assert(env.has(name), `${name} is not set`);
    }
    return `${env.size} keys`;
  });

  check(`${prefix}: ConfigMap values parse as their RealtimeConfig types`, () => {
    const source = read('shared-service/src/main/java/dev/realtime/service/config/RealtimeConfig.java');
    for (const [name, { value }] of env) {
      const key = CONFIG_KEYS.find((k) => envName(k) === name);
      if (!key || value === undefined) continue;
      const method = key.split('.').pop().replace(/-([a-z])/g, (_, c) => c.toUpperCase());
      const type = source.match(new RegExp(`(\\w+(?:<[^>]+>)?)\\s+${method}\\(\\)`))?.[1];
      if (type === 'Duration') seconds(value);
      if (type === 'int') assert(/^\d+$/.test(value) && Number(value) > 0, `${name}=${value} is not a positive int`);
    }
  });

  check(`${prefix}: non-root, read-only root filesystem, writable /tmp, no privilege escalation`, () => {
    const podSecurity = pod.spec.securityContext ?? {};
    const security = container.securityContext ?? {};
    eq(podSecurity.runAsNonRoot ?? security.runAsNonRoot, true, 'runAsNonRoot');
    assert((security.runAsUser ?? podSecurity.runAsUser) > 0, 'runAsUser must be a non-zero uid');
    eq(security.readOnlyRootFilesystem, true, 'readOnlyRootFilesystem');
    eq(security.allowPrivilegeEscalation, false, 'allowPrivilegeEscalation');
    assert(security.capabilities?.drop?.includes('ALL'), 'capabilities.drop must include ALL');
    const tmp = container.volumeMounts?.find((m) => m.mountPath === '/tmp');
    assert(tmp, '/tmp is not mounted');
    assert(pod.spec.volumes.find((v) => v.name === tmp.name)?.emptyDir, '/tmp is not an emptyDir');
  });

  check(`${prefix}: resources have requests and limits, requests within limits`, () => {
    const { requests, limits } = container.resources ?? {};
    const mib = (q) => Number(q.replace(/Mi$/, '')) * (q.endsWith('Gi') ? 1024 : 1);
    const cores = (q) => (String(q).endsWith('m') ? Number(String(q).slice(0, -1)) / 1000 : Number(q));
    assert(requests?.cpu && requests?.memory && limits?.cpu && limits?.memory, 'cpu and memory requests and limits');
    assert(cores(requests.cpu) <= cores(limits.cpu), 'cpu request above limit');
    assert(mib(requests.memory) <= mib(limits.memory), 'memory request above limit');
  });

  check(`${prefix}: grace period covers preStop + shutdown delay + timeout, and a full long-poll`, () => {
    const grace = pod.spec.terminationGracePeriodSeconds;
    const preStop = container.lifecycle?.preStop?.sleep?.seconds;
    assert(Number.isInteger(preStop) && preStop > 0, 'preStop sleep missing');
    const delay = seconds(effective(env, props, 'quarkus.shutdown.delay', '0s'));
    const timeout = seconds(effective(env, props, 'quarkus.shutdown.timeout', '30s'));
    const maxWait = seconds(effective(env, props, 'realtime.poll.max-wait', '25s'));
    assert(delay > 0, 'quarkus.shutdown.delay must be positive: the drain runs at its start');
    assert(grace > preStop + delay + timeout, `grace ${grace}s <= preStop ${preStop} + delay ${delay} + timeout ${timeout}`);
    assert(grace > preStop + maxWait, `grace ${grace}s <= preStop ${preStop} + max wait ${maxWait}`);
    return `grace ${grace}s, preStop ${preStop}s, delay ${delay}s, timeout ${timeout}s, max wait ${maxWait}s`;
  });

  check(`${prefix}: JWT public key mounted from a Secret at MP_JWT_VERIFY_PUBLICKEY_LOCATION`, () => {
    const location = env.get('MP_JWT_VERIFY_PUBLICKEY_LOCATION')?.value;
    assert(location?.startsWith('/'), 'MP_JWT_VERIFY_PUBLICKEY_LOCATION is not an absolute path');
    const mount = container.volumeMounts.find((m) => location.startsWith(`${m.mountPath}/`));
    assert(mount, `no volume mounted above ${location}`);
    const volume = pod.spec.volumes.find((v) => v.name === mount.name);
    assert(volume?.secret?.secretName, `${location} is not from a Secret`);
    const file = location.slice(mount.mountPath.length + 1);
    assert(!volume.secret.items || volume.secret.items.some((i) => i.path === file), `Secret items do not project ${file}`);
    eq(mount.readOnly, true, 'key mount readOnly');
  });

  check(`${prefix}: Service selects the pods and targets the http port`, () => {
    const service = one(objects, 'Service');
    assert(matches(service.spec.selector, pod.metadata.labels), 'Service selector does not match the pods');
    const http = service.spec.ports.find((p) => p.name === 'http');
    assert(http && (http.targetPort === 'http' || http.targetPort === httpPort), 'Service http port must target the http container port');
  });

  check(`${prefix}: Ingress routes /${domain}/realtime, proxy timeouts > long-poll, no buffering`, () => {
    const ingress = one(objects, 'Ingress');
    const service = one(objects, 'Service');
    const maxWait = seconds(effective(env, props, 'realtime.poll.max-wait', '25s'));
    const paths = ingress.spec.rules.flatMap((r) => r.http.paths);
    eq(paths.length, 1, 'paths');
    eq(paths[0].path, `/${domain}/realtime`, 'path');
    eq(paths[0].backend.service.name, service.metadata.name, 'backend service');
    assert(service.spec.ports.some((p) => p.name === paths[0].backend.service.port.name), 'backend port name not in the Service');
    const a = ingress.metadata.annotations ?? {};
    for (const key of ['proxy-read-timeout', 'proxy-send-timeout']) {
      const value = Number(a[`nginx.ingress.kubernetes.io/${key}`]);
      assert(value > maxWait, `${key} ${value}s must exceed the ${maxWait}s long-poll`);
    }
    eq(a['nginx.ingress.kubernetes.io/proxy-buffering'], 'off', 'proxy-buffering');
  });

  check(`${prefix}: HPA targets the Deployment; PDB selects its pods`, () => {
    const hpa = one(objects, 'HorizontalPodAutoscaler');
    eq(hpa.spec.scaleTargetRef.name, deployment.metadata.name, 'scaleTargetRef');
    eq(hpa.spec.scaleTargetRef.kind, 'Deployment', 'scaleTargetRef kind');
    const pdb = one(objects, 'PodDisruptionBudget');
    assert(matches(pdb.spec.selector.matchLabels, pod.metadata.labels), 'PDB selector does not match the pods');
    assert(pdb.spec.minAvailable === undefined || pdb.spec.minAvailable < hpa.spec.minReplicas,
      'PDB minAvailable would block every eviction at the minimum replica count');
    return `replicas ${hpa.spec.minReplicas}-${hpa.spec.maxReplicas}`;
  });

  if (mode === 'embedded') {
    check(`${prefix}: embedded mode runs exactly one replica, replaced with Recreate`, () => {
      const hpa = one(objects, 'HorizontalPodAutoscaler');
      eq(hpa.spec.maxReplicas, 1, 'maxReplicas (replicas would not share events before the Redis fan-out)');
      eq(deployment.spec.strategy?.type, 'Recreate', 'strategy');
      assert(!env.has('REALTIME_FANOUT') && !env.has('REALTIME_REDIS_URL') && !env.has('QUARKUS_REDIS_HOSTS'),
        'Redis settings in embedded mode');
    });
  } else {
    check(`${prefix}: Redis mode sets REALTIME_FANOUT=redis, REALTIME_REDIS_URL from a Secret, rolls, scales`, () => {
      eq(env.get('REALTIME_FANOUT')?.value, 'redis', 'REALTIME_FANOUT');
      const fanout = read('shared-service/src/main/java/dev/realtime/service/config/RealtimeConfig.java');
      assert(/enum Fanout[\s\S]*REDIS/.test(fanout), 'RealtimeConfig.Fanout has no REDIS value');
      assert(env.get('REALTIME_REDIS_URL')?.valueFrom?.secretKeyRef?.name, 'REALTIME_REDIS_URL must come from a Secret');
      eq(deployment.spec.strategy?.type, 'RollingUpdate', 'strategy');
      eq(deployment.spec.strategy.rollingUpdate.maxUnavailable, 0, 'maxUnavailable');
      assert(one(objects, 'HorizontalPodAutoscaler').spec.minReplicas >= 2, 'minReplicas >= 2');
    });
  }
}

for (const domain of DOMAINS) {
  let embedded;
  check(`embedded ${domain}: kubectl kustomize deploy/k8s/overlays/${domain}`, () => {
    embedded = parseObjects(kustomize(join(ROOT, 'deploy/k8s/overlays', domain)), domain);
    return `${embedded.length} objects`;
  });
  if (embedded) checkRendered(domain, embedded, 'embedded');
  let redis;
  check(`redis ${domain}: kubectl kustomize overlay + components/redis-scale-out`, () => {
    redis = parseObjects(renderWithComponent(domain), `${domain} + redis-scale-out`);
    return `${redis.length} objects`;
  });
  if (redis) checkRendered(domain, redis, 'redis');
}

check('deploy/README.md documents every variable the overlays set', () => {
  const readme = read('deploy/README.md');
  const keys = new Set();
  for (const domain of DOMAINS) {
    for (const mode of ['embedded', 'redis']) {
      const objects = parseObjects(mode === 'embedded' ? kustomize(join(ROOT, 'deploy/k8s/overlays', domain))
        : renderWithComponent(domain), domain);
      for (const c of one(objects, 'Deployment').spec.template.spec.containers) {
        for (const name of containerEnv(c, objects).keys()) keys.add(name);
      }
    }
  }
  const missing = [...keys].filter((k) => !readme.includes(`\`${k}\``));
  assert(!missing.length, `not in deploy/README.md: ${missing.join(', ')}`);
  return `${keys.size} variables`;
});

// ---------------------------------------------------------------------------------------------------------
// Images and the CI workflow.

check('Dockerfiles: DOMAIN build arg, numeric non-root USER, expected bases and flags', () => {
  const native = read('deploy/docker/Dockerfile.native');
  const jvm = read('deploy/docker/Dockerfile.jvm');
  for (const [name, text] of [['native', native], ['jvm', jvm]]) {
    assert(/^ARG DOMAIN$/m.test(text), `${name}: no ARG DOMAIN`);
    const users = [...text.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]);
    assert(users.length && /^[1-9]\d*$/.test(users.at(-1)), `${name}: last USER ${users.at(-1)} is not a numeric non-root uid`);
    assert(/EXPOSE 8080 9000/.test(text), `${name}: EXPOSE 8080 9000`);
  }
  assert(/ubi9-quarkus-mandrel-builder-image:jdk-25/.test(native), 'native: Mandrel builder image');
  assert(/ubi9-quarkus-micro-image/.test(native), 'native: micro runtime image');
  assert(/-XX:\+UseSerialGC/.test(jvm) && /-XX:AOTCache=app\.aot/.test(jvm), 'jvm: SerialGC and AOT cache');
  assert(/quarkus-app/.test(jvm), 'jvm: built from target/quarkus-app');
  for (const file of ['deploy/docker/aot-train.sh', 'dev/keys/dev-public.pem']) {
    assert(existsSync(join(ROOT, file)), `jvm: ${file} (bind-mounted during the build) is missing`);
  }
});

check('workflow .github/workflows/native.yml: valid YAML, native and jvm jobs over the five domains', () => {
  const doc = parseDocument(read('.github/workflows/native.yml'), { uniqueKeys: true, strict: true });
  assert(!doc.errors.length, doc.errors.map((e) => e.message).join('; '));
  assert(!doc.warnings.length, doc.warnings.map((e) => e.message).join('; '));
  const wf = doc.toJS();
  assert(wf.on?.push && 'pull_request' in wf.on, 'on: push and pull_request');
  for (const job of ['native', 'jvm', 'deploy-checks']) assert(wf.jobs?.[job], `job ${job} missing`);
  for (const [name, job] of Object.entries(wf.jobs)) {
    assert(job['runs-on'], `${name}: runs-on`);
    assert(Array.isArray(job.steps) && job.steps.length, `${name}: steps`);
    for (const step of job.steps) {
      assert(step.uses || step.run, `${name}: a step without uses or run`);
      if (step.uses) assert(/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@v?\d/.test(step.uses), `${name}: ${step.uses} is not pinned to a version`);
    }
  }
  for (const name of ['native', 'jvm']) {
    eq(wf.jobs[name].strategy?.matrix?.domain?.join(','), DOMAINS.join(','), `${name} matrix.domain`);
  }
  const runs = (job) => wf.jobs[job].steps.map((s) => s.run ?? '').join('\n');
  const nativeRun = runs('native');
  assert(/verify -Dnative/.test(nativeRun), 'native: verify -Dnative (runs failsafe against the executable)');
  assert(/-Dquarkus\.native\.container-build=true/.test(nativeRun), 'native: container build');
  assert(/\$\{\{ matrix\.domain \}\}-realtime/.test(nativeRun), 'native: builds the matrix domain module');
  const files = wf.jobs.native.steps.concat(wf.jobs.jvm.steps).map((s) => s.with?.file).filter(Boolean);
  eq(files.sort().join(','), 'deploy/docker/Dockerfile.jvm,deploy/docker/Dockerfile.native', 'Dockerfiles built');
  for (const file of files) assert(existsSync(join(ROOT, file)), `${file} missing`);
  const nativeBuild = wf.jobs.native.steps.find((s) => s.with?.file === 'deploy/docker/Dockerfile.native');
  assert(/DOMAIN=\$\{\{ matrix\.domain \}\}/.test(nativeBuild.with['build-args']), 'native image: DOMAIN build arg');
  assert(/RUNNER=prebuilt/.test(nativeBuild.with['build-args']), 'native image: ships the tested executable');
  assert(/\$\{\{ env\.MANDREL_IMAGE \}\}/.test(nativeRun), 'native: builder image pinned');
  const needsRedis = DOMAINS.some((d) => list(`${d}-realtime/src/test/java/dev/realtime/${d}`)
    .some((f) => f.endsWith('IT.java') && /RedisServer|RedisTestResource/.test(read(`${d}-realtime/src/test/java/dev/realtime/${d}/${f}`))));
  if (needsRedis) assert(/apt-get install[^\n]*redis-server/.test(nativeRun), 'native: ITs start redis-server, install it');
  const mandrel = read('deploy/docker/Dockerfile.native').match(/ARG MANDREL_IMAGE=(\S+)/)[1];
  eq(wf.env.MANDREL_IMAGE, mandrel, 'MANDREL_IMAGE of the workflow vs Dockerfile.native');
});

check('domain-parent native profile: Quarkus standard (quarkus.native.enabled, skipITs=false, runner path)', () => {
  const pom = read('domain-parent/pom.xml');
  const profile = pom.match(/<profile>\s*<id>native<\/id>[\s\S]*?<\/profile>/)?.[0];
  assert(profile, 'no native profile');
  assert(/<name>native<\/name>/.test(profile), 'activated by -Dnative');
  assert(/<quarkus\.native\.enabled>true<\/quarkus\.native\.enabled>/.test(profile), 'quarkus.native.enabled');
  assert(/<skipITs>false<\/skipITs>/.test(profile), 'skipITs false');
  assert(/<native\.image\.path>\$\{project\.build\.directory\}\/\$\{project\.build\.finalName\}-runner<\/native\.image\.path>/.test(pom),
    'failsafe native.image.path');
});

// ---------------------------------------------------------------------------------------------------------
// Observability.

const KNOWN_METRICS = new Set([...METRICS, ...Object.keys(EXTERNAL_METRICS)]);
const PROMQL_WORDS = new Set(['sum', 'rate', 'irate', 'increase', 'max', 'min', 'avg', 'by', 'without', 'on',
  'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'bool', 'offset', 'clamp_min', 'clamp_max',
  'histogram_quantile', 'absent', 'absent_over_time', 'max_over_time', 'min_over_time', 'avg_over_time',
  'count', 'topk', 'bottomk', 'label_replace', 'vector', 'scalar', 'time', 'changes', 'resets', 'delta',
  'deriv', 'abs', 'round', 'sort', 'sort_desc', 'quantile', 'count_values', 'stddev', 'le', 'last_over_time']);

/** Returns the metric names an expression uses (identifiers outside label matchers that are not keywords). */
function metricNames(expr) {
  const stripped = expr
    .replace(/\{[^}]*\}/g, '{}')
    .replace(/\[[^\]]*\]/g, '[]')
    .replace(/"[^"]*"/g, '""')
    .replace(/\$\{?\w+\}?/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  return [...stripped.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b/g)]
    .map((m) => m[1])
    .filter((w) => !PROMQL_WORDS.has(w) && !/^\d/.test(w) && !/^(e|inf|nan|s|m|h|d|ms)$/i.test(w));
}

/** Checks the tag values an expression matches exist (reason, outcome). */
function checkTagValues(expr, where) {
  for (const [tag, values] of Object.entries(TAGS)) {
    for (const m of expr.matchAll(new RegExp(`\\b${tag}\\s*(=~|!=|=)\\s*"([^"]*)"`, 'g'))) {
      for (const v of m[2].split('|')) {
        if (m[1] !== '=~' || /^[a-z]+$/.test(v)) assert(values.includes(v), `${where}: ${tag}="${v}" is not one of ${values.join(', ')}`);
      }
    }
  }
}

check('Prometheus rules deploy/prometheus/realtime-rules.yaml: valid, complete, only existing metrics', () => {
  const doc = parseDocument(read('deploy/prometheus/realtime-rules.yaml'), { uniqueKeys: true, strict: true });
  assert(!doc.errors.length, doc.errors.map((e) => e.message).join('; '));
  const { groups } = doc.toJS();
  assert(Array.isArray(groups) && groups.length, 'groups');
  const alerts = [];
  for (const group of groups) {
    assert(group.name && Array.isArray(group.rules), `group ${group.name}: name and rules`);
    for (const rule of group.rules) {
      const id = rule.alert ?? rule.record;
      assert(id && typeof rule.expr === 'string', `rule ${JSON.stringify(rule).slice(0, 80)}: alert/record and expr`);
      if (rule.alert) {
        alerts.push(rule.alert);
        assert(/^\d+[smh]$/.test(rule.for ?? ''), `${id}: for`);
        assert(['warning', 'critical'].includes(rule.labels?.severity), `${id}: labels.severity`);
        assert(rule.annotations?.summary && rule.annotations?.description, `${id}: summary and description`);
      }
      for (const name of metricNames(rule.expr)) {
        assert(KNOWN_METRICS.has(name), `${id}: metric ${name} is neither exposed by the service nor listed as external`);
      }
      checkTagValues(rule.expr, id);
      let depth = 0;
      for (const c of rule.expr) { depth += c === '(' ? 1 : c === ')' ? -1 : 0; assert(depth >= 0, `${id}: unbalanced ()`); }
      eq(depth, 0, `${id}: parentheses`);
    }
  }
  for (const topic of ['DeliveryLatency', 'Reset', 'DroppedByCapacity', 'RedisDown', '5xx']) {
    assert(alerts.some((a) => a.includes(topic)), `no alert about ${topic} (alerts: ${alerts.join(', ')})`);
  }
  const exprs = groups.flatMap((g) => g.rules).map((r) => r.expr).join('\n');
  for (const name of ['realtime_redis_connected', 'realtime_http_server_errors_total']) {
    assert(exprs.includes(name), `no rule uses ${name}`);
  }
  return `${alerts.length} alerts`;
});

check('Grafana dashboard deploy/grafana/realtime.json: valid JSON, every panel queries existing metrics', () => {
  const dashboard = JSON.parse(readFileSync(join(ROOT, 'deploy/grafana/realtime.json'), 'utf8'));
  assert(dashboard.title && dashboard.uid && Array.isArray(dashboard.panels), 'title, uid, panels');
  const used = new Set();
  const ids = new Set();
  const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
  for (const panel of panels) {
    if (panel.type === 'row') continue;
    assert(!ids.has(panel.id), `duplicate panel id ${panel.id}`);
    ids.add(panel.id);
    assert(panel.title && panel.gridPos && Array.isArray(panel.targets) && panel.targets.length, `panel ${panel.title}: title, gridPos, targets`);
    for (const target of panel.targets) {
      for (const name of metricNames(target.expr)) {
        assert(KNOWN_METRICS.has(name), `panel "${panel.title}": metric ${name} is neither exposed nor listed`);
        used.add(name);
      }
      checkTagValues(target.expr, `panel "${panel.title}"`);
    }
  }
  const wanted = ['realtime_waiters', 'realtime_poll_outcome_total', 'realtime_delivery_latency_seconds',
    'realtime_events_published_total', 'realtime_events_delivered_total', 'realtime_events_dropped_total',
    'realtime_orgs', 'realtime_evictions_total', 'realtime_redis_connected', 'realtime_http_server_errors_total'];
  const missing = wanted.filter((m) => !used.has(m));
  assert(!missing.length, `no panel shows ${missing.join(', ')}`);
  return `${ids.size} panels`;
});

check('README, rules and dashboard text name only realtime_* metrics the service exposes', () => {
  const files = ['deploy/README.md', 'deploy/prometheus/realtime-rules.yaml', 'deploy/grafana/realtime.json'];
  const unknown = [];
  let count = 0;
  for (const file of files) {
    for (const m of read(file).matchAll(/\brealtime_[a-z0-9_]*[a-z0-9]/g)) {
      count++;
      if (!METRICS.has(m[0])) unknown.push(`${file}: ${m[0]}`);
    }
  }
  assert(!unknown.length, `not exposed by the service: ${[...new Set(unknown)].join(', ')}`);
  return `${count} mentions`;
});

// ---------------------------------------------------------------------------------------------------------

const failed = results.filter((r) => !r.ok).length;
console.log(`\n${results.length - failed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
