import type { Principal } from '@xhht/infra';

export interface GatewayContext {
  token: string;
  principal: Principal;
  requestId: string;
}
