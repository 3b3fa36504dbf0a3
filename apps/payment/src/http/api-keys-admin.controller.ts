import { Body, Controller, Delete, Get, Param, Post, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { OperatorAccess, OperatorAudited, type OperatorRequest } from '@keel/operator-auth';
import { ApiKeyAdminService } from '../apikeys/api-key-admin.service';
import {
  apiKeyViewOf,
  ApiKeyPrefixParams,
  CreateApiKeyDto,
  ListApiKeysQueryDto,
  RevokeApiKeyQueryDto,
  type ApiKeyView,
} from './api-key-admin.dto';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** The merchant an audited request names, as it came (the audit records refused requests too). */
const merchantTarget = (source: unknown): string =>
  `merchant:${String((source as { merchantId?: unknown } | undefined)?.merchantId ?? '')}`;

const prefixTarget = (request: OperatorRequest): string => `api_key:${request.params?.['prefix'] ?? ''}`;

/**
 * Merchants' API keys for operators with the admin role, every call audited: the same operations
 * as `npm run keys`. Not in the public API document: it is no merchant's surface.
 */
@ApiExcludeController()
@OperatorAccess('admin')
@Controller('v1/admin/api-keys')
export class ApiKeysAdminController {
  constructor(private readonly keys: ApiKeyAdminService) {}

  /** 201 with the key itself, shown this once: Keel keeps only its hash. */
  @Post()
  @OperatorAudited('api_keys.create', (request) => merchantTarget(request.body))
  async create(@Body() body: CreateApiKeyDto): Promise<ApiKeyView & { readonly key: string }> {
    const { key, record } = await this.keys.create({
      merchantId: body.merchantId,
      mode: body.mode,
      name: body.name,
      expiresAt:
        body.expiresInDays === undefined ? undefined : new Date(Date.now() + body.expiresInDays * DAY_MS),
    });
    return { key, ...apiKeyViewOf(record) };
  }

  @Get()
  @OperatorAudited('api_keys.list', (request) => merchantTarget(request.query))
  async list(@Query() query: ListApiKeysQueryDto): Promise<{ readonly data: ApiKeyView[] }> {
    return { data: (await this.keys.list(query.merchantId)).map(apiKeyViewOf) };
  }

  /** Revokes now, or after `inHours` (a rotation's overlap); a scheduled revocation may be brought forward. */
  @Delete(':prefix')
  @OperatorAudited('api_keys.revoke', prefixTarget)
  async revoke(
    @Param() params: ApiKeyPrefixParams,
    @Query() query: RevokeApiKeyQueryDto,
  ): Promise<ApiKeyView> {
    const at = query.inHours === undefined ? undefined : new Date(Date.now() + query.inHours * HOUR_MS);
    return apiKeyViewOf(await this.keys.revoke(params.prefix, at));
  }
}
