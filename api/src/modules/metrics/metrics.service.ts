import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { OutboxRelayService } from '../../queue/outbox-relay.service';
import { QueueRegistry } from '../../queue/queue-registry.service';

/** Prometheus metrics: HTTP latency by route, queue depths by state, the outbox backlog. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly httpTotal: Counter<'method' | 'route' | 'status'>;

  constructor(queues: QueueRegistry, relay: OutboxRelayService) {
    collectDefaultMetrics({ register: this.registry, prefix: 'och_' });
    this.httpDuration = new Histogram({
      name: 'och_http_request_duration_seconds',
      help: 'HTTP request latency',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
    this.httpTotal = new Counter({
      name: 'och_http_requests_total',
      help: 'HTTP requests',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
    new Gauge({
      name: 'och_queue_jobs',
      help: 'BullMQ jobs by queue and state',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        for (const q of queues.all()) {
          try {
            const counts = await q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
            for (const [state, n] of Object.entries(counts)) this.set({ queue: q.name, state }, n);
          } catch {
            // Redis down: leave the last values; readiness reports the outage
          }
        }
      },
    });
    new Gauge({
      name: 'och_outbox_pending',
      help: 'Outbox rows not yet relayed to the queue',
      registers: [this.registry],
      async collect() {
        try {
          this.set(await relay.pendingCount());
        } catch {
          // database down: readiness reports it
        }
      },
    });
  }
}
