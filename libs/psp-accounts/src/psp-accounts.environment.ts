import { IsString, IsUrl, MinLength } from 'class-validator';
import { Sensitive, ServiceEnvironment } from '@keel/platform';

const URL_OPTIONS = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

/**
 * Keel's accounts at the PSPs, for every service that calls them (the executor charges, inquires
 * and refunds; reconciliation downloads settlement files): where each PSP is and the credentials of
 * its API — the same names, one secret per credential, in every service. A credential has no
 * default: outside KEEL_PROFILE=local the service refuses to start without it (at least 32
 * characters), and under it an unset one takes psp-sim's public test value, refused anywhere else.
 */
export class PspAccountsEnvironment extends ServiceEnvironment {
  @IsUrl(URL_OPTIONS)
  PSP_ACME_URL = 'http://127.0.0.1:3011';

  @IsUrl(URL_OPTIONS)
  PSP_NOVA_URL = 'http://127.0.0.1:3012';

  @IsUrl(URL_OPTIONS)
  PSP_SWIFTPAY_URL = 'http://127.0.0.1:3013';

  /** Sent as `Authorization: Bearer` to acme. */
  @Sensitive({ localValue: 'acme_test_key' })
  PSP_ACME_API_KEY!: string;

  /** nova's merchant id (`mid`), sent with every request. */
  @IsString()
  @MinLength(1)
  PSP_NOVA_MERCHANT_ID = 'nova_mid_test';

  /** nova's request-signing secret: charges, inquiries, refunds and downloads are signed with it. */
  @Sensitive({ localValue: 'nova_secret_test' })
  PSP_NOVA_SECRET!: string;

  /** Sent as `X-Swift-Key` to swiftpay. */
  @Sensitive({ localValue: 'swift_test_key' })
  PSP_SWIFTPAY_API_KEY!: string;
}
