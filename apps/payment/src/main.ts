import { ServiceEnvironment, startService } from '@keel/platform';
import { paymentModule } from './payment.module';

startService(paymentModule, ServiceEnvironment);
