import pg from 'pg';

/**
 * A pooled connection the server ends while a caller holds it between queries (an administrator's
 * `pg_terminate_backend`, a restart, a failover) emits `error` with no listener, and Node ends the
 * whole process for it: `pg` leaves listening to the caller, `pg-pool` listens only while the
 * connection is idle, and TypeORM's query runners never do. A listener for the connection's life
 * keeps the process up; the caller's next query on it fails as a lost connection (retried like any
 * other), and the pool discards it when it is released.
 */
class KeelPool extends pg.Pool {
  constructor(config?: pg.PoolConfig) {
    super(config);
    this.on('connect', (client) => client.on('error', ignoreReportedElsewhere));
  }
}

function ignoreReportedElsewhere(): void {
  // The failure surfaces on the client's next query, where it is handled.
}

/** The `pg` module TypeORM loads, with pools whose connections never crash the process. */
export const KEEL_PG_DRIVER: typeof pg = Object.assign(Object.create(pg) as typeof pg, { Pool: KeelPool });
