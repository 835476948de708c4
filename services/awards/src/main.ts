import { main } from '@xhht/infra';
import { awardsService } from './service';

main(awardsService);
