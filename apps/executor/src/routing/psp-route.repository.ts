import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PAYMENT_METHOD_TYPES } from '@keel/contracts';
import type { PspRoute } from '@keel/executor-domain';

interface PspRouteRow {
  method_type: string;
  provider: string;
  psp_id: string;
  weight: number;
  enabled: boolean;
}

function routeOf(row: PspRouteRow): PspRoute {
  const methodType = PAYMENT_METHOD_TYPES.find((known) => known === row.method_type);
  if (methodType === undefined) throw new Error(`psp_routes.method_type '${row.method_type}' is unknown`);
  return { methodType, provider: row.provider, pspId: row.psp_id, weight: row.weight, enabled: row.enabled };
}

/** The SQL of table psp_routes. */
@Injectable()
export class PspRouteRepository {
  async list(manager: EntityManager): Promise<PspRoute[]> {
    const rows = (await manager.query(
      `SELECT method_type, provider, psp_id, weight, enabled
       FROM psp_routes
       ORDER BY method_type, provider, psp_id`,
    )) as PspRouteRow[];
    return rows.map(routeOf);
  }

  /** Replaces the whole table; the caller's transaction makes the swap atomic for readers. */
  async replaceAll(manager: EntityManager, routes: readonly PspRoute[]): Promise<void> {
    await manager.query('DELETE FROM psp_routes');
    for (const route of routes) {
      await manager.query(
        `INSERT INTO psp_routes (method_type, provider, psp_id, weight, enabled)
         VALUES ($1, $2, $3, $4, $5)`,
        [route.methodType, route.provider, route.pspId, route.weight, route.enabled],
      );
    }
  }
}
