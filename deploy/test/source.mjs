// What the service really reads and exposes, derived from its sources (never a hand-kept copy):
// configuration keys from RealtimeConfig.java and the properties files, metric names from the meters the
// service's Java sources register (RealtimeMetrics.java, redis/RedisEventLog.java, ...).
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = new URL('../../', import.meta.url).pathname;

const read = (path) => readFileSync(join(ROOT, path), 'utf8');

/** Returns the domain names: the root POM's modules named `<domain>-realtime`. */
export function domains() {
  const pom = read('pom.xml');
  return [...pom.matchAll(/<module>([a-z]+)-realtime<\/module>/g)].map((m) => m[1]);
}

/** Returns `camelCase` as SmallRye names it in a config key: `kebab-case`. */
const kebab = (name) => name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

/** Returns a config key in the environment-variable form SmallRye Config maps back to it. */
export const envName = (key) => key.toUpperCase().replace(/[^A-Z0-9]/g, '_');

/**
 * Returns the keys of RealtimeConfig (e.g. `realtime.buffer.capacity`), parsed from the @ConfigMapping
 * interface: its prefix, its leaf methods, and its nested interfaces (a method returning one is a group).
 */
export function realtimeConfigKeys() {
  const source = read('shared-service/src/main/java/dev/realtime/service/config/RealtimeConfig.java')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '');
  const prefix = source.match(/@ConfigMapping\(prefix\s*=\s*"([^"]+)"\)/)[1];
  // Split into interface bodies by brace depth.
  const bodies = new Map();
  const opener = /interface\s+(\w+)[^{]*\{/g;
  let match;
  while ((match = opener.exec(source))) {
    let depth = 1;
    let i = opener.lastIndex;
    const start = i;
    const direct = [];
    let chunk = '';
    for (; i < source.length && depth > 0; i++) {
      const c = source[i];
      if (c === '{') depth++;
      else if (c === '}') depth--;
      else if (depth === 1) chunk += c;
      if (depth === 1 && c === '}') chunk += ' ';
    }
    for (const m of chunk.matchAll(/(?:@\w+(?:\([^)]*\))?\s*)*([\w.<>, ]+?)\s+(\w+)\(\)\s*;/g)) {
      direct.push({ type: m[1].trim(), name: m[2] });
    }
    bodies.set(match[1], direct);
    opener.lastIndex = start;
  }
  const root = [...bodies.keys()][0];
  const keys = [];
  const walk = (iface, path) => {
    for (const { type, name } of bodies.get(iface)) {
      const key = `${path}.${kebab(name)}`;
      if (bodies.has(type)) walk(type, key);
      else keys.push(key);
    }
  };
  walk(root, prefix);
  return keys;
}

/** Returns the non-profile keys of a properties file, and the `${ENV:default}` names it reads. */
export function propertiesFile(path) {
  const keys = new Map();
  const envRefs = new Set();
  if (!existsSync(join(ROOT, path))) return { keys, envRefs };
  for (const raw of read(path).split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith('!')) continue;
    const eq = line.search(/[=:]/);
    const key = line.slice(0, eq).trim().replace(/^"|"$/g, '');
    const value = line.slice(eq + 1).trim();
    for (const m of value.matchAll(/\$\{([A-Z][A-Z0-9_]*)(?::[^}]*)?\}/g)) envRefs.add(m[1]);
    if (key.startsWith('%')) continue; // profile-specific: %test, %dev never apply in a deployment
    keys.set(key, value);
  }
  return { keys, envRefs };
}

/** Returns the service's effective properties for a domain: shared defaults, then the domain's file. */
export function domainProperties(domain) {
  const shared = propertiesFile('shared-service/src/main/resources/META-INF/microprofile-config.properties');
  const own = propertiesFile(`${domain}-realtime/src/main/resources/application.properties`);
  return {
    keys: new Map([...shared.keys, ...own.keys]),
    envRefs: new Set([...shared.envRefs, ...own.envRefs]),
  };
}

/** Returns the artifactIds shared-service depends on (the extensions it ships). */
export function serviceDependencies() {
  const pom = read('shared-service/pom.xml');
  return new Set([...pom.matchAll(/<artifactId>([^<]+)<\/artifactId>/g)].map((m) => m[1]));
}

/** Returns the paths (relative to ROOT) of the Java files under a directory, recursively. */
function javaFiles(dir) {
  const out = [];
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...javaFiles(path));
    else if (entry.name.endsWith('.java')) out.push(path);
  }
  return out.sort();
}

/**
 * Returns the Prometheus names the service exposes, from the meters its Java sources register (Micrometer's
 * dotted names in snake_case): gauges as-is, counters with `_total`, timers as `<name>_seconds` (quantiles),
 * `_seconds_count`, `_seconds_sum`, `_seconds_max`. Covers RealtimeMetrics' helpers `gauge(registry, "…")` and
 * `counter(registry, "…")` and every `Gauge/Counter/FunctionCounter/Timer.builder("…")` with a literal name in
 * any file (e.g. `realtime.redis.connected` in redis/RedisEventLog.java).
 */
export function realtimeMetricNames() {
  const prom = (dotted) => dotted.replace(/\./g, '_');
  const names = new Set();
  for (const file of javaFiles('shared-service/src/main/java')) {
    const source = read(file);
    for (const m of source.matchAll(/\bgauge\(registry,\s*"([^"]+)"/g)) names.add(prom(m[1]));
    for (const m of source.matchAll(/\bcounter\(registry,\s*"([^"]+)"/g)) names.add(`${prom(m[1])}_total`);
    for (const m of source.matchAll(/\bGauge\.builder\(\s*"([^"]+)"/g)) names.add(prom(m[1]));
    for (const m of source.matchAll(/\b(?:Function)?Counter\.builder\(\s*"([^"]+)"/g)) names.add(`${prom(m[1])}_total`);
    for (const m of source.matchAll(/\bTimer\.builder\(\s*"([^"]+)"/g)) {
      for (const suffix of ['_seconds', '_seconds_count', '_seconds_sum', '_seconds_max']) {
        names.add(prom(m[1]) + suffix);
      }
    }
  }
  return names;
}

/** Returns the tag values the service uses for a tag key, from the enums behind them. */
export function tagValues() {
  const drop = read('shared-buffer/src/main/java/dev/realtime/buffer/DropReason.java');
  const metrics = read('shared-service/src/main/java/dev/realtime/service/metrics/RealtimeMetrics.java');
  const constants = (src, enumName) => {
    const code = src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    const body = code.slice(code.indexOf(`enum ${enumName}`));
    const block = body.slice(body.indexOf('{') + 1, body.indexOf(';'));
    return block
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean);
  };
  return { reason: constants(drop, 'DropReason'), outcome: constants(metrics, 'Outcome') };
}

/** Returns the files of a directory (names only), or [] when it does not exist. */
export function list(path) {
  return existsSync(join(ROOT, path)) ? readdirSync(join(ROOT, path)) : [];
}

export { read };
