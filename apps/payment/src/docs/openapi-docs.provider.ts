import { Injectable, type INestApplication, type OnModuleInit } from '@nestjs/common';
import { ApplicationConfig, HttpAdapterHost, ModulesContainer } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

export const OPENAPI_UI_PATH = 'docs';

/**
 * Serves the OpenAPI document generated from the controllers and DTOs at /docs-json and Swagger UI
 * at /docs. The platform's runService owns the Nest application and gives a module no handle on
 * it, so this builds the three things SwaggerModule reads from an application (its module
 * container, config and HTTP adapter) from injectable parts. It runs in onModuleInit, after Nest
 * registered the routes and before its not-found handler, so the docs routes are reachable.
 */
@Injectable()
export class OpenApiDocs implements OnModuleInit {
  constructor(
    private readonly modules: ModulesContainer,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  onModuleInit(): void {
    const httpAdapter = this.adapterHost.httpAdapter;
    const application = {
      container: { getModules: () => this.modules },
      // runService sets no global prefix and no versioning: a fresh config says exactly that.
      config: new ApplicationConfig(),
      getHttpAdapter: () => httpAdapter,
      useStaticAssets: (path: string, options: object) => httpAdapter.useStaticAssets?.(path, options),
    } as unknown as INestApplication;
    const config = new DocumentBuilder()
      .setTitle('Keel payment API')
      .setDescription(
        'Merchant-facing payments. Errors are RFC 9457 problem+json with a machine-readable `type`.',
      )
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'A merchant API key: sk_test_…' })
      .build();
    const documentFactory = (): OpenAPIObject => SwaggerModule.createDocument(application, config);
    SwaggerModule.setup(OPENAPI_UI_PATH, application, documentFactory, { jsonDocumentUrl: 'docs-json' });
  }
}
