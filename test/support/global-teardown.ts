import type { StackHandle } from '@xhht/infra';

export default async function globalTeardown(): Promise<void> {
  const stack = (globalThis as { __XHHT_STACK__?: StackHandle }).__XHHT_STACK__;
  await stack?.stop();
}
