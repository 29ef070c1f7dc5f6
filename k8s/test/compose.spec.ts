/**
 * No Docker engine runs here, so docker-compose.yml, the Dockerfile and .dockerignore are checked
 * offline against the code: service names and ports (libs/config), the variables each service reads
 * (CONFIG_VARIABLES, and loadConfig must accept the environment), databases, topics (TOPIC_SPECS),
 * build contexts and the image's runtime contract.
 */
import { CONFIG_VARIABLES, DEFAULT_PORTS, defaultDatabaseName, loadConfig, SECRETS_KEY_VARIABLES, SERVICES } from '@pacer/config';
import { TOPIC_SPECS } from '@pacer/contracts';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  dependsOn,
  environmentOf,
  interpolate,
  isDockerIgnored,
  parseDockerfile,
  portsOf,
} from './lib/docker';
import { REPO_ROOT } from './lib/paths';
import { isPlainObject, readYamlDocuments } from './lib/yaml-docs';

const COMPOSE_FILE = path.join(REPO_ROOT, 'docker-compose.yml');
const INFRA = ['kafka', 'postgres', 'topic-init'];
const KAFKA_IMAGE = 'apache/kafka:4.1.1';
const migrateOf = (service: string): string => `${service}-migrate`;
const DEFAULT_PARTITIONS = loadConfig('commission', {}).topicPartitions;

// Interpolated as `docker compose` would with an empty environment: every variable needs a default.
const missingVariables: string[] = [];
const raw = readYamlDocuments(COMPOSE_FILE);
const compose = interpolate(raw[0], {}, missingVariables) as Record<string, any>;
const services: Record<string, Record<string, any>> = compose['services'];
const kafkaEnv = environmentOf(services['kafka'] ?? {});

/** host:port of the listener that other containers use (the advertised one that is not on 127.0.0.1). */
function internalBootstrap(): string {
  const advertised = (kafkaEnv['KAFKA_ADVERTISED_LISTENERS'] ?? '').split(',');
  const internal = advertised.find((l) => !l.includes('127.0.0.1') && !l.includes('localhost'));
  return internal?.replace(/^[A-Z_]+:\/\//, '') ?? '';
}

describe('docker-compose.yml', () => {
  it('parses as one YAML document, and every ${VARIABLE} has a default', () => {
    expect(raw).toHaveLength(1);
    expect(missingVariables).toEqual([]);
  });

  it('has the four services, their migrations, kafka, postgres, topic-init and the web app', () => {
    expect(Object.keys(services).sort()).toEqual([...SERVICES, ...SERVICES.map(migrateOf), ...INFRA, 'web'].sort());
  });

  describe('web', () => {
    const web = services['web'] as Record<string, any>;
    const env = environmentOf(web);

    it('is built with apps/web/Dockerfile, publishes 3000 and checks /health/ready on it', () => {
      expect(web['build']).toEqual({ context: '.', dockerfile: 'apps/web/Dockerfile' });
      expect(existsSync(path.join(REPO_ROOT, 'apps/web/Dockerfile'))).toBe(true);
      expect(portsOf(web)).toEqual(['127.0.0.1:3000:3000']);
      expect([web['healthcheck']?.['test']].flat().join(' ')).toContain('http://127.0.0.1:3000/health/ready');
    });

    // apps/web/server/config/web-config.spec.ts checks this environment against the web server's config.
    it('forwards to each service by its compose name, reads Kafka internally, and is hardened', () => {
      for (const service of SERVICES) {
        expect(env[`PACER_${service.toUpperCase().replace(/-/g, '_')}_URL`]).toBe(`http://${service}:${DEFAULT_PORTS[service]}`);
      }
      expect(env['KAFKA_BROKERS']).toBe(internalBootstrap());
      expect(web['read_only']).toBe(true);
      expect(web['cap_drop']).toEqual(['ALL']);
    });
  });

  describe('kafka', () => {
    const kafka = services['kafka'] as Record<string, any>;

    it('is the official image in KRaft mode, one node that is broker and controller', () => {
      expect(kafka['image']).toBe(KAFKA_IMAGE);
      expect(kafkaEnv['KAFKA_PROCESS_ROLES']).toBe('broker,controller');
      expect(kafkaEnv['KAFKA_CONTROLLER_QUORUM_VOTERS']).toMatch(/^1@kafka:\d+$/);
      expect(kafkaEnv['KAFKA_NODE_ID']).toBe('1');
      // a typo in a topic name must fail, not create a topic with default configs
      expect(kafkaEnv['KAFKA_AUTO_CREATE_TOPICS_ENABLE']).toBe('false');
      expect(kafkaEnv['KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR']).toBe('1');
      expect(kafkaEnv['KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR']).toBe('1');
      expect(kafkaEnv['KAFKA_NUM_PARTITIONS']).toBe(String(DEFAULT_PARTITIONS));
    });

    it('is reachable from the host on 127.0.0.1:9092 and from the containers on an internal listener', () => {
      expect(portsOf(kafka)).toContain('127.0.0.1:9092:9092');
      const listeners = kafkaEnv['KAFKA_LISTENERS'] ?? '';
      const advertised = kafkaEnv['KAFKA_ADVERTISED_LISTENERS'] ?? '';
      const hostListener = advertised.split(',').find((l) => l.endsWith('://127.0.0.1:9092'));
      expect(hostListener).toBeDefined();
      const hostName = (hostListener as string).split('://')[0] as string;
      expect(listeners.split(',')).toContain(`${hostName}://:9092`);
      expect(internalBootstrap()).toMatch(/^kafka:\d+$/);
      const internalName = advertised
        .split(',')
        .find((l) => l.endsWith(`://${internalBootstrap()}`))
        ?.split('://')[0];
      expect(listeners.split(',')).toContain(`${internalName}://:${internalBootstrap().split(':')[1]}`);
      // every listener has a security protocol
      const protocols = (kafkaEnv['KAFKA_LISTENER_SECURITY_PROTOCOL_MAP'] ?? '')
        .split(',')
        .map((p) => p.split(':')[0]);
      for (const l of listeners.split(',')) expect(protocols).toContain(l.split('://')[0]);
      expect(kafka['healthcheck']?.['test']).toBeDefined();
    });
  });

  describe('postgres', () => {
    const postgres = services['postgres'] as Record<string, any>;

    it('is postgres:15, with an init script that creates exactly the service databases', () => {
      expect(postgres['image']).toBe('postgres:15');
      const mount = (postgres['volumes'] as string[]).find((v) => v.includes('/docker-entrypoint-initdb.d/'));
      expect(mount).toBeDefined();
      const source = path.join(REPO_ROOT, (mount as string).split(':')[0] as string);
      expect(existsSync(source)).toBe(true);
      const sql = readFileSync(source, 'utf8').replace(/--.*$/gm, '');
      const created = [...sql.matchAll(/CREATE DATABASE\s+"?([a-z0-9_]+)"?/gi)].map((m) => m[1]);
      expect(created.sort()).toEqual(SERVICES.map(defaultDatabaseName).sort());
      expect(postgres['healthcheck']?.['test']).toBeDefined();
    });
  });

  describe('topic-init', () => {
    const init = services['topic-init'] as Record<string, any>;
    const script = [...(init['entrypoint'] ?? []), ...[init['command'] ?? []].flat()].join('\n');
    const created = [...script.matchAll(/^\s*create (\S+)(.*)$/gm)].map((m) => ({
      name: m[1] as string,
      configs: Object.fromEntries(
        [...(m[2] as string).matchAll(/--config (\S+)=(\S+)/g)].map((c) => [c[1], c[2]]),
      ),
    }));

    it('uses the kafka image once the broker is healthy, on the internal listener', () => {
      expect(init['image']).toBe(KAFKA_IMAGE);
      expect(dependsOn(init)).toEqual({ kafka: 'service_healthy' });
      expect(script).toContain('/opt/kafka/bin/kafka-topics.sh');
      expect(script).toContain(`--bootstrap-server ${internalBootstrap()}`);
      expect(script).toContain('--if-not-exists');
      expect(script).toContain(`--partitions ${DEFAULT_PARTITIONS}`);
      expect(init['restart']).toBe('no');
    });

    it('creates every topic of TOPIC_SPECS with exactly its configs, and nothing else', () => {
      expect(created.map((t) => t.name).sort()).toEqual(TOPIC_SPECS.map((t) => t.name).sort());
      for (const spec of TOPIC_SPECS) {
        expect(created.find((t) => t.name === spec.name)).toEqual({ name: spec.name, configs: spec.configs });
      }
    });
  });

  describe.each(SERVICES)('%s', (service) => {
    const svc = services[service] as Record<string, any>;
    const migrate = services[migrateOf(service)] as Record<string, any>;
    const port = DEFAULT_PORTS[service];
    const env = environmentOf(svc);

    it('is built from this repo with the Dockerfile and its SERVICE and PORT', () => {
      for (const s of [svc, migrate]) {
        const build = s['build'];
        expect(isPlainObject(build)).toBe(true);
        expect(build['context']).toBe('.');
        expect(statSync(path.join(REPO_ROOT, build['context'])).isDirectory()).toBe(true);
        expect(existsSync(path.join(REPO_ROOT, build['context'], build['dockerfile'] ?? 'Dockerfile'))).toBe(
          true,
        );
        expect(build['args']).toEqual({ SERVICE: service, PORT: String(port) });
      }
      expect(svc['image']).toBe(`pacer/${service}:dev`);
    });

    it('publishes its SPEC §1 port and checks /health/ready on it', () => {
      expect(portsOf(svc)).toEqual([`127.0.0.1:${port}:${port}`]);
      expect(env['PORT']).toBe(String(port));
      const check = [svc['healthcheck']?.['test']].flat().join(' ');
      expect(check).toContain(`http://127.0.0.1:${port}/health/ready`);
      expect(svc['stop_grace_period']).toBeDefined();
    });

    it('sets only variables the service reads, the required ones, and loadConfig accepts them', () => {
      for (const s of [svc, migrate]) {
        const names = Object.keys(environmentOf(s));
        // notifications (required in production) and activity-ingestion (CRM secrets) read the key of secrets at rest.
        const own: readonly string[] = service === 'notifications' || service === 'activity-ingestion' ? SECRETS_KEY_VARIABLES : [];
        expect(names.filter((n) => !(CONFIG_VARIABLES as readonly string[]).includes(n) && !own.includes(n))).toEqual([]);
        for (const required of ['NODE_ENV', 'DATABASE_URL', 'KAFKA_BROKERS'])
          expect(names).toContain(required);
        expect(names.some((n) => n === 'PACER_JWT_SECRET' || n === 'PACER_JWT_PUBLIC_KEY')).toBe(true);
        expect(loadConfig(service, environmentOf(s))).toMatchObject({ service });
      }
      expect(env['KAFKA_BROKERS']).toBe(internalBootstrap());
      expect(loadConfig(service, env)).toMatchObject({ port, production: env['NODE_ENV'] === 'production' });
    });

    it('uses its own database on the postgres service, the same for the service and its migration', () => {
      const url = new URL(env['DATABASE_URL'] as string);
      expect(url.hostname).toBe('postgres');
      expect(url.pathname).toBe(`/${defaultDatabaseName(service)}`);
      expect(environmentOf(migrate)['DATABASE_URL']).toBe(env['DATABASE_URL']);
    });

    it('migrates once postgres is healthy, and starts after Kafka, topics and its migration', () => {
      expect([migrate['command']].flat().join(' ')).toBe(`node dist/apps/${service}/src/migrate.js`);
      expect(migrate['restart']).toBe('no');
      expect(dependsOn(migrate)).toEqual({ postgres: 'service_healthy' });
      expect(dependsOn(svc)).toEqual({
        kafka: 'service_healthy',
        postgres: 'service_healthy',
        'topic-init': 'service_completed_successfully',
        [migrateOf(service)]: 'service_completed_successfully',
      });
      // the service itself runs the image's default command (dist/apps/<svc>/src/main.js)
      expect(svc['command']).toBeUndefined();
    });

    it('runs with a read-only root filesystem, /tmp as tmpfs and no capabilities', () => {
      for (const s of [svc, migrate]) {
        expect(s['read_only']).toBe(true);
        expect(s['tmpfs']).toContain('/tmp');
        expect(s['cap_drop']).toEqual(['ALL']);
      }
    });
  });
});

/** End of life of the Node LTS lines an image may use (https://github.com/nodejs/release#release-schedule). */
const NODE_LTS_END_OF_LIFE: Record<number, string> = { 22: '2027-04-30', 24: '2028-04-30' };
const nodeImageOf = (text: string): string | undefined =>
  parseDockerfile(text).globalArgs.find((a) => a.args.startsWith('NODE_IMAGE='))?.args.split('=')[1];

describe('Dockerfile and .dockerignore', () => {
  const dockerfile = readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8');
  const dockerignore = readFileSync(path.join(REPO_ROOT, '.dockerignore'), 'utf8');
  const { stages } = parseDockerfile(dockerfile);
  const runtime = stages[stages.length - 1] as (typeof stages)[number];
  const args = (stage: (typeof stages)[number], keyword: string): string[] =>
    stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);

  it('builds from a supported Node LTS line in stages: npm ci, the swc build, production dependencies', () => {
    const nodeImage = nodeImageOf(dockerfile);
    expect(nodeImage).toMatch(/^node:\d+-slim$/);
    const major = Number(/^node:(\d+)/.exec(nodeImage ?? '')?.[1]);
    // Fails once the line leaves support: an image past its end of life gets no security fixes.
    expect({ nodeImage, endOfLife: NODE_LTS_END_OF_LIFE[major] }).toEqual({ nodeImage, endOfLife: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    expect(Date.parse(NODE_LTS_END_OF_LIFE[major] as string)).toBeGreaterThan(Date.now());
    // The web image runs on the same line as the services.
    expect(nodeImageOf(readFileSync(path.join(REPO_ROOT, 'apps/web/Dockerfile'), 'utf8'))).toBe(nodeImage);
    // every stage starts from that image or from an earlier stage
    stages.forEach((stage, i) => {
      expect([
        stage.from,
        stage.from === '${NODE_IMAGE}' || stages.slice(0, i).some((s) => s.name === stage.from),
      ]).toEqual([stage.from, true]);
    });
    expect(runtime.from).toBe('${NODE_IMAGE}');
    const runs = stages.flatMap((s) => args(s, 'RUN'));
    expect(runs.some((r) => /\bnpm ci\b(?!.*--omit=dev)/.test(r))).toBe(true);
    expect(runs.some((r) => r.includes('node tools/build/build.mjs --service "${SERVICE}"'))).toBe(true);
    expect(runs.some((r) => /\bnpm ci\b.*--omit=dev/.test(r))).toBe(true);
  });

  it('ships only dist/ and production node_modules, as uid 10001, with NODE_ENV=production', () => {
    expect(runtime.name).toBe('runtime');
    const copies = args(runtime, 'COPY');
    expect(copies.every((c) => c.startsWith('--from='))).toBe(true);
    expect(copies.map((c) => c.split(' ').slice(1).join(' ')).sort()).toEqual([
      '/app/dist ./dist',
      '/app/node_modules ./node_modules',
    ]);
    const prodDeps = stages.find(
      (s) => s.name === (copies.find((c) => c.includes('node_modules')) ?? '').split(' ')[0]?.slice(7),
    );
    expect(prodDeps && args(prodDeps, 'RUN').some((r) => r.includes('--omit=dev'))).toBe(true);
    expect(args(runtime, 'USER')).toEqual(['10001:10001']);
    expect(args(runtime, 'ENV').join(' ')).toMatch(/NODE_ENV=production/);
    expect(args(runtime, 'EXPOSE')).toEqual(['${PORT}']);
    expect(args(runtime, 'CMD').join(' ')).toMatch(/exec node (--\S+ )*dist\/apps\/\$\{SERVICE\}\/src\/main\.js/);
    expect(args(runtime, 'ARG').sort()).toEqual(['PORT', 'SERVICE']);
  });

  it('copies only files that exist and that .dockerignore keeps in the build context', () => {
    const sources = stages
      .flatMap((s) => args(s, 'COPY'))
      .filter((c) => !c.startsWith('--from='))
      .flatMap((c) => c.split(' ').slice(0, -1));
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect([source, existsSync(path.join(REPO_ROOT, source))]).toEqual([source, true]);
      expect([source, isDockerIgnored(dockerignore, source)]).toEqual([source, false]);
    }
    for (const needed of ['tools/build/build.mjs', 'tools/build/swcrc.json', 'libs/config/src/config.ts']) {
      expect([needed, isDockerIgnored(dockerignore, needed)]).toEqual([needed, false]);
    }
  });

  it('.dockerignore keeps local state, secrets and tests out of the context', () => {
    for (const ignored of [
      'node_modules/x',
      'dist/apps/x.js',
      '.git/HEAD',
      '.env',
      'libs/config/src/config.spec.ts',
      'apps/commission/test/e2e.ts',
      'k8s/base/kustomization.yaml',
      'tools/infra/infra.ts',
    ]) {
      expect([ignored, isDockerIgnored(dockerignore, ignored)]).toEqual([ignored, true]);
    }
  });
});
