/** An error the gateway answered, with its `extensions.code` and `extensions.messageKey` when given. */
export class GatewayError extends Error {
  constructor(
    message: string,
    readonly code?: string,
    readonly messageKey?: string,
  ) {
    super(message);
  }
}

export type Gql = <T = any>(query: string, variables?: Record<string, unknown>) => Promise<T>;

/** A GraphQL caller for the demo seeders: posts to the gateway with the token, returns `data` or throws the first error. */
export function gatewayClient(gatewayUrl: string, token: string): Gql {
  return async (query, variables = {}) => {
    const res = await fetch(gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string; messageKey?: string } }[] };
    const [error] = body.errors ?? [];
    if (error) throw new GatewayError(error.message, error.extensions?.code, error.extensions?.messageKey);
    if (!body.data) throw new GatewayError(`the gateway answered ${res.status} without data`);
    return body.data;
  };
}

/** Signs an account in through the gateway (`POST /auth/token`) and returns its token. */
export async function signIn(gatewayUrl: string, username: string, password: string): Promise<string> {
  const res = await fetch(gatewayUrl.replace(/\/graphql$/, '/auth/token'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new GatewayError(`${username} could not sign in (${res.status})`);
  return ((await res.json()) as { token: string }).token;
}

/**
 * Runs a demo step again while it fails with one of `lagCodes` (a service has not yet received,
 * through events, what an earlier step created), for up to three minutes.
 */
export async function whenReplicated<T>(lagCodes: readonly string[], fn: () => Promise<T>): Promise<T> {
  const until = Date.now() + 180_000;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof GatewayError) || !lagCodes.includes(err.messageKey ?? '') || Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
