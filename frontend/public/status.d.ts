// Types for status.js, for the TypeScript tests (not copied into the image).
export type BackendState = 'up' | 'down' | 'degraded';

export type Outcome =
  | { ok: true; httpStatus: number; body: unknown }
  | { ok: false; error: string };

export interface StatusDetails {
  service: string;
  status: string;
  version: string | undefined;
  commit: string | undefined;
  uptimeSeconds: number | undefined;
  requestsServed: number | undefined;
  database: 'up' | 'down' | 'not_configured' | undefined;
  notes: number | undefined;
}

export interface Classified {
  state: BackendState;
  reason: string;
  details: StatusDetails | undefined;
}

export function classify(outcome: Outcome): Classified;
export function formatUptime(seconds: number | undefined): string;
export function formatDatabase(state: StatusDetails['database']): string;
export interface DashboardPorts {
  grafana: number;
  prometheus: number;
}
export const DEFAULT_PORTS: Readonly<DashboardPorts>;
export function parsePorts(json: unknown): DashboardPorts;
export function dashboardLinks(
  location: { protocol: string; hostname: string },
  ports?: DashboardPorts,
): {
  grafana: string | undefined;
  prometheus: string | undefined;
};
