import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GATEWAY_HEADER, signGatewayCredential } from '@xhht/infra';
import type { GatewayContext } from './context';

/** Proves to subgraphs that the call came through the gateway; renewed well before it expires. */
export class GatewayCredential {
  private current?: { value: Promise<string>; at: number };
  constructor(private readonly secret: string) {}
  get(): Promise<string> {
    if (!this.current || Date.now() - this.current.at > 60_000) {
      this.current = { value: signGatewayCredential(this.secret), at: Date.now() };
    }
    return this.current.value;
  }
}

/** Forwards the caller's token and request id, and adds the gateway credential. */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    url: string,
    private readonly credential: GatewayCredential,
  ) {
    // Node's own fetch (undici) honours the subgraph's Keep-Alive timeout and drops an idle connection
    // before the server does; a pool that keeps it longer sends the next request into a socket the
    // server is closing ("socket hang up")
    super({ url, fetcher: fetch as unknown as RemoteGraphQLDataSource['fetcher'] });
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    const headers = request.http?.headers;
    if (!headers) return;
    if ('token' in context && context.token) headers.set('authorization', `Bearer ${context.token}`);
    if ('requestId' in context && context.requestId) headers.set('x-request-id', context.requestId);
    headers.set(GATEWAY_HEADER, await this.credential.get());
  }
}
