import { main } from '@xhht/infra';
import { orgService } from './service';

main(orgService);
