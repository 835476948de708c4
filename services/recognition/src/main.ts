import { main } from '@xhht/infra';
import { recognitionService } from './service';

main(recognitionService);
