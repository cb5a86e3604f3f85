import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/**
 * There is no Docker engine on the build machines, so the deployment file is checked for what a running
 * stack depends on: every service present, images pinned, healthchecks, wiring and loopback-only ports.
 */
interface Service {
  image?: string;
  restart?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  deploy?: { replicas?: number };
}

const root = path.join(__dirname, '..', '..');
const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const { services } = compose;

/** The one-shot jobs: they run to completion before the services that need them start. */
const JOBS = ['db-setup', 'temporal-schema', 'temporal-namespace', 'migrate'];

describe('docker-compose.yml', () => {
  it('has PostgreSQL 15, Temporal on it, the Temporal UI, set-up jobs, the API and two workers', () => {
    expect(Object.keys(services).sort()).toEqual([
      'api',
      'db-setup',
      'migrate',
      'postgres',
      'temporal',
      'temporal-namespace',
      'temporal-schema',
      'temporal-ui',
      'worker',
    ]);
    for (const job of JOBS) expect([job, services[job]!.restart]).toEqual([job, 'no']);
    expect(services.postgres!.image).toMatch(/^postgres:15\.\d+/);
    expect(services.temporal!.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgres' });
    expect(services.worker!.deploy?.replicas).toBe(2);
  });

  it('pins every image to an exact version', () => {
    for (const [name, service] of Object.entries(services)) {
      expect([name, service.image]).toEqual([name, expect.stringMatching(/^[\w./-]+:\d+(\.\d+)+[\w.-]*$/)]);
    }
  });

  it('gives every long-running service a healthcheck and starts dependents only when it passes', () => {
    for (const [name, service] of Object.entries(services)) {
      if (JOBS.includes(name)) continue;
      expect([name, service.healthcheck?.test?.length ?? 0]).toEqual([name, expect.any(Number)]);
      expect(service.healthcheck!.test.length).toBeGreaterThan(1);
    }
    expect(services.api!.depends_on).toEqual({
      migrate: { condition: 'service_completed_successfully' },
      'temporal-namespace': { condition: 'service_completed_successfully' },
    });
    expect(services.worker!.depends_on).toEqual(services.api!.depends_on);
    expect(services.temporal!.depends_on).toEqual({
      'temporal-schema': { condition: 'service_completed_successfully' },
    });
    expect(services['temporal-schema']!.depends_on).toEqual({
      'db-setup': { condition: 'service_completed_successfully' },
    });
    expect(services['temporal-namespace']!.depends_on).toEqual({
      temporal: { condition: 'service_healthy' },
    });
  });

  it('points the app at PostgreSQL and Temporal, with commands that exist in the build', () => {
    for (const name of ['api', 'worker', 'migrate']) {
      const service = services[name]!;
      expect(service.environment).toMatchObject({
        DATABASE_URL: expect.stringContaining('@postgres:5432/oms'),
        TEMPORAL_ADDRESS: 'temporal:7233',
      });
      const entry = service.command![1]!.replace(/^dist\//, '').replace(/\.js$/, '.ts');
      expect([name, existsSync(path.join(root, entry))]).toEqual([name, true]);
    }
    expect(services.worker!.healthcheck!.test).toEqual(['CMD', 'node', 'dist/worker/healthcheck.js']);
    // Workers send the e-mail, so they get the SMTP settings (empty: no e-mail).
    expect(services.worker!.environment).toMatchObject({ OMS_SMTP_URL: '${OMS_SMTP_URL:-}' });
    // Every API instance must sign and check tokens with the same secret; nothing is generated in containers.
    expect(services.api!.environment).toMatchObject({
      OMS_TOKEN_SECRET: expect.stringContaining('OMS_TOKEN_SECRET:?'),
    });
    // The admin's password applies when user admin is created (or by the reset command): not required.
    expect(services.api!.environment!.OMS_ADMIN_PASSWORD).toBe('${OMS_ADMIN_PASSWORD:-}');
  });

  it('publishes the API and a read-only Temporal UI on the host loopback only, never Temporal itself', () => {
    const published = Object.values(services).flatMap((service) => service.ports ?? []);
    expect(published.sort()).toEqual(['127.0.0.1:3000:3000', '127.0.0.1:8233:8080']);
    expect(services['temporal-ui']!.environment).toMatchObject({ TEMPORAL_DISABLE_WRITE_ACTIONS: 'true' });
  });

  it('gives the API, the workers and Temporal roles of their own; only the set-up jobs use the owner', () => {
    const owner = /POSTGRES_PASSWORD/;
    for (const name of ['api', 'worker', 'temporal', 'temporal-ui', 'temporal-namespace']) {
      const values = Object.values(services[name]!.environment ?? {}).join('\n');
      expect([name, owner.test(values)]).toEqual([name, false]);
    }
    for (const name of ['api', 'worker']) {
      const environment = services[name]!.environment!;
      expect(new URL(environment.DATABASE_URL!.replace(/\$\{[^}]*\}/g, 'x')).username).toBe('oms_app');
      // Backups dump Temporal's databases with a role that may only read them.
      expect(new URL(environment.OMS_TEMPORAL_DATABASE_URL!.replace(/\$\{[^}]*\}/g, 'x')).username).toBe(
        'oms_backup',
      );
      expect(environment.DATABASE_OWNER_URL).toBeUndefined();
    }
    expect(services.temporal!.environment).toMatchObject({ POSTGRES_USER: 'temporal' });
    expect(services.migrate!.environment!.DATABASE_OWNER_URL).toMatch(owner);
    expect(Object.values(services['db-setup']!.environment ?? {}).join('\n')).toMatch(owner);
  });

  it('builds the app image from a Dockerfile that compiles and runs the API', () => {
    const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    // The image runs on Node 24 LTS, the line CI runs the whole suite on (package.json engines).
    expect(dockerfile).toMatch(/^FROM node:24\.\d+\.\d+-bookworm-slim AS build$/m);
    expect(dockerfile.match(/^FROM node:24\.\d+\.\d+-bookworm-slim\b/gm)).toHaveLength(2);
    expect(dockerfile).toContain('RUN npm ci');
    expect(dockerfile).toContain('npm run build');
    expect(dockerfile).toMatch(/^CMD \["node", "dist\/api\/main\.js"\]$/m);
  });
});
