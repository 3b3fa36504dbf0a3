// Lint fixture: a service reaching into another service's code. The boundary rule must reject it.
import { paymentModule } from '../../../payment/src/payment.module';

export const reachedInto = paymentModule;
