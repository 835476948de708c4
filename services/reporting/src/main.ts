import { main } from '@xhht/infra';
import { reportingService } from './service';

main(reportingService);
