/** GET /metrics: Prometheus text format, for operators' scrapers. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../core/logger.ts';
import type { MetricFamily } from '../metrics/families.ts';
import { EXPOSITION_CONTENT_TYPE, toPrometheusText } from '../metrics/exposition.ts';

export function metricsHandler(collect: () => Promise<MetricFamily[]>, logger: Logger) {
  return (_req: IncomingMessage, res: ServerResponse): void => {
    collect().then(
      (families) => {
        res.writeHead(200, { 'content-type': EXPOSITION_CONTENT_TYPE, 'cache-control': 'no-store' });
        res.end(toPrometheusText(families));
      },
      (error: unknown) => {
        logger.error('metrics could not be collected', { error });
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
        res.end('Metrics are unavailable: see the log.\n');
      },
    );
  };
}
