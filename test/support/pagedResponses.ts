import type { MiddlewareStack } from '@smithy/types';

/**
 * Makes a client see one of moto's unpaged list responses in pages of `pageSize`, with NextToken as
 * the offset, as the real service pages it (moto 5.2.1 ignores NextToken and MaxResults for Glue
 * GetPartitions and Athena GetQueryResults). Returns the tokens each call was made with.
 */
export function pageResponses<I extends object, O extends object>(
  client: { middlewareStack: MiddlewareStack<I, O> },
  options: { command: string; pageSize: number; path: readonly string[] },
): Array<string | undefined> {
  const tokens: Array<string | undefined> = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName !== options.command) return result;
      const input = args.input as { NextToken?: string };
      tokens.push(input.NextToken);
      const offset = Number(input.NextToken ?? '0');
      const holder = options.path.slice(0, -1).reduce<Record<string, unknown>>((at, key) => at[key] as Record<string, unknown>, result.output as Record<string, unknown>);
      const field = options.path[options.path.length - 1]!;
      const all = (holder[field] as unknown[] | undefined) ?? [];
      holder[field] = all.slice(offset, offset + options.pageSize);
      const next_ = offset + options.pageSize;
      Object.assign(result.output as object, { NextToken: next_ < all.length ? String(next_) : undefined });
      return result;
    },
    { step: 'initialize', name: `page${options.command}` },
  );
  return tokens;
}
