import { startService } from '@keel/platform';
import { PaymentEnvironment } from './payment.environment';
import { paymentModule } from './payment.module';

startService(paymentModule, PaymentEnvironment);
