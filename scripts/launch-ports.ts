import type { AppConfig } from '../config/config';

type LaunchConfig = Pick<AppConfig, 'api' | 'embeddedPostgres' | 'temporal' | 'worker'>;

export interface LaunchPort {
  /** The setting that gives it, as a person would change it. */
  setting: string;
  port: number;
}

/** The n-th worker process's ports (from 0): the worker's own settings plus 2n, so each has a pair. */
export function workerPorts(
  worker: AppConfig['worker'],
  index: number,
): { http: AppConfig['worker']['http']; sdkMetrics: number } {
  return {
    http: worker.http && { ...worker.http, port: worker.http.port + 2 * index },
    sdkMetrics: worker.sdkMetricsPort + 2 * index,
  };
}

/** Every port `npm start`'s own processes listen on, with the setting each comes from. */
export function launchPorts(config: LaunchConfig): LaunchPort[] {
  const ports: LaunchPort[] = [{ setting: 'OMS_API_PORT', port: config.api.port }];
  if (config.embeddedPostgres) ports.push({ setting: 'OMS_PG_PORT', port: config.embeddedPostgres.port });
  const devServer = config.temporal.devServer;
  if (devServer) {
    ports.push({ setting: 'OMS_TEMPORAL_PORT', port: devServer.port });
    if (config.temporal.mode === 'dev')
      ports.push({ setting: 'OMS_TEMPORAL_UI_PORT', port: devServer.uiPort });
  }
  for (let index = 0; index < config.worker.processes; index++) {
    const { http, sdkMetrics } = workerPorts(config.worker, index);
    const of = index === 0 ? '' : ` + ${2 * index} (worker ${index + 1})`;
    if (http) ports.push({ setting: `OMS_WORKER_PORT${of}`, port: http.port });
    ports.push({ setting: `OMS_WORKER_SDK_METRICS_PORT${of}`, port: sdkMetrics });
  }
  return ports;
}

/** Why these ports cannot all be listened on at once (two settings give the same one), or null. */
export function portClash(ports: readonly LaunchPort[]): string | null {
  const seen = new Map<number, string>();
  for (const { setting, port } of ports) {
    const earlier = seen.get(port);
    if (earlier)
      return `${earlier} and ${setting} both give port ${port}: each process npm start runs needs ports of its own`;
    seen.set(port, setting);
  }
  return null;
}
