import { loadConfig } from '../config/config';
import { launchPorts, portClash } from './launch-ports';

describe('the ports npm start listens on', () => {
  it('lists every process’s ports, each further worker two above the one before', () => {
    const config = loadConfig({
      OMS_WORKERS: '2',
      OMS_WORKER_PORT: '7300',
      OMS_WORKER_SDK_METRICS_PORT: '7301',
    });
    expect(launchPorts(config)).toEqual([
      { setting: 'OMS_API_PORT', port: 3000 },
      { setting: 'OMS_PG_PORT', port: 5433 },
      { setting: 'OMS_TEMPORAL_PORT', port: 7233 },
      { setting: 'OMS_TEMPORAL_UI_PORT', port: 8233 },
      { setting: 'OMS_WORKER_PORT', port: 7300 },
      { setting: 'OMS_WORKER_SDK_METRICS_PORT', port: 7301 },
      { setting: 'OMS_WORKER_PORT + 2 (worker 2)', port: 7302 },
      { setting: 'OMS_WORKER_SDK_METRICS_PORT + 2 (worker 2)', port: 7303 },
    ]);
    expect(portClash(launchPorts(config))).toBeNull();
  });

  it('names the two settings that give one port', () => {
    const same = loadConfig({ OMS_API_PORT: '7245' });
    expect(portClash(launchPorts(same))).toBe(
      'OMS_API_PORT and OMS_WORKER_SDK_METRICS_PORT both give port 7245: each process npm start runs needs ports of its own',
    );
    // The second worker's HTTP port would be the first one's exporter.
    const overlapping = loadConfig({
      OMS_WORKERS: '2',
      OMS_WORKER_PORT: '7300',
      OMS_WORKER_SDK_METRICS_PORT: '7302',
    });
    expect(portClash(launchPorts(overlapping))).toMatch(
      /^OMS_WORKER_SDK_METRICS_PORT and OMS_WORKER_PORT \+ 2 \(worker 2\) both give port 7302/,
    );
  });

  it('leaves out what it does not start: an external PostgreSQL and Temporal, a worker endpoint turned off', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://oms:secret@db.internal:5432/oms',
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      OMS_WORKER_PORT: 'off',
    });
    expect(launchPorts(config).map(({ setting }) => setting)).toEqual([
      'OMS_API_PORT',
      'OMS_WORKER_SDK_METRICS_PORT',
    ]);
  });
});
